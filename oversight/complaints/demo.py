"""Complaints for the demo council: a parent's complaint about a child's latest review
conference, received four days before the demo's today and not yet acknowledged (its deadlines on
the chair's caseload), and a looked-after child's own complaint, acknowledged and answered.

Deterministic, as the demo is: the children are the first (by id) that fit, the dates counted
from the demo's as-of date; each goes through `oversight.complaints.actions`, acting as the
child's IRO, so the events, obligations and audit rows are the ones a chair's would be."""

from __future__ import annotations

import datetime as dt

from oversight.cases.access import open_allocations
from oversight.cases.constants import EventType, Role
from oversight.cases.models import Allocation, Event
from oversight.complaints import actions
from oversight.complaints.constants import Complainant, Outcome
from oversight.complaints.models import Complaint


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


def build_demo_complaints(as_of: dt.date) -> int:
    """The demo's complaints; how many were written."""
    written = 0
    received = as_of - dt.timedelta(days=4)
    conference = _iro_allocation(EventType.RCPC, as_of, received)
    if conference is not None:
        actions.record_complaint(
            conference.child,
            complainant="Sam Demo (parent)",
            complainant_is=Complainant.PARENT,
            received_on=received,
            summary="The review conference went ahead without the interpreter I asked for.",
            acting_user=conference.staff.user,
            as_of=as_of,
        )
        written += 1
    earlier = as_of - dt.timedelta(days=30)
    looked_after = _iro_allocation(EventType.LAC_START, as_of, earlier)
    if looked_after is not None:
        user = looked_after.staff.user
        own: Complaint = actions.record_complaint(
            looked_after.child,
            complainant=looked_after.child.first_name,
            complainant_is=Complainant.CHILD,
            received_on=earlier,
            summary="I was not asked before my contact with my brother was changed.",
            acting_user=user,
            as_of=as_of,
        )
        actions.acknowledge(own, on=earlier + dt.timedelta(days=1), acting_user=user, as_of=as_of)
        actions.record_response(
            own,
            on=earlier + dt.timedelta(days=8),
            outcome=Outcome.UPHELD,
            response="Contact is restored weekly; the social worker will ask you first next time.",
            acting_user=user,
            as_of=as_of,
        )
        written += 1
    return written
