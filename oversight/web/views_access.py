"""Break-glass: the duty IRO of the day, or an IRO a social worker consults, opens a child's
record by its council reference, stating why; valid for today only and audited."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from oversight.cases.access import OpenRecordRefused, may_open_any_record, open_record
from oversight.cases.models import AccessGrant
from oversight.cases.text import TextForm


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
            child = open_record(
                form.cleaned_data["reference"],
                purpose=form.cleaned_data["purpose"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
                request=request,
            )
        except OpenRecordRefused as refused:
            form.add_error("reference", str(refused))
        else:
            return redirect("child", child_id=child.pk)
    return render(request, "web/open_record.html", {"form": form, "nav": "open_record"})
