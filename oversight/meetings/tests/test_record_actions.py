"""The actions take a record's plain values, with no form (as the API and imports will), and
refuse a bad one with the words the form shows. Frozen on Fri 2027-01-08."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from oversight.cases.models import Event
from oversight.meetings import actions
from oversight.meetings.facts import person
from oversight.meetings.models import Meeting
from oversight.meetings.rules import Record
from oversight.meetings.tests.conftest import icpc_post

pytestmark = pytest.mark.django_db

FRI_8_JAN = dt.date(2027, 1, 8)


def icpc(council: Any, **overrides: Any) -> Record:
    """An ICPC with a plan on Fri 2027-01-08, as an import would read it."""
    values: dict[str, Any] = {
        "date": FRI_8_JAN,
        "quorate": "yes",
        "outcome": "plan",
        "decided_by": "consensus",
        "categories": ["neglect"],
        "risks": "Poor home conditions",
        "what_needs_to_change": "Home conditions and school attendance",
        "lead_social_worker": person(council.social_worker),
        "first_core_group": dt.date(2027, 1, 22),
        "next_review": dt.date(2027, 4, 8),
        "midway_review": dt.date(2027, 2, 19),
    }
    values.update(overrides)
    return Record("icpc", values)


def test_it_completes_a_record_with_no_form(council, new_child, frozen):
    meeting = actions.complete_meeting(
        new_child, record=icpc(council), typed={}, acting_user=council.iro.user
    )
    assert (meeting.status, meeting.date, meeting.outcome) == ("completed", FRI_8_JAN, "plan")
    assert meeting.chair == council.iro  # the child's IRO stays the chair
    written = Event.objects.filter(pk__in=meeting.event_ids).order_by("pk")
    # the conference, then the three bookings made at it
    assert [(e.type, e.data.get("meeting")) for e in written] == [
        ("icpc", None),
        ("meeting_booked", "core_group"),
        ("meeting_booked", "rcpc"),
        ("meeting_booked", "midway_review"),
    ]
    assert meeting.details["lead_social_worker"] == council.social_worker.user.username


def test_it_refuses_a_bad_record_as_the_form_does(client, council, new_child, frozen):
    # the team manager is not a social worker
    record = icpc(council, lead_social_worker=person(council.team_manager))
    with pytest.raises(actions.Refused) as refused:
        actions.complete_meeting(new_child, record=record, typed={}, acting_user=council.iro.user)
    assert not Meeting.objects.filter(child=new_child).exists()  # nothing saved
    client.force_login(council.iro.user)
    response = client.post(
        f"/children/{new_child.pk}/meetings/icpc/new/",
        icpc_post(council, lead_social_worker=str(council.team_manager.pk)),
    )
    shown = response.context["form"].errors["lead_social_worker"]
    assert refused.value.message_dict == {"lead_social_worker": shown}
    assert shown == [
        "Tara Elsworth is not a qualified social worker: the lead social worker must be"
    ]


def test_it_refuses_an_amendment_the_rules_refuse(council, new_child, frozen):
    meeting = actions.complete_meeting(
        new_child, record=icpc(council), typed={}, acting_user=council.iro.user
    )
    with pytest.raises(actions.Refused) as refused:
        actions.amend_meeting(
            meeting,
            record=icpc(council, categories=[]),
            typed={},
            reason="Categories typed in error",
            acting_user=council.iro.user,
        )
    assert refused.value.message_dict == {
        "categories": ["Choose at least one category of harm for a plan"]
    }
    meeting.refresh_from_db()
    assert meeting.amended_at is None
    assert Event.objects.get(child=new_child, type="icpc").data["categories"] == ["neglect"]
