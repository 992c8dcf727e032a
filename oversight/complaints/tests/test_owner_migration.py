"""The migration that names a complaint's chair as the owner of complaints recorded before the
chair owned their deadlines (`0002_complaint_owner_from_its_chair`): the function it runs, on the
project's models, then the recompute the nightly run does.

Today is Wed 13 January 2027. Owen Carrow (IRO team B) chaired the review conference of Isla
Brightwell's child (IRO team A), so a deadline on the wrong caseload shows."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.cases.models import Event
from oversight.cases.obligations import recompute_child
from oversight.complaints.tests.test_first_contact import (  # noqa: F401 - _today: a fixture
    TODAY,
    WED_23_DECEMBER_2026,
    _today,
    complain,
)
from oversight.meetings.constants import Kind
from oversight.meetings.factories import make_meeting

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "oversight.complaints.migrations.0002_complaint_owner_from_its_chair"
)


def received(complaint) -> Event:
    return Event.objects.get(type=EventType.COMPLAINT_RECEIVED, data__complaint=complaint.engine_id)


def as_recorded_before(complaint) -> None:
    """The complaint's event as `record_complaint` wrote it before it named an owner."""
    event = received(complaint)
    event.data = {k: v for k, v in event.data.items() if k != "owner"}
    event.save(update_fields=["data"])


def owners(child) -> set[tuple[str, int | None, str]]:
    rows = child.obligations.filter(code__startswith="complaint.")
    return {(o.code, o.owner_staff_id, o.owner_roles) for o in rows}


def test_it_names_the_conferences_chair_and_the_nightly_recompute_moves_the_deadlines(
    line, use_pack
):
    use_pack("camden")
    c = line.council
    conference = make_meeting(
        c.child, kind=Kind.RCPC, date=dt.date(2026, 12, 17), chair=c.other_iro
    )
    old = complain(c, conference)
    as_recorded_before(old)
    recompute_child(c.child, as_of=TODAY)
    # before the migration: the deadlines are the child's IRO's (the owners row's otherwise)
    assert owners(c.child) == {
        ("complaint.acknowledge", None, "|iro|"),
        ("complaint.response", None, "|iro|"),
    }

    assert migration.name_the_chair_as_owner(apps, None) == 1
    assert received(old).data["owner"] == c.other_iro.user.get_username()
    # the migration recomputes nothing: the deadlines stay where they were until the nightly run
    assert {o[1] for o in owners(c.child)} == {None}
    recompute_child(c.child, as_of=TODAY)
    assert owners(c.child) == {
        ("complaint.acknowledge", c.other_iro.pk, ""),
        ("complaint.response", c.other_iro.pk, ""),
    }
    # run again, it finds nothing left to name
    assert migration.name_the_chair_as_owner(apps, None) == 0


def test_it_leaves_a_complaint_that_is_not_about_a_chaired_conference(line, use_pack):
    use_pack("camden")
    c = line.council
    about_the_case = complain(c)  # no conference: the child's IRO's, no owner named
    unchaired = complain(c, make_meeting(c.child, kind=Kind.RCPC, date=dt.date(2026, 12, 17)))
    record_event(  # an import's complaint, with no record in the log
        c.child, EventType.COMPLAINT_RECEIVED, WED_23_DECEMBER_2026, complaint="k1"
    )
    assert migration.name_the_chair_as_owner(apps, None) == 0
    for complaint in (about_the_case, unchaired):
        assert "owner" not in received(complaint).data


def test_it_keeps_an_owner_already_named(line, use_pack):
    use_pack("camden")
    c = line.council
    conference = make_meeting(
        c.child, kind=Kind.RCPC, date=dt.date(2026, 12, 17), chair=c.other_iro
    )
    complaint = complain(c, conference)
    event = received(complaint)
    event.data = {**event.data, "owner": "team_manager"}
    event.save(update_fields=["data"])
    assert migration.name_the_chair_as_owner(apps, None) == 0
    assert received(complaint).data["owner"] == "team_manager"
