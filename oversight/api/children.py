"""Children, their obligations and flags, and their chronology events: list and read within the
caller's access (`children_for_user`, `child_for_user`), record, amend and remove events through
the pages' actions and rules (`oversight.cases.actions`). The conventions are the API's
(`oversight.api`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError

from oversight.api.bodies import body
from oversight.api.conventions import idempotent, listed, matched, page, takes, with_etag
from oversight.audit.actions import named, record_child_view, record_page_view
from oversight.cases import actions, allocations
from oversight.cases.access import (
    can_edit,
    child_for_user,
    children_for_user,
    may_allocate,
    real_id,
)
from oversight.cases.constants import EventType
from oversight.cases.models import Allocation, Child, Event, Flag, Obligation
from oversight.cases.rules import RECORDABLE, EventRecord
from oversight.cases.text import CleanText
from oversight.meetings.actions import tell_placement_change

router = Router(tags=["children"])


class ChildOut(Schema):
    id: int
    reference: str
    nhs_number: str
    first_name: str
    last_name: str
    date_of_birth: dt.date | None
    expected_date_of_delivery: dt.date | None
    restricted: bool


class ChildIn(Schema):
    """A child new to Oversight, as the council's case management system holds them."""

    reference: CleanText = Field(min_length=1, max_length=40)
    first_name: CleanText = Field("", max_length=100)
    last_name: CleanText = Field(min_length=1, max_length=100)
    date_of_birth: dt.date | None = None
    expected_date_of_delivery: dt.date | None = None  # an unborn child
    nhs_number: CleanText = Field("", max_length=10)


class ChildChangeIn(Schema):
    """The details that change, and only those: a field left out stays as it is; a date sent
    as null is cleared (an unborn child's expected date, once born)."""

    reference: CleanText | None = Field(None, min_length=1, max_length=40)
    first_name: CleanText | None = Field(None, max_length=100)
    last_name: CleanText | None = Field(None, min_length=1, max_length=100)
    date_of_birth: dt.date | None = None
    expected_date_of_delivery: dt.date | None = None
    nhs_number: CleanText | None = Field(None, max_length=10)


class AllocationIn(Schema):
    """The child's IRO (and conference chair) from today, as the allocation page gives it."""

    iro: CleanText = Field(max_length=150)  # the IRO's username
    reason: CleanText = Field(min_length=1)
    override_reason: CleanText = ""  # required when the IRO is in the social worker's line
    confirm: bool = False  # the page's "I have read the warnings"


class AllocationOut(Schema):
    id: int
    child: int
    role: str
    staff: int
    username: str
    starts: dt.date
    ends: dt.date | None


class ChildPage(Schema):
    items: list[ChildOut]
    next: str | None


class AllocationPage(Schema):
    items: list[AllocationOut]
    next: str | None


class ObligationOut(Schema):
    id: int
    child: int
    code: str
    category: str
    due: dt.date
    due_at: dt.datetime | None
    status: str
    met_on: dt.date | None
    on_time: bool | None
    trigger_type: str
    trigger_date: dt.date
    belongs_to: str
    owner_roles: list[str]
    as_of: dt.date


class ObligationPage(Schema):
    items: list[ObligationOut]
    next: str | None


class FlagOut(Schema):
    code: str
    reason: str
    as_of: dt.date


class FlagPage(Schema):
    items: list[FlagOut]
    next: str | None


class EventOut(Schema):
    id: int
    child: int
    type: str
    date: dt.date
    time: dt.time | None
    data: dict[str, Any]
    recorded_at: dt.datetime


class EventPage(Schema):
    items: list[EventOut]
    next: str | None


class EventDetailsIn(Schema):
    """An event's details, as the event form takes them: each field is one event type's (the
    comment names it), the rest left empty."""

    date: dt.date
    time: dt.time | None = None
    meeting: CleanText = Field("", max_length=40)  # meeting_booked: icpc, rcpc, lac_review...
    on: dt.date | None = None  # meeting_booked: the date booked
    text: CleanText = Field("", max_length=500)  # action_set: the action
    due: dt.date | None = None  # action_set: due by
    owner: CleanText = Field("", max_length=150)  # action_set: an allocated person's username
    action: CleanText = Field("", max_length=40)  # action_done: the action's id
    placement_type: CleanText = Field("", max_length=40)  # placement_start/_change: foster...
    provider: CleanText = Field("", max_length=200)  # placement_start/_change
    place_provider: CleanText = Field("", max_length=3)  # placement_start/_change: PR0...PR5
    distance: int | None = None  # placement_start/_change: miles from home
    area: CleanText = Field("", max_length=3)  # placement_start/_change: in or out
    until_18: CleanText = Field("", max_length=3)  # placement_start/_change: yes or no
    legal_status: CleanText = Field("", max_length=2)  # legal_status: a 903 code, C1...
    court: CleanText = Field("", max_length=200)  # proceedings_start
    case_number: CleanText = Field("", max_length=60)  # proceedings_start (optional)
    outcome: CleanText = Field("", max_length=40)  # proceedings_end: care_order...
    guardian: CleanText = Field("", max_length=200)  # guardian_appointed: the guardian's name
    how: CleanText = Field("", max_length=10)  # guardian_liaison: phone, meeting...
    notes: CleanText = Field("", max_length=2000)  # guardian_liaison, legal_papers_seen
    papers: list[CleanText] = Field(default_factory=list, max_length=20)  # legal_papers_seen
    visit_interval: CleanText = Field("", max_length=40)  # care_plan_visits: "28 days"...
    applicant: CleanText = Field("", max_length=20)  # court_application: child...
    order: CleanText = Field("", max_length=40)  # court_application: contact_in_care...


class EventIn(EventDetailsIn):
    """A plain chronology event, as the event form takes it (meetings have their own records)."""

    type: CleanText = Field(max_length=40)


class EventChangeIn(EventDetailsIn):
    """A change to an event's date, time or details, with the reason (audited)."""

    reason: CleanText = Field(min_length=1, max_length=1000)


class RemovalIn(Schema):
    reason: CleanText = Field(min_length=1, max_length=1000)


def child_out(child: Child) -> dict[str, Any]:
    return {
        "id": child.pk,
        "reference": child.reference,
        "nhs_number": child.nhs_number,
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth": child.date_of_birth,
        "expected_date_of_delivery": child.expected_date_of_delivery,
        "restricted": child.restricted,
    }


# The columns `obligation_out` reads: its lists read only these (`.only`), not the trigger's and the
# watchers' JSON, decoded for every row and never shown (issue 17's benchmark: 1 ms of a page of
# 50 across a caseload).
OBLIGATION_SHOWN = (
    "id",
    "child_id",
    "code",
    "category",
    "due",
    "due_at",
    "status",
    "met_on",
    "on_time",
    "trigger_type",
    "trigger_date",
    "belongs_to",
    "owner_roles",
    "as_of",
)


def obligation_out(o: Obligation) -> dict[str, Any]:
    return {
        "id": o.pk,
        "child": o.child_id,
        "code": o.code,
        "category": o.category,
        "due": o.due,
        "due_at": o.due_at,
        "status": o.status,
        "met_on": o.met_on,
        "on_time": o.on_time,
        "trigger_type": o.trigger_type,
        "trigger_date": o.trigger_date,
        "belongs_to": o.belongs_to,
        "owner_roles": [r for r in o.owner_roles.split("|") if r],
        "as_of": o.as_of,
    }


def allocation_out(a: Allocation) -> dict[str, Any]:
    return {
        "id": a.pk,
        "child": a.child_id,
        "role": a.role,
        "staff": a.staff_id,
        "username": a.staff.user.username,
        "starts": a.starts,
        "ends": a.ends,
    }


def flag_out(f: Flag) -> dict[str, Any]:
    return {"code": f.code, "reason": f.reason, "as_of": f.as_of}


def event_out(e: Event) -> dict[str, Any]:
    return {
        "id": e.pk,
        "child": e.child_id,
        "type": e.type,
        "date": e.date,
        "time": e.time,
        "data": e.data,
        "recorded_at": e.recorded_at,
    }


@router.get("/children", response=ChildPage)
def list_children(
    request: HttpRequest,
    search: CleanText = Query("", max_length=100),
    cursor: CleanText | None = Query(None, max_length=100),
    limit: int = 50,
) -> HttpResponse:
    """The children the caller may see, by id; `search` matches a name, the council's
    reference or the NHS number. Audited as one view of the list, naming each child on it."""
    found = children_for_user(request.user)
    words = search.split()
    for word in words:
        found = found.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(reference__icontains=word)
            | Q(nhs_number=word.replace("-", ""))
        )
    result = page(found, cursor, limit, child_out)
    shown = named((c["id"], c["reference"]) for c in result["items"])
    record_page_view(request, what="api.children.listed", children=shown)
    return listed(result)


@router.post("/children", response={201: ChildOut})
@takes(ChildIn)
def register_child(request: HttpRequest) -> HttpResponse:
    """A child new to Oversight (the IRO team manager and the safeguarding service manager, who
    see every child of the service). Send `Idempotency-Key` to retry safely."""
    if not may_allocate(request.user):
        raise PermissionDenied
    data = body(ChildIn, request)

    def create() -> tuple[int, dict[str, Any]]:
        child = actions.register_child(**data.model_dump(), acting_user=request.user)
        return 201, child_out(child)

    return idempotent(request, create)


@router.get("/children/{int:child_id}/allocations", response=AllocationPage)
def child_allocations(
    request: HttpRequest,
    child_id: int,
    cursor: CleanText | None = Query(None, max_length=100),
    limit: int = 50,
) -> HttpResponse:
    """Who holds the child, in every role, past, present and future, by id (the order they
    were made)."""
    child = child_for_user(request.user, child_id)
    record_child_view(request, child)
    return listed(
        page(child.allocations.select_related("staff__user"), cursor, limit, allocation_out)
    )


@router.post("/children/{int:child_id}/allocations", response={201: AllocationOut})
@takes(AllocationIn)
def allocate_iro(request: HttpRequest, child_id: int) -> HttpResponse:
    """Allocate (or reallocate) the child's IRO from today, as on the allocation page: the
    seeds' warnings refuse it until `confirm` is true, and an IRO in the social worker's
    management line only with an `override_reason`."""
    child = child_for_user(request.user, child_id)
    if not may_allocate(request.user):
        raise PermissionDenied
    data = body(AllocationIn, request)
    today = timezone.localdate()
    iro = allocations.iros().filter(user__username=data.iro).first()
    if iro is None:
        raise ValidationError([_field("iro", "Name an IRO by their username")])
    warnings = allocations.allocation_warnings(child, iro, today)
    if warnings and not data.confirm:
        raise ValidationError([_field("confirm", " ".join(warnings))])

    def create() -> tuple[int, dict[str, Any]]:
        try:
            made = allocations.allocate_iro(
                child,
                iro=iro,
                reason=data.reason,
                acting_user=request.user,
                override_reason=data.override_reason or None,
                as_of=today,
            )
        except allocations.AllocationRefused as refused:
            raise ValidationError([_field("iro", str(refused))]) from None
        return 201, allocation_out(made)

    return idempotent(request, create)


def _field(name: str, message: str) -> dict[str, Any]:
    return {"loc": ["body", name], "msg": message, "type": "refused"}


@router.get("/children/{int:child_id}", response=ChildOut)
def read_child(request: HttpRequest, child_id: int) -> HttpResponse:
    """One child, with its ETag (send it as If-None-Match to be told 304 when unchanged)."""
    child = child_for_user(request.user, child_id)
    record_child_view(request, child)
    return with_etag(request, child_out(child))


@router.patch("/children/{int:child_id}", response=ChildOut)
@takes(ChildChangeIn)
def change_child(request: HttpRequest, child_id: int) -> HttpResponse:
    """Change a child's details (those who may register a child: the IRO team manager and the
    safeguarding service manager), checked as a new child's are (422 by field); `If-Match`
    must be the child's ETag (428 without, 412 when someone changed it since)."""
    child = child_for_user(request.user, child_id)
    if not may_allocate(request.user):
        raise PermissionDenied
    with transaction.atomic():
        child = matched(request, child, child_out)
        data = body(ChildChangeIn, request)
        changes = data.model_dump(exclude_unset=True)
        for name in ("reference", "first_name", "last_name", "nhs_number"):
            if name in changes and changes[name] is None:
                raise ValidationError([_field(name, "Send text, or leave the field out")])
        changed = actions.change_child(child, changes=changes, acting_user=request.user)
    return with_etag(request, child_out(changed))


@router.get("/children/{int:child_id}/obligations", response=ObligationPage)
def child_obligations(
    request: HttpRequest,
    child_id: int,
    cursor: CleanText | None = Query(None, max_length=100),
    limit: int = 50,
) -> HttpResponse:
    """The child's obligations as the engine derived them, by id (each has its `due` date)."""
    child = child_for_user(request.user, child_id)
    record_child_view(request, child)
    found = child.obligations.only(*OBLIGATION_SHOWN)
    return listed(page(found, cursor, limit, obligation_out))


@router.get("/children/{int:child_id}/flags", response=FlagPage)
def child_flags(
    request: HttpRequest,
    child_id: int,
    cursor: CleanText | None = Query(None, max_length=100),
    limit: int = 50,
) -> HttpResponse:
    """The child's standing conditions (for example a Support and Challenge Panel candidate),
    by id."""
    child = child_for_user(request.user, child_id)
    record_child_view(request, child)
    return listed(page(Flag.objects.filter(child=child), cursor, limit, flag_out))


@router.get("/children/{int:child_id}/events", response=EventPage)
def child_events(
    request: HttpRequest,
    child_id: int,
    cursor: CleanText | None = Query(None, max_length=100),
    limit: int = 50,
) -> HttpResponse:
    """The child's chronology, in the order it was recorded."""
    child = child_for_user(request.user, child_id)
    record_child_view(request, child)
    return listed(page(child.events.all(), cursor, limit, event_out))


MEETINGS_OWN = "The event is a meeting's: it changes on the meeting's record"


def _editable(request: HttpRequest, child_id: int) -> Child:
    child = child_for_user(request.user, child_id)
    if not can_edit(request.user, child):
        raise PermissionDenied
    return child


def _record(data: EventIn | EventChangeIn, kind: str) -> EventRecord:
    return EventRecord(
        type=kind,
        date=data.date,
        meeting=data.meeting,
        on=data.on,
        text=data.text,
        due=data.due,
        action=data.action,
        placement_type=data.placement_type,
        provider=data.provider,
        place_provider=data.place_provider,
        distance=data.distance,
        area=data.area,
        until_18=data.until_18,
        legal_status=data.legal_status,
        court=data.court,
        case_number=data.case_number,
        outcome=data.outcome,
        guardian=data.guardian,
        how=data.how,
        notes=data.notes,
        papers=tuple(data.papers),
        visit_interval=data.visit_interval,
        applicant=data.applicant,
        order=data.order,
    )


@router.post("/children/{int:child_id}/events", response={201: EventOut})
@takes(EventIn)
def record_event(request: HttpRequest, child_id: int) -> HttpResponse:
    """Put a plain event on the child's chronology (the event form's rules; 422 by field).
    The child's obligations are recomputed at once. Send `Idempotency-Key` to retry safely."""
    child = _editable(request, child_id)
    data = body(EventIn, request)

    def create() -> tuple[int, dict[str, Any]]:
        with transaction.atomic():
            event = actions.record_plain_event(
                child,
                _record(data, data.type),
                time=data.time,
                owner=data.owner,
                acting_user=request.user,
            )
            if event.type == EventType.PLACEMENT_CHANGE:
                tell_placement_change(event, acting_user=request.user)
        return 201, event_out(event)

    return idempotent(request, create)


def _event(child: Child, event_id: int) -> Event:
    event = Event.objects.filter(pk=real_id(event_id, "event"), child=child).first()
    if event is None:
        raise Http404("No such event")
    return event


@router.get("/children/{int:child_id}/events/{int:event_id}", response=EventOut)
def read_event(request: HttpRequest, child_id: int, event_id: int) -> HttpResponse:
    """One event, with its ETag (to send as If-Match when changing it)."""
    child = child_for_user(request.user, child_id)
    record_child_view(request, child)
    return with_etag(request, event_out(_event(child, event_id)))


@router.patch("/children/{int:child_id}/events/{int:event_id}", response=EventOut)
@takes(EventChangeIn, conflict=MEETINGS_OWN)
def amend_event(request: HttpRequest, child_id: int, event_id: int) -> HttpResponse:
    """Change a plain event's date, time or details, with a reason; `If-Match` must be the
    event's ETag (412 when someone changed it since)."""
    child = _editable(request, child_id)
    with transaction.atomic():
        event = matched(request, _event(child, event_id), event_out)
        data = body(EventChangeIn, request)
        if event.type not in RECORDABLE:
            raise HttpError(409, MEETINGS_OWN)
        changed = actions.amend_plain_event(
            event,
            _record(data, event.type),
            time=data.time,
            owner=data.owner,
            reason=data.reason,
            acting_user=request.user,
        )
    return with_etag(request, event_out(changed))


@router.delete("/children/{int:child_id}/events/{int:event_id}", response={204: None})
@takes(RemovalIn, conflict=MEETINGS_OWN)
def remove_event(request: HttpRequest, child_id: int, event_id: int) -> HttpResponse:
    """Take a plain event off the chronology, with a reason (kept in the audit log);
    `If-Match` must be the event's ETag."""
    child = _editable(request, child_id)
    with transaction.atomic():
        event = matched(request, _event(child, event_id), event_out)
        data = body(RemovalIn, request)
        if event.type not in RECORDABLE:
            raise HttpError(409, MEETINGS_OWN)
        actions.remove_event(event, reason=data.reason, acting_user=request.user)
    return HttpResponse(status=204)
