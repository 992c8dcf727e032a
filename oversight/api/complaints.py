"""The complaints log: every complaint the caller may see (filtered by child, status and a due
window), one complaint with its deadlines, and the log's steps (record a complaint, acknowledge
it, answer it, raise a concern from it where the pack allows), each through its action in
`oversight.complaints.actions`, as the pages take them, with the same refusals (about the
caller 403, about the input 422 naming the field). The conventions are the API's
(`oversight.api`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from oversight.api.bodies import body
from oversight.api.conventions import BadQuery, idempotent, listed, page, step, takes, with_etag
from oversight.audit.actions import named, record_child_view, record_page_view
from oversight.cases.access import child_for_user, children_for_user
from oversight.cases.models import Obligation
from oversight.cases.text import CleanText
from oversight.complaints import actions
from oversight.complaints.access import complaint_for_user
from oversight.complaints.constants import Status
from oversight.complaints.deadlines import CODES, complaint_pk, deadlines
from oversight.complaints.models import Complaint
from oversight.meetings.models import Meeting

router = Router(tags=["complaints"])

# A text's longest, as the pages' forms take it (`oversight.complaints.forms`).
LONGEST_TEXT = 5000


class ComplaintIn(Schema):
    complainant: CleanText = Field(max_length=100)
    # child, on_behalf, parent, professional or other
    complainant_is: CleanText = Field(max_length=20)
    received_on: dt.date
    summary: CleanText = Field(max_length=LONGEST_TEXT)
    meeting: int | None = None  # the id of the child's conference complained about


class AcknowledgementIn(Schema):
    on: dt.date


class ResponseIn(Schema):
    on: dt.date
    outcome: CleanText = Field(max_length=20)  # upheld, partly_upheld or not_upheld
    response: CleanText = Field(max_length=LONGEST_TEXT)


class ConcernIn(Schema):
    issue: CleanText = Field(min_length=1, max_length=LONGEST_TEXT)
    impact: CleanText = Field("", max_length=LONGEST_TEXT)


class ComplaintDeadlineOut(Schema):
    code: str
    due: dt.date
    status: str
    met_on: dt.date | None


class ComplaintOut(Schema):
    id: int
    child: int
    complainant: str
    complainant_is: str
    meeting: int | None
    chair: int | None  # the staff member it went to first
    received_on: dt.date
    summary: str
    status: str
    acknowledged_on: dt.date | None
    answered_on: dt.date | None
    outcome: str
    response: str
    concern: int | None  # the concern raised from it
    deadlines: list[ComplaintDeadlineOut]


class ComplaintPage(Schema):
    items: list[ComplaintOut]
    next: str | None


def _out(complaint: Complaint, found: dict[tuple[str, str], Obligation]) -> dict[str, Any]:
    rows = [found[key] for key in ((complaint.engine_id, code) for code in CODES) if key in found]
    return {
        "id": complaint.pk,
        "child": complaint.child_id,
        "complainant": complaint.complainant,
        "complainant_is": complaint.complainant_is,
        "meeting": complaint.meeting_id,
        "chair": complaint.chair_id,
        "received_on": complaint.received_on,
        "summary": complaint.summary,
        "status": complaint.status,
        "acknowledged_on": complaint.acknowledged_on,
        "answered_on": complaint.answered_on,
        "outcome": complaint.outcome,
        "response": complaint.response,
        "concern": complaint.concern_id,
        "deadlines": [
            {"code": r.code, "due": r.due, "status": r.status, "met_on": r.met_on} for r in rows
        ],
    }


def complaint_out(complaint: Complaint) -> dict[str, Any]:
    return _out(complaint, deadlines([complaint]))


def _due_between(
    found: QuerySet[Complaint], due_from: dt.date | None, due_to: dt.date | None
) -> QuerySet[Complaint]:
    """The complaints with a deadline not yet met due within [due_from, due_to], both ends
    counted."""
    open_rows = Obligation.objects.filter(child__in=found.values("child"), code__in=CODES).exclude(
        status=Obligation.Status.MET
    )
    if due_from:
        open_rows = open_rows.filter(due__gte=due_from)
    if due_to:
        open_rows = open_rows.filter(due__lte=due_to)
    pks = {pk for pk in (complaint_pk(o) for o in open_rows.only("trigger")) if pk is not None}
    return found.filter(pk__in=pks)


STATUS = {
    Status.RECEIVED: Q(acknowledged_on__isnull=True, answered_on__isnull=True),
    Status.ACKNOWLEDGED: Q(acknowledged_on__isnull=False, answered_on__isnull=True),
    Status.ANSWERED: Q(answered_on__isnull=False),
}


@router.get("/complaints", response=ComplaintPage)
def list_complaints(
    request: HttpRequest,
    child: int | None = None,
    status: CleanText = Query("", max_length=20),
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
    cursor: CleanText | None = Query(None, max_length=100),
    limit: int = 50,
) -> HttpResponse:
    """The complaints of the children the caller may see (the complaints log), by id; filtered
    by child, status (received, acknowledged, answered) and a due window (a deadline not yet met
    due from `due_from` to `due_to`, both days counted). Audited as one view of the list, naming
    each child on it."""
    if status and status not in Status.values:
        raise BadQuery("status", f"status must be one of {', '.join(Status.values)}")
    if due_from and due_to and due_to < due_from:
        raise BadQuery("due_to", "due_to must be on or after due_from")
    found = Complaint.objects.filter(child__in=children_for_user(request.user))
    if child is not None:
        found = found.filter(child=child_for_user(request.user, child))
    if status:
        found = found.filter(STATUS[Status(status)])
    if due_from or due_to:
        found = _due_between(found, due_from, due_to)
    found = found.select_related("child")
    shown: dict[int, str] = {}
    on_page: list[Complaint] = []

    def out(c: Complaint) -> Complaint:
        shown[c.child_id] = c.child.reference
        on_page.append(c)
        return c

    result = page(found, cursor, limit, out)
    rows = deadlines(on_page)
    result["items"] = [_out(c, rows) for c in on_page]
    record_page_view(request, what="api.complaints.listed", children=named(shown.items()))
    return listed(result)


@router.get("/complaints/{int:complaint_id}", response=ComplaintOut)
def read_complaint(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The complaint where it stands, with its deadlines and its ETag."""
    complaint = complaint_for_user(request.user, complaint_id)
    record_child_view(request, complaint.child)
    return with_etag(request, complaint_out(complaint))


@router.post("/children/{int:child_id}/complaints", response={201: ComplaintOut})
@takes(ComplaintIn)
def record_complaint(request: HttpRequest, child_id: int) -> HttpResponse:
    """Log a complaint about the child (and one of its conferences, `meeting`): its
    acknowledgement and response fall due on the first point of contact's caseload."""
    child = child_for_user(request.user, child_id)
    data = body(ComplaintIn, request)
    meeting = None
    if data.meeting is not None:
        meeting = Meeting.objects.filter(pk=data.meeting, child=child).first()
        if meeting is None:
            raise ValidationError({"meeting": "Choose a conference of this child"})

    def create() -> tuple[int, dict[str, Any]]:
        complaint = actions.record_complaint(
            child,
            complainant=data.complainant,
            complainant_is=data.complainant_is,
            received_on=data.received_on,
            summary=data.summary,
            meeting=meeting,
            acting_user=request.user,
        )
        return 201, complaint_out(complaint)

    return idempotent(request, create)


@router.post("/complaints/{int:complaint_id}/acknowledgement", response=ComplaintOut)
@takes(AcknowledgementIn, changes=True)
def acknowledge(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The complaint acknowledged on `on` (once): meets `complaint.acknowledge`. `If-Match` must
    be the complaint's ETag, as for every step."""

    def act(complaint: Complaint) -> int:
        data = body(AcknowledgementIn, request)
        actions.acknowledge(complaint, on=data.on, acting_user=request.user)
        return 200

    return step(request, complaint_for_user(request.user, complaint_id), complaint_out, act)


@router.post("/complaints/{int:complaint_id}/response", response=ComplaintOut)
@takes(ResponseIn, changes=True)
def respond(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The answer to the complaint on `on` with its outcome (once): meets `complaint.response`,
    and an unacknowledged complaint's `complaint.acknowledge`."""

    def act(complaint: Complaint) -> int:
        data = body(ResponseIn, request)
        actions.record_response(
            complaint,
            on=data.on,
            outcome=data.outcome,
            response=data.response,
            acting_user=request.user,
        )
        return 200

    return step(request, complaint_for_user(request.user, complaint_id), complaint_out, act)


@router.post("/complaints/{int:complaint_id}/concern", response={201: ComplaintOut})
@takes(ConcernIn, changes=True)
def raise_concern(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """A concern raised from the complaint (once), at the informal stage of the child's ladder,
    where the pack makes such a complaint a reason to escalate (`complaints.escalate_from`); the
    complaint's `concern` is its id (`/api/v1/concerns/{id}`)."""

    def act(complaint: Complaint) -> int:
        data = body(ConcernIn, request)
        actions.raise_concern_from(
            complaint, issue=data.issue, impact=data.impact, acting_user=request.user
        )
        return 201

    return step(request, complaint_for_user(request.user, complaint_id), complaint_out, act)
