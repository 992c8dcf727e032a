"""Meeting records: every kind the pages record (a strategy discussion, an ICPC, a review, a
consultation, ...), listed, read and completed as structured values, parsed by the same form
and refused by the same rules as the page (`oversight.meetings.forms`, `.rules`, `.actions`);
kept as a draft (unchecked, as the page's "Save as draft") and completed later; a completed
record amended with a reason (checked against the chronology without its own events, as the
page's amendment). The conventions are the API's (`oversight.api`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from oversight.api.bodies import body
from oversight.api.conventions import idempotent, listed, matched, page, takes, with_etag
from oversight.audit.actions import record_child_view
from oversight.cases.access import can_edit, child_for_user, real_id
from oversight.cases.models import Child
from oversight.cases.text import MESSAGE, CleanText, has_control
from oversight.meetings import actions
from oversight.meetings.constants import Status
from oversight.meetings.forms import FORMS, meeting_form
from oversight.meetings.models import Meeting
from oversight.meetings.rules import Record

router = Router(tags=["meetings"])


def _value(value: Any) -> Any:
    """One value of a record: text, a number, true or false, a list of texts, or null; text
    without control characters (the pages' rule, `oversight.cases.text`)."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [_text(v) for v in value]
    raise PydanticCustomError(
        "value", "A value is text, a number, true or false, a list of texts, or null"
    )


def _text(value: str) -> str:
    if has_control(value):
        raise PydanticCustomError("control_character", MESSAGE)
    return value


Value = Annotated[Any, BeforeValidator(_value)]


class MeetingIn(Schema):
    """A meeting record as the page's form takes it: `kind` (one of the meeting kinds) and the
    form's fields by name. Dates as 2026-12-03, times as 14:30, people by username, several
    choices as a list, ticks as true or false."""

    kind: CleanText = Field(max_length=30)
    values: dict[CleanText, Value] = {}


class ValuesIn(Schema):
    """A record's values by field name, as in `MeetingIn` (its kind is the record's own)."""

    values: dict[CleanText, Value] = {}


class AmendmentIn(ValuesIn):
    """The record's values as they should now stand, in full, and why they change (audited)."""

    reason: CleanText = Field(min_length=1, max_length=1000)


class MeetingOut(Schema):
    id: int
    child: int
    kind: str
    status: str
    date: dt.date | None
    time: dt.time | None
    outcome: str
    chair: int | None
    details: dict[str, Any]
    values: dict[str, Any]  # as typed: a draft's only content
    events: list[int]


class MeetingPage(Schema):
    items: list[MeetingOut]
    next: str | None


def meeting_out(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "child": m.child_id,
        "kind": m.kind,
        "status": m.status,
        "date": m.date,
        "time": m.time,
        "outcome": m.outcome,
        "chair": m.chair_id,
        "details": m.details,
        "values": m.typed,
        "events": list(m.event_ids),
    }


def _as_posted(values: dict[str, Value]) -> dict[str, Any]:
    """The values as a page would post them: a tick as "on" or absent, everything else text."""
    posted: dict[str, Any] = {}
    for name, value in values.items():
        if value is True:
            posted[name] = "on"
        elif value is False or value is None:
            continue
        elif isinstance(value, list):
            posted[name] = [str(v) for v in value]
        else:
            posted[name] = str(value)
    return posted


@router.get("/children/{int:child_id}/meetings", response=MeetingPage)
def list_meetings(
    request: HttpRequest,
    child_id: int,
    cursor: CleanText | None = Query(None, max_length=100),
    limit: int = 50,
) -> HttpResponse:
    """The child's meeting records (drafts included), by id: the order they were first kept."""
    child = child_for_user(request.user, child_id)
    record_child_view(request, child)
    return listed(page(child.meetings.all(), cursor, limit, meeting_out))


def _meeting(child: Child, meeting_id: int) -> Meeting:
    found = child.meetings.filter(pk=real_id(meeting_id, "meeting")).first()
    if found is None:
        raise Http404("No such meeting record")
    return found


@router.get("/children/{int:child_id}/meetings/{int:meeting_id}", response=MeetingOut)
def read_meeting(request: HttpRequest, child_id: int, meeting_id: int) -> HttpResponse:
    """One record, with its ETag (to send as If-Match when changing it)."""
    child = child_for_user(request.user, child_id)
    record_child_view(request, child)
    return with_etag(request, meeting_out(_meeting(child, meeting_id)))


def _editable(request: HttpRequest, child_id: int) -> Child:
    child = child_for_user(request.user, child_id)
    if not can_edit(request.user, child):
        raise PermissionDenied
    return child


def _kind(kind: str) -> str:
    if kind not in FORMS:
        raise ValidationError(
            [{"loc": ["body", "kind"], "msg": f"Unknown meeting kind; one of {', '.join(FORMS)}",
              "type": "unknown"}]
        )  # fmt: skip
    return kind


def _unknown(form: Any, posted: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"loc": ["body", "values", name], "msg": "Not a field of this record", "type": "unknown"}
        for name in sorted(set(posted) - set(form.fields))
    ]


def _parsed(
    kind: str, child: Child, values: dict[str, Any], *, skip: list[int] | None = None
) -> tuple[Record, dict[str, Any]]:
    """The record `values` make, parsed by the page's form (`skip`: the record's own events,
    left out of the chronology it is checked against), and the values as a page posts them;
    every mistake at once (422), nothing saved."""
    posted = _as_posted(values)
    form = meeting_form(kind, child, timezone.localdate(), data=posted, skip=skip)
    errors = _unknown(form, posted)
    if errors or not form.is_valid():
        raise ValidationError(errors + _form_errors(form.errors))
    return form.record(), posted


def _again(refused: DjangoValidationError) -> ValidationError:
    """The rules' refusal, again inside the action's transaction, by field."""
    return ValidationError(_form_errors(_by_field(refused)))


@router.post("/children/{int:child_id}/meetings", response={201: MeetingOut})
@takes(MeetingIn)
def complete_meeting(request: HttpRequest, child_id: int) -> HttpResponse:
    """Record a completed meeting: its chronology events are written and the child's
    obligations recomputed at once; refused by field (422) as the page's form refuses it. Send
    `Idempotency-Key` to retry safely."""
    child = _editable(request, child_id)
    data = body(MeetingIn, request)
    record, posted = _parsed(_kind(data.kind), child, data.values)

    def create() -> tuple[int, dict[str, Any]]:
        try:
            meeting = actions.complete_meeting(
                child, record=record, typed=posted, acting_user=request.user
            )
        except DjangoValidationError as refused:
            raise _again(refused) from None
        return 201, meeting_out(meeting)

    return idempotent(request, create)


@router.post("/children/{int:child_id}/meetings/drafts", response={201: MeetingOut})
@takes(MeetingIn)
def save_draft(request: HttpRequest, child_id: int) -> HttpResponse:
    """Keep a record as a draft: the values as sent, unchecked but for their kind, their
    fields' names and control characters (the page's "Save as draft"); it sets no dates. Send
    `Idempotency-Key` to retry safely."""
    child = _editable(request, child_id)
    data = body(MeetingIn, request)
    kind = _kind(data.kind)
    posted = _as_posted(data.values)
    errors = _unknown(meeting_form(kind, child, timezone.localdate()), posted)
    if errors:
        raise ValidationError(errors)

    def create() -> tuple[int, dict[str, Any]]:
        meeting = actions.save_draft(child, kind=kind, typed=posted, acting_user=request.user)
        return 201, meeting_out(meeting)

    return idempotent(request, create)


COMPLETED = "A completed record is changed only by an amendment with a reason"
A_DRAFT = "Only a completed record is amended; complete the draft instead"


def _draft(request: HttpRequest, child_id: int, meeting_id: int) -> tuple[Child, Meeting]:
    """A draft of the child's to change, whose ETag the caller holds (If-Match), locked until
    the caller's transaction ends (`matched`); a completed record is 409: it changes only by an
    amendment."""
    child = _editable(request, child_id)
    meeting = matched(request, _meeting(child, meeting_id), meeting_out)
    if meeting.status == Status.COMPLETED:
        raise HttpError(409, COMPLETED)
    return child, meeting


@router.put("/children/{int:child_id}/meetings/{int:meeting_id}/draft", response=MeetingOut)
@takes(ValuesIn, conflict=COMPLETED)
def change_draft(request: HttpRequest, child_id: int, meeting_id: int) -> HttpResponse:
    """Replace a draft's values (unchecked, as `save_draft`); `If-Match` must be its ETag."""
    with transaction.atomic():
        child, meeting = _draft(request, child_id, meeting_id)
        data = body(ValuesIn, request)
        posted = _as_posted(data.values)
        errors = _unknown(meeting_form(meeting.kind, child, timezone.localdate()), posted)
        if errors:
            raise ValidationError(errors)
        kept = actions.save_draft(
            child, kind=meeting.kind, typed=posted, meeting=meeting, acting_user=request.user
        )
    return with_etag(request, meeting_out(kept))


@router.post("/children/{int:child_id}/meetings/{int:meeting_id}/completion", response=MeetingOut)
@takes(ValuesIn, changes=True, conflict=COMPLETED)
def complete_draft(request: HttpRequest, child_id: int, meeting_id: int) -> HttpResponse:
    """Complete a draft with the values sent (in full: what the draft held is not merged in),
    checked as a new record is; `If-Match` must be the draft's ETag. Send `Idempotency-Key` to
    retry safely: the retry gets the first answer, where without it the completed record would
    refuse it (its ETag is no longer the draft's)."""
    _editable(request, child_id)

    def create() -> tuple[int, dict[str, Any]]:
        with transaction.atomic():
            child, meeting = _draft(request, child_id, meeting_id)
            record, posted = _parsed(meeting.kind, child, body(ValuesIn, request).values)
            try:
                done = actions.complete_meeting(
                    child, record=record, typed=posted, meeting=meeting, acting_user=request.user
                )
            except DjangoValidationError as refused:
                raise _again(refused) from None
            return 200, meeting_out(done)

    return idempotent(request, create, tagged=True)


@router.patch("/children/{int:child_id}/meetings/{int:meeting_id}", response=MeetingOut)
@takes(AmendmentIn, conflict=A_DRAFT)
def amend_meeting(request: HttpRequest, child_id: int, meeting_id: int) -> HttpResponse:
    """Amend a completed record with a reason: the values as they should now stand, in full,
    checked against the chronology without the record's own events; its events are amended,
    removed or added to match, each with the reason. `If-Match` must be its ETag; a draft is
    409 (complete it instead)."""
    child = _editable(request, child_id)
    with transaction.atomic():
        meeting = matched(request, _meeting(child, meeting_id), meeting_out)
        if meeting.status != Status.COMPLETED:
            raise HttpError(409, A_DRAFT)
        data = body(AmendmentIn, request)
        record, posted = _parsed(meeting.kind, child, data.values, skip=list(meeting.event_ids))
        try:
            amended = actions.amend_meeting(
                meeting, record=record, typed=posted, reason=data.reason, acting_user=request.user
            )
        except DjangoValidationError as refused:
            raise _again(refused) from None
    return with_etag(request, meeting_out(amended))


def _by_field(refused: DjangoValidationError) -> Mapping[str, Any]:
    if hasattr(refused, "error_dict"):
        return refused.message_dict
    return {NON_FIELD_ERRORS: refused.messages}


def _form_errors(errors: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "loc": ["body", "values", name] if name != NON_FIELD_ERRORS else ["body", "values"],
            "msg": str(message),
            "type": "refused",
        }
        for name, messages in errors.items()
        for message in messages
    ]
