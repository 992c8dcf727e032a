"""Break-glass: the duty IRO of the day, or an IRO a social worker consults, opens a child's
record by its council reference, stating why; valid for today only and audited."""

from __future__ import annotations

import contextlib

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from oversight.audit.actions import record_page_view
from oversight.cases.access import (
    OpenRecordRefused,
    approve_opening,
    break_glass_rules,
    may_approve_openings,
    may_open_any_record,
    openings_waiting,
)
from oversight.cases.models import AccessGrant
from oversight.cases.text import TextForm
from oversight.notifications.break_glass import open_record_and_tell


class OpenRecordForm(TextForm):
    reference = forms.CharField(
        label="Child's council reference",
        max_length=40,
        error_messages={"required": "Enter the child's council reference"},
    )
    purpose = forms.ChoiceField(
        label="Why are you opening this record?",
        choices=AccessGrant.Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the purpose"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why you need to open this record"},
    )

    def __init__(self, *args: object, purposes: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["purpose"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v, label) for v, label in AccessGrant.Purpose.choices if v in purposes]
        if len(purposes) == 1:
            field.initial = purposes[0]


@login_required
def open_record_page(request: HttpRequest) -> HttpResponse:
    """The duty IRO's and consulted IRO's way into a record that is not theirs (404 for anyone
    else)."""
    purposes = may_open_any_record(request.user)
    if not purposes:
        raise Http404("No such page")
    form = OpenRecordForm(request.POST or None, purposes=purposes)
    if request.method == "POST" and form.is_valid():
        try:
            grant = open_record_and_tell(
                form.cleaned_data["reference"],
                purpose=form.cleaned_data["purpose"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
                request=request,
            )
        except OpenRecordRefused as refused:
            form.add_error(refused.field, str(refused))
        else:
            if grant.approved_at is None:
                return render(request, "web/open_record_asked.html", {"nav": "open_record"})
            return redirect("child", child_id=grant.child_id)
    return render(
        request,
        "web/open_record.html",
        {"form": form, "nav": "open_record", "rules": break_glass_rules()},
    )


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """Today's break-glass openings waiting for an IRO team manager's approval (a pack that
    requires it); POST `grant` approves one. 404 for anyone else."""
    if not may_approve_openings(request.user):
        raise Http404("No such page")
    if request.method == "POST":
        grant = request.POST.get("grant", "")
        # Approved meanwhile by another manager, or not a waiting opening: the list says so.
        with contextlib.suppress(OpenRecordRefused):
            approve_opening(
                int(grant) if grant.isdigit() else 0, acting_user=request.user, request=request
            )
        return redirect("open_record_approvals")
    waiting = list(openings_waiting(timezone.localdate()))
    record_page_view(request, what="open_record.approvals", children=[g.child for g in waiting])
    return render(
        request, "web/open_record_approvals.html", {"waiting": waiting, "nav": "open_record"}
    )
