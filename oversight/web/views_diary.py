"""The chair's diary: every meeting booked for the children of an IRO (for the IRO team manager,
of every IRO in their line), by week or by month, with the statutory latest date beside each
booking (`oversight.meetings.diary`); and cancelling a booking made on the booking form.

Only children in the viewer's scope (`children_for_user`) are listed, each listing audited naming
the child; a booking is cancelled only by someone who may change the child (`can_edit`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from oversight.audit.actions import record_child_view, record_page_view
from oversight.cases.access import (
    can_edit,
    child_for_user,
    children_for_user,
    line_of,
    staff_for_user,
)
from oversight.cases.constants import Role
from oversight.cases.forms import DayField, ReasonForm
from oversight.cases.models import StaffMember
from oversight.cases.text import TextForm
from oversight.meetings import actions, diary
from oversight.meetings.diary import DIARY_ROLES
from oversight.meetings.dip_sample import next_month
from oversight.meetings.models import DiaryEntry


class DiaryForm(TextForm):
    """The diary's view (a week or a month) and the day it starts from."""

    view = forms.ChoiceField(
        choices=[("week", "Week"), ("month", "Month")], required=False, widget=forms.HiddenInput
    )
    start = DayField(required=False, widget=forms.HiddenInput)


def _chairs(staff: StaffMember) -> tuple[list[int], bool]:
    """The chairs whose bookings `staff` sees, and whether that is a team."""
    if Role.IRO_TEAM_MANAGER in staff.roles:
        team = StaffMember.objects.filter(pk__in=line_of(staff), role_set__role=Role.IRO)
        return sorted(set(team.values_list("pk", flat=True))), True
    return [staff.pk], False


@login_required
def diary_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    staff = staff_for_user(request.user)
    if staff is None or not staff.roles & DIARY_ROLES:
        raise PermissionDenied
    form = DiaryForm(request.GET)
    if not form.is_valid():
        raise Http404("Choose a week or a month from the diary's own links")
    month_view = form.cleaned_data["view"] == "month"
    start: dt.date = form.cleaned_data["start"] or today
    if not dt.date(2000, 1, 1) <= start <= dt.date(today.year + 5, 12, 31):
        raise Http404(f"The diary runs from 2000 to {today.year + 5}")
    if month_view:
        since = start.replace(day=1)
        following = next_month(since)
        last = following - dt.timedelta(days=1)
        previous = (since - dt.timedelta(days=1)).replace(day=1)
    else:
        since = diary.week_start(start)
        last = since + dt.timedelta(days=6)
        previous, following = since - dt.timedelta(days=7), since + dt.timedelta(days=7)
    chairs, team = _chairs(staff)
    rows = diary.booked(
        chairs,
        since,
        last,
        as_of=today,
        children=children_for_user(request.user, as_of=today).values_list("pk", flat=True),
    )
    record_page_view(request, what=f"diary {since.isoformat()} {last.isoformat()}")
    for child in {b.child.pk: b.child for b in rows}.values():
        record_child_view(request, child, reason="listed in the chair's diary")
    by_day: dict[dt.date, list[diary.Booked]] = {}
    for b in rows:
        by_day.setdefault(b.on, []).append(b)
    # Every working day of the week or month, and a weekend day when something is booked on it.
    days = [
        (d, by_day.get(d, []))
        for d in (since + dt.timedelta(days=n) for n in range((last - since).days + 1))
        if d.weekday() < 5 or by_day.get(d)
    ]
    return render(
        request,
        "web/diary.html",
        {
            "month_view": month_view,
            "first": since,
            "last": last,
            "days": days,
            "count": len(rows),
            "late": sum(1 for b in rows if b.late),
            "previous": previous,
            "following": following,
            "today": today,
            "team": team,
            "nav": "diary",
        },
    )


@login_required
def booking_cancel(request: HttpRequest, child_id: int, entry_id: int) -> HttpResponse:
    """Cancel a meeting booked on the booking form: the reason, then the cancellation sent."""
    today = timezone.localdate()
    child = child_for_user(request.user, child_id, as_of=today)
    if not can_edit(request.user, child, as_of=today):
        raise PermissionDenied
    entry = DiaryEntry.objects.filter(child=child, pk=entry_id, cancelled_at__isnull=True).first()
    if entry is None:
        raise Http404("No such booking, or it is already cancelled")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.cancel_booking(entry, reason=form.cleaned_data["reason"], acting_user=request.user)
        return redirect("meeting_detail", child.pk, entry.booking_id)
    record_child_view(request, child)
    context: dict[str, Any] = {"child": child, "entry": entry, "form": form, "nav": "children"}
    return render(request, "meetings/booking_cancel.html", context)
