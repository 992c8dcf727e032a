"""Where packs live, reading them, and resolving `extends`.

Packs are `*.toml` files in `oversight/policies/packs/` and in each directory named by
`OVERSIGHT_POLICY_DIRS` (separated by `:` or `,`); a pack's name is its file's stem, and a pack
in a later directory replaces a built-in one of the same name. This module needs only the
standard library: `oversight timescales` resolves a pack on every run.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

BUILTIN = Path(__file__).parent / "packs"
ENV_DIRS = "OVERSIGHT_POLICY_DIRS"

# Tables merged entry by entry through `extends` (a child's entry replaces its parent's);
# `timescales` entries are merged field by field, so a child may change only a row's rule.
_BY_ENTRY = ("sources", "owners", "roles", "records", "numbers")


class UnknownPolicy(LookupError):
    """No pack of that name in the pack directories."""


class PolicyError(UnknownPolicy):
    """A pack exists but cannot be used (bad TOML, an `extends` cycle, a bad rule).

    A kind of `UnknownPolicy`, so a caller that reports an unknown policy in one line reports
    this one the same way; `problems` lists each problem with its key path."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def policy_dirs() -> tuple[Path, ...]:
    extra = os.environ.get(ENV_DIRS, "")
    return (BUILTIN, *(Path(part.strip()) for part in re.split(r"[:,]", extra) if part.strip()))


@cache
def _index(dirs: tuple[Path, ...]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in dirs:
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                found[path.stem] = path
    return found


def index() -> dict[str, Path]:
    """Every pack's name and file, built-in packs first."""
    return _index(policy_dirs())


def unknown(name: object) -> UnknownPolicy:
    known = ", ".join(sorted(index()))
    return UnknownPolicy(f"unknown policy {name!r} (known: {known})")


def pack_path(name: str) -> Path:
    path = index().get(name)
    if path is None:
        raise unknown(name)
    return path


@cache
def read_toml(path: Path) -> dict[str, Any]:
    """A pack file's tables, as `tomllib` reads them (cached for the life of the process)."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError([f"not valid TOML: {exc}"]) from None
    except OSError as exc:
        raise PolicyError([f"cannot read {path}: {exc.strerror}"]) from None


def raw_pack(name: str) -> dict[str, Any]:
    return read_toml(pack_path(name))


def chain(name: str, first: dict[str, Any] | None = None) -> list[tuple[str, dict[str, Any]]]:
    """The pack and its ancestors through `extends`, the root (usually `england`) first.

    `first` stands in for the named pack's own tables (a file being validated)."""
    raw = raw_pack(name) if first is None else first
    seen = [name]
    found = [(name, raw)]
    parent = raw.get("extends")
    while parent is not None:
        if not isinstance(parent, str):
            raise PolicyError([f"extends: {parent!r} is not a pack's name"])
        if parent in seen:
            raise PolicyError([f"extends: cycle {' → '.join([*seen, parent])}"])
        try:
            raw = raw_pack(parent)
        except PolicyError as exc:
            raise PolicyError([f"extends: pack {parent!r}: {p}" for p in exc.problems]) from None
        except UnknownPolicy as exc:
            raise PolicyError([f"extends: {exc}"]) from None
        seen.append(parent)
        found.append((parent, raw))
        parent = raw.get("extends")
    found.reverse()
    return found


@dataclass
class Merged:
    """A pack resolved through `extends`: its tables as one pack's, and where each came from."""

    name: str
    raw: dict[str, Any]
    chain: list[str]
    origin: dict[str, str] = field(default_factory=dict)  # "timescales.<code>" → pack name
    note_origin: list[str] = field(default_factory=list)
    closure_origin: list[str] = field(default_factory=list)


def merge(packs: list[tuple[str, dict[str, Any]]]) -> Merged:
    """Apply each pack over its parent: entries of a table replace the parent's entry; a pack's
    `ladders` replace the parent's ladders whole; notes and closure days accumulate."""
    name = packs[-1][0]
    out: dict[str, Any] = {}
    merged = Merged(name=name, raw=out, chain=[n for n, _ in packs])
    for pack, raw in packs:
        for key in ("name", "council", "extends"):
            out[key] = raw.get(key)
        out["summary"] = raw.get("summary", "")
        rows = raw.get("timescales")
        if isinstance(rows, dict):
            table = out.setdefault("timescales", {})
            for code, row in rows.items():
                table[code] = {**table.get(code, {}), **row} if isinstance(row, dict) else row
                merged.origin[f"timescales.{code}"] = pack
        for key in _BY_ENTRY:
            entries = raw.get(key)
            if isinstance(entries, dict):
                table = out.setdefault(key, {})
                for entry, value in entries.items():
                    table[entry] = value
                    merged.origin[f"{key}.{entry}"] = pack
        for note in raw.get("notes") or ():
            out.setdefault("notes", []).append(note)
            merged.note_origin.append(pack)
        for day in raw.get("closure_days") or ():
            out.setdefault("closure_days", []).append(day)
            merged.closure_origin.append(pack)
        if "ladders" in raw:
            out["ladders"] = raw["ladders"]
            out["default_ladder"] = raw.get("default_ladder") or implicit_default(raw["ladders"])
            merged.origin["ladders"] = pack
        elif "default_ladder" in raw:
            out["default_ladder"] = raw["default_ladder"]
        for key in (
            "panel",
            "break_glass",
            "retention",
            "complaints",
            "fostering",
            "proceedings",
        ):  # a child's table replaces its parent's whole
            if key in raw:
                out[key] = raw[key]
                merged.origin[key] = pack
        for key in ("council_posts", "consultation_route", "cp_visit_places"):
            if key in raw:
                out[key] = raw[key]
    return merged


def implicit_default(ladders: object) -> str | None:
    """With no `default_ladder`: the only ladder, else the one called `default`."""
    if not isinstance(ladders, dict):
        return None
    if len(ladders) == 1:
        return next(iter(ladders))
    return "default" if "default" in ladders else None


@cache
def _merged(name: str, dirs: tuple[Path, ...]) -> Merged:
    return merge(chain(name))


def merged(name: str) -> Merged:
    if not isinstance(name, str) or name not in index():
        raise unknown(name)
    return _merged(name, policy_dirs())


def clear_caches() -> None:
    """Forget every file read (tests that write packs; a long-running process after an edit)."""
    _index.cache_clear()
    read_toml.cache_clear()
    _merged.cache_clear()
