"""The child's page (a header of who the child is at a glance, then tabs: obligations, meetings,
concerns, chronology, people, documents; who has seen the record) and recording, amending and
removing chronology events.

Children come only from `child_for_user`; who may change a record is `can_edit` (both in
`oversight.cases.access`); every change goes through `oversight.cases.actions`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from oversight.audit.actions import record_child_view, record_child_view_and_viewers, viewers_of
from oversight.audit.models import RecordViewer
from oversight.cache import data_version, page_cache
from oversight.cases import actions
from oversight.cases.access import (
    Access,
    can_edit,
    child_and_access_for_user,
    child_for_user,
    children_for_user,
    open_allocations,
    real_id,
    staff_for_user,
)
from oversight.cases.allocations import social_worker_missing
from oversight.cases.chronology import Period, period_on, periods, visit_minimum_on
from oversight.cases.constants import EventType, Role
from oversight.cases.formatting import age, day, short_day
from oversight.cases.forms import RECORDABLE, EventForm, ReasonForm
from oversight.cases.models import Allocation, Child, Event, Obligation
from oversight.cases.obligations import active_pack
from oversight.cases.proceedings import Proceedings, legal_status_on, proceedings_of
from oversight.escalations.constants import StepKind
from oversight.escalations.models import Step
from oversight.meetings.actions import tell_placement_change
from oversight.meetings.models import Document
from oversight.meetings.routing import routes
from oversight.reports import subject_access
from oversight.web.access import notice_for
from oversight.web.downloads import file_download
from oversight.web.pdf import pdf_response
from oversight.web.remembered_pages import HOLES, filled
from oversight.web.templatetags.oversight import event_details
from oversight.web.views_caseload import (
    ROW_FIELDS,
    decorate,
    url_maker,
    with_owner_names,
)

Status = Obligation.Status


def _events(child: Child) -> list[Event]:
    return list(
        child.events.order_by(F("date").desc(), F("time").desc(nulls_last=True), F("id").desc())
    )


def _periods(events: list[Event], today: dt.date) -> list[Period]:
    return periods(events, active_pack().policy, today)


# Where "who has seen this record" goes in the remembered page (our own markup: a child's name or
# any other text on the page is escaped, so cannot contain it), beside the holes of every page
# remembered whole (`oversight.web.remembered_pages`).
SEEN_BY_HOLE = "<!-- oversight: who has seen this record -->"


@login_required
def child(request: HttpRequest, child_id: int) -> HttpResponse:
    """One child's record. Audited: one row per view. A fixed number of queries whatever the
    length of the chronology or the number of obligations.

    On every request: the child and the viewer's access, the audit row, and "who has seen this
    record" (it changes with every view). The rest of the page (details, people, plan or
    episode, flags, obligations, concerns, bookings, the chronology and its filter, the access
    notice, the navigation and its sign-out form) is rendered once per viewer, child, access,
    filter, day, language, pack and the versions of access, of every record and of this child's
    record (`oversight.cache.data_version`): a change to another child rebuilds nothing here.
    With the request's own CSRF token put in its forms and the viewer's count of unread messages
    in the navigation."""
    today = timezone.localdate()
    # The council-wide versions before the data they cover is read; the child's own once the
    # access check has found the child (no version is made for an id no child has) and before
    # its record is read.
    versions = (
        data_version.current(data_version.ACCESS),
        data_version.current(data_version.RECORDS),
    )
    found, access = child_and_access_for_user(request.user, child_id, as_of=today)
    seen_by = record_child_view_and_viewers(request, found)
    kind = request.GET.get("type", "")
    kind = kind if kind in EventType.values else ""  # a key part: only the real types
    parts = (
        *versions,
        data_version.child(found.pk),
        id(active_pack()),  # a test or a restart may change it; pages are per process
        request.user.pk,
        found.pk,
        access.basis,
        access.can_edit,
        access.grant.pk if access.grant else None,
        access.cover.pk if access.cover else None,
        kind,
        today,
        get_language(),
    )
    page = page_cache.fragment(
        "child", parts, lambda: _child_page(request, found, access, kind, today)
    )
    return HttpResponse(_filled(page, request, seen_by))


@login_required
def child_summary_pdf(request: HttpRequest, child_id: int) -> HttpResponse:
    """The child's page as a PDF summary: the header and every tab's section, built afresh;
    audited as an export naming the child."""
    today = timezone.localdate()
    found, access = child_and_access_for_user(request.user, child_id, as_of=today)
    html = _filled(_child_page(request, found, access, "", today), request, viewers_of(found.pk))
    return pdf_response(request, html, what="Child summary", child=found, audit="child.summary.pdf")


@login_required
def child_whole_record(request: HttpRequest, child_id: int) -> FileResponse:
    """The child's whole record as one zip (a subject access request: JSON and the documents),
    for the roles that may; audited as an export naming the child."""
    if not subject_access.may_export(request.user):
        raise Http404("No such page")
    found = child_for_user(request.user, child_id)
    return file_download(
        request,
        what="child.whole_record",
        name=f"{found.reference}-whole-record",
        fmt="zip",
        write=lambda out: subject_access.write_export(found, out),
        reason=lambda: "subject access export",
        children=[found],
    )


def _filled(page: str, request: HttpRequest, seen_by: list[RecordViewer]) -> str:
    """The child page with what changes on every request put in its holes: who has seen the
    record, the viewer's unread count and the request's CSRF token."""
    seen = render_to_string("web/child.html#seen_by", {"seen_by": seen_by})
    return filled(page.replace(SEEN_BY_HOLE, seen, 1), request)


def _child_page(
    request: HttpRequest, found: Child, access: Access, kind: str, today: dt.date
) -> str:
    """The child's page as HTML, with `SEEN_BY_HOLE` for "who has seen this record", for the
    viewer of `request`, as of `today`: the same for every request until a version of its key
    changes."""
    editable = access.can_edit
    allocations = list(
        found.allocations.select_related("staff__user", "staff__team").order_by("role", "-starts")
    )
    current = [a for a in allocations if a.starts <= today and (a.ends is None or a.ends >= today)]
    past = [
        a for a in allocations if not (a.starts <= today and (a.ends is None or a.ends >= today))
    ]
    siblings = []
    if found.sibling_group_id is not None:
        siblings = list(
            children_for_user(request.user, as_of=today)
            .filter(sibling_group_id=found.sibling_group_id)
            .exclude(pk=found.pk)
            .order_by("date_of_birth", "first_name")
        )
    events = _events(found)
    spans = _periods(events, today)
    plan = period_on(spans, "plan", today)
    episode = period_on(spans, "episode", today)
    previous_plans = sum(1 for p in spans if p.kind == "plan" and p is not plan)

    obligations = list(
        with_owner_names(found.obligations.all())
        .only(*ROW_FIELDS)
        .order_by(F("met_on").desc(nulls_first=True), "due", "pk")
    )
    decorate(obligations, today)
    open_rows = [o for o in obligations if o.status != Status.MET]
    open_rows.sort(key=lambda o: (o.status != Status.OVERDUE, o.due))
    met_rows = [o for o in obligations if o.status == Status.MET]
    bookings = sorted(
        (o for o in open_rows if o.category == Obligation.Category.BOOKING and o.due >= today),
        key=lambda o: o.due,
    )

    types_present = sorted({e.type for e in events})
    shown = [e for e in events if e.type == kind] if kind in types_present else events
    _describe(found, shown, editable)
    meetings = list(found.meetings.order_by(F("date").desc(nulls_first=True), "-pk"))
    return render_to_string(
        "web/child.html",
        {
            "child": found,
            "age": age(found.date_of_birth, today),
            "iros": [a for a in current if a.role == Role.IRO],
            "social_workers": [a for a in current if a.role == Role.SOCIAL_WORKER],
            "overdue": [o for o in open_rows if o.status == Status.OVERDUE],
            "legal_status": legal_status_on(events, spans, today),
            "proceedings": _with_referrals(found, proceedings_of(events)),
            "court_applications": [
                e for e in reversed(events) if e.type == EventType.COURT_APPLICATION
            ],
            "placement": placement(events, episode),
            "meetings": meetings,
            "documents": list(
                Document.objects.filter(meeting__child=found)
                .select_related("meeting")
                .order_by("-uploaded_at", "-pk")
            ),
            **HOLES,
            "seen_by_section": mark_safe(SEEN_BY_HOLE),  # noqa: S308 - our own constant
            # The "how you see this record" notice from the access found already (the context
            # processor's would ask again).
            "record_access": notice_for(access),
            "nav": "children",
            "current_allocations": current,
            "past_allocations": past,
            "siblings": siblings,
            "events": shown,
            "event_count": len(events),
            "event_types": [(t, EventType(t).label) for t in types_present],
            "event_type": kind if kind in types_present else "",
            "plan": plan,
            "episode": episode,
            "previous_plans": previous_plans,
            "plan_length": how_long(plan.start, today) if plan else "",
            "episode_length": how_long(episode.start, today) if episode else "",
            "open_obligations": open_rows,
            "met_obligations": met_rows,
            "bookings": bookings,
            "flags": list(found.flags.order_by("code")),
            "no_social_worker": social_worker_missing(spans, [a.role for a in current], today),
            "can_edit": editable,
            # Where the pack routes requests (`consultation_route`), a social worker asks here.
            "may_request_consultation": bool(routes()) and _is_social_worker(request),
            "may_export_whole_record": subject_access.may_export(request.user),
            "recordable": set(RECORDABLE),
            "today": today,
        },
        request=request,
    )


def _is_social_worker(request: HttpRequest) -> bool:
    staff = staff_for_user(request.user)
    return staff is not None and Role.SOCIAL_WORKER in staff.roles


def _with_referrals(found: Child, proceedings: list[Proceedings]) -> list[Proceedings]:
    """The child's proceedings newest first, each with the Cafcass referrals that name it
    (`referrals`, oldest first): one query however many, none for a child never in proceedings."""
    if not proceedings:
        return []
    steps = Step.objects.filter(concern__child=found, kind=StepKind.CAFCASS).order_by("on", "pk")
    by_start: dict[int, list[Step]] = {}
    for step in steps:
        linked = step.data.get("proceedings")
        if isinstance(linked, int):
            by_start.setdefault(linked, []).append(step)
    for p in proceedings:
        p.referrals = by_start.get(p.started.pk, [])  # type: ignore[attr-defined]
    return list(reversed(proceedings))


PLACEMENT_EVENTS = (EventType.PLACED_FOR_ADOPTION, EventType.PLACEMENT_ORDER)


def placement(events: list[Event], episode: Period | None) -> Event | None:
    """The latest placement event of the current episode (placed for adoption, else a placement
    order), or None. `events` newest first."""
    if episode is None:
        return None
    for kind in PLACEMENT_EVENTS:
        found = next((e for e in events if e.type == kind and e.date >= episode.start), None)
        if found is not None:
            return found
    return None


def _describe(found: Child, events: list[Event], editable: bool) -> None:
    """What the chronology shows of each event, computed once here rather than per row in the
    template: its type in words, its details and, for a recordable event, its change and
    remove links."""
    labels = dict(EventType.choices)
    edit = url_maker("event_edit", found.pk)
    remove = url_maker("event_remove", found.pk)
    for e in events:
        e.type_label = labels.get(e.type, e.type)  # type: ignore[attr-defined]
        e.details = event_details(e.data)  # type: ignore[attr-defined]
        e.date_iso = e.date.isoformat()  # type: ignore[attr-defined]
        e.date_text = short_day(e.date)  # type: ignore[attr-defined]
        changeable = editable and e.type in RECORDABLE
        e.edit_url = edit(e.pk) if changeable else ""  # type: ignore[attr-defined]
        e.remove_url = remove(e.pk) if changeable else ""  # type: ignore[attr-defined]
        if changeable:  # what the links say to a screen reader: "visit of 12 Jan 2027"
            e.change_what = f"{e.type_label.lower()} of {day(e.date)}"  # type: ignore[attr-defined]


def how_long(start: dt.date, today: dt.date) -> str:
    """ "1 year 3 months", "5 months", "12 days": whole months since `start`, else days."""
    months = (today.year - start.year) * 12 + today.month - start.month
    if today.day < start.day:
        months -= 1
    if months < 1:
        days = (today - start).days
        return f"{days} day{'s' if days != 1 else ''}"
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " ".join(parts)


def _editable_child(request: HttpRequest, child_id: int, today: dt.date) -> Child:
    found = child_for_user(request.user, child_id, as_of=today)
    if not can_edit(request.user, found, as_of=today):
        raise PermissionDenied
    return found


def _form_context(found: Child, events: list[Event], today: dt.date) -> dict[str, Any]:
    people = [
        (a.staff.user.username, f"{a.staff} ({a.get_role_display()})")
        for a in Allocation.objects.filter(open_allocations(today), child=found)
        .select_related("staff__user")
        .order_by("role")
    ]
    done = {str(e.data.get("action")) for e in events if e.type == EventType.ACTION_DONE}
    open_actions = [
        (
            str(e.data.get("action")),
            f"{e.data.get('text') or e.data.get('action')} (due {e.data.get('due')})",
        )
        for e in reversed(events)
        if e.type == EventType.ACTION_SET and str(e.data.get("action")) not in done
    ]
    return {
        "child": found,
        "today": today,
        "periods": _periods(events, today),
        "people": people,
        "open_actions": open_actions,
        "proceedings": proceedings_of(events),
        "visit_minimum": lambda day: visit_minimum_on(events, active_pack().policy, day),
    }


@login_required
def event_new(request: HttpRequest, child_id: int) -> HttpResponse:
    """Record a chronology event (GET: the form, with `?type=` chosen; POST: record it)."""
    today = timezone.localdate()
    found = _editable_child(request, child_id, today)
    record_child_view(request, found)
    events = _events(found)
    context = _form_context(found, events, today)
    if request.method == "POST":
        form = EventForm(request.POST, **context)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    event = actions.record_event(
                        found,
                        type=data["type"],
                        date=data["date"],
                        time=data.get("time"),
                        data=form.event_data(),
                        acting_user=request.user,
                        as_of=today,
                    )
                    if event.type == EventType.PLACEMENT_CHANGE:
                        tell_placement_change(event, acting_user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                return redirect(reverse("child", args=[found.pk]) + "#obligations")
    else:
        initial = {k: request.GET[k] for k in ("type", "action", "date") if k in request.GET}
        form = EventForm(initial=initial, **context)
    return render(
        request,
        "web/event_form.html",
        {"child": found, "form": form, "title": "Record an event", "nav": "children"},
    )


def _event_of(found: Child, event_id: int) -> Event:
    event = Event.objects.filter(pk=real_id(event_id, "event"), child=found).first()
    if event is None:
        raise Http404("No such event")
    return event


@login_required
def event_edit(request: HttpRequest, child_id: int, event_id: int) -> HttpResponse:
    """Amend an event's date, time or details, with a reason (audited)."""
    today = timezone.localdate()
    found = _editable_child(request, child_id, today)
    record_child_view(request, found)
    event = _event_of(found, event_id)
    if event.type not in RECORDABLE:
        raise Http404("This event is changed on its own form")
    events = [e for e in _events(found) if e.pk != event.pk]
    context = _form_context(found, events, today)
    if request.method == "POST":
        form = EventForm(request.POST, fixed_type=event.type, **context)
        reason = ReasonForm(request.POST)
        form_ok, reason_ok = form.is_valid(), reason.is_valid()
        if form_ok and reason_ok:
            data = form.cleaned_data
            try:
                actions.amend_event(
                    event,
                    changes={
                        "date": data["date"],
                        "time": data.get("time"),
                        "data": form.event_data(event.data),
                    },
                    reason=reason.cleaned_data["reason"],
                    acting_user=request.user,
                    as_of=today,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                return redirect(reverse("child", args=[found.pk]) + "#chronology")
    else:
        initial: dict[str, Any] = {"type": event.type, "date": event.date, "time": event.time}
        for key in (
            "meeting", "text", "owner", "action", "placement_type", "provider", "place_provider",
            "distance", "area", "legal_status", "court", "case_number", "outcome", "guardian", "how",
            "notes", "papers", "visit_interval", "applicant", "order",
        ):  # fmt: skip
            if key in event.data:
                initial[key] = event.data[key]
        if "until_18" in event.data:
            initial["until_18"] = "yes" if event.data["until_18"] else "no"
        for key in ("on", "due"):
            if key in event.data:
                initial[key] = dt.date.fromisoformat(str(event.data[key]))
        form = EventForm(initial=initial, fixed_type=event.type, **context)
        reason = ReasonForm()
    return render(
        request,
        "web/event_form.html",
        {
            "child": found,
            "form": form,
            "reason_form": reason,
            "event": event,
            "title": f"Change: {event.get_type_display()}",
            "nav": "children",
        },
    )


@login_required
def event_remove(request: HttpRequest, child_id: int, event_id: int) -> HttpResponse:
    """Remove an event from the chronology, with a reason (audited)."""
    today = timezone.localdate()
    found = _editable_child(request, child_id, today)
    record_child_view(request, found)
    event = _event_of(found, event_id)
    if event.type not in RECORDABLE:
        raise Http404("This event is changed on its own form")
    if request.method == "POST":
        reason = ReasonForm(request.POST)
        if reason.is_valid():
            try:
                actions.remove_event(
                    event,
                    reason=reason.cleaned_data["reason"],
                    acting_user=request.user,
                    as_of=today,
                )
            except ValidationError as exc:
                reason.add_error(None, exc.messages[0])
            else:
                return redirect(reverse("child", args=[found.pk]) + "#chronology")
    else:
        reason = ReasonForm()
    return render(
        request,
        "web/event_remove.html",
        {
            "child": found,
            "event": event,
            "reason_form": reason,
            "nav": "children",
        },
    )
