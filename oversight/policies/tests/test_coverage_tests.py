"""The tests a coverage table names (its fourth column) exist: a row that says which test shows
it working points at a real test function."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oversight.policies.coverage import PACKS, named_tests, without_tests_column

ROOT = Path(__file__).resolve().parents[2]  # the oversight package


def _defined() -> set[str]:
    found: set[str] = set()
    for path in ROOT.rglob("test_*.py"):
        found |= set(re.findall(r"^def (test_\w+)\(", path.read_text(encoding="utf-8"), re.M))
    return found


@pytest.mark.parametrize("path", sorted(PACKS.glob("*.coverage.md")), ids=lambda p: p.stem)
def test_every_test_a_coverage_table_names_exists(path: Path) -> None:
    missing = [name for name in named_tests(path) if name not in _defined()]
    assert missing == []


@pytest.mark.parametrize("path", sorted(PACKS.glob("*.coverage.md")), ids=lambda p: p.stem)
def test_every_row_of_a_coverage_table_has_a_test_cell(path: Path) -> None:
    # "—" where no test is named yet, but the column is there in every row of every table
    assert without_tests_column(path) == []


def test_the_coverage_tables_name_tests() -> None:
    # the tables this issue touched show their rows working
    assert "test_camden_notifies_all_parties_of_a_response_at_stage_2" in named_tests(
        PACKS / "camden.coverage.md"
    )
    assert "test_leicestershire_tells_the_service_manager_of_legal_advice" in named_tests(
        PACKS / "leicestershire.coverage.md"
    )


def test_the_coverage_tables_name_the_tests_of_the_wrong_rules_fixed() -> None:
    walsall, manchester = PACKS / "walsall.coverage.md", PACKS / "manchester.coverage.md"
    # a `file.py::test_…` entry names its test function
    assert "test_it_consults_the_walsall_social_worker_from_the_second_review_on" in named_tests(
        walsall
    )
    assert "test_it_meets_the_manchester_action_plan_only_by_that_concerns_own_plan" in (
        named_tests(manchester)
    )
