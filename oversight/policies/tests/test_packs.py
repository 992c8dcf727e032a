"""Convention tests: every pack loads, validates, cites a source for every number, names only
known obligation codes, covers every section of its seed, and is listed in the README."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from oversight.policies import list_packs, load_pack, resolve_policy, validate_active
from oversight.policies.coverage import NOT_A_RULE, PACKS, SEEDS, headings, lookup, table
from oversight.policies.registry import merged, read_toml
from oversight.policies.show import render
from oversight.timescales.catalogue import BASELINE, BASELINE_LADDER, CODES
from oversight.timescales.rules import RuleError, parse_rule

PACK_NAMES = ["camden", "england", "leicestershire", "manchester", "stockport", "walsall"]
SEEDED = {
    "camden": "000_5599954f077def44.txt",
    "stockport": "001_558784eee321db03.txt",
    "walsall": "002_6b547a9841511f01.txt",
    "manchester": "003_050b11c306d45310.txt",
    "leicestershire": "004_184c5097ab010ef4.txt",
}
GOLDEN = Path(__file__).parent / "golden"
README = Path(__file__).parents[3] / "README.md"


def test_it_finds_the_six_packs() -> None:
    assert list_packs() == PACK_NAMES


@pytest.mark.parametrize("name", PACK_NAMES)
def test_it_loads_and_validates_every_pack(name: str) -> None:
    assert validate_active(name) == []
    pack = load_pack(name)
    assert pack.name == name
    policy = resolve_policy(name)
    assert policy.name == name
    assert policy.default_ladder in policy.ladders


def _is_rule(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parse_rule(value)
    except RuleError:
        return False
    return True


def _unsourced(table: Any, path: str) -> list[str]:
    """Tables holding a number or a duration rule with no `source` of their own."""
    found = []
    if isinstance(table, dict):
        numbers = [
            key
            for key, value in table.items()
            if key not in {"number", "at_stage"}
            and (
                _is_rule(value) or (isinstance(value, int | float) and not isinstance(value, bool))
            )
        ]
        if numbers and not str(table.get("source", "")).strip():
            found.append(f"{path}: {', '.join(numbers)}")
        for key, value in table.items():
            found += _unsourced(value, f"{path}.{key}" if path else key)
    elif isinstance(table, list):
        for index, value in enumerate(table):
            found += _unsourced(value, f"{path}[{index}]")
    return found


@pytest.mark.parametrize("name", PACK_NAMES)
def test_it_gives_every_number_a_source(name: str) -> None:
    raw = read_toml(PACKS / f"{name}.toml")
    assert _unsourced(raw, "") == []


@pytest.mark.parametrize("name", PACK_NAMES)
def test_it_gives_every_resolved_rule_a_source(name: str) -> None:
    policy = resolve_policy(name)
    assert all(row.source.strip() for row in policy.obligations)


@pytest.mark.parametrize("name", PACK_NAMES)
def test_it_names_only_obligation_codes_that_exist(name: str) -> None:
    raw = merged(name).raw
    added = {code for code, row in raw.get("timescales", {}).items() if "trigger" in row}
    named = set(raw.get("timescales", {})) | set(raw.get("owners", {}))
    assert named - CODES - added == set()


def test_it_resolves_england_to_the_baseline_catalogue() -> None:
    england = resolve_policy("england")
    assert england.obligations == BASELINE
    assert england.ladders == {"default": BASELINE_LADDER}
    assert (england.panel_plan_months, england.panel_repeat_months) == (18, 24)


def test_it_gives_every_engine_code_an_owner_in_england() -> None:
    owners = read_toml(PACKS / "england.toml")["owners"]
    assert set(owners) == set(CODES)


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_it_covers_every_section_of_the_seed(name: str) -> None:
    seed, rows = table(PACKS / f"{name}.coverage.md")
    assert seed == SEEDED[name]
    covered = [heading for heading, _, _ in rows]
    missing = [h for h in headings((SEEDS / seed).read_text(encoding="utf-8")) if h not in covered]
    assert missing == []


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_it_maps_each_seed_section_to_a_key_the_pack_has(name: str) -> None:
    _, rows = table(PACKS / f"{name}.coverage.md")
    raw = read_toml(PACKS / f"{name}.toml")
    bad = [
        key
        for _, keys, why in rows
        if keys != NOT_A_RULE
        for key in keys.split("; ")
        if not lookup(raw, key)
    ]
    assert bad == []
    assert all(why for _, _, why in rows)


def test_it_lists_every_pack_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Policy packs", 1)[1].split("\n## ", 1)[0]
    listed = dict(re.findall(r"^\| `([a-z0-9_-]+)` \| ([^|]+?) \|", section, re.MULTILINE))
    assert sorted(listed) == list_packs()
    for name, council in listed.items():
        assert council == load_pack(name).council


@pytest.mark.parametrize("name", PACK_NAMES)
def test_it_matches_the_golden_show_output(name: str) -> None:
    """Regenerate with `OVERSIGHT_REGENERATE_GOLDEN=1 .venv/bin/pytest oversight/policies -k golden`."""
    text = render(merged(name), load_pack(name))
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("OVERSIGHT_REGENERATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_it_writes_a_note_for_each_council_pack(name: str) -> None:
    assert load_pack(name).notes
