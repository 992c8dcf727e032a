"""The plain CSV of events for the event form's events (placements, legal status, care
proceedings, bookings, actions): imported with their details as the form writes them, and the
same bad input refused in the form's words (`cases.rules.event_problems`), against the child's
chronology in Oversight and the file; and a convention test that every event type of the
timescales contract with details has its columns in the template."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from oversight.cases.constants import EventType
from oversight.cases.factories import make_child, record_event
from oversight.cases.models import Event
from oversight.interop import events
from oversight.interop.actions import Summary, import_children
from oversight.interop.problems import Report
from oversight.interop.records import Source
from oversight.interop.tests.helpers import (
    THURSDAY_3_DECEMBER_2026,
    csv_file,
    read_events,
    reasons,
)

SPEC = Path(__file__).resolve().parents[3] / "docs" / "spec" / "timescales.md"
COLUMNS = (
    "child_ref,type,date,date_of_birth,placement_type,provider,distance,area,until_18,"
    "legal_status,court,case_number,outcome,guardian,how,notes,papers"
)


def load(*sources: Source) -> tuple[Summary, Report]:
    children, report = read_events(*sources)
    summary = import_children(
        "events", sources, children, report, acting_user=None, as_of=THURSDAY_3_DECEMBER_2026
    )
    return summary, report


@pytest.mark.django_db
def test_the_event_forms_events_come_in_with_their_details_as_the_form_writes_them(
    tmp_path: Path,
) -> None:
    file = csv_file(
        tmp_path,
        "events.csv",
        COLUMNS,
        "EV-20,lac_start,2026-09-01,2014-02-11,,,,,,,,,,,,,",
        "EV-20,placement_start,2026-09-01,,foster,Mrs Amber Hale,12,out,no,,,,,,,,",
        "EV-20,legal_status,2026-09-01,,,,,,,C1,,,,,,,",
        "EV-20,proceedings_start,2026-09-02,,,,,,,,Walsall Family Court,WS26C00101,,,,,",
        "EV-20,guardian_appointed,2026-09-10,,,,,,,,,,,Ms Jo Reed,,,",
        "EV-20,guardian_liaison,2026-10-05,,,,,,,,,,,,phone,Agreed the plan,",
        "EV-20,legal_papers_seen,2026-10-06,,,,,,,,,,,,,,care_plan;swet",
        "EV-20,placement_change,2026-11-02,,connected_person,Aunt,3,in,yes,,,,,,,,",
        "EV-20,proceedings_end,2026-11-20,,,,,,,,,,care_order,,,,",
        "EV-20,legal_status,2026-11-20,,,,,,,C2,,,,,,,",
    )
    summary, report = load(file)
    assert report.problems == [] and summary.imported
    held = {
        (e.type, e.date.isoformat()): e.data for e in Event.objects.filter(child__reference="EV-20")
    }
    assert held == {
        ("lac_start", "2026-09-01"): {},
        ("placement_start", "2026-09-01"): {
            "placement_type": "foster",
            "provider": "Mrs Amber Hale",
            "area": "out",
            "until_18": False,
            "distance": 12,
        },
        ("legal_status", "2026-09-01"): {"legal_status": "C1"},
        ("proceedings_start", "2026-09-02"): {
            "court": "Walsall Family Court",
            "case_number": "WS26C00101",
        },
        ("guardian_appointed", "2026-09-10"): {"guardian": "Ms Jo Reed"},
        ("guardian_liaison", "2026-10-05"): {"how": "phone", "notes": "Agreed the plan"},
        ("legal_papers_seen", "2026-10-06"): {"papers": ["swet", "care_plan"]},
        ("placement_change", "2026-11-02"): {
            "placement_type": "connected_person",
            "provider": "Aunt",
            "area": "in",
            "until_18": True,
            "distance": 3,
        },
        ("proceedings_end", "2026-11-20"): {"outcome": "care_order"},
        ("legal_status", "2026-11-20"): {"legal_status": "C2"},
    }
    # The same file again changes nothing: the proceedings it began are not "already open".
    summary, report = load(file)
    assert report.problems == [] and summary.imported and summary.events_added == 0


@pytest.mark.django_db
def test_the_same_bad_input_is_refused_in_the_event_forms_words(tmp_path: Path) -> None:
    child = make_child(reference="EV-21")
    record_event(child, EventType.LAC_START, THURSDAY_3_DECEMBER_2026.replace(month=6, day=1))
    summary, report = load(
        csv_file(
            tmp_path,
            "events.csv",
            COLUMNS,
            # No provider, an area that is neither, a distance below 0.
            "EV-21,placement_start,2026-06-01,,foster,,-2,north,no,,,,,,,,",
            # Oversight holds the episode from Mon 1 June 2026; this is before it.
            "EV-21,legal_status,2026-05-20,,,,,,,C1,,,,,,,",
            "EV-21,legal_status,2026-06-02,,,,,,,Z9,,,,,,,",
            # No proceedings are open for a guardian; a second start while the first is open.
            "EV-21,guardian_appointed,2026-06-03,,,,,,,,,,,Ms Jo Reed,,,",
            "EV-21,proceedings_start,2026-06-10,,,,,,,,Walsall Family Court,,,,,,",
            "EV-21,proceedings_start,2026-06-20,,,,,,,,,,,,,,",
            "EV-21,legal_papers_seen,2026-06-21,,,,,,,,,,,,,,diary",
            "EV-21,placement_change,2026-06-22,,castle,Aunt,x,in,no,,,,,,,,",
        )
    )
    assert not summary.imported
    assert Event.objects.filter(child=child).count() == 1
    assert reasons(report) == [
        (
            "error",
            "line 9",
            "distance",
            "Enter the distance as a whole number of miles, like 12",
        ),
        ("error", "line 2", "provider", "Enter the provider: the carer, home or agency"),
        ("error", "line 2", "area", "Say whether the placement is in or out of the council's area"),
        ("error", "line 2", "distance", "The distance must be 0 miles or more"),
        (
            "error",
            "line 3",
            "date",
            "The child was not looked after on this date: record when they became looked after "
            "first",
        ),
        (
            "error",
            "line 4",
            "legal_status",
            "Choose the legal status from the list (the 903 codes)",
        ),
        (
            "error",
            "line 5",
            "date",
            "No care proceedings are open on this date: record when they began first",
        ),
        ("error", "line 7", "court", "Enter the court hearing the proceedings"),
        (
            "error",
            "line 7",
            "date",
            "Care proceedings are already open on this date (since 10 June 2026): record their "
            "end first",
        ),
        ("error", "line 8", "papers", "Choose the papers seen from the list"),
    ]


@pytest.mark.django_db
def test_a_care_plans_visits_a_visit_asked_for_and_a_court_application_are_the_forms(
    tmp_path: Path,
) -> None:
    columns = "child_ref,type,date,date_of_birth,placement_type,provider,area,until_18,visit_interval,applicant,order"
    good = csv_file(
        tmp_path,
        "events.csv",
        columns,
        "EV-22,lac_start,2026-09-01,2014-02-11,,,,,,,",
        "EV-22,placement_start,2026-09-01,,foster,Mrs Amber Hale,in,no,,,",
        "EV-22,care_plan_visits,2026-09-01,,,,,,28 days,,",
        "EV-22,visit_requested,2026-10-05,,,,,,,,",
        "EV-22,court_application,2026-10-06,,,,,,,child,contact_in_care",
    )
    summary, report = load(good)
    assert report.problems == [] and summary.imported
    held = {
        (e.type, e.date.isoformat()): e.data for e in Event.objects.filter(child__reference="EV-22")
    }
    assert held[("care_plan_visits", "2026-09-01")] == {"visit_interval": "28 days"}
    assert held[("visit_requested", "2026-10-05")] == {}
    assert held[("court_application", "2026-10-06")] == {
        "applicant": "child",
        "order": "contact_in_care",
    }
    bad = tmp_path / "bad"
    bad.mkdir()
    summary, report = load(
        csv_file(
            bad,
            "events.csv",
            columns,
            "EV-23,lac_start,2026-09-01,2014-02-11,,,,,,,",
            "EV-23,placement_start,2026-09-01,,foster,Mrs Amber Hale,in,no,,,",
            # every 2 months: less often than the first year's 6 weeks
            "EV-23,care_plan_visits,2026-09-01,,,,,,2 months,,",
            "EV-23,court_application,2026-10-06,,,,,,,parent,",
        )
    )
    assert not summary.imported
    assert reasons(report) == [
        (
            "error",
            "line 4",
            "visit_interval",
            "A care plan cannot set visits less often than the law's minimum: at least every 42 "
            "days for this child's placement on this date",
        ),
        (
            "error",
            "line 5",
            "applicant",
            "Say who applied to the court: the child or an adult for them",
        ),
        ("error", "line 5", "order", "Choose the order sought from the list"),
    ]


@pytest.mark.django_db
def test_a_booking_before_it_was_made_and_an_action_never_set_are_refused(
    tmp_path: Path,
) -> None:
    summary, report = load(
        csv_file(
            tmp_path,
            "events.csv",
            "child_ref,type,date,date_of_birth,meeting,on,action,due,text",
            "EV-22,meeting_booked,2026-11-10,2015-01-01,core_group,2026-11-09,,,",
            "EV-22,action_set,2026-11-10,,,,a1,2026-11-30,Visit the school",
            "EV-22,action_done,2026-11-20,,,,a1,,",
            "EV-22,action_done,2026-11-21,,,,a7,,",
        )
    )
    assert not summary.imported
    assert reasons(report) == [
        ("error", "line 2", "on", "The meeting's date must be on or after the booking"),
        ("error", "line 5", "action", "Choose an action that is still open"),
    ]


def _spec_fields() -> dict[str, set[str]]:
    """Each event type of the contract (docs/spec/timescales.md) with the extra fields its
    tables name: `type | extra fields | meaning` rows, a field a backticked name before a `:`
    or in a list of them ("optional `owner`, `text`"), values in brackets or after a `:`
    left out; "the same as `placement_start`" the fields of that type."""
    found: dict[str, set[str]] = {}
    same: dict[str, str] = {}
    for line in SPEC.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not re.fullmatch(r"`\w+`", cells[0]):
            continue
        kind, extra = cells[0].strip("`"), cells[1]
        if kind not in EventType.values:
            continue
        fields = found.setdefault(kind, set())
        if match := re.fullmatch(r"the same as `(\w+)`", extra):
            same[kind] = match[1]
            continue
        while re.search(r"\([^()]*\)", extra):
            extra = re.sub(r"\([^()]*\)", "", extra)
        for part in extra.split(";"):
            fields.update(re.findall(r"`(\w+)`", part.split(":")[0]))
    for kind, other in same.items():
        found[kind] |= found[other]
    return found


def test_every_event_type_with_details_has_its_columns_in_the_template() -> None:
    """So that the next event type the contract learns cannot be left out of the import."""
    spec = _spec_fields()
    assert spec["placement_change"] >= {"placement_type", "provider", "until_18"}
    assert spec["meeting_booked"] == {"meeting", "on"}
    header = set(next(csv.reader(io.StringIO(events.template()))))
    missing = {
        kind: sorted(fields - set(events.FIELDS.get(kind, {}))) for kind, fields in spec.items()
    }
    assert {k: v for k, v in missing.items() if v} == {}
    assert {f for fields in spec.values() for f in fields} <= header
