"""The audit page: the latest break-glass openings for review, then who saw, changed or exported
which child's record, and every sign-in; for the auditor, administrators and the safeguarding
service manager (`may_read_audit`). Read only."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from oversight.audit.actions import named, record_page_view
from oversight.audit.models import AuditEntry, ChildShown
from oversight.cases.access import may_read_audit
from oversight.cases.models import AccessGrant
from oversight.cases.text import TextForm
from oversight.web.period_fields import period_day

ENTRIES_PER_PAGE = 50
# The latest break-glass openings, listed above the log for review (every one is in the log too).
OPENINGS_SHOWN = 20


class AuditSearchForm(TextForm):
    child = forms.CharField(label="Child's council reference", required=False, max_length=40)
    person = forms.CharField(
        label="Person", required=False, max_length=150, help_text="A username or part of a name"
    )
    date_from = period_day("From")
    date_to = period_day("To")
    action = forms.ChoiceField(
        label="What", required=False, choices=[("", "Anything"), *AuditEntry.Action.choices]
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """Search the audit log by child, person and date range (both days count), newest first."""
    if not may_read_audit(request.user):
        raise Http404("No such page")
    form = AuditSearchForm(request.GET or None)
    entries = AuditEntry.objects.select_related("user").order_by("-at", "-id")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["child"]:  # the entries about the child, and the list pages that showed it
            reference = data["child"].strip()
            entries = entries.filter(
                Q(child_reference__iexact=reference)
                | Exists(
                    ChildShown.objects.filter(
                        entry=OuterRef("pk"), child_reference__iexact=reference
                    )
                )
            )
        for term in (data["person"] or "").split():
            entries = entries.filter(
                Q(user__username__icontains=term)
                | Q(user__first_name__icontains=term)
                | Q(user__last_name__icontains=term)
                | Q(username__icontains=term)
            )
        if data["date_from"]:
            entries = entries.filter(at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            entries = entries.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
        if data["action"]:
            entries = entries.filter(action=data["action"])
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries.annotate(children_shown=Count("children")), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    openings = list(
        AccessGrant.objects.select_related("child", "staff__user", "approved_by__user").order_by(
            "-granted_at", "-pk"
        )[:OPENINGS_SHOWN]
    )
    shown = [(e.child_id, e.child_reference) for e in page.object_list if e.child_id is not None]
    shown += [(g.child_id, g.child.reference) for g in openings]
    record_page_view(request, what="audit.viewed", children=named(shown))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/audit.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "openings": openings,
            "nav": "audit",
        },
    )
