"""The IRO team manager's pages: allocation of IROs / conference chairs, the duty IRO rota and
cover for an absent IRO. Rules and actions live in `oversight.cases.allocations`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from oversight.audit.actions import record_child_view, record_page_view
from oversight.cases import allocations
from oversight.cases.access import child_for_user, may_allocate, staff_for_user
from oversight.cases.models import DutyRota, StaffMember
from oversight.cases.obligations import active_pack
from oversight.cases.text import TextForm
from oversight.timescales.dates import is_working_day

ROTA_DAYS = 28


def _require_allocator(request: HttpRequest) -> None:
    if not may_allocate(request.user):
        raise Http404("No such page")


def _staff_choices(staff: list[StaffMember]) -> list[tuple[str, str]]:
    return [(str(s.pk), f"{s}{f' ({s.team})' if s.team else ''}") for s in staff]


@login_required
def allocation(request: HttpRequest) -> HttpResponse:
    """Children waiting for an IRO (the earliest statutory clock first) and each IRO's caseload
    against the pack's guidance for each kind of child they hold."""
    _require_allocator(request)
    today = timezone.localdate()
    unallocated = allocations.unallocated_children(today)
    record_page_view(request, what="allocation.viewed", children=[u.child for u in unallocated])
    return render(
        request,
        "web/allocation.html",
        {
            "unallocated": unallocated,
            "caseloads": allocations.caseloads(today),
            "guidance": allocations.caseload_guidance(),
            "duty_today": DutyRota.objects.filter(date=today).select_related("staff__user").first(),
            "nav": "allocation",
        },
    )


class AllocateForm(TextForm):
    iro = forms.ChoiceField(label="IRO / conference chair")
    reason = forms.CharField(
        label="Reason for the allocation",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give a reason for the allocation"},
    )
    override_reason = forms.CharField(
        label="Reason to override the independence rule",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when the IRO is in the management line of the child's social worker",
    )
    confirm = forms.BooleanField(label="I have read the warnings", required=False)


@login_required
def allocate(request: HttpRequest, child_id: int) -> HttpResponse:
    """Allocate or reallocate a child's IRO with a reason; the seeds' rules as warnings, the
    independence rule refused unless overridden with a reason."""
    _require_allocator(request)
    today = timezone.localdate()
    child = child_for_user(request.user, child_id, as_of=today)
    record_child_view(request, child)
    suggested = allocations.suggested_iros(child, today)
    current = allocations.current_iro(child, today)
    form = AllocateForm(request.POST or None)
    iro_field = form.fields["iro"]
    assert isinstance(iro_field, forms.ChoiceField)
    iro_field.choices = _staff_choices(suggested)
    warnings: list[str] = []
    conflict = None
    if request.method == "POST" and form.is_valid():
        iro = next(s for s in suggested if str(s.pk) == form.cleaned_data["iro"])
        warnings = allocations.allocation_warnings(child, iro, today)
        conflict = allocations.independence_conflict(child, iro, today)
        override = form.cleaned_data["override_reason"]
        if conflict is not None and not override.strip():
            form.add_error(
                "override_reason",
                f"{iro} is in the management line of {conflict}, the child's social worker. "
                "Choose another IRO or give a reason to override",
            )
        elif warnings and not form.cleaned_data["confirm"]:
            form.add_error("confirm", "Read the warnings and confirm the allocation")
        else:
            try:
                allocations.allocate_iro(
                    child,
                    iro=iro,
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                    override_reason=override or None,
                    as_of=today,
                )
            except allocations.AllocationRefused as refused:
                form.add_error("iro", str(refused))
            else:
                return redirect("allocation")
    return render(
        request,
        "web/allocate.html",
        {
            "child": child,
            "form": form,
            "current": current,
            "warnings": warnings,
            "named": allocations.named_iros(child, today),
            "nav": "allocation",
        },
    )


class DutyForm(TextForm):
    date = forms.DateField(
        label="Day",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the day", "invalid": "Enter a real date"},
    )
    staff = forms.ChoiceField(label="Duty IRO")


@login_required
def duty_rota(request: HttpRequest) -> HttpResponse:
    """Who is duty IRO on each of the next four weeks' days; set a day."""
    _require_allocator(request)
    today = timezone.localdate()
    eligible = list(allocations.iros())
    form = DutyForm(request.POST or None, initial={"date": today})
    staff_field = form.fields["staff"]
    assert isinstance(staff_field, forms.ChoiceField)
    staff_field.choices = [("", "Nobody"), *_staff_choices(eligible)]
    staff_field.required = False
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["staff"]
        staff = next((s for s in eligible if str(s.pk) == chosen), None)
        allocations.set_duty_iro(form.cleaned_data["date"], staff=staff, acting_user=request.user)
        return redirect("duty_rota")
    rota = {
        r.date: r.staff
        for r in DutyRota.objects.filter(
            date__gte=today, date__lt=today + dt.timedelta(days=ROTA_DAYS)
        ).select_related("staff__user")
    }
    days = [
        (day, rota.get(day))
        for day in (today + dt.timedelta(days=n) for n in range(ROTA_DAYS))
        if is_working_day(day, active_pack().policy) or day in rota
    ]
    return render(request, "web/duty_rota.html", {"form": form, "days": days, "nav": "allocation"})


class CoverForm(TextForm):
    absent = forms.ChoiceField(label="Absent IRO")
    covering = forms.ChoiceField(label="Covering IRO or manager")
    starts = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the first day of the cover"},
    )
    ends = forms.DateField(
        label="To (the last day of the cover)",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the last day of the cover"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give a reason for the cover"},
    )


def _cover_people(manager: StaffMember) -> tuple[list[StaffMember], list[StaffMember]]:
    """(absent choices, covering choices) for `manager`: the IROs they may give cover for, and
    every IRO plus the manager themself (Leicestershire: the line manager acts)."""
    every = list(allocations.iros())
    absent = [i for i in every if allocations.may_give_cover(manager, i)]
    covering = every + ([manager] if manager not in every else [])
    return absent, covering


@login_required
def cover(request: HttpRequest) -> HttpResponse:
    """A manager gives a covering IRO an absent IRO's caseload for a period."""
    manager = staff_for_user(request.user)
    if manager is None:
        raise Http404("No such page")
    absent_choices, covering_choices = _cover_people(manager)
    if not absent_choices:
        raise Http404("No such page")
    form = CoverForm(request.POST or None)
    for name, people in (("absent", absent_choices), ("covering", covering_choices)):
        field = form.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _staff_choices(people)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        absent = next(s for s in absent_choices if str(s.pk) == data["absent"])
        covering = next(s for s in covering_choices if str(s.pk) == data["covering"])
        try:
            allocations.give_cover(
                absent,
                covering=covering,
                starts=data["starts"],
                ends=data["ends"],
                reason=data["reason"],
                acting_user=request.user,
            )
        except allocations.AllocationRefused as refused:
            form.add_error("ends" if "end" in str(refused) else "covering", str(refused))
        else:
            return redirect("cover")
    return render(
        request,
        "web/cover.html",
        {
            "form": form,
            "covers": allocations.covers(timezone.localdate()),
            "nav": "allocation",
        },
    )
