"""The audit page: the latest break-glass openings for review, then who saw, changed or exported
which child's record, and every sign-in; for the auditor, administrators and the safeguarding
service manager (`may_read_audit`). Read only. A restricted child the reader is not named on
is in none of its entries and none of its openings (`audit_log_for`, as in the API)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from oversight.audit.actions import named, record_page_view
from oversight.audit.models import AuditEntry
from oversight.cases.access import may_read_audit, restriction_filter, staff_for_user
from oversight.cases.audit_log import audit_log_for
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


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """Search the audit log by child, person and date range (both days count), newest first."""
    staff = staff_for_user(request.user)
    if staff is None or not may_read_audit(request.user):
        raise Http404("No such page")
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and form.is_valid():
        entries = audit_log_for(staff, **form.cleaned_data)
    elif form.is_bound:
        entries = AuditEntry.objects.none()
    else:
        entries = audit_log_for(staff)
    page = Paginator(entries.order_by("-at", "-id"), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    openings = list(
        AccessGrant.objects.filter(restriction_filter(staff, child_id="child_id"))
        .select_related("child", "staff__user", "approved_by__user")
        .order_by("-granted_at", "-pk")[:OPENINGS_SHOWN]
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
