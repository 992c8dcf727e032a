"""The complaints pages: the log (every complaint of the children the user may see, with its
status and dates), recording a complaint from the child's page or a conference's record, the
complaint's record, its acknowledgement and response, and a concern raised from it where the
pack makes the complaint a reason to escalate.

Children come only from `child_for_user` and `children_for_user`, complaints from
`complaint_for_user`; every change goes through `oversight.complaints.actions`, which alone decide
who may act. Each page that shows a child's record writes one audit row per view, naming each
child it shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from oversight.audit.actions import record_child_view, record_page_view
from oversight.cases.access import can_edit, child_for_user, children_for_user, sees_children
from oversight.cases.formatting import day
from oversight.cases.models import Child
from oversight.complaints import actions
from oversight.complaints.access import complaint_for_user
from oversight.complaints.deadlines import deadlines
from oversight.complaints.forms import (
    AcknowledgeForm,
    ComplaintForm,
    ConcernFromComplaintForm,
    ResponseForm,
)
from oversight.complaints.models import Complaint
from oversight.escalations.actions import require_chair
from oversight.escalations.ladders import Refused
from oversight.meetings.models import Meeting


def _refused(form: Form, error: ValidationError) -> None:
    """An action's refusal under the field it names (or the form's own, for another)."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def _rows(complaints: list[Complaint]) -> list[dict[str, Any]]:
    found = deadlines(complaints)
    return [
        {
            "complaint": c,
            "acknowledge": found.get((c.engine_id, "complaint.acknowledge")),
            "response": found.get((c.engine_id, "complaint.response")),
        }
        for c in complaints
    ]


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    """The complaints log: the complaints of every child the user may see, newest first. No
    such page for a role that sees no child (`sees_children`, as the menu)."""
    if not sees_children(request.user):
        raise Http404("No such page")
    complaints = list(
        Complaint.objects.filter(child__in=children_for_user(request.user))
        .select_related("child", "chair__user", "meeting")
        .order_by("-received_on", "-id")[:500]
    )
    record_page_view(
        request,
        what="complaints.viewed",
        children={c.child for c in complaints},
    )
    return render(request, "complaints/list.html", {"rows": _rows(complaints), "nav": "complaints"})


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu's "Complaints" (a context processor): for everyone who sees children, whose log
    holds the complaints on the children they see. A callable, so a page without the menu runs
    no query."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"nav_complaints": lambda: sees_children(user)}


def _conferences(child: Child) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            child=child, kind__in=actions.CONFERENCES, date__isnull=False
        ).order_by("-date")
    )


@login_required
def complaint_new(request: HttpRequest, child_id: int) -> HttpResponse:
    """Log a complaint about the child, optionally about one of its conferences
    (`?meeting=<id>`, from the conference's record)."""
    child = child_for_user(request.user, child_id)
    if not can_edit(request.user, child):
        raise PermissionDenied("You can read this record but not change it")
    conferences = _conferences(child)
    choices = [(str(m.pk), f"{m.get_kind_display()}, {day(m.date)}") for m in conferences]
    initial = {"meeting": request.GET.get("meeting", ""), "received_on": timezone.localdate()}
    form = ComplaintForm(request.POST or None, initial=initial, conferences=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = next((m for m in conferences if str(m.pk) == data["meeting"]), None)
        try:
            complaint = actions.record_complaint(
                child,
                complainant=data["complainant"],
                complainant_is=data["complainant_is"],
                received_on=data["received_on"],
                summary=data["summary"],
                meeting=meeting,
                acting_user=request.user,
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            return redirect("complaint", complaint.pk)
    record_child_view(request, child)
    return render(request, "complaints/new.html", {"child": child, "form": form})


@login_required
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = complaint_for_user(request.user, complaint_id)
    editable = can_edit(request.user, complaint.child)
    record_child_view(request, complaint.child)
    (row,) = _rows([complaint])
    return render(
        request,
        "complaints/detail.html",
        {
            "child": complaint.child,
            "row": row,
            "complaint": complaint,
            "can_edit": editable,
            "may_escalate": editable and _may_escalate(request, complaint),
        },
    )


def _may_escalate(request: HttpRequest, complaint: Complaint) -> bool:
    if complaint.concern_id is not None or not actions.escalates(complaint):
        return False
    try:
        require_chair(complaint.child, acting_user=request.user)
    except Refused:
        return False
    return True


def _step(
    request: HttpRequest,
    complaint_id: int,
    form_class: type[Form],
    title: str,
    button: str,
    act: Callable[[Complaint, dict[str, Any]], str],
    initial: Callable[[Complaint], dict[str, Any]] = lambda _: {"on": timezone.localdate()},
) -> HttpResponse:
    """A page with one form that takes one step on the complaint (`act(complaint, data)`, which
    returns where to go next)."""
    complaint = complaint_for_user(request.user, complaint_id)
    if not can_edit(request.user, complaint.child):
        raise PermissionDenied("You can read this record but not change it")
    form = form_class(request.POST or None, initial=initial(complaint))
    if request.method == "POST" and form.is_valid():
        try:
            result = act(complaint, form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        except Refused as refusal:
            if refusal.forbidden:
                raise PermissionDenied(refusal.message) from None
            form.add_error(None, refusal.message)
        else:
            return redirect(result)
    record_child_view(request, complaint.child)
    return render(
        request,
        "complaints/form.html",
        {
            "child": complaint.child,
            "complaint": complaint,
            "form": form,
            "title": title,
            "button": button,
        },
    )


# The steps that close a complaint's deadlines: the form, the page's title, and the action, which
# takes the form's data as its own arguments.
STEPS: dict[str, tuple[type[Form], str, Callable[..., Complaint]]] = {
    "acknowledge": (AcknowledgeForm, "Record the acknowledgement", actions.acknowledge),
    "respond": (ResponseForm, "Record the response", actions.record_response),
}


@login_required
def complaint_step(request: HttpRequest, complaint_id: int, step: str) -> HttpResponse:
    """Acknowledge the complaint, or record its response (`STEPS`)."""
    form_class, title, action = STEPS[step]

    def act(complaint: Complaint, data: dict[str, Any]) -> str:
        action(complaint, acting_user=request.user, **data)
        return reverse("complaint", args=[complaint.pk])

    return _step(request, complaint_id, form_class, title, "Save", act)


@login_required
def complaint_concern(request: HttpRequest, complaint_id: int) -> HttpResponse:
    def act(complaint: Complaint, data: dict[str, Any]) -> str:
        concern = actions.raise_concern_from(
            complaint, issue=data["issue"], impact=data["impact"], acting_user=request.user
        )
        return reverse("concern", args=[concern.pk])

    return _step(
        request,
        complaint_id,
        ConcernFromComplaintForm,
        "Raise a concern from this complaint",
        "Raise the concern",
        act,
        lambda c: {
            "issue": f"Complaint by {c.complainant}, received {day(c.received_on)}: {c.summary}"
        },
    )
