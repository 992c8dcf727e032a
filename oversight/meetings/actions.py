"""Saving meeting records. Views call these; none saves a Meeting itself.

- `save_draft(child, *, kind, typed, meeting=None, acting_user)`: keep what was typed, as typed;
  no chronology event, no validation (a draft is completed later).
- `complete_meeting(child, *, record, typed, meeting=None, acting_user, about=None)`: a record
  (`rules.Record`: the facts as parsed, from a form, the API or an import) checked by the rules,
  completed, and its chronology events written through `oversight.cases.actions` (each audited,
  the child's obligations recomputed), all in one transaction.
- `amend_meeting(meeting, *, record, typed, reason, acting_user)`: a completed record changed,
  with the reason: checked by the same rules, its events amended, added or removed through
  `amend_event`/`record_event`/`remove_event` (each audited with the reason) and one audit row
  for the record itself.

A record the rules refuse raises `ValidationError` by field (`Refused`): a form shows each
message on its field, the API returns them as they are.

Side effects of a kind (the chair told at once of a significant change) are in `_after`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.audit.actions import record_change
from oversight.cases import actions as chronology
from oversight.cases.constants import Role
from oversight.cases.models import Allocation, Child, Event, StaffMember
from oversight.meetings import rules
from oversight.meetings.constants import DOCUMENT_TYPES, Kind, Status
from oversight.meetings.facts import facts_about
from oversight.meetings.models import DipSampleJudgement, Document, Meeting
from oversight.meetings.rules import Facts, Person, Planned, Record


class Refused(ValidationError):
    """The rules' refusals of a record, by field (`NON_FIELD_ERRORS` for the record as a whole)."""

    def __init__(self, errors: rules.Errors) -> None:
        super().__init__(
            {name or NON_FIELD_ERRORS: messages for name, messages in errors.as_dict().items()}
        )


def _checked(child: Child, record: Record, skip: list[int]) -> Facts:
    """The child's facts today, once the rules have allowed `record`."""
    facts = facts_about(child, today=timezone.localdate(), skip=skip)
    errors = rules.check(record, facts)
    if errors:
        raise Refused(errors)
    return facts


def typed_values(data: Any) -> dict[str, Any]:
    """Submitted values as JSON: one value per name, or a list for a multiple choice."""
    out: dict[str, Any] = {}
    for name in data:
        if name in ("csrfmiddlewaretoken", "draft", "reason"):
            continue
        values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
        out[name] = values if len(values) != 1 else values[0]
    return out


def _snapshot(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "kind": meeting.kind,
        "status": meeting.status,
        "date": meeting.date.isoformat() if meeting.date else None,
        "outcome": meeting.outcome,
        "details": meeting.details,
        "events": meeting.event_ids,
    }


def save_draft(
    child: Child,
    *,
    kind: str,
    typed: dict[str, Any],
    meeting: Meeting | None = None,
    acting_user: Any,
) -> Meeting:
    """Keep a draft: what was typed, unvalidated. A completed record cannot go back to draft."""
    if meeting is not None and meeting.status == Status.COMPLETED:
        raise ValidationError("A completed record is changed only by an amendment with a reason")
    with transaction.atomic():
        before = _snapshot(meeting) if meeting is not None else None
        if meeting is None:
            meeting = Meeting(child=child, kind=kind, created_at=timezone.now())
            meeting.created_by = acting_user if acting_user.is_authenticated else None
        meeting.typed = typed
        meeting.save()
        record_change(
            child,
            action="meeting.draft_saved",
            before=before,
            after={**_snapshot(meeting), "typed": meeting.typed},
            acting_user=acting_user,
        )
    return meeting


def _write(child: Child, planned: list[Planned], acting_user: Any) -> list[int]:
    ids = []
    for p in planned:
        event = chronology.record_event(
            child, type=p.type, date=p.date, time=p.time, data=p.data, acting_user=acting_user
        )
        ids.append(event.pk)
    return ids


def complete_meeting(
    child: Child,
    *,
    record: Record,
    typed: dict[str, Any],
    meeting: Meeting | None = None,
    about: Meeting | None = None,
    acting_user: Any,
) -> Meeting:
    """Complete `record` (what was `typed` kept beside it) and write its chronology events, in one
    transaction; refused (`Refused`) as the rules refuse it."""
    if meeting is not None and meeting.status == Status.COMPLETED:
        raise ValidationError("This record is already completed: amend it with a reason")
    with transaction.atomic():
        facts = _checked(child, record, [])
        if meeting is None:
            meeting = Meeting(child=child, kind=record.kind, created_at=timezone.now())
            meeting.created_by = acting_user if acting_user.is_authenticated else None
            meeting.save()
        _fill(meeting, record, typed, facts, about)
        meeting.event_ids = _write(
            child, rules.planned(record, facts, f"m{meeting.pk}"), acting_user
        )
        _allocate_chair(meeting, record, facts, acting_user)
        meeting.status = Status.COMPLETED
        meeting.completed_at = timezone.now()
        meeting.save()
        record_change(
            child,
            action="meeting.completed",
            before=None,
            after=_snapshot(meeting),
            acting_user=acting_user,
        )
        _after(meeting, acting_user)
    return meeting


def _fill(
    meeting: Meeting, record: Record, typed: dict[str, Any], facts: Facts, about: Meeting | None
) -> None:
    meeting.typed = typed
    meeting.date = record.held
    meeting.time = record.get("time")
    meeting.outcome = rules.decision(record)
    meeting.details = rules.details(record)
    chair = record.get("chair")
    if isinstance(chair, Person):
        meeting.chair_id = chair.id
    elif rules.books_conference(record):
        # No chair named: the child's IRO stays the chair.
        meeting.chair = chair_of(meeting.child, timezone.localdate())
    if about is not None:
        meeting.about = about


def amend_meeting(
    meeting: Meeting, *, record: Record, typed: dict[str, Any], reason: str, acting_user: Any
) -> Meeting:
    """Change a completed record to `record`, checked by the rules against the child's facts
    without the record's own events. Its events are matched in order by type: amended where the
    type matches, removed where no longer written, recorded where new; each with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the reason for this change")
    if meeting.status != Status.COMPLETED:
        raise ValidationError("Only a completed record is amended; complete the draft instead")
    child = meeting.child
    with transaction.atomic():
        facts = _checked(child, record, list(meeting.event_ids))
        before = _snapshot(meeting)
        existing = {e.pk: e for e in Event.objects.filter(pk__in=meeting.event_ids)}
        old = [existing[pk] for pk in meeting.event_ids if pk in existing]
        new_ids: list[int] = []
        for p in rules.planned(record, facts, f"m{meeting.pk}"):
            match = next((e for e in old if e.type == p.type), None)
            if match is None:
                event = chronology.record_event(
                    child,
                    type=p.type,
                    date=p.date,
                    time=p.time,
                    data=p.data,
                    acting_user=acting_user,
                )
                new_ids.append(event.pk)
                continue
            old.remove(match)
            if (match.date, match.time, match.data) != (p.date, p.time, p.data):
                chronology.amend_event(
                    match,
                    changes={"date": p.date, "time": p.time, "data": p.data},
                    reason=reason,
                    acting_user=acting_user,
                )
            new_ids.append(match.pk)
        for gone in old:
            chronology.remove_event(gone, reason=reason, acting_user=acting_user)
        _fill(meeting, record, typed, facts, None)
        _allocate_chair(meeting, record, facts, acting_user)
        meeting.event_ids = new_ids
        meeting.amended_at = timezone.now()
        meeting.save()
        record_change(
            child,
            action="meeting.amended",
            before=before,
            after=_snapshot(meeting),
            reason=reason,
            acting_user=acting_user,
        )
    return meeting


def _allocate_chair(meeting: Meeting, record: Record, facts: Facts, acting_user: Any) -> None:
    """Allocate the chair the record named (`rules.new_chair`) as the child's IRO through
    `allocate_iro`: audited there, with the reason for a reallocation."""
    from oversight.cases.allocations import AllocationRefused, allocate_iro

    chair = rules.new_chair(record, facts)
    if chair is None:
        return
    what = meeting.get_kind_display().lower()
    if meeting.kind == Kind.BOOKING:
        booked = record.get("meeting")
        on = record.get("on")
        what = f"the {'initial' if booked == 'icpc' else 'review'} conference booked for {on:%a %-d %b %Y}"
    elif meeting.kind == Kind.S47_OUTCOME:
        what = f"the initial conference booked for {record.get('icpc_on'):%a %-d %b %Y}"
    reason = f"Chair of {what}"
    if record.text("chair_change_reason"):
        reason += f"; reallocated: {record.text('chair_change_reason')}"
    iro = StaffMember.objects.select_related("user").get(pk=chair.id)
    try:
        allocate_iro(meeting.child, iro=iro, reason=reason, acting_user=acting_user)
    except AllocationRefused as exc:
        raise ValidationError(str(exc)) from exc


def chair_of(child: Child, on: dt.date) -> StaffMember | None:
    """The child's allocated IRO / conference chair on `on`."""
    allocation = (
        Allocation.objects.filter(child=child, role=Role.IRO, starts__lte=on)
        .exclude(ends__lt=on)
        .select_related("staff__user")
        .order_by("-starts")
        .first()
    )
    return allocation.staff if allocation else None


def _after(meeting: Meeting, acting_user: Any) -> None:
    """What a completed record of some kinds sets off besides its events."""
    if meeting.kind == Kind.CHANGE_NOTICE:
        from oversight.notifications.actions import queue_message
        from oversight.notifications.rules import link

        assert meeting.date is not None
        chair = chair_of(meeting.child, meeting.date)
        if chair is not None and chair.user.email:
            queue_message(  # what changed is read in Oversight, not in the email
                to=chair,
                subject=f"Significant change for {meeting.child.reference}: decide on the review",
                body=(
                    f"The social worker told you of a significant change for child "
                    f"{meeting.child.reference} on {meeting.date:%a %-d %B %Y}.\n"
                    "Decide whether the review is brought forward; the decision is on your "
                    "caseload in Oversight: "
                    f"{link(f'/children/{meeting.child.pk}/')}"
                ),
                child=meeting.child,
                acting_user=acting_user if acting_user.is_authenticated else None,
            )


def attach_document(meeting: Meeting, *, type: str, upload: Any, acting_user: Any) -> Document:
    """Store an uploaded file through Django's storage API, attached to `meeting`; audited."""
    name = str(upload.name)[-200:]
    suffix = name[name.rfind(".") :].lower()
    with transaction.atomic():
        document = Document(
            meeting=meeting,
            type=type,
            name=name,
            size=upload.size,
            content_type=DOCUMENT_TYPES.get(suffix, "application/octet-stream"),
            uploaded_by=acting_user if acting_user.is_authenticated else None,
            uploaded_at=timezone.now(),
        )
        document.file.save(name, upload, save=False)
        document.save()
        record_change(
            meeting.child,
            action="meeting.document_attached",
            before=None,
            after={
                "meeting": meeting.pk,
                "document": document.pk,
                "name": name,
                "size": upload.size,
            },
            acting_user=acting_user,
        )
    return document


def judge_consultation(
    consultation: Meeting,
    *,
    month: dt.date,
    advice_quality: str,
    timely: bool,
    comments: str,
    acting_user: Any,
) -> DipSampleJudgement:
    """Record (or change) the service leader's judgement of a sampled consultation; audited;
    refused (`Refused`) as `rules.check_judgement` refuses it."""
    if consultation.kind != Kind.CONSULTATION or consultation.status != Status.COMPLETED:
        raise ValidationError("Only a completed consultation is judged in the dip sample")
    errors = rules.check_judgement(advice_quality, timely, comments)
    if errors:
        raise Refused(errors)
    with transaction.atomic():
        found = DipSampleJudgement.objects.filter(consultation=consultation).first()
        before = (
            {
                "advice_quality": found.advice_quality,
                "timely": found.timely,
                "comments": found.comments,
            }
            if found is not None
            else None
        )
        judgement = found or DipSampleJudgement(consultation=consultation)
        judgement.month = month
        judgement.advice_quality = advice_quality
        judgement.timely = timely
        judgement.comments = comments.strip()
        judgement.judged_by = acting_user if acting_user.is_authenticated else None
        judgement.judged_at = timezone.now()
        judgement.save()
        record_change(
            consultation.child,
            action="meeting.dip_sample_judged",
            before=before,
            after={
                "consultation": consultation.pk,
                "month": month.isoformat(),
                "advice_quality": advice_quality,
                "timely": timely,
                "comments": judgement.comments,
            },
            acting_user=acting_user,
        )
    return judgement
