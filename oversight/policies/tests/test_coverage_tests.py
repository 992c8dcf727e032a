"""The coverage tables' test column names tests that exist (`file.py::test_name`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oversight.policies.coverage import PACKS, named_tests

ROOT = Path(__file__).resolve().parents[2]
TABLES = sorted(PACKS.glob("*.coverage.md"))


def defined(file_name: str, test: str) -> bool:
    pattern = re.compile(rf"^def {re.escape(test)}\(", re.MULTILINE)
    return any(pattern.search(path.read_text(encoding="utf-8")) for path in ROOT.rglob(file_name))


@pytest.mark.parametrize("path", TABLES, ids=[p.name for p in TABLES])
def test_it_names_only_tests_that_exist(path: Path) -> None:
    missing = []
    for name in named_tests(path):
        file_name, _, test = name.partition("::")
        if not test or not defined(file_name, test):
            missing.append(name)
    assert missing == []


def test_it_names_the_tests_of_the_wrong_rules_fixed() -> None:
    assert (
        "test_engine_packs.py::test_it_consults_the_walsall_social_worker_from_the_second_review_on"
        in named_tests(PACKS / "walsall.coverage.md")
    )
    assert (
        "test_engine_packs.py::test_it_meets_the_manchester_action_plan_only_by_that_concerns_own_plan"
        in named_tests(PACKS / "manchester.coverage.md")
    )
