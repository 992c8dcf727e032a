"""Concerns and escalation: everything the escalation record's pages do (raise, respond, warn,
issue a notice, extend, resolve, refer to Cafcass or seek legal advice, record the stage
meeting, the challenge meeting's agenda and outcome), each through its action in
`oversight.escalations.actions`, which alone decides who may (a refusal about the caller is 403,
about the input 422 naming the field); and the record and its history, read. The conventions
are the API's (`oversight.api`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from oversight.api.bodies import body, staff_member
from oversight.api.conventions import idempotent, listed, matched, page, step, takes, with_etag
from oversight.audit.actions import record_child_view
from oversight.cases.access import child_for_user
from oversight.cases.models import Obligation
from oversight.cases.text import CleanText
from oversight.escalations import actions
from oversight.escalations.access import concern_for_user
from oversight.escalations.display import concern_stage, names_of
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


class ExtendIn(Schema):
    respond_by: dt.date  # the new response deadline, later than the one it replaces
    reason: CleanText = Field(min_length=1)


class ReferralIn(Schema):
    """A referral to Cafcass, or independent legal advice sought, with its grounds."""

    kind: Literal["cafcass", "legal_advice"]
    grounds: CleanText = Field(min_length=1)
    meeting_on: dt.date | None = None  # Cafcass: the meeting held first, where the pack asks one
    consulted: int | None = None  # a staff member's id: the manager consulted


class StageMeetingIn(Schema):
    held_on: dt.date
    attendees: list[Annotated[CleanText, Field(min_length=1, max_length=200)]]
    outcome: CleanText = Field(min_length=1, max_length=5000)


class AgendaIn(Schema):
    on_agenda: bool


class MeetingOutcomeIn(Schema):
    outcome: CleanText = Field(min_length=1, max_length=5000)


class StepOut(Schema):
    id: int
    kind: str
    stage: int
    stage_name: str
    on: dt.date
    by: int | None  # the staff member's id
    text: str
    data: dict[str, Any]
    recipients: list[Any]


class ConcernDeadlineOut(Schema):
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
    on_agenda: bool
    steps: int  # how many steps its history holds: every step gives the concern a new ETag
    deadlines: list[ConcernDeadlineOut]


class ConcernPage(Schema):
    items: list[ConcernOut]
    next: str | None


class StepPage(Schema):
    items: list[StepOut]
    next: str | None


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
        "on_agenda": concern.on_agenda,
        "steps": concern.steps.count(),
        "deadlines": [
            {"code": r.code, "stage": r.trigger.get("stage"), "due": r.due, "status": r.status}
            for r in rows
        ],
    }


@router.post("/children/{int:child_id}/concerns", response={201: ConcernOut})
@takes(RaiseIn)
def raise_concern(request: HttpRequest, child_id: int) -> HttpResponse:
    """Raise a concern (the informal stage of the ladder), or note good practice; with
    `formal_reason` (a safeguarding concern), raise it and issue the entry stage at once."""
    child = child_for_user(request.user, child_id)
    data = body(RaiseIn, request)
    agreed_by = staff_member(data.agreed_by, "agreed_by")

    def create() -> tuple[int, dict[str, Any]]:
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
            agreed_by=agreed_by,
            acting_user=request.user,
        )
        return 201, _out(concern)

    return idempotent(request, create)


@router.post("/concerns/{int:concern_id}/responses", response={201: ConcernOut})
@takes(RespondIn, changes=True)
def respond(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The addressee's response at the current stage. `If-Match` must be the concern's ETag, as
    for every step."""

    def act(concern: Concern) -> int:
        data = body(RespondIn, request)
        actions.respond(
            concern,
            accepted=data.accepted,
            reasons=data.reasons,
            plan=[a.model_dump() for a in data.plan],
            acting_user=request.user,
        )
        return 201

    return step(request, concern_for_user(request.user, concern_id), _out, act)


@router.post("/concerns/{int:concern_id}/notices", response={201: ConcernOut})
@takes(NoticeIn, changes=True)
def issue_notice(request: HttpRequest, concern_id: int) -> HttpResponse:
    """A formal notice at a stage of the concern's ladder."""

    def act(concern: Concern) -> int:
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
        return 201

    return step(request, concern_for_user(request.user, concern_id), _out, act)


@router.post("/concerns/{int:concern_id}/resolution", response={200: ConcernOut})
@takes(ResolveIn, changes=True)
def resolve(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Mark the concern resolved with its outcome."""

    def act(concern: Concern) -> int:
        data = body(ResolveIn, request)
        actions.resolve(concern, outcome=data.outcome, acting_user=request.user)
        return 200

    return step(request, concern_for_user(request.user, concern_id), _out, act)


@router.get("/children/{int:child_id}/concerns", response=ConcernPage)
def child_concerns(
    request: HttpRequest,
    child_id: int,
    cursor: CleanText | None = Query(None, max_length=100),
    limit: int = 50,
) -> HttpResponse:
    """The child's concerns, open and resolved, by id (the order they were raised)."""
    child = child_for_user(request.user, child_id)
    record_child_view(request, child)
    return listed(page(Concern.objects.filter(child=child), cursor, limit, _out))


@router.get("/concerns/{int:concern_id}", response=ConcernOut)
def read_concern(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The concern where it stands, with its deadlines and its ETag."""
    concern = concern_for_user(request.user, concern_id)
    record_child_view(request, concern.child)
    return with_etag(request, _out(concern))


@router.get("/concerns/{int:concern_id}/history", response=StepPage)
def history(
    request: HttpRequest,
    concern_id: int,
    cursor: CleanText | None = Query(None, max_length=100),
    limit: int = 50,
) -> HttpResponse:
    """Every step of the concern in the order it was taken, by id (the escalation record's
    history): what, when, by whom, who was told, each stage by the name the pages give it."""
    concern = concern_for_user(request.user, concern_id)
    record_child_view(request, concern.child)
    names = names_of(concern)

    def step_out(s: Any) -> dict[str, Any]:
        return {
            "id": s.pk,
            "kind": s.kind,
            "stage": s.stage,
            "stage_name": names.get(s.stage, f"Stage {s.stage}") if s.stage else "",
            "on": s.on,
            "by": s.by_id,
            "text": s.text,
            "data": s.data,
            "recipients": s.recipients,
        }

    return listed(page(concern.steps.all(), cursor, limit, step_out))


@router.post("/concerns/{int:concern_id}/warning", response={201: ConcernOut})
@takes(None, changes=True)
def warn(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The informal stage's warning step, where the ladder has one (Camden: possible formal
    notification), once."""

    def act(concern: Concern) -> int:
        actions.warn(concern, acting_user=request.user)
        return 201

    return step(request, concern_for_user(request.user, concern_id), _out, act)


@router.post("/concerns/{int:concern_id}/extension", response={200: ConcernOut})
@takes(ExtendIn, changes=True)
def extend(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Move the current stage's response deadline later, with the reason."""

    def act(concern: Concern) -> int:
        data = body(ExtendIn, request)
        actions.extend(
            concern, respond_by=data.respond_by, reason=data.reason, acting_user=request.user
        )
        return 200

    return step(request, concern_for_user(request.user, concern_id), _out, act)


@router.post("/concerns/{int:concern_id}/referrals", response={201: ConcernOut})
@takes(ReferralIn, changes=True)
def refer(request: HttpRequest, concern_id: int) -> HttpResponse:
    """A referral to Cafcass (a looked-after child's IRO, after what the pack requires first), or
    independent legal advice sought."""

    def act(concern: Concern) -> int:
        data = body(ReferralIn, request)
        consulted = staff_member(data.consulted, "consulted")
        people = [consulted] if consulted is not None else []
        if data.kind == "cafcass":
            actions.refer_to_cafcass(
                concern,
                grounds=data.grounds,
                consulted=people,
                meeting_on=data.meeting_on,
                acting_user=request.user,
            )
        else:
            actions.seek_legal_advice(
                concern, grounds=data.grounds, consulted=people, acting_user=request.user
            )
        return 201

    return step(request, concern_for_user(request.user, concern_id), _out, act)


@router.post("/concerns/{int:concern_id}/stage-meeting", response={201: ConcernOut})
@takes(StageMeetingIn, changes=True)
def stage_meeting(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The meeting the current stage requires (Walsall's stage 2), recorded as held."""

    def act(concern: Concern) -> int:
        data = body(StageMeetingIn, request)
        actions.record_stage_meeting(
            concern,
            held_on=data.held_on,
            attendees=data.attendees,
            outcome=data.outcome,
            acting_user=request.user,
        )
        return 201

    return step(request, concern_for_user(request.user, concern_id), _out, act)


@router.put("/concerns/{int:concern_id}/agenda", response={200: ConcernOut})
@takes(AgendaIn)
def agenda(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Put the concern on (or take it off) the challenge meeting's agenda; `If-Match` must be
    the concern's ETag."""
    found = concern_for_user(request.user, concern_id)
    with transaction.atomic():
        concern = matched(request, found, _out)
        data = body(AgendaIn, request)
        actions.set_agenda(concern, on_agenda=data.on_agenda, acting_user=request.user)
    return with_etag(request, _out(concern))


@router.post("/concerns/{int:concern_id}/meeting-outcome", response={201: ConcernOut})
@takes(MeetingOutcomeIn, changes=True)
def meeting_outcome(request: HttpRequest, concern_id: int) -> HttpResponse:
    """What the challenge meeting decided about the concern (it leaves the agenda)."""

    def act(concern: Concern) -> int:
        data = body(MeetingOutcomeIn, request)
        actions.record_meeting_outcome(concern, outcome=data.outcome, acting_user=request.user)
        return 201

    return step(request, concern_for_user(request.user, concern_id), _out, act)
