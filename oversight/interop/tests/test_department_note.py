"""Where the Department's CIN validator counts working days differently from Oversight's calendar,
the report says "the Department's validator may query this; it is not late" (issue 16, item 2).
Literal dates across Christmas 2026 (a Saturday start) and Christmas 2028 (bank holidays the
validator's list, which ends in 2027, does not know)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from oversight.interop import cin, department
from oversight.interop.tests.helpers import cin_file, episode, identifiers, reasons, section47
from oversight.policies import resolve_policy

ICPC_AT = "Message/Children/Child[1]/CINdetails[1]/Section47[1]/DateOfInitialCPC"


def _read(tmp_path: Path, start: str, icpc: str, as_of: dt.date) -> list[tuple[str, str, str, str]]:
    source = cin_file(
        tmp_path, identifiers(), episode(section47(start, icpc=icpc), referral=start[:8] + "01")
    )
    _, report = cin.read([source], as_of=as_of, policy=resolve_policy("england"))
    return reasons(report)


@pytest.mark.parametrize(
    ("start", "working_days", "theirs"),
    [
        # A Saturday start is the first of the validator's 15; Oversight's 15th is Tue 29 Dec
        # (Christmas Day and Boxing Day's substitute, Mon 28 Dec, not counted by either).
        (dt.date(2026, 12, 5), 15, dt.date(2026, 12, 24)),
        # A weekday start: the two agree while the validator knows the bank holidays.
        (dt.date(2026, 12, 7), 15, dt.date(2026, 12, 30)),
        # Christmas Day and Boxing Day 2028 are working days to the validator.
        (dt.date(2028, 12, 4), 15, dt.date(2028, 12, 25)),
        # New Year's Day 2027 (a Friday) it knows.
        (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 4)),
    ],
)
def test_the_validator_counts_as_the_department_does(
    start: dt.date, working_days: int, theirs: dt.date
) -> None:
    assert department.due_by(start, working_days) == theirs


def test_an_icpc_on_time_by_oversight_but_not_by_the_validator_is_noted_not_late(
    tmp_path: Path,
) -> None:
    assert _read(tmp_path, "2026-12-05", "2026-12-29", dt.date(2027, 1, 8)) == [
        (
            "warning",
            ICPC_AT,
            "DateOfInitialCPC",
            "The Department's validator may query this; it is not late: held Tue 29 December "
            "2026, within 15 working days of the section 47 enquiry's start (Sat 5 December "
            "2026; due by Tue 29 December 2026), but the validator counts a start on a weekend "
            "or bank holiday as a working day and knows no bank holidays after 2027, so takes "
            "Thu 24 December 2026 as the last day",
        )
    ]


def test_bank_holidays_after_2027_are_noted_too(tmp_path: Path) -> None:
    got = _read(tmp_path, "2028-12-04", "2028-12-27", dt.date(2029, 1, 31))
    assert [(severity, reason[:60]) for severity, _, _, reason in got] == [
        ("warning", "The Department's validator may query this; it is not late: h")
    ]
    assert got[0][3].endswith("so takes Mon 25 December 2028 as the last day")


def test_where_the_two_agree_there_is_no_note(tmp_path: Path) -> None:
    # Thu 24 December 2026: on time by both counts.
    assert _read(tmp_path, "2026-12-05", "2026-12-24", dt.date(2027, 1, 8)) == []
    # Wed 30 December 2026: late by Oversight's calendar, the warning it always was.
    assert _read(tmp_path, "2026-12-05", "2026-12-30", dt.date(2027, 1, 8)) == [
        (
            "warning",
            ICPC_AT,
            "DateOfInitialCPC",
            "This child's ICPC was late: held Wed 30 December 2026, more than 15 working days "
            "after the section 47 enquiry began (Sat 5 December 2026; due by Tue 29 December "
            "2026)",
        )
    ]
