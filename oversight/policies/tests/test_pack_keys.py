"""Convention: every key of every pack drives something -- code outside `oversight/policies/`
reads it -- or is on the list of keys that are documentation only, each with its reason.

How a read is found: in the source, not by recording reads while the tests run. A record of reads
sees only the code paths that the tests of that process happened to run (the suite is split over
processes, a targeted run would see none, and pydantic itself reads every field when a model is
copied, compared or dumped), so it would pass or fail by what else ran. The source is the same in
every run, and a reader the tests never reach still drives the key in production.

What counts as a read, in the Python of `oversight/` outside `policies/` (but for the modules of
`READERS_INSIDE`, which use a pack for the service rather than validate or print it), tests and
migrations, and in the templates:
- a key whose name is its own (`applies_to`, `dip_sample`): the name as an attribute
  (`ladder.applies_to`) or a string (`numbers.get("dip_sample")`) anywhere;
- a key with a common name (`record`, `label`, `when`: `GENERIC`): only read on its parent
  (`ladder.informal.record`, `informal.record`, `stage.label` for `stages[].label`), because the
  word alone is read by a hundred things that are not the pack;
- the keys `policies/resolve.py` hands the engine in its `Policy` (the engine reads that, not
  the pack): resolve.py's reads count, except what it passes on in `Policy.extra`, whose readers
  are the rest of the app and are searched like any other.
An entry of `numbers` or `records` is read when the table is looked up by its name
(`numbers.get("iro_visit_record")`, `records["consultation"]`): a bare string would match event
types and page names of the same words. An entry of `records` that a ladder names as its
`record` (Camden's child protection ladder: `alert_form`) is read where the ladder's `record` is
(`records.get(ladder.record)`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from oversight.policies.coverage import PACKS
from oversight.policies.registry import read_toml

OVERSIGHT = Path(__file__).parents[2]
RESOLVE = OVERSIGHT / "policies" / "resolve.py"
# Tables whose keys are data the code iterates (obligation codes, ladder names, roles): a key
# there is written `*`. `numbers` and `records` name their entries: each is a key of its own.
DATA_KEYED = {"timescales", "owners", "ladders", "sources", "roles"}
NAMED = {"numbers", "records"}
# Field names that are also ordinary words of the code: read only on their parent.
GENERIC = {
    "record", "label", "text", "source", "when", "purpose", "reason", "note", "title", "about",
    "name", "council", "notes", "summary",
}  # fmt: skip

# Modules of `oversight/policies/` that read a pack for the service, not to validate or print it:
# `sources.review_date` drives the Policy page's documents past their review date and the nightly
# run's notice of them to the safeguarding service manager (`notifications/past_review.py`).
READERS_INSIDE = {"sources.py"}

# Keys that drive nothing on purpose, and why.
DOCUMENTATION: dict[str, str] = {
    "name": "the pack's name is its file's name (the registry checks they agree)",
    "extends": "read by the registry to resolve the pack; nothing else needs it",
    "notes": "ambiguities of the seed and the reading the pack takes, for people",
    "*.source": "the citation of each number, for people, wherever it is (the engine also hands "
    "a timescale's on with each obligation, and the Allocation page shows the caseload's)",
    "*.reason": "why a stage or total has no time, for people",
    "panel.reading": "the pack's reading of the panel's triggers, for people",
    "ladders.*.source": "the citation of the ladder",
    "ladders.*.stages[].purpose": "what the stage is for, in words",
    "ladders.*.challenge_meeting.purpose": "what the meeting is for, in words",
    "ladders.*.enter_any_stage.when": "when the chair may, in words",
    "ladders.*.bypass.when": "when the chair may, in words",
    "ladders.*.cafcass.when": "when a referral is made, in words",
    "ladders.*.legal_advice.when": "when advice is sought, in words",
    "owners.*.source": "why the obligation is on that caseload, for people",
}


def _sources() -> Iterator[Path]:
    for path in OVERSIGHT.rglob("*.py"):
        inside = path.relative_to(OVERSIGHT).parts
        if "tests" in inside or "migrations" in inside:
            continue
        if inside[0] == "policies" and inside[-1] not in READERS_INSIDE:
            continue
        yield path


def _outside_extra(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of resolve.py but those of `Policy(extra=...)` (the app's, not the engine's)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "extra":
            skip |= {id(n) for n in ast.walk(node.value)}
    return (node for node in ast.walk(tree) if id(node) not in skip)


@cache
def reads() -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """(names read, (parent, name) pairs read as `parent.name` or `parent["name"]`)."""
    names: set[str] = set()
    pairs: set[tuple[str, str]] = set()

    def take(nodes: Iterator[ast.AST]) -> None:
        for node in nodes:
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
                value = node.value
                parent = (
                    value.attr if isinstance(value, ast.Attribute) else getattr(value, "id", "")
                )
                pairs.add((parent, node.attr))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                table = node.func.value
                named = table.attr if isinstance(table, ast.Attribute) else getattr(table, "id", "")
                first = node.args[0] if node.args else None
                if node.func.attr == "get" and isinstance(first, ast.Constant):
                    pairs.add((named, str(first.value)))
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                table = node.value
                named = table.attr if isinstance(table, ast.Attribute) else getattr(table, "id", "")
                pairs.add((named, str(node.slice.value)))

    for path in _sources():
        take(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
    take(_outside_extra(ast.parse(RESOLVE.read_text(encoding="utf-8"))))
    for path in OVERSIGHT.rglob("templates/**/*.html"):
        for parent, name in re.findall(r"(\w+)\.([A-Za-z_]\w*)", path.read_text(encoding="utf-8")):
            names.add(name)
            pairs.add((parent, name))
    return frozenset(names), frozenset(pairs)


@cache
def ladder_records() -> frozenset[str]:
    """The `records` entries the packs' ladders name as their `record`."""
    return frozenset(
        ladder["record"]
        for path in PACK_FILES
        for ladder in (read_toml(path).get("ladders") or {}).values()
        if "record" in ladder
    )


def keys(table: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every key path of a pack's TOML, data keys written `*`, list items `[]`; the entries of
    `numbers` by name but not their fields (what a number holds is read with it)."""
    if isinstance(table, dict):
        for key, value in table.items():
            if (len(path) == 1 and path[0] in DATA_KEYED) or path[-1:] in (
                ("when",),
                ("met_when",),
            ):
                here = (*path, "*")
            else:
                here = (*path, key)
            yield here
            if not (len(path) == 1 and path[0] == "numbers"):
                yield from keys(value, here)
    elif isinstance(table, list):
        for value in table:
            yield from keys(value, (*path[:-1], f"{path[-1]}[]"))


def show(path: tuple[str, ...]) -> str:
    return ".".join(path)


def _parents(segment: str) -> set[str]:
    field = segment.removesuffix("[]")
    # the names the code gives a table's entries: `for ladder in ...ladders`, resolve.py's `mine`
    # for a row of `timescales`; `escalations.reminders._apply`'s `rule` for a stage's
    # `on_no_response` or `on_not_accepted`
    aliases = {
        "ladders": {"ladder"},
        "timescales": {"mine"},
        "on_no_response": {"rule"},
        "on_not_accepted": {"rule"},
    }.get(field, set())
    return {field, field.removesuffix("s"), *aliases}


def is_read(path: tuple[str, ...]) -> bool:
    """Whether every named part of `path` is read (see the module's docstring)."""
    names, pairs = reads()
    for index, segment in enumerate(path):
        field = segment.removesuffix("[]")
        if field == "*":
            continue
        parent = next((p for p in reversed(path[:index]) if p != "*"), "pack")
        if len(path) > 1 and index == 1 and path[0] in NAMED:
            # `numbers.get("dip_sample")`, `records["consultation"]`; `records.get(ladder.record)`
            named_by_ladder = path[0] == "records" and field in ladder_records()
            if (path[0], field) not in pairs and not (
                named_by_ladder and ("ladder", "record") in pairs
            ):
                return False
            continue
        on_parent = any((p, field) in pairs for p in _parents(parent))
        if not on_parent and (field in GENERIC or field not in names):
            return False
    return True


def _matches(path: tuple[str, ...], listed: dict[str, str]) -> bool:
    """Whether `path` is a listed key or inside one (`*` in a listed key: any one key)."""
    text = show(path)
    for pattern in listed:
        lead = r"(.+\.)?" if pattern.startswith("*.") else ""
        regex = lead + re.escape(pattern.removeprefix("*.")).replace(r"\*", r"[^.]+")
        if re.fullmatch(rf"{regex}(\[\])?([.\[].*)?", text):
            return True
    return False


PACK_FILES = sorted(PACKS.glob("*.toml"))


@cache
def every_key() -> frozenset[tuple[str, ...]]:
    return frozenset(key for path in PACK_FILES for key in keys(read_toml(path)))


@pytest.mark.parametrize("pack", [p.stem for p in PACK_FILES])
def test_it_reads_every_key_of_the_pack(pack: str) -> None:
    unread = sorted(
        show(key)
        for key in keys(read_toml(PACKS / f"{pack}.toml"))
        if not is_read(key) and not _matches(key, DOCUMENTATION)
    )
    assert unread == []


def test_it_names_only_documentation_keys_some_pack_has_and_no_code_reads() -> None:
    missing = [p for p in DOCUMENTATION if not any(_matches(k, {p: ""}) for k in every_key())]
    assert missing == []
    # a key some code reads drives something: it is not documentation only (a field documented
    # wherever it is, `*.source`, may be read in some places)
    read = {
        p
        for p in DOCUMENTATION
        if not p.startswith("*.")
        for k in every_key()
        if _matches(k, {p: ""}) and is_read(k)
    }
    assert sorted(read) == []


def test_it_finds_an_unread_key() -> None:
    # the search itself: a key no code names is unread; one the meeting rules read is read
    assert not is_read(("numbers", "no_code_reads_this"))
    assert is_read(("numbers", "restricted_information"))
    assert is_read(("numbers", "change_decision"))  # the chair's decision on a change (Camden)
    # a common name read on something that is not the key's table (`rows[0].text`,
    # `found().label`) is no read of it
    assert ("", "text") in reads()[1]
    assert not is_read(("complaints", "text"))
    assert is_read(("ladders", "*", "informal", "on_no_response", "text"))  # reminders' `rule.text`
    assert not is_read(("ladders", "*", "stages[]", "purpose"))  # `purpose` alone is not enough
    assert is_read(("ladders", "*", "informal", "addressees"))
    # an entry of `records` a ladder names as its `record` is read through the ladder's
    assert "alert_form" in ladder_records()
    assert is_read(("records", "alert_form"))
    assert not is_read(("records", "no_ladder_names_this"))


@pytest.mark.parametrize("pack", [p.stem for p in PACK_FILES])
def test_policy_show_prints_only_keys_that_do_something(pack: str) -> None:
    # `oversight policy show` prints each number and each record name of the resolved pack (its
    # own and those it inherits): every one of them drives something
    from oversight.policies import load_pack
    from oversight.policies.registry import merged
    from oversight.policies.show import render

    resolved = load_pack(pack)
    lines = render(merged(pack), resolved).splitlines()
    numbers = [
        line.split(":")[0].split(" [")[0].strip() for line in _section(lines, "Other numbers")
    ]
    records = [
        line.split(":")[1].strip()
        for line in _section(lines, "Names used by this council")
        if line.startswith("  record: ")
    ]
    assert sorted(numbers) == sorted(resolved.numbers)  # show prints them all, nothing else
    assert sorted(records) == sorted(resolved.records)
    shown = [("numbers", key) for key in numbers] + [("records", key) for key in records]
    assert [show(key) for key in shown if not is_read(key)] == []


def _section(lines: list[str], title: str) -> list[str]:
    """The entries (lines `  key: …`) under heading `title` of `policy show`'s text."""
    start = lines.index(title) + 2
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("==")), len(lines)) - 1
    return [
        line for line in lines[start:end] if line.startswith("  ") and not line.startswith("   ")
    ]
