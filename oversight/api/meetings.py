"""Meeting records: every kind the pages record (a strategy discussion, an ICPC, a review, a
consultation, ...), listed, read and completed as structured values, parsed by the same form
and refused by the same rules as the page (`oversight.meetings.forms`, `.rules`, `.actions`).
The conventions are the API's (`oversight.api`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import ValidationError
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from oversight.api.bodies import body
from oversight.api.conventions import idempotent, with_etag
from oversight.audit.actions import record_child_view
from oversight.cases.access import can_edit, child_for_user, real_id
from oversight.cases.text import MESSAGE, CleanText, has_control
from oversight.meetings import actions
from oversight.meetings.forms import FORMS, meeting_form
from oversight.meetings.models import Meeting

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
    events: list[int]


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


@router.get("/children/{int:child_id}/meetings", response=list[MeetingOut])
def list_meetings(request: HttpRequest, child_id: int) -> list[dict[str, Any]]:
    """The child's meeting records, newest first (drafts included)."""
    child = child_for_user(request.user, child_id)
    record_child_view(request, child)
    return [meeting_out(m) for m in child.meetings.order_by("-date", "-pk")]


@router.get("/children/{int:child_id}/meetings/{int:meeting_id}", response=MeetingOut)
def read_meeting(request: HttpRequest, child_id: int, meeting_id: int) -> HttpResponse:
    child = child_for_user(request.user, child_id)
    record_child_view(request, child)
    found = child.meetings.filter(pk=real_id(meeting_id, "meeting")).first()
    if found is None:
        raise Http404("No such meeting record")
    return with_etag(request, meeting_out(found))


@router.post("/children/{int:child_id}/meetings", response={201: MeetingOut})
def complete_meeting(request: HttpRequest, child_id: int) -> HttpResponse:
    """Record a completed meeting: its chronology events are written and the child's
    obligations recomputed at once; refused by field (422) as the page's form refuses it. Send
    `Idempotency-Key` to retry safely."""
    child = child_for_user(request.user, child_id)
    if not can_edit(request.user, child):
        raise PermissionDenied
    data = body(MeetingIn, request)
    if data.kind not in FORMS:
        raise ValidationError(
            [{"loc": ["body", "kind"], "msg": f"Unknown meeting kind; one of {', '.join(FORMS)}",
              "type": "unknown"}]
        )  # fmt: skip
    posted = _as_posted(data.values)
    form = meeting_form(data.kind, child, timezone.localdate(), data=posted)
    unknown = sorted(set(posted) - set(form.fields))
    errors = [
        {"loc": ["body", "values", name], "msg": "Not a field of this record", "type": "unknown"}
        for name in unknown
    ]
    if errors or not form.is_valid():
        raise ValidationError(errors + _form_errors(form.errors))

    def create() -> tuple[int, dict[str, Any]]:
        try:
            meeting = actions.complete_meeting(
                child, record=form.record(), typed=posted, acting_user=request.user
            )
        except DjangoValidationError as refused:  # the rules, again, inside the transaction
            raise ValidationError(_form_errors(_by_field(refused))) from None
        return 201, meeting_out(meeting)

    return idempotent(request, create)


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
