"""The Standard Safeguarding Dataset and the plain CSV of events written through the same action
as the census: all or nothing, idempotent, a later file adding only its new events, and the
engine's obligations after."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from oversight.cases.factories import make_staff
from oversight.cases.models import Allocation, Child, Event, Obligation
from oversight.interop.actions import run_import
from oversight.interop.records import Source
from oversight.interop.tests.helpers import THURSDAY_3_DECEMBER_2026, csv_file, ssd_tables
from oversight.policies import resolve_policy

pytestmark = pytest.mark.django_db
EVENTS = "child_ref,type,date,date_of_birth,outcome,meeting,on"


def run(kind: str, *sources: Source) -> tuple[dict[str, object], list[str]]:
    summary, report = run_import(
        kind,
        list(sources),
        acting_user=None,
        as_of=THURSDAY_3_DECEMBER_2026,
        policy=resolve_policy("england"),
    )
    return summary.as_json(), [str(p) for p in report.problems]


def obligations(reference: str) -> list[tuple[str, str, str]]:
    return [
        (code, f"{due:%a %Y-%m-%d}", status)
        for code, due, status in Obligation.objects.filter(child__reference=reference)
        .exclude(status=Obligation.Status.MET)
        .order_by("due", "code")
        .values_list("code", "due", "status")
    ]


def test_the_dataset_loads_and_the_engine_owes_what_follows() -> None:
    # The case worker of involvement IV-72 (professional P-8) is Oversight's user "p-8".
    worker = make_staff(username="p-8")
    summary, problems = run("ssd", *ssd_tables())
    assert problems == []
    assert (
        summary["imported"],
        summary["children_added"],
        summary["events_added"],
        summary["allocations_added"],
    ) == (True, 2, 8, 1)
    assert list(
        Allocation.objects.values_list("child__reference", "staff", "role", "starts", "ends")
    ) == [("SSD0002", worker.pk, "social_worker", dt.date(2026, 4, 13), None)]
    # Looked after since Mon 13 April 2026 (its IRO allocated on Thu 16 April), reviewed Thu 7
    # May and Mon 10 August: the next review six months after the last; neither review's
    # decisions nor record issued (the August record's 20 working days step over the bank
    # holiday of Mon 31 August).
    assert obligations("SSD0002") == [
        ("lac.review.decisions", "Thu 2026-05-14", "overdue"),
        ("lac.review.record", "Fri 2026-06-05", "overdue"),
        ("lac.review.decisions", "Mon 2026-08-17", "overdue"),
        ("lac.review.record", "Tue 2026-09-08", "overdue"),
        ("lac.review.next", "Wed 2027-02-10", "pending"),
    ]
    # The plan (Mon 2 March to Thu 15 October 2026) had its review conference on time; the
    # dataset holds no core group or visit, so the first of each stays missed, not dropped.
    assert obligations("SSD0001") == [
        ("cp.core_group.first", "Mon 2026-03-16", "overdue"),
        ("cp.visit", "Mon 2026-03-16", "overdue"),
    ]
    again, _ = run("ssd", *ssd_tables())
    assert (
        again["children_added"],
        again["events_added"],
        again["events_already_held"],
        again["allocations_added"],
    ) == (0, 0, 8, 0)
    assert Allocation.objects.count() == 1


def test_events_add_only_what_is_new_and_a_bad_line_writes_nothing(tmp_path: Path) -> None:
    first = csv_file(
        tmp_path,
        "first.csv",
        EVENTS,
        "EV-21,strategy_discussion,2026-11-16,2017-08-30,,,",
    )
    summary, problems = run("events", first)
    assert problems == []
    # Mon 16 November 2026 + 15 working days: Mon 7 December.
    assert obligations("EV-21") == [("cp.icpc", "Mon 2026-12-07", "pending")]
    later = csv_file(
        tmp_path,
        "later.csv",
        EVENTS,
        "EV-21,strategy_discussion,2026-11-16,,,,",
        "EV-21,icpc,2026-12-02,,plan,,",
        "EV-21,meeting_booked,2026-12-02,,,core_group,2026-12-14",
    )
    summary, problems = run("events", later)
    assert (summary["events_added"], summary["events_already_held"]) == (2, 1)
    assert Event.objects.filter(child__reference="EV-21").count() == 3
    assert ("booked.core_group", "Mon 2026-12-14", "pending") in obligations("EV-21")
    wrong = csv_file(
        tmp_path,
        "wrong.csv",
        EVENTS,
        "EV-22,strategy_discussion,2026-11-23,2016-01-11,,,",
        "EV-21,rcpc,2026-12-03,,adjourned,,",
    )
    summary, problems = run("events", wrong)
    assert problems == [
        "error: wrong.csv, line 3, outcome: 'adjourned' is not one of continue, end"
    ]
    assert summary["imported"] is False
    assert not Child.objects.filter(reference="EV-22").exists()
