"""Recording, changing and removing chronology events from the child's page, on a frozen day:
Wed 20 Jan 2027."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from oversight.audit.models import AuditEntry
from oversight.cases.constants import EventType
from oversight.cases.factories import make_child, record_event
from oversight.cases.models import Event, Obligation

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def url(child, *parts: object) -> str:
    return "/".join([f"/children/{child.pk}/events", *map(str, parts), ""])


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"type": "cp_visit", "date": "21 1 2027"}, "date", "today or in the past"),  # Thu: future
        ({"type": "cp_visit", "date": "13 3 2016"}, "date", "date of birth"),  # Poppy: 14 Mar 2016
        ({"type": "cp_visit", "date": "31 2 2026"}, "date", "real date"),
        ({"type": "no_such_type", "date": "4 1 2027"}, "type", "from the list"),
        ({"type": "cp_visit"}, "date", "Enter the date"),
        ({"type": "cp_visit", "date": "1 9 2025"}, "date", "start of the child protection plan"),
        ({"type": "meeting_booked", "date": "4 1 2027"}, "meeting", "Choose the meeting"),
        ({"type": "action_set", "date": "4 1 2027", "due": "8 1 2027"}, "text", "Enter the action"),
    ],
)
def test_it_shows_an_error_per_field_and_saves_nothing(
    client, council, frozen, fields, field, message
):
    client.force_login(council.iro.user)
    before = Event.objects.count()
    response = client.post(url(council.child, "new"), fields)
    assert response.status_code == 200
    assert "There is a problem" in response.text  # the error summary
    assert f'id="id_{field}_1_error"' in response.text  # the message by the field
    assert message in response.text
    assert Event.objects.count() == before
    assert not AuditEntry.objects.filter(what="event.recorded").exists()


def test_it_allows_a_booked_date_in_the_future(client, council, frozen):
    client.force_login(council.iro.user)
    response = client.post(
        url(council.child, "new"),
        {"type": "meeting_booked", "date": "20 1 2027", "meeting": "rcpc", "on": "4 3 2027"},
    )
    assert response.status_code == 302
    booked = Event.objects.get(child=council.child, type="meeting_booked")
    assert booked.data == {"meeting": "rcpc", "on": "2027-03-04"}  # Thu 4 Mar 2027
    assert Obligation.objects.filter(child=council.child, code="booked.rcpc").exists()


def test_it_records_an_action_with_its_owner(client, council, frozen):
    client.force_login(council.iro.user)
    response = client.post(
        url(council.child, "new"),
        {"type": "action_set", "date": "20 1 2027", "text": "Send the plan", "due": "27 1 2027",
         "owner": council.social_worker.user.username},
    )  # fmt: skip
    assert response.status_code == 302
    action = Obligation.objects.get(child=council.child, code="action.due")
    assert action.owner_staff_id == council.social_worker.pk
    assert action.due == dt.date(2027, 1, 27)  # Wed 27 Jan 2027


def test_it_refuses_recording_to_read_only_and_outside_people(client, council, frozen):
    client.force_login(council.other_social_worker.user)
    assert client.get(url(council.child, "new")).status_code == 404  # outside scope
    client.force_login(council.auditor.user)
    assert client.get(url(council.child, "new")).status_code in (403, 404)  # read only


def test_it_asks_a_reason_to_change_an_event_and_audits_it(client, council, frozen):
    visit = record_event(council.child, EventType.CP_VISIT, dt.date(2027, 1, 18))
    client.force_login(council.iro.user)
    response = client.post(
        url(council.child, visit.pk, "change"), {"type": "cp_visit", "date": "19 1 2027"}
    )
    assert response.status_code == 200
    assert "Give the reason for this change" in response.text
    visit.refresh_from_db()
    assert visit.date == dt.date(2027, 1, 18)  # nothing saved
    response = client.post(
        url(council.child, visit.pk, "change"),
        {"type": "cp_visit", "date": "19 1 2027", "reason": "Wrong day typed"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.date == dt.date(2027, 1, 19)  # Tue 19 Jan 2027
    entry = AuditEntry.objects.get(what="event.amended")
    assert entry.reason == "Wrong day typed"
    assert entry.user == council.iro.user


def test_it_asks_a_reason_to_remove_an_event_and_audits_it(client, council, frozen):
    visit = record_event(council.child, EventType.CP_VISIT, dt.date(2027, 1, 18))
    client.force_login(council.iro.user)
    assert client.post(url(council.child, visit.pk, "remove"), {"reason": ""}).status_code == 200
    assert Event.objects.filter(pk=visit.pk).exists()
    response = client.post(url(council.child, visit.pk, "remove"), {"reason": "Wrong child"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=visit.pk).exists()
    entry: Any = AuditEntry.objects.get(what="event.removed")
    assert entry.before["date"] == "2027-01-18"
    assert entry.reason == "Wrong child"


def test_it_shows_the_plan_flags_bookings_and_who_has_seen_the_record(client, council, frozen):
    child = make_child(first_name="Ivy", last_name="Northam")
    from oversight.cases.constants import Role
    from oversight.cases.factories import allocate
    from oversight.cases.obligations import recompute_child

    allocate(child, council.iro, Role.IRO, dt.date(2024, 1, 1))
    record_event(child, EventType.ICPC, dt.date(2024, 1, 8), outcome="plan",
                 categories=["neglect"])  # fmt: skip
    record_event(child, EventType.MEETING_BOOKED, dt.date(2027, 1, 11), meeting="rcpc",
                 on="2027-02-04")  # fmt: skip
    recompute_child(child, as_of=dt.date(2027, 1, 20))
    client.force_login(council.iro.user)
    text = client.get(f"/children/{child.pk}/").text
    assert "Since Monday 8 January 2024 (3 years)" in text
    assert "Category of harm: Neglect" in text
    assert "Support and Challenge Panel" in text  # open 18 months or more
    assert "Booked review conference" in text and "Thursday 4 February 2027" in text
    assert "Isla Brightwell" in text[text.index("Who has seen this record") :]
