"""Writing an import: all or nothing, idempotent, audited, and the engine's obligations after."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest

from oversight.audit.models import AuditEntry
from oversight.cases.factories import make_child
from oversight.cases.models import Child, Event, Obligation
from oversight.interop.actions import NO_NAME, Summary, import_children
from oversight.interop.records import Source
from oversight.interop.tests.helpers import (
    DATA,
    THURSDAY_3_DECEMBER_2026,
    csv_file,
    data,
    read_903,
    read_cin,
)

pytestmark = pytest.mark.django_db


def cin(*sources: Source, user: Any = None, dry_run: bool = False) -> Summary:
    children, report = read_cin(*sources)
    return import_children(
        "cin",
        sources,
        children,
        report,
        acting_user=user,
        as_of=THURSDAY_3_DECEMBER_2026,
        dry_run=dry_run,
    )


def ssda903(*sources: Source, user: Any = None) -> tuple[Summary, list[str]]:
    children, report = read_903(*sources)
    summary = import_children(
        "903", sources, children, report, acting_user=user, as_of=THURSDAY_3_DECEMBER_2026
    )
    return summary, [str(p) for p in report.problems]


def obligations(reference: str) -> list[tuple[str, str, str]]:
    return [
        (code, f"{due:%a %Y-%m-%d}", status)
        for code, due, status in Obligation.objects.filter(child__reference=reference)
        .order_by("due", "code")
        .values_list("code", "due", "status")
    ]


def test_it_imports_a_census_and_the_engine_owes_the_next_review_conference() -> None:
    summary = cin(data("cin-2026-later.xml"))
    assert (summary.imported, summary.children_added, summary.events_added) == (True, 4, 8)
    child = Child.objects.get(reference="DfEX1000001")
    assert (child.date_of_birth, child.last_name) == (dt.date(2016, 4, 12), NO_NAME)
    assert obligations("DfEX1000001") == [
        ("cp.icpc", "Mon 2026-06-22", "met"),  # 15 working days after Mon 1 June
        ("cp.core_group.first", "Fri 2026-07-03", "overdue"),  # none in the census
        ("cp.visit", "Fri 2026-07-03", "overdue"),
        ("cp.rcpc.first", "Sat 2026-09-19", "met"),  # 3 months after the ICPC of Fri 19 June
        ("cp.rcpc.next", "Wed 2027-03-17", "pending"),  # 6 months after Thu 17 September
    ]
    # Unborn, with an enquiry and no ICPC needed: nothing owed.
    unborn = Child.objects.get(reference="DfEX1000003")
    assert (unborn.date_of_birth, unborn.expected_date_of_delivery) == (None, dt.date(2027, 1, 20))
    assert obligations("DfEX1000003") == []
    # Mon 9 November 2026 + 15 working days: Mon 30 November, passed with no ICPC.
    assert obligations("DfEX1000004") == [("cp.icpc", "Mon 2026-11-30", "overdue")]


def test_it_imports_the_layout_with_reviews_directly_under_the_plan() -> None:
    assert cin(data("cin-reviews-under-plan.xml")).imported
    assert obligations("DfEX2000001")[-2:] == [
        ("cp.rcpc.next", "Tue 2026-12-01", "met"),  # 6 months after Mon 1 June; met Mon 30 Nov
        ("cp.rcpc.next", "Sun 2027-05-30", "pending"),
    ]


def test_it_imports_903_tables_into_episodes_and_reviews() -> None:
    summary, problems = ssda903(
        data("903-header.csv"), data("903-episodes.csv"), data("903-reviews.csv")
    )
    assert problems == []
    # Each child's start, its legal status and its first placement, 900001's change of
    # placement, 900002's end, and the three reviews.
    assert (summary.children_added, summary.events_added) == (2, 11)
    assert Event.objects.get(child__reference="900002", type="legal_status").data == {
        "legal_status": "V2"
    }
    assert Event.objects.get(child__reference="900001", type="placement_change").data == {
        "place": "U3",
        "placement_type": "connected_person",
        "provider": "The council's own provision",
        "place_provider": "PR1",
        "area": "in",
        "until_18": False,
        "reason": "CARPL",
    }
    assert Event.objects.get(child__reference="900001", date=dt.date(2026, 6, 22)).data == {
        "participation": "PN4"
    }
    assert ("lac.review.next", "Tue 2026-12-22", "pending") in obligations("900001")
    # The episode ended on Mon 20 July 2026: nothing of it is owed after.
    assert obligations("900002")[-1] == ("lac.review.second", "Tue 2026-04-28", "overdue")


def test_a_903_placement_becomes_the_childs_visits_due_and_a_bad_code_imports_nothing(
    tmp_path: Path,
) -> None:
    columns = "CHILD,DECOM,RNE,PLACE,PLACE_PROVIDER,PL_LOCATION,PL_DISTANCE,DEC,REC"
    # Placed Mon 23 November 2026: a visit owed within 7 days, by Mon 30 November (the month's
    # last day, in calendar days), and not made by today, Thu 3 December.
    good = "900030,23/11/2026,S,U6,PR4,OUT,31,,"
    header = csv_file(tmp_path, "header.csv", "CHILD,DOB", "900030,01/05/2014", "900031,02/05/2014")
    refused, problems = ssda903(
        header, csv_file(tmp_path, "bad.csv", columns, good, "900031,23/11/2026,S,U9,PR4,IN,2,,")
    )
    assert problems == ["error: bad.csv, line 3, PLACE: 'U9' is not a code of the 903's PLACE"]
    assert not refused.imported and not Child.objects.filter(reference="900030").exists()
    summary, problems = ssda903(header, csv_file(tmp_path, "good.csv", columns, good))
    assert (problems, summary.events_added) == ([], 2)
    assert ("lac.sw_visit", "Mon 2026-11-30", "overdue") in obligations("900030")


def test_a_re_import_of_the_same_file_changes_nothing() -> None:
    cin(data("cin-2026.xml"))
    events = list(Event.objects.order_by("pk").values_list("pk", "child_id", "type", "date"))
    held = list(Obligation.objects.order_by("pk").values_list("child_id", "code", "due", "status"))
    again = cin(data("cin-2026.xml"))
    assert (again.children_added, again.events_added, again.events_already_held) == (0, 0, 6)
    assert list(Event.objects.order_by("pk").values_list("pk", "child_id", "type", "date")) == (
        events
    )
    assert (
        list(Obligation.objects.order_by("pk").values_list("child_id", "code", "due", "status"))
        == held
    )


def test_a_later_file_adds_only_its_new_events() -> None:
    cin(data("cin-2026.xml"))
    before = set(Event.objects.values_list("child__reference", "type", "date"))
    later = cin(data("cin-2026-later.xml"))
    assert (later.children_added, later.events_added, later.events_already_held) == (1, 2, 6)
    added = set(Event.objects.values_list("child__reference", "type", "date")) - before
    assert added == {
        ("DfEX1000001", "rcpc", dt.date(2026, 9, 17)),  # the review conference, Thu 17 Sep
        ("DfEX1000004", "strategy_discussion", dt.date(2026, 11, 9)),  # the new child's
    }


def test_with_any_error_nothing_is_written_even_from_the_good_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text((DATA / "cin-2026.xml").read_text().replace("2026-06-01", "2026-06-31"))
    summary = cin(data("cin-reviews-under-plan.xml"), Source("bad.xml", bad))
    assert summary.imported is False
    assert (Child.objects.count(), Event.objects.count()) == (0, 0)
    assert not AuditEntry.objects.filter(what__startswith="import.").exists()


def test_a_dry_run_counts_and_writes_nothing() -> None:
    summary = cin(data("cin-2026.xml"), dry_run=True)
    assert (summary.children_added, summary.events_added, summary.imported) == (3, 6, False)
    assert (Child.objects.count(), Event.objects.count()) == (0, 0)


def test_it_refuses_a_date_of_birth_that_differs_from_oversights() -> None:
    make_child(reference="DfEX1000001", date_of_birth=dt.date(2016, 4, 21))
    children, report = read_cin(data("cin-2026.xml"))
    summary = import_children(
        "cin",
        [data("cin-2026.xml")],
        children,
        report,
        acting_user=None,
        as_of=THURSDAY_3_DECEMBER_2026,
    )
    assert summary.imported is False
    assert [p.reason for p in report.errors] == [
        "This child has two dates of birth: Tue 12 April 2016 here and Thu 21 April 2016 in "
        "Oversight"
    ]
    assert Event.objects.count() == 0


def test_episodes_alone_need_the_child_in_oversight_or_a_date_of_birth(tmp_path: Path) -> None:
    episodes = csv_file(tmp_path, "episodes.csv", "CHILD,DECOM,DEC", "900009,02/03/2026,")
    summary, problems = ssda903(episodes)
    assert problems == [
        "error: episodes.csv, line 2, date of birth: The child is new to Oversight and has "
        "neither a date of birth nor an expected date of birth"
    ]
    make_child(reference="900009", date_of_birth=dt.date(2012, 3, 12))
    summary, problems = ssda903(episodes)
    assert (problems, summary.events_added) == ([], 1)
    # Mon 2 March 2026 + 20 working days: Mon 30 March.
    assert ("lac.review.first", "Mon 2026-03-30", "overdue") in obligations("900009")


def test_it_audits_who_imported_which_file_and_the_counts(council: Any) -> None:
    administrator = council.administrator.user
    cin(data("cin-2026.xml"), user=administrator)
    entry = AuditEntry.objects.get(what="import.cin")
    assert entry.after is not None
    digest = hashlib.sha256((DATA / "cin-2026.xml").read_bytes()).hexdigest()
    assert entry.user == administrator
    assert entry.after["files"] == [{"name": "cin-2026.xml", "sha256": digest}]
    assert (entry.after["children_added"], entry.after["events_added"]) == (3, 6)
    # Each child added has its own row, and each event the pages' own "event.recorded".
    assert AuditEntry.objects.filter(what="child.imported", user=administrator).count() == 3
    assert AuditEntry.objects.filter(what="event.recorded").count() == 6
