"""Recording a complaint, acknowledging it, answering it, and raising a concern from it.

Each action is atomic: the complaint row, its chronology event (through
`oversight.cases.actions.record_event`, which audits it and recomputes the child's obligations) and
an audit row of the complaint itself, or nothing. Bad input is refused with a `ValidationError`
naming the field; someone who may not change the child's record with `PermissionDenied`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.audit.actions import record_change
from oversight.cases.access import can_edit, open_allocations
from oversight.cases.actions import record_event
from oversight.cases.constants import EventType, Role
from oversight.cases.models import Allocation, Child, StaffMember
from oversight.complaints.constants import Complainant, Outcome
from oversight.complaints.models import Complaint
from oversight.escalations import actions as escalations
from oversight.escalations.models import Concern
from oversight.meetings.constants import Kind
from oversight.meetings.models import Meeting
from oversight.policies import load_pack
from oversight.policies.checks import active_policy

# The meetings a complaint may be about: the child protection conferences, whose chair is the first
# point of contact (Camden, seed 000 Appendix 1, 4.12.2).
CONFERENCES = (Kind.ICPC, Kind.RCPC)


def snapshot(complaint: Complaint) -> dict[str, Any]:
    """The complaint as the audit log keeps it."""
    return {
        "id": complaint.pk,
        "complainant": complaint.complainant,
        "complainant_is": complaint.complainant_is,
        "meeting": complaint.meeting_id,
        "received_on": complaint.received_on.isoformat(),
        "summary": complaint.summary,
        "acknowledged_on": _iso(complaint.acknowledged_on),
        "answered_on": _iso(complaint.answered_on),
        "outcome": complaint.outcome,
        "response": complaint.response,
        "concern": complaint.concern_id,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _require_editor(child: Child, acting_user: Any, today: dt.date) -> None:
    if not can_edit(acting_user, child, as_of=today):
        raise PermissionDenied("You can read this record but not change it")


def _not_future(day: dt.date, field: str, today: dt.date) -> None:
    if day > today:
        raise ValidationError({field: "The date cannot be in the future"})


def first_contact(child: Child, meeting: Meeting | None, on: dt.date) -> StaffMember | None:
    """Whom a complaint goes to first: the chair of the conference complained about (Camden,
    seed 000 Appendix 1, 4.12.2), else the child's IRO on the day it was received."""
    if meeting is not None and meeting.chair_id is not None:
        return meeting.chair
    iro = (
        Allocation.objects.filter(open_allocations(on), child=child, role=Role.IRO)
        .select_related("staff")
        .order_by("-starts")
        .first()
    )
    return iro.staff if iro else None


def received_data(complaint: Complaint) -> dict[str, Any]:
    """The `complaint_received` event's data: the complaint, who made it and, for a complaint
    about a conference, the conference and its chair as the owner of the deadlines (the packs'
    `action_owner`), even when they are not the child's IRO; any other complaint is the IRO's."""
    data: dict[str, Any] = {
        "complaint": complaint.engine_id,
        "complainant_is": complaint.complainant_is,
    }
    meeting = complaint.meeting
    if meeting is not None:
        data["meeting"] = meeting.pk
        if meeting.chair is not None:
            data["owner"] = meeting.chair.user.get_username()
    return data


def record_complaint(
    child: Child,
    *,
    complainant: str,
    complainant_is: str,
    received_on: dt.date,
    summary: str,
    meeting: Meeting | None = None,
    acting_user: Any,
    as_of: dt.date | None = None,
) -> Complaint:
    """Log a complaint about `child` (and the conference `meeting`, if any): a
    `complaint_received` event, from which the pack's `complaint.acknowledge` and
    `complaint.response` fall due on the first point of contact's caseload (the event's `owner`:
    the conference's chair, else the child's IRO). `as_of`: today
    (the demo's own day)."""
    today = as_of or timezone.localdate()
    _require_editor(child, acting_user, today)
    _not_future(received_on, "received_on", today)
    if complainant_is not in Complainant.values:
        raise ValidationError({"complainant_is": "Choose who complained"})
    if not complainant.strip():
        raise ValidationError({"complainant": "Enter who complained"})
    if not summary.strip():
        raise ValidationError({"summary": "Enter what the complaint is about"})
    if meeting is not None and (meeting.child_id != child.pk or meeting.kind not in CONFERENCES):
        raise ValidationError({"meeting": "Choose a conference of this child"})
    with transaction.atomic():
        complaint = Complaint.objects.create(
            child=child,
            complainant=complainant.strip(),
            complainant_is=complainant_is,
            meeting=meeting,
            chair=first_contact(child, meeting, received_on),
            received_on=received_on,
            summary=summary.strip(),
            recorded_by=acting_user if acting_user.is_authenticated else None,
            created_at=timezone.now(),
        )
        record_event(
            child,
            type=EventType.COMPLAINT_RECEIVED,
            date=received_on,
            data=received_data(complaint),
            acting_user=acting_user,
            as_of=today,
        )
        record_change(
            child,
            action="complaint.recorded",
            before=None,
            after=snapshot(complaint),
            acting_user=acting_user,
        )
    return complaint


def acknowledge(
    complaint: Complaint, *, on: dt.date, acting_user: Any, as_of: dt.date | None = None
) -> Complaint:
    """The complaint acknowledged on `on`: meets `complaint.acknowledge`."""
    return _step(
        complaint,
        on=on,
        done="This complaint has already been acknowledged"
        if complaint.acknowledged_on is not None or complaint.answered_on is not None
        else None,
        what="acknowledgement",
        changes={"acknowledged_on": on},
        event=EventType.COMPLAINT_ACKNOWLEDGED,
        action="complaint.acknowledged",
        acting_user=acting_user,
        as_of=as_of,
    )


def record_response(
    complaint: Complaint,
    *,
    on: dt.date,
    outcome: str,
    response: str,
    acting_user: Any,
    as_of: dt.date | None = None,
) -> Complaint:
    """The answer to the complaint, on `on`: meets `complaint.response` (and, unacknowledged,
    `complaint.acknowledge`: an answer acknowledges it)."""
    problems: dict[str, str] = {}
    if outcome not in Outcome.values:
        problems["outcome"] = "Choose whether the complaint was upheld"
    if not response.strip():
        problems["response"] = "Enter the response"
    return _step(
        complaint,
        on=on,
        done="This complaint has already been answered" if complaint.answered_on else None,
        what="response",
        changes={"answered_on": on, "outcome": outcome, "response": response.strip()},
        event=EventType.COMPLAINT_RESPONSE,
        data={"outcome": outcome},
        problems=problems,
        action="complaint.answered",
        acting_user=acting_user,
        as_of=as_of,
    )


def _step(
    complaint: Complaint,
    *,
    on: dt.date,
    done: str | None,
    what: str,
    changes: dict[str, Any],
    event: EventType,
    action: str,
    acting_user: Any,
    as_of: dt.date | None,
    data: dict[str, Any] | None = None,
    problems: dict[str, str] | None = None,
) -> Complaint:
    """The one body of acknowledging and answering: who may, the day `on` (not in the future, not
    before the complaint, the step not taken already: `done`, the refusal when it is), the step's own `problems`; then, at once,
    the row's `changes`, the chronology `event` of `on` (the complaint's, with `data`) and the
    audit row `action`."""
    today = as_of or timezone.localdate()
    _require_editor(complaint.child, acting_user, today)
    _not_future(on, "on", today)
    if done is not None:
        raise ValidationError({"on": done})
    if on < complaint.received_on:
        raise ValidationError({"on": f"The {what} cannot be before the complaint"})
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        before = snapshot(complaint)
        for field, value in changes.items():
            setattr(complaint, field, value)
        complaint.save(update_fields=list(changes))
        record_event(
            complaint.child,
            type=event,
            date=on,
            data={"complaint": complaint.engine_id, **(data or {})},
            acting_user=acting_user,
            as_of=today,
        )
        record_change(
            complaint.child,
            action=action,
            before=before,
            after=snapshot(complaint),
            acting_user=acting_user,
        )
    return complaint


def escalates(complaint: Complaint) -> bool:
    """Whether the active pack makes this complaint a reason to escalate (`complaints`)."""
    rules = load_pack(active_policy()).complaints
    return rules is not None and complaint.complainant_is in rules.escalate_from


def raise_concern_from(
    complaint: Complaint, *, issue: str, impact: str = "", acting_user: Any
) -> Concern:
    """A concern raised from the complaint, at the informal stage of the child's ladder, and
    linked to it. Refused where the pack does not make such a complaint a reason to escalate, or
    once one is raised."""
    if not escalates(complaint):
        raise ValidationError({"issue": "This council does not escalate from such a complaint"})
    if complaint.concern_id is not None:
        raise ValidationError({"issue": "A concern has already been raised from this complaint"})
    with transaction.atomic():
        before = snapshot(complaint)
        concern = escalations.raise_concern(
            complaint.child, issue=issue, impact=impact, acting_user=acting_user
        )
        complaint.concern = concern
        complaint.save(update_fields=["concern"])
        record_change(
            complaint.child,
            action="complaint.concern_raised",
            before=before,
            after=snapshot(complaint),
            acting_user=acting_user,
        )
    return concern
