"""Complaints for the demo council: a parent's complaint about a child's latest review
conference, received four days before the demo's today and not yet acknowledged, and a
looked-after child's own complaint, acknowledged and answered.

The parent's complaint names the conference (its record written by `oversight.meetings.demo`),
and its chair is the first point of contact (Camden, seed 000 Appendix 1 4.12.2; every pack's
`action_owner`): its deadlines are on the chair's caseload. The child is the first, by id, whose
latest conference was chaired by someone who is no longer its IRO, so the demo shows the
complaint on the chair's caseload and not the IRO's (else the first child with a conference).

Deterministic, as the demo is: the children are the first (by id) that fit, the dates counted
from the demo's as-of date, each row and event stamped 17:00 Europe/London on its day (as the
demo's events are); the events are the ones `oversight.complaints.actions` would write, and the
children's obligations are recomputed once, after the last."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from oversight.cases.access import open_allocations
from oversight.cases.constants import EventType, Role
from oversight.cases.models import Allocation, Event
from oversight.cases.obligations import recompute_children
from oversight.complaints.actions import first_contact, received_data
from oversight.complaints.constants import Complainant, Outcome
from oversight.complaints.models import Complaint
from oversight.meetings.demo import conference_record
from oversight.meetings.models import Meeting

LONDON = ZoneInfo("Europe/London")


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(17), tzinfo=LONDON)


def _iro_allocation(event_type: str, as_of: dt.date, before: dt.date) -> Allocation | None:
    """The IRO's allocation of the first child with an event of `event_type` before `before`
    and an IRO allocated on every day since."""
    children = Event.objects.filter(type=event_type, date__lt=before).values("child_id")
    return (
        Allocation.objects.filter(
            open_allocations(as_of), role=Role.IRO, child_id__in=children, starts__lte=before
        )
        .select_related("child", "staff__user")
        .order_by("child_id", "id")
        .first()
    )


def _conference(as_of: dt.date, before: dt.date) -> tuple[Allocation, Event] | None:
    """The child's IRO allocation and latest review conference (before `before`) of the first
    child, by id, with an IRO allocated on every day since, whose conference's chair is no longer
    its IRO; else of the first such child whatever the chair."""
    children = Event.objects.filter(type=EventType.RCPC, date__lt=before).values("child_id")
    allocations = (
        Allocation.objects.filter(
            open_allocations(as_of), role=Role.IRO, child_id__in=children, starts__lte=before
        )
        .select_related("child", "staff__user")
        .order_by("child_id", "id")
    )
    first = None
    for held in allocations.iterator(chunk_size=200):
        latest = (
            Event.objects.filter(child_id=held.child_id, type=EventType.RCPC, date__lt=before)
            .order_by("-date", "-id")
            .first()
        )
        if latest is None:
            continue
        if latest.recorded_by_id != held.staff.user_id:
            return held, latest
        first = first or (held, latest)
    return first


def _complaint(
    held: Allocation,
    *,
    complainant: str,
    complainant_is: str,
    received_on: dt.date,
    summary: str,
    acknowledged_on: dt.date | None = None,
    answered_on: dt.date | None = None,
    outcome: str = "",
    response: str = "",
    meeting: Meeting | None = None,
) -> None:
    user = held.staff.user
    complaint = Complaint.objects.create(
        child=held.child,
        complainant=complainant,
        complainant_is=complainant_is,
        meeting=meeting,
        chair=first_contact(held.child, meeting, received_on),
        received_on=received_on,
        summary=summary,
        acknowledged_on=acknowledged_on,
        answered_on=answered_on,
        outcome=outcome,
        response=response,
        recorded_by=user,
        created_at=_at(received_on),
    )
    key = {"complaint": complaint.engine_id}
    steps = [(EventType.COMPLAINT_RECEIVED, received_on, received_data(complaint))]
    if acknowledged_on is not None:
        steps.append((EventType.COMPLAINT_ACKNOWLEDGED, acknowledged_on, {}))
    if answered_on is not None:
        steps.append((EventType.COMPLAINT_RESPONSE, answered_on, {"outcome": outcome}))
    Event.objects.bulk_create(
        Event(
            child=held.child,
            type=type_,
            date=day,
            data={**key, **extra},
            recorded_by=user,
            recorded_at=_at(day),
        )
        for type_, day, extra in steps
    )


def build_demo_complaints(as_of: dt.date) -> int:
    """The demo's complaints; how many were written."""
    written: list[int] = []
    received = as_of - dt.timedelta(days=4)
    earlier = as_of - dt.timedelta(days=30)
    with transaction.atomic():
        found = _conference(as_of, received)
        if found is not None:
            conference, event = found
            _complaint(
                conference,
                meeting=conference_record(event),
                complainant="Sam Demo (parent)",
                complainant_is=Complainant.PARENT,
                received_on=received,
                summary="The review conference went ahead without the interpreter I asked for.",
            )
            written.append(conference.child_id)
        looked_after = _iro_allocation(EventType.LAC_START, as_of, earlier)
        if looked_after is not None:
            _complaint(
                looked_after,
                complainant=looked_after.child.first_name,
                complainant_is=Complainant.CHILD,
                received_on=earlier,
                summary="I was not asked before my contact with my brother was changed.",
                acknowledged_on=earlier + dt.timedelta(days=1),
                answered_on=earlier + dt.timedelta(days=8),
                outcome=Outcome.UPHELD,
                response="Contact is weekly again; your social worker will ask you first.",
            )
            written.append(looked_after.child_id)
        recompute_children(written, as_of=as_of)
    return len(written)
