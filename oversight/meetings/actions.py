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

- `request_consultation(child, *, on, question, acting_user, ...)`: a social worker's request for
  a consultation, routed by the pack (`oversight.meetings.routing`) to one IRO, who is told and
  owns the discussion's deadline where the pack gives one (Stockport: the same working day).

Side effects of a kind (the chair told at once of a significant change) are in `_after`; every
meeting a record books (the booking form's, or the next review an ICPC, RCPC or looked-after
review books) goes into the chair's diary with its calendar event and invitations (`_book`).

- `cancel_booking(entry, *, reason, acting_user)`: a meeting booked on the booking form taken out
  of the diary: its `meeting_booked` event removed (with the reason), the invitations cancelled
  (`METHOD:CANCEL` under the same UID)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.audit.actions import record_change
from oversight.cases import actions as chronology
from oversight.cases import formatting
from oversight.cases.access import open_allocations, staff_for_user
from oversight.cases.constants import EventType, Role
from oversight.cases.formatting import clock, day
from oversight.cases.holders import holders
from oversight.cases.models import Allocation, Child, Event, StaffMember
from oversight.meetings import diary, routing, rules
from oversight.meetings.constants import DOCUMENT_TYPES, Kind, Status
from oversight.meetings.facts import council_numbers, facts_about, record_name
from oversight.meetings.models import DiaryEntry, DipSampleJudgement, Document, Meeting
from oversight.meetings.rules import Facts, Person, Planned, Record
from oversight.notifications.actions import queue_message
from oversight.policies.checks import active_policy


class RequestRefused(ValidationError):
    """A request for a consultation that cannot be made, by field."""


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
        if name in ("csrfmiddlewaretoken", "draft", "reason", "section"):
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
        _book(meeting, acting_user)
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
        which = "initial" if booked == "icpc" else "review"
        what = f"the {which} conference booked for {formatting.short_day(on)}"
    elif meeting.kind == Kind.S47_OUTCOME:
        what = f"the initial conference booked for {formatting.short_day(record.get('icpc_on'))}"
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
    if meeting.kind in (Kind.ICPC, Kind.RCPC) and meeting.details.get("lpm_recommended"):
        _tell_lpm_recommended(meeting, acting_user)
    _tell_brought_forward(meeting, acting_user)
    _book(meeting, acting_user)
    if meeting.kind == Kind.CHANGE_NOTICE:
        from oversight.notifications.rules import link

        assert meeting.date is not None
        chair = chair_of(meeting.child, meeting.date)
        due = council_numbers(active_policy()).change_decision is not None
        if chair is not None and chair.user.email:
            queue_message(  # what changed is read in Oversight, not in the email
                to=chair,
                subject=f"Significant change for {meeting.child.reference}: decide on the review",
                body=(
                    f"The social worker told you of a significant change for child "
                    f"{meeting.child.reference} on {formatting.sentence_day(meeting.date)}.\n"
                    "Decide whether the review is brought forward"
                    f"{'; the decision is on your caseload' if due else ''}, in Oversight: "
                    f"{link(f'/children/{meeting.child.pk}/')}"
                ),
                child=meeting.child,
                acting_user=acting_user if acting_user.is_authenticated else None,
            )


def tell_placement_change(event: Event, *, acting_user: Any) -> Meeting:
    """A looked-after child's change of placement is a significant change (seed 002 section 5.2:
    no significant change to the care plan unless considered at a review, and the IRO informed):
    it is recorded as the social worker's notice of a significant change, so the IRO is told at
    once and, where the pack sets `numbers.change_decision`, the decision whether to bring the
    review forward falls due on the IRO's caseload (`rules.protection.change_notice_events`). Call it in the transaction that records `event`."""
    provider = str(event.data.get("provider") or "a new placement")
    area = {"in": "in the council's area", "out": "out of the council's area"}.get(
        str(event.data.get("area")), ""
    )
    by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    values = {
        "date": event.date,
        "changes": ["placement_change"],
        "change_details": f"The child moved to {provider}{f', {area}' if area else ''}.",
        "notified_by": (by.get_full_name() or by.get_username()) if by is not None else "",
    }
    record = Record(kind=Kind.CHANGE_NOTICE, values=values)
    typed = {**values, "date": event.date.isoformat()}
    return complete_meeting(event.child, record=record, typed=typed, acting_user=acting_user)


def _tell_lpm_recommended(meeting: Meeting, acting_user: Any) -> None:
    """Camden appendix 1: the chair recommends a Legal Planning Meeting; the team manager, who
    decides whether to act on it, is told, with the date the chair set to decide by (the
    decision is on their caseload: `protection.lpm_action`)."""
    from oversight.notifications.actions import queue_message

    assert meeting.date is not None
    decide_by = meeting.details.get("lpm_decide_by")
    for manager in holders(meeting.child, Role.TEAM_MANAGER, as_of=meeting.date):
        if not manager.user.email:
            continue
        queue_message(
            to=manager,
            subject=f"Legal Planning Meeting recommended for {meeting.child.reference}",
            body=(
                f"The {meeting.get_kind_display().lower()} of {day(meeting.date)} for child "
                f"{meeting.child.reference} recommends a Legal Planning Meeting: "
                f"{meeting.details.get('lpm_reason', '')}\n\n"
                f"You decide whether to act on it by {day(decide_by)}; the decision is on your "
                "caseload in Oversight."
            ),
            child=meeting.child,
            acting_user=acting_user if acting_user.is_authenticated else None,
        )


def _tell_brought_forward(meeting: Meeting, acting_user: Any) -> None:
    """A review brought forward (a booking, or the chair's decision on a significant change):
    the child's social workers are told its new date, unless it is they who brought it
    forward."""
    from oversight.notifications.actions import queue_message

    booked = Event.objects.filter(
        pk__in=meeting.event_ids, type="meeting_booked", data__brought_forward=True
    ).first()
    if booked is None:
        return
    child = meeting.child
    what = Kind(str(booked.data["meeting"])).label.lower()
    on = dt.date.fromisoformat(str(booked.data["on"]))
    by = acting_user if acting_user.is_authenticated else None
    for worker in holders(child, Role.SOCIAL_WORKER, as_of=booked.date):
        if not worker.user.email or (by is not None and worker.user_id == by.pk):
            continue
        queue_message(
            to=worker,
            subject=f"Review brought forward for {child.reference}: now {day(on)}",
            body=(
                f"The {what} of child {child.reference} has been brought forward to {day(on)}"
                f"{f' by {by.get_full_name() or by.get_username()}' if by is not None else ''}.\n"
                "Its reports and consultations are due from the new date: see your caseload "
                "in Oversight."
            ),
            child=child,
            acting_user=by,
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


def request_consultation(
    child: Child,
    *,
    on: dt.date,
    at: dt.time | None = None,
    question: str,
    team_leader_agreed: bool,
    acting_user: Any,
) -> tuple[Event, routing.Routed]:
    """A social worker asks for a consultation about `child` on `on` (at `at`): routed by the
    pack's `consultation_route`, recorded as `consultation_requested` on the request's working
    day (`routing.request_day`) naming the IRO asked (`owner`, who then owns the pack's
    `consult.request` deadline and sees the child: `oversight.cases.access.asked_to_act`), and
    the IRO told once it commits. Refused (by field, nothing written) for a pack with no route,
    for someone who is not a social worker, and when no step of the route finds anyone."""
    from oversight.notifications.actions import queue_message

    staff = staff_for_user(acting_user)
    if not routing.routes():
        raise RequestRefused(
            {NON_FIELD_ERRORS: ["This council's policy routes no requests for consultation"]}
        )
    if staff is None or Role.SOCIAL_WORKER not in staff.roles:
        raise RequestRefused({NON_FIELD_ERRORS: ["Only a social worker requests a consultation"]})
    if not question.strip():
        raise RequestRefused({"question": ["Say what you would like advice on"]})
    received = routing.request_day(on)
    routed = routing.route_request(child, staff, on=received)
    if routed is None:
        raise RequestRefused(
            {"on": [f"Nobody is on the duty rota for {day(received)}: ask the IRO team manager"]}
        )
    data: dict[str, Any] = {
        "owner": routed.iro.user.get_username(),
        "route": routed.route,
        "requested_by": staff.user.get_username(),
        "question": question.strip(),
        "team_leader_agreed": team_leader_agreed,
    }
    if received != on:
        data["made_on"] = on.isoformat()
    with transaction.atomic():
        event = chronology.record_event(
            child,
            type=EventType.CONSULTATION_REQUESTED,
            date=received,
            time=at if received == on else None,
            data=data,
            acting_user=acting_user,
            as_of=timezone.localdate(),
        )
        if routed.iro.user.email:
            when = f"{day(received)}{f' at {clock(at)}' if at and received == on else ''}"
            record = record_name(Kind.CONSULTATION) or "the consultation record"
            queue_message(
                to=routed.iro,
                subject=f"Consultation requested for {child.reference}",
                body=(
                    f"{staff} asked for a consultation about child {child.reference} on {when}; "
                    f"it comes to you as {routed.why}.\n\nThe question: {data['question']}\n\n"
                    f"The request is on your caseload in Oversight; record the advice in "
                    f"{record}."
                ),
                child=child,
                acting_user=acting_user,
            )
    return event, routed


# -- the diary: a booking's calendar event and its invitations -----------------------------


def _book(source: Meeting, acting_user: Any) -> list[DiaryEntry]:
    """Each meeting `source` books (its `meeting_booked` events: the booking form's one, or the
    next review, core group or midway review an ICPC, RCPC or looked-after review books) in the
    chair's diary with its invitations (`_diary`): the one way a booking reaches the diary,
    whichever form made it (`rules.books_ahead`)."""
    if not rules.books_ahead(source.kind):
        return []
    events = Event.objects.filter(pk__in=source.event_ids, type=EventType.MEETING_BOOKED)
    return [_diary(source, event, acting_user) for event in events.order_by("pk")]


def _diary(source: Meeting, event: Event, acting_user: Any) -> DiaryEntry:
    """The booked meeting's calendar event: a new one, or (a re-booking of a meeting booked and
    not yet held) the same UID with the next SEQUENCE; the invitations (`REQUEST`) to everyone
    invited, and a cancellation to anyone no longer invited. Audited. Nothing is sent again for
    a booking unchanged (a record amended in another field).

    Who is invited and where: as the booking form says; for a meeting another record books,
    those already invited to it, else the child's allocated staff (whom the booking form ticks
    unless the chair unticks them), and the venue already given, if any."""
    child = source.child
    meeting = str(event.data["meeting"])
    entry = diary.open_entry(child, meeting)
    on = dt.date.fromisoformat(str(event.data["on"]))
    at = dt.time.fromisoformat(str(event.data["at"])) if event.data.get("at") else None
    if source.kind == Kind.BOOKING:
        venue = str(source.details.get("venue") or "")
        invited = list(
            StaffMember.objects.filter(user__username__in=source.details.get("invite") or [])
            .select_related("user")
            .order_by("pk")
        )
    elif entry is not None:
        venue = entry.venue
        invited = list(entry.invited.select_related("user").order_by("pk"))
    else:
        venue = ""
        invited = _allocated_staff(child, event.date)
    if entry is not None and _unchanged(entry, event, on, at, venue, invited):
        return entry  # the same booking, as it was: nothing to tell anyone
    before = _entry_snapshot(entry) if entry is not None else None
    dropped: list[StaffMember] = []
    if entry is None:
        entry = DiaryEntry(
            uid=f"{uuid.uuid4()}@{settings.OVERSIGHT_MESSAGE_ID_DOMAIN}",
            child=child,
            meeting=meeting,
            sequence=0,
        )
    else:
        entry.sequence += 1
        if entry.event_id is not None and entry.event_id != event.pk:
            entry.earlier_events = [*entry.earlier_events, entry.event_id]
    entry.booking = source
    entry.event = event
    entry.on, entry.at, entry.venue = on, at, venue
    entry.chair = source.chair or chair_of(child, timezone.localdate())
    entry.save()
    if before is not None:
        dropped = [s for s in entry.invited.select_related("user") if s not in invited]
    entry.invited.set(invited)
    record_change(
        child,
        action="meeting.diary_booked" if before is None else "meeting.diary_rebooked",
        before=before,
        after=_entry_snapshot(entry),
        acting_user=acting_user,
    )
    _invite(entry, invited, "REQUEST", updated=before is not None, acting_user=acting_user)
    if dropped:
        _invite(entry, dropped, "CANCEL", acting_user=acting_user)
    return entry


def _unchanged(
    entry: DiaryEntry,
    event: Event,
    on: dt.date,
    at: dt.time | None,
    venue: str,
    invited: list[StaffMember],
) -> bool:
    """Whether `entry` is already this booking: the same event, day, time, venue and people."""
    same = (entry.event_id, entry.on, entry.at, entry.venue) == (event.pk, on, at, venue)
    return same and set(entry.invited.all()) == set(invited)


def _allocated_staff(child: Child, on: dt.date) -> list[StaffMember]:
    """The child's allocated staff on `on`, each once: whom a meeting another record books
    invites (the booking form's people, all ticked)."""
    allocated = Allocation.objects.filter(open_allocations(on), child=child).values("staff_id")
    return list(StaffMember.objects.filter(pk__in=allocated).select_related("user").order_by("pk"))


def cancel_booking(entry: DiaryEntry, *, reason: str, acting_user: Any) -> DiaryEntry:
    """Take a booked meeting out of the diary: its `meeting_booked` events (this booking's and
    those it re-booked) removed with the reason (the engine no longer expects the meeting), the
    entry cancelled, and every
    invitation cancelled (`METHOD:CANCEL`, the same UID, the next SEQUENCE). Audited."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the reason the meeting is cancelled")
    if entry.cancelled_at is not None:
        raise ValidationError("This booking is already cancelled")
    with transaction.atomic():
        before = _entry_snapshot(entry)
        chain = [*entry.earlier_events, entry.event_id]
        for event in Event.objects.filter(pk__in=[pk for pk in chain if pk is not None]):
            for booking in Meeting.objects.filter(child=entry.child):  # whichever record booked
                if event.pk in booking.event_ids:
                    booking.event_ids = [pk for pk in booking.event_ids if pk != event.pk]
                    booking.save(update_fields=["event_ids"])
            chronology.remove_event(event, reason=reason, acting_user=acting_user)
        entry.event = None
        entry.sequence += 1
        entry.cancelled_at = timezone.now()
        entry.cancel_reason = reason
        entry.save()
        record_change(
            entry.child,
            action="meeting.diary_cancelled",
            before=before,
            after=_entry_snapshot(entry),
            reason=reason,
            acting_user=acting_user,
        )
        _invite(
            entry,
            list(entry.invited.select_related("user").order_by("pk")),
            "CANCEL",
            acting_user=acting_user,
        )
    return entry


def _entry_snapshot(entry: DiaryEntry) -> dict[str, Any]:
    return {
        "uid": entry.uid,
        "sequence": entry.sequence,
        "meeting": entry.meeting,
        "booking": entry.booking_id,
        "on": entry.on.isoformat(),
        "at": entry.at.strftime("%H:%M") if entry.at else None,
        "venue": entry.venue,
        "chair": entry.chair_id,
        "invited": sorted(entry.invited.values_list("pk", flat=True)) if entry.pk else [],
        "cancelled": entry.cancelled_at is not None,
    }


def _invite(
    entry: DiaryEntry,
    people: list[StaffMember],
    method: str,
    *,
    acting_user: Any,
    updated: bool = False,
) -> None:
    """One email per person with an address: what, when and where, the link to the booking (never
    more of the case), and the calendar event attached."""
    link = f"/children/{entry.child_id}/meetings/{entry.booking_id}/"
    what = Kind(entry.meeting).label
    when = formatting.day(entry.on) + (f" at {formatting.clock(entry.at)}" if entry.at else "")
    word = "Cancelled" if method == "CANCEL" else "Updated" if updated else "Invitation"
    subject = f"{word}: {what}, {when}: {entry.child.reference}"
    if method == "CANCEL":
        opening = f"The {what.lower()} for child {entry.child.reference} on {when} is cancelled."
    else:
        chair = entry.chair or "The chair"
        opening = f"{chair} invites you to the {what.lower()} for child {entry.child.reference}" + (
            " (the date or time has changed)." if updated else "."
        )
    lines = [opening, "", f"When: {when}"]
    if entry.venue and method != "CANCEL":
        lines.append(f"Where: {entry.venue}")
    lines += ["", f"Child: {entry.child.reference}", f"See the booking in Oversight: {link}"]
    ics = diary.calendar(entry, method=method, link=link)
    for person in people:
        if not person.user.email:
            continue
        queue_message(
            to=person,
            subject=subject,
            body="\n".join(lines),
            child=entry.child,
            acting_user=acting_user if acting_user.is_authenticated else None,
            attachment=("invite.ics", f"text/calendar; method={method}; charset=utf-8", ics),
        )
