"""The foster carer pages: the carers (their next review, overdue first), adding a household and
changing its details and status, a carer's page (its terms, reviews, concerns and the children
placed with it), recording a review, and raising,
answering, escalating and resolving a concern where the pack has a ladder for them.

Carers and concerns come only from `oversight.fostering.access`; every change goes through
`oversight.fostering.actions`. Each page writes one audit row per view: a carer's page names each
child placed with the household (`record_page_view`; none placed, the row still says which carer
was seen, by its path)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from oversight.audit.actions import record_page_view
from oversight.cases.access import may_see_carers, staff_for_user
from oversight.cases.constants import Role
from oversight.cases.models import StaffMember
from oversight.fostering import actions, ladder
from oversight.fostering.access import carer_for_user, concern_for_user
from oversight.fostering.constants import CarerStatus, StepKind
from oversight.fostering.forms import (
    CarerForm,
    ConcernForm,
    EscalateForm,
    ResolveForm,
    ResponseForm,
    ReviewForm,
)
from oversight.fostering.models import Carer, CarerConcern
from oversight.fostering.placements import placed_with
from oversight.fostering.reviews import carers_by_review, review_due


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The "Foster carers" menu item, for who may see carers (a callable: no query unless the
    menu is shown)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"nav_fostering": lambda: may_see_carers(user)}


def _refused(form: Form, error: ValidationError) -> None:
    """An action's refusal under the field it names (or the form's own, for another)."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def _placed(request: HttpRequest, carer: Carer) -> list[Any]:
    staff = staff_for_user(request.user)
    assert staff is not None  # `carer_for_user` let only staff of the carers' roles through
    return placed_with(carer.reference, as_of=timezone.localdate(), seen_by=staff)


@login_required
def carer_list(request: HttpRequest) -> HttpResponse:
    """Every carer household with its next review, the overdue first, then by due date."""
    if not may_see_carers(request.user):
        raise Http404("No such page")
    rows = carers_by_review(timezone.localdate())
    record_page_view(request, what="carers.viewed")
    return render(
        request,
        "fostering/list.html",
        {"rows": rows, "overdue": sum(r.overdue for r in rows), "nav": "fostering"},
    )


@login_required
def carer_detail(request: HttpRequest, carer_id: int) -> HttpResponse:
    carer = carer_for_user(request.user, carer_id)
    children = _placed(request, carer)
    record_page_view(request, what="carer.viewed", children=children)
    due = review_due(carer)
    staff = staff_for_user(request.user)
    return render(
        request,
        "fostering/carer.html",
        {
            "carer": carer,
            "due": due,
            "overdue": due is not None and due.overdue(timezone.localdate()),
            "reviews": list(carer.reviews.select_related("chaired_by__user")),
            "concerns": list(carer.concerns.all()),
            "children": children,
            "has_ladder": bool(ladder.stages()),
            "may_raise": staff is not None and Role.CORPORATE_IRO in staff.roles,
            "nav": "fostering",
        },
    )


def _social_workers(carer: Carer | None) -> list[StaffMember]:
    """Who may supervise a household: the active social workers, and the one it has."""
    kept = carer.supervising_social_worker_id if carer is not None else None
    return list(
        StaffMember.objects.filter(
            Q(role_set__role=Role.SOCIAL_WORKER, user__is_active=True) | Q(pk=kept)
        )
        .select_related("user")
        .distinct()
        .order_by("user__last_name", "user__first_name", "id")
    )


def _carer_form(request: HttpRequest, carer: Carer | None) -> HttpResponse:
    """Add a household (`carer` None) or change its details and status."""
    workers = _social_workers(carer)
    initial: dict[str, Any] = (
        {"status": CarerStatus.APPROVED}
        if carer is None
        else {
            "names": carer.names,
            "approved_on": carer.approved_on,
            "children": carer.children,
            "age_from": carer.age_from,
            "age_to": carer.age_to,
            "approval_type": carer.approval_type,
            "status": carer.status,
            "supervising_social_worker": carer.supervising_social_worker_id,
        }
    )
    form = CarerForm(
        request.POST or None,
        initial=initial,
        adding=carer is None,
        social_workers=[(s.pk, str(s)) for s in workers],
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["supervising_social_worker"] = next(
            (s for s in workers if s.pk == data["supervising_social_worker"]), None
        )
        try:
            if carer is None:
                carer = actions.add_carer(**data, acting_user=request.user)
            else:
                actions.change_carer(carer, **data, acting_user=request.user)
        except ValidationError as error:
            _refused(form, error)
        else:
            return redirect("carer", carer.pk)
    if carer is None:
        record_page_view(request, what="carers.viewed")
    else:
        record_page_view(request, what="carer.viewed", children=_placed(request, carer))
    return render(
        request,
        "fostering/form.html",
        {
            "carer": carer,
            "form": form,
            "title": "Add a foster household" if carer is None else "Change the carers' details",
            "button": "Add the household" if carer is None else "Save the changes",
            "back": reverse("carers") if carer is None else reverse("carer", args=[carer.pk]),
            "nav": "fostering",
        },
    )


@login_required
def carer_new(request: HttpRequest) -> HttpResponse:
    if not may_see_carers(request.user):
        raise Http404("No such page")
    return _carer_form(request, None)


@login_required
def carer_edit(request: HttpRequest, carer_id: int) -> HttpResponse:
    return _carer_form(request, carer_for_user(request.user, carer_id))


def _chairs() -> list[StaffMember]:
    return list(
        StaffMember.objects.filter(role_set__role=Role.CORPORATE_IRO, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )


@login_required
def review_new(request: HttpRequest, carer_id: int) -> HttpResponse:
    carer = carer_for_user(request.user, carer_id)
    chairs = _chairs()
    staff = staff_for_user(request.user)
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    if staff is not None and staff in chairs:
        initial["chaired_by"] = staff.pk
    form = ReviewForm(
        request.POST or None, initial=initial, chairs=[(s.pk, str(s)) for s in chairs]
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_review(
                carer,
                held_on=data["held_on"],
                chaired_by=next(s for s in chairs if s.pk == data["chaired_by"]),
                continue_to_foster=data["continue_to_foster"],
                household_appropriate=data["household_appropriate"],
                terms_appropriate=data["terms_appropriate"],
                new_terms=data["new_terms"],
                carers_views=data["carers_views"],
                childrens_views=data["childrens_views"],
                acting_user=request.user,
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            return redirect("carer", carer.pk)
    record_page_view(request, what="carer.viewed", children=_placed(request, carer))
    return render(
        request,
        "fostering/form.html",
        {
            "carer": carer,
            "form": form,
            "title": "Record a foster carer review",
            "button": "Save the review",
            "back": reverse("carer", args=[carer.pk]),
        },
    )


@login_required
def concern_new(request: HttpRequest, carer_id: int) -> HttpResponse:
    """Raise a concern about the household: only where the pack has a ladder for them."""
    carer = carer_for_user(request.user, carer_id)
    if not ladder.stages():
        raise Http404("This council has no ladder for concerns about carers")
    form = ConcernForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            concern = actions.raise_concern(
                carer,
                issue=form.cleaned_data["issue"],
                on=form.cleaned_data["on"],
                acting_user=request.user,
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            return redirect("carer_concern", concern.pk)
    record_page_view(request, what="carer.viewed", children=_placed(request, carer))
    first = ladder.stage(1)
    return render(
        request,
        "fostering/form.html",
        {
            "carer": carer,
            "form": form,
            "title": "Raise a concern about these carers",
            "lead": f"Stage 1 goes to the {first.answered_by}, to answer within {first.response}."
            if first
            else "",
            "button": "Raise the concern",
            "back": reverse("carer", args=[carer.pk]),
        },
    )


def _concern_context(concern: CarerConcern) -> dict[str, Any]:
    """The concern, its stage, and the stage's response deadline while unanswered and open."""
    steps = list(concern.steps.select_related("recorded_by"))
    answered = next(
        (s.on for s in steps if s.kind == StepKind.RESPONSE and s.stage == concern.stage), None
    )
    open_and_waiting = concern.resolved_on is None and answered is None
    return {
        "concern": concern,
        "carer": concern.carer,
        "stage": ladder.stage(concern.stage),
        "next_stage": ladder.stage(concern.stage + 1),
        "answered": answered,
        "due": ladder.response_due(concern.stage, concern.stage_since)
        if open_and_waiting
        else None,
        "steps": steps,
        "nav": "fostering",
    }


@login_required
def concern_detail(request: HttpRequest, carer_concern_id: int) -> HttpResponse:
    concern = concern_for_user(request.user, carer_concern_id)
    record_page_view(request, what="carer.viewed", children=_placed(request, concern.carer))
    context = _concern_context(concern)
    context["overdue"] = context["due"] is not None and context["due"] < timezone.localdate()
    # Whoever only answers the stage records its response, and sees no more of the carers.
    context["may_act"] = may_see_carers(request.user)
    return render(request, "fostering/concern.html", context)


def _step(
    request: HttpRequest,
    carer_concern_id: int,
    form_class: type[Form],
    title: str,
    act: Callable[[CarerConcern, dict[str, Any]], None],
) -> HttpResponse:
    """A page with one form that takes one step on the concern."""
    concern = concern_for_user(request.user, carer_concern_id)
    form = form_class(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            act(concern, form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            return redirect("carer_concern", concern.pk)
    record_page_view(request, what="carer.viewed", children=_placed(request, concern.carer))
    return render(
        request,
        "fostering/form.html",
        {
            "carer": concern.carer,
            "form": form,
            "title": title,
            "button": "Save",
            "back": reverse("carer_concern", args=[concern.pk]),
        },
    )


@login_required
def concern_respond(request: HttpRequest, carer_concern_id: int) -> HttpResponse:
    def act(concern: CarerConcern, data: dict[str, Any]) -> None:
        actions.record_response(
            concern, on=data["on"], response=data["response"], acting_user=request.user
        )

    return _step(request, carer_concern_id, ResponseForm, "Record the response", act)


@login_required
def concern_escalate(request: HttpRequest, carer_concern_id: int) -> HttpResponse:
    def act(concern: CarerConcern, data: dict[str, Any]) -> None:
        actions.escalate(concern, on=data["on"], reason=data["reason"], acting_user=request.user)

    return _step(request, carer_concern_id, EscalateForm, "Take the concern to the next stage", act)


@login_required
def concern_resolve(request: HttpRequest, carer_concern_id: int) -> HttpResponse:
    def act(concern: CarerConcern, data: dict[str, Any]) -> None:
        actions.resolve(
            concern, on=data["on"], resolution=data["resolution"], acting_user=request.user
        )

    return _step(request, carer_concern_id, ResolveForm, "Record the resolution", act)
