"""The conference chair: allocated (through `allocate_iro`) when the case is first booked into a
conference slot, and the chair until the plan ends unless reallocated with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.audit.models import AuditEntry
from oversight.cases.constants import EventType, Role
from oversight.cases.models import Allocation, Event
from oversight.meetings.models import Meeting
from oversight.meetings.tests.conftest import icpc_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(council):
    """A child after a strategy discussion, with a social worker and no IRO."""
    from oversight.cases.factories import allocate, make_child
    from oversight.cases.factories import record_event as event

    child = make_child(reference="C3000002", first_name="Ivo", date_of_birth=dt.date(2019, 3, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    event(child, EventType.STRATEGY_DISCUSSION, dt.date(2026, 12, 14))
    return child


def book(client, user, child, **overrides):
    client.force_login(user)
    data = {"date": "8 1 2027", "meeting": "icpc", "on": "20 1 2027", "at": "10:00"}
    data.update(overrides)
    return client.post(f"/children/{child.pk}/meetings/booking/new/", data)


def iros(child):
    return list(
        Allocation.objects.filter(child=child, role=Role.IRO)
        .order_by("starts", "pk")
        .values_list("staff_id", "starts", "ends")
    )


def refused(response, field, message):
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors.get(field, [])), errors


def test_it_allocates_the_chair_when_the_case_is_first_booked_into_a_conference(
    client, council, waiting, frozen
):
    response = book(client, council.social_worker.user, waiting, chair=str(council.iro.pk))
    assert response.status_code == 302
    assert iros(waiting) == [(council.iro.pk, dt.date(2027, 1, 8), None)]
    meeting = Meeting.objects.get(child=waiting)
    assert meeting.chair == council.iro
    entry = AuditEntry.objects.filter(child_id=waiting.pk, what="iro.allocated").get()
    assert "Chair of the initial conference booked for Wed 20 Jan 2027" in entry.reason


def test_it_refuses_a_conference_booking_with_no_chair_for_a_child_with_no_iro(
    client, council, waiting, frozen
):
    response = book(client, council.social_worker.user, waiting)
    refused(response, "chair", "Choose the chair: the child has no IRO")
    assert iros(waiting) == []
    assert not Meeting.objects.filter(child=waiting).exists()
    assert not Event.objects.filter(child=waiting, type="meeting_booked").exists()


def test_it_refuses_a_chair_who_is_not_an_iro(client, council, waiting, frozen):
    response = book(client, council.social_worker.user, waiting, chair=str(council.duty_iro.pk))
    refused(response, "chair", "is not an IRO: the chair must be an IRO")
    assert iros(waiting) == []
    assert not Meeting.objects.filter(child=waiting).exists()


def test_it_keeps_the_chair_through_the_plan_unless_reallocated_with_a_reason(
    client, council, new_child, frozen
):
    client.force_login(council.iro.user)
    response = client.post(f"/children/{new_child.pk}/meetings/icpc/new/", icpc_post(council))
    assert response.status_code == 302
    assert Meeting.objects.get(child=new_child, kind="icpc").chair == council.iro
    # a later booking in the plan with another chair, no reason: refused, nothing saved
    response = book(
        client,
        council.iro.user,
        new_child,
        meeting="rcpc",
        on="1 4 2027",
        chair=str(council.other_iro.pk),
    )
    refused(
        response,
        "chair_change_reason",
        "Isla Brightwell is the chair until the plan ends: give the reason for reallocating",
    )
    assert Meeting.objects.filter(child=new_child, kind="booking").count() == 0
    assert iros(new_child) == [(council.iro.pk, dt.date(2026, 12, 1), None)]
    # the same chair named again: no reallocation
    response = book(
        client,
        council.iro.user,
        new_child,
        meeting="rcpc",
        on="1 4 2027",
        chair=str(council.iro.pk),
    )
    assert response.status_code == 302
    assert iros(new_child) == [(council.iro.pk, dt.date(2026, 12, 1), None)]
    # with a reason: reallocated from today, the reason recorded
    response = book(
        client,
        council.iro.user,
        new_child,
        meeting="rcpc",
        on="8 4 2027",
        chair=str(council.other_iro.pk),
        chair_change_reason="Isla on long-term leave",
    )
    assert response.status_code == 302
    assert iros(new_child) == [
        (council.iro.pk, dt.date(2026, 12, 1), dt.date(2027, 1, 7)),
        (council.other_iro.pk, dt.date(2027, 1, 8), None),
    ]
    entry = AuditEntry.objects.filter(child_id=new_child.pk, what="iro.reallocated").get()
    assert "reallocated: Isla on long-term leave" in entry.reason
    last = Meeting.objects.filter(child=new_child, kind="booking").latest("pk")
    assert last.chair == council.other_iro
