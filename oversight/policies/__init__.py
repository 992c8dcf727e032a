"""Policy packs: each council's protocol as validated data.

    resolve_policy(name)  the engine's `Policy` for a pack, resolved through `extends` (cached)
    list_packs()          the names of every pack found
    load_pack(name)       the pack resolved through `extends`, as a validated `schema.Pack`
    validate_file(path)   every problem of one pack file, each naming its key path
    validate_active(name) every problem of a pack and its ancestors (the Django system check)

`resolve_policy` imports only the standard library and `oversight.timescales`; validation (and
pydantic) is loaded only by the other functions.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from oversight.policies import registry
from oversight.policies.registry import PolicyError, UnknownPolicy, index, merged, policy_dirs

if TYPE_CHECKING:
    from oversight.policies.schema import Pack
    from oversight.timescales.rules import Policy

__all__ = [
    "DEFAULT_POLICY",
    "PolicyError",
    "UnknownPolicy",
    "clear_caches",
    "list_packs",
    "load_pack",
    "resolve_policy",
    "validate_active",
    "validate_file",
]

DEFAULT_POLICY = "england"


def list_packs() -> list[str]:
    return sorted(index())


def clear_caches() -> None:
    """Forget every pack read and resolved (tests that write packs; a process after an edit)."""
    registry.clear_caches()
    _resolve.cache_clear()


def resolve_policy(name: str) -> Policy:
    """The engine's view of pack `name`. Raises `UnknownPolicy`, or `PolicyError` (a kind of
    `UnknownPolicy`) with every problem when the pack cannot be used."""
    if not isinstance(name, str) or name not in index():
        from oversight.policies.registry import unknown

        raise unknown(name)
    return _resolve(name, policy_dirs())


@cache
def _resolve(name: str, dirs: tuple[Path, ...]) -> Policy:
    from oversight.policies.resolve import policy

    try:
        return policy(merged(name))
    except PolicyError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        problems = validate_active(name) or [f"{name}: cannot resolve: {exc}"]
        raise PolicyError(problems) from None


def load_pack(name: str) -> Pack:
    """Pack `name` resolved through `extends`, validated."""
    from oversight.policies.schema import Pack

    problems = validate_active(name)
    if problems:
        raise PolicyError(problems)
    return Pack.model_validate(merged(name).raw)


def validate_file(path: str | Path) -> list[str]:
    from oversight.policies.validate import file_problems

    return file_problems(path)


def validate_active(name: str) -> list[str]:
    """Every problem of pack `name` and of the packs it extends, each prefixed by its file."""
    from oversight.policies.registry import chain, pack_path, unknown

    if not isinstance(name, str) or name not in index():
        return [str(unknown(name))]
    try:
        names = [pack for pack, _ in chain(name)]
    except PolicyError as exc:
        return [f"{pack_path(name).name}: {p}" for p in exc.problems]
    problems: list[str] = []
    for pack in names:
        path = pack_path(pack)
        for problem in validate_file(path):
            # an ancestor's own problems are reported once, under its own file
            if not problem.startswith("extends: pack "):
                problems.append(f"{path.name}: {problem}")
    return problems
