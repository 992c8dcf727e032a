"""The concern endpoints (issue 8): raise, respond, issue a notice, resolve. The conventions
are the API's (`oversight.api`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from oversight.api.bodies import body, staff_member
from oversight.cases.access import child_for_user
from oversight.cases.models import Obligation
from oversight.cases.text import CleanText
from oversight.escalations import actions
from oversight.escalations.access import concern_for_user
from oversight.escalations.display import concern_stage
from oversight.escalations.models import Concern, ConcernAction, Theme

router = Router(tags=["concerns"])


def _length(model: type[Any], name: str) -> int:
    """The column's length, for the body field that fills it."""
    found = model._meta.get_field(name).max_length
    assert found is not None
    return int(found)


class ActionIn(Schema):
    text: CleanText = Field(min_length=1, max_length=_length(ConcernAction, "text"))
    due: dt.date
    owner: CleanText = Field("", max_length=_length(ConcernAction, "owner"))


class RaiseIn(Schema):
    ladder: CleanText | None = Field(None, max_length=_length(Concern, "ladder"))
    issue: CleanText = Field(min_length=1)
    impact: CleanText = ""
    themes: list[Annotated[CleanText, Field(max_length=_length(Theme, "code"))]] = []
    actions: list[ActionIn] = []
    good_practice: bool = False
    partner_agency: CleanText = Field("", max_length=_length(Concern, "partner_agency"))
    partner_contact: CleanText = Field("", max_length=_length(Concern, "partner_contact"))
    partner_email: CleanText = Field("", max_length=_length(Concern, "partner_email"))
    copied_emails: list[Annotated[CleanText, Field(max_length=254)]] = []
    # A safeguarding concern: raised and the entry stage issued at once, with this reason.
    formal_reason: CleanText = ""
    agreed_by: int | None = None  # a staff member's id, where the entry stage needs agreement


class RespondIn(Schema):
    accepted: bool
    reasons: CleanText = ""
    plan: list[ActionIn] = []


class NoticeIn(Schema):
    stage: int
    agreed_by: int | None = None  # a staff member's id
    bypass_reason: CleanText = ""
    respond_by: dt.date | None = None
    shorter_set_by: int | None = None
    text: CleanText = ""


class ResolveIn(Schema):
    outcome: CleanText = Field(min_length=1)


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
        "stage_label": concern_stage(concern),
        "status": concern.status,
        "deadlines": [
            {"code": r.code, "stage": r.trigger.get("stage"), "due": r.due, "status": r.status}
            for r in rows
        ],
    }


@router.post("/children/{int:child_id}/concerns", response={201: ConcernOut})
def raise_concern(request: HttpRequest, child_id: int) -> Status:
    """Raise a concern (the informal stage of the ladder), or note good practice; with
    `formal_reason` (a safeguarding concern), raise it and issue the entry stage at once."""
    child = child_for_user(request.user, child_id)
    data = body(RaiseIn, request)
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
        agreed_by=staff_member(data.agreed_by, "agreed_by"),
        acting_user=request.user,
    )
    return Status(201, _out(concern))


@router.post("/concerns/{int:concern_id}/responses", response={201: ConcernOut})
def respond(request: HttpRequest, concern_id: int) -> Status:
    """The addressee's response at the current stage."""
    concern = concern_for_user(request.user, concern_id)
    data = body(RespondIn, request)
    actions.respond(
        concern,
        accepted=data.accepted,
        reasons=data.reasons,
        plan=[a.model_dump() for a in data.plan],
        acting_user=request.user,
    )
    return Status(201, _out(concern))


@router.post("/concerns/{int:concern_id}/notices", response={201: ConcernOut})
def issue_notice(request: HttpRequest, concern_id: int) -> Status:
    """A formal notice at a stage of the concern's ladder."""
    concern = concern_for_user(request.user, concern_id)
    data = body(NoticeIn, request)
    actions.issue_notice(
        concern,
        stage=data.stage,
        agreed_by=staff_member(data.agreed_by, "agreed_by"),
        bypass_reason=data.bypass_reason,
        respond_by=data.respond_by,
        shorter_set_by=staff_member(data.shorter_set_by, "shorter_set_by"),
        text=data.text,
        acting_user=request.user,
    )
    return Status(201, _out(concern))


@router.post("/concerns/{int:concern_id}/resolution", response={200: ConcernOut})
def resolve(request: HttpRequest, concern_id: int) -> dict[str, Any]:
    """Mark the concern resolved with its outcome."""
    concern = concern_for_user(request.user, concern_id)
    data = body(ResolveIn, request)
    actions.resolve(concern, outcome=data.outcome, acting_user=request.user)
    return _out(concern)
