"""JSON endpoints for concerns under /api/v1/ (django-ninja): raise, respond, issue a notice,
resolve.

Conventions (the fuller API later keeps them):
- session authentication (the signed-in user's cookie, with the CSRF token header on POST);
- the same access functions as the pages: `child_for_user` / `concern_for_user` run before the
  body is read, so a child or concern outside the user's scope is 404 whatever was sent;
- the same actions as the pages; a refusal about the input is 422 and names the field, a refusal
  about who is acting is 403;
- every error body is `{"detail": [{"loc": ["body", "field", ...], "msg": "...", "type": "..."}]}`
  (ninja's own shape for 422), or `{"detail": "..."}` for 401, 403 and 404.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import ValidationError
from ninja.security import django_auth
from pydantic import ValidationError as PydanticError

from oversight.cases.access import child_for_user
from oversight.cases.models import Obligation, StaffMember
from oversight.escalations import actions
from oversight.escalations.access import concern_for_user
from oversight.escalations.models import Concern

api = NinjaAPI(
    title="Oversight API",
    version="1",
    urls_namespace="api-v1",
    auth=django_auth,
    description="Concerns and escalation (issue 8). Session authentication.",
)


class ActionIn(Schema):
    text: str = Field(min_length=1, max_length=500)
    due: dt.date
    owner: str = ""


class RaiseIn(Schema):
    ladder: str | None = None
    issue: str = Field(min_length=1)
    impact: str = ""
    themes: list[str] = []
    actions: list[ActionIn] = []
    good_practice: bool = False
    partner_agency: str = ""
    partner_contact: str = ""
    partner_email: str = ""
    copied_emails: list[str] = []
    # A safeguarding concern: raised and the entry stage issued at once, with this reason.
    formal_reason: str = ""
    agreed_by: int | None = None  # a staff member's id, where the entry stage needs agreement


class RespondIn(Schema):
    accepted: bool
    reasons: str = ""
    plan: list[ActionIn] = []


class NoticeIn(Schema):
    stage: int
    agreed_by: int | None = None  # a staff member's id
    bypass_reason: str = ""
    respond_by: dt.date | None = None
    shorter_set_by: int | None = None
    text: str = ""


class ResolveIn(Schema):
    outcome: str = Field(min_length=1)


class DeadlineOut(Schema):
    code: str
    stage: int | None
    due: dt.date
    status: str


class ConcernOut(Schema):
    id: int
    child: int
    ladder: str
    stage: int
    stage_label: str
    status: str
    deadlines: list[DeadlineOut]


def _out(concern: Concern) -> dict[str, Any]:
    rows = Obligation.objects.filter(
        child_id=concern.child_id, trigger__concern=concern.engine_id
    ).order_by("due", "code")
    return {
        "id": concern.pk,
        "child": concern.child_id,
        "ladder": concern.ladder,
        "stage": concern.stage,
        "stage_label": actions.stage_label(concern),
        "status": concern.status,
        "deadlines": [
            {"code": r.code, "stage": r.trigger.get("stage"), "due": r.due, "status": r.status}
            for r in rows
        ],
    }


def _body[S: Schema](schema: type[S], request: HttpRequest) -> S:
    """The request's JSON body as `schema`, read only after the access check; 422 naming each
    field at fault."""
    try:
        raw = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationError(
            [{"loc": ["body"], "msg": "The body is not JSON", "type": "json_invalid"}]
        ) from None
    try:
        return schema.model_validate(raw)
    except PydanticError as exc:
        raise ValidationError(
            [
                {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}
                for e in exc.errors(include_url=False, include_context=False)
            ]
        ) from None


def _staff(pk: int | None, field: str) -> StaffMember | None:
    if pk is None:
        return None
    staff = StaffMember.objects.filter(pk=pk).first()
    if staff is None:
        raise ValidationError(
            [{"loc": ["body", field], "msg": "No such member of staff", "type": "not_found"}]
        )
    return staff


@api.exception_handler(actions.Refused)
def refused(request: HttpRequest, exc: actions.Refused) -> HttpResponse:
    if exc.forbidden:
        return api.create_response(request, {"detail": exc.message}, status=403)
    loc = ["body", *exc.field.split(".")] if exc.field != "__all__" else ["body"]
    return api.create_response(
        request, {"detail": [{"loc": loc, "msg": exc.message, "type": "refused"}]}, status=422
    )


@api.post("/children/{int:child_id}/concerns", response={201: ConcernOut}, tags=["concerns"])
def raise_concern(request: HttpRequest, child_id: int) -> Status:
    """Raise a concern (the informal stage of the ladder), or note good practice; with
    `formal_reason` (a safeguarding concern), raise it and issue the entry stage at once."""
    child = child_for_user(request.user, child_id)
    data = _body(RaiseIn, request)
    concern = actions.raise_concern(
        child,
        ladder=data.ladder,
        issue=data.issue,
        impact=data.impact,
        themes=data.themes,
        actions=[a.model_dump() for a in data.actions],
        good_practice=data.good_practice,
        partner_agency=data.partner_agency,
        partner_contact=data.partner_contact,
        partner_email=data.partner_email,
        copied_emails=data.copied_emails,
        formal_reason=data.formal_reason,
        agreed_by=_staff(data.agreed_by, "agreed_by"),
        acting_user=request.user,
    )
    return Status(201, _out(concern))


@api.post("/concerns/{int:concern_id}/responses", response={201: ConcernOut}, tags=["concerns"])
def respond(request: HttpRequest, concern_id: int) -> Status:
    """The addressee's response at the current stage."""
    concern = concern_for_user(request.user, concern_id)
    data = _body(RespondIn, request)
    actions.respond(
        concern,
        accepted=data.accepted,
        reasons=data.reasons,
        plan=[a.model_dump() for a in data.plan],
        acting_user=request.user,
    )
    return Status(201, _out(concern))


@api.post("/concerns/{int:concern_id}/notices", response={201: ConcernOut}, tags=["concerns"])
def issue_notice(request: HttpRequest, concern_id: int) -> Status:
    """A formal notice at a stage of the concern's ladder."""
    concern = concern_for_user(request.user, concern_id)
    data = _body(NoticeIn, request)
    actions.issue_notice(
        concern,
        stage=data.stage,
        agreed_by=_staff(data.agreed_by, "agreed_by"),
        bypass_reason=data.bypass_reason,
        respond_by=data.respond_by,
        shorter_set_by=_staff(data.shorter_set_by, "shorter_set_by"),
        text=data.text,
        acting_user=request.user,
    )
    return Status(201, _out(concern))


@api.post("/concerns/{int:concern_id}/resolution", response={200: ConcernOut}, tags=["concerns"])
def resolve(request: HttpRequest, concern_id: int) -> dict[str, Any]:
    """Mark the concern resolved with its outcome."""
    concern = concern_for_user(request.user, concern_id)
    data = _body(ResolveIn, request)
    actions.resolve(concern, outcome=data.outcome, acting_user=request.user)
    return _out(concern)
