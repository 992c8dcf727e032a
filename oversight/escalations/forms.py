"""The forms of the escalation pages. They check the shape of the input; what the ladder allows
is checked by the actions (`oversight.escalations.actions`), whose refusals the views put back
on the form under the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import validate_email

from oversight.cases.forms import DayField
from oversight.cases.models import StaffMember
from oversight.cases.text import TextForm
from oversight.escalations.models import Concern, ConcernAction, Theme

ACTION_ROWS = 3
TEXT = {"rows": 4}


def _length(model: type[Any], name: str) -> int:
    """The column's length, for the field that fills it (a longer value would not fit)."""
    found = model._meta.get_field(name).max_length
    assert found is not None
    return int(found)


def _staff_choices(roles: set[str]) -> list[tuple[str, str]]:
    staff = (
        StaffMember.objects.filter(role_set__role__in=roles, user__is_active=True)
        .select_related("user")
        .distinct()
        .order_by("user__last_name", "user__first_name")
    )
    return [("", "Choose a person")] + [(str(s.pk), str(s)) for s in staff]


def _rows(form: forms.Form, prefix: str) -> list[dict[str, Any]]:
    """The filled action rows ({"text", "due"}) of a form with fields `<prefix>_<n>_text/due`."""
    rows = []
    for n in range(1, ACTION_ROWS + 1):
        text = form.cleaned_data.get(f"{prefix}_{n}_text") or ""
        due = form.cleaned_data.get(f"{prefix}_{n}_due")
        if text or due:
            if not text:
                form.add_error(f"{prefix}_{n}_text", "Say what the action is")
            if not due:
                form.add_error(f"{prefix}_{n}_due", "Give the date it is due")
            rows.append({"text": text, "due": due})
    return rows


def _add_rows(form: forms.Form, prefix: str, what: str) -> None:
    for n in range(1, ACTION_ROWS + 1):
        form.fields[f"{prefix}_{n}_text"] = forms.CharField(
            label=f"{what} {n}", required=False, max_length=_length(ConcernAction, "text")
        )
        form.fields[f"{prefix}_{n}_due"] = DayField(label=f"{what} {n}: due by", required=False)


class RaiseForm(TextForm):
    ladder = forms.ChoiceField(label="Which process")
    good_practice = forms.BooleanField(
        label="Record good practice instead of a concern", required=False
    )
    issue = forms.CharField(
        label="What is the issue", widget=forms.Textarea(attrs=TEXT), max_length=5000
    )
    impact = forms.CharField(
        label="What is the impact on the child",
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        max_length=5000,
    )
    themes = forms.MultipleChoiceField(
        label="Themes", required=False, widget=forms.CheckboxSelectMultiple
    )
    partner_agency = forms.CharField(
        label="Partner agency (for a dispute with another agency)",
        required=False,
        max_length=_length(Concern, "partner_agency"),
    )
    partner_contact = forms.CharField(
        label="Named contact at the agency",
        required=False,
        max_length=_length(Concern, "partner_contact"),
    )
    partner_email = forms.EmailField(
        label="Contact's email address",
        required=False,
        max_length=_length(Concern, "partner_email"),
    )
    copied_emails = forms.CharField(
        label="Also tell (email addresses, one a line)",
        help_text="For example the legal team, the head of the virtual school, the designated nurse",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    obligation = forms.ChoiceField(label="Raised from an overdue obligation", required=False)
    # Immediately formal: a safeguarding concern raises and issues the entry stage at once.
    immediately_formal = forms.BooleanField(
        label="A safeguarding concern: go straight to the formal process", required=False
    )
    formal_reason = forms.CharField(
        label="The safeguarding concern identified",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    agreed_by = forms.ChoiceField(
        label="Agreed by (where the first formal stage needs an agreement)", required=False
    )

    def __init__(
        self,
        *args: Any,
        ladders: list[tuple[str, str]],
        overdue: list[tuple[str, str]],
        managers: set[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreed_by"].choices = _staff_choices(managers or set())  # type: ignore[attr-defined]
        self.fields["ladder"].choices = ladders  # type: ignore[attr-defined]
        self.fields["obligation"].choices = [("", "None"), *overdue]  # type: ignore[attr-defined]
        self.fields["themes"].choices = [  # type: ignore[attr-defined]
            (t.code, t.label) for t in Theme.objects.filter(active=True)
        ]
        _add_rows(self, "action", "Action required")

    def clean_copied_emails(self) -> list[str]:
        emails = [e.strip() for e in self.cleaned_data["copied_emails"].splitlines() if e.strip()]
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(f"{email} is not an email address") from None
        return emails

    def actions(self) -> list[dict[str, Any]]:
        return _rows(self, "action")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("immediately_formal") and not (data.get("formal_reason") or "").strip():
            self.add_error("formal_reason", "Describe the safeguarding concern identified")
        if not data.get("immediately_formal"):
            data["formal_reason"] = ""
        return data

    def person(self, name: str) -> StaffMember | None:
        pk = self.cleaned_data.get(name)
        return StaffMember.objects.filter(pk=pk).first() if pk else None


class RespondForm(TextForm):
    accepted = forms.TypedChoiceField(
        label="Do you accept the concern",
        choices=[("yes", "Accepted"), ("no", "Not accepted")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you accept the concern"},
    )
    reasons = forms.CharField(
        label="Reasons, or what will be done",
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_rows(self, "plan", "Action plan item")

    def plan(self) -> list[dict[str, Any]]:
        return _rows(self, "plan")


class NoticeForm(TextForm):
    stage = forms.TypedChoiceField(label="Stage", coerce=int)
    agreed_by = forms.ChoiceField(label="Agreed by", required=False)
    bypass_reason = forms.CharField(
        label="Reason for going straight to this stage (if skipping stages)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    respond_by = DayField(label="Shorter response deadline (optional)", required=False)
    shorter_set_by = forms.ChoiceField(label="Shorter deadline set by", required=False)
    text = forms.CharField(
        label="What the notice says", widget=forms.Textarea(attrs=TEXT), required=False
    )

    def __init__(
        self, *args: Any, stages: list[tuple[int, str]], managers: set[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stages  # type: ignore[attr-defined]
        people = _staff_choices(managers)
        self.fields["agreed_by"].choices = people  # type: ignore[attr-defined]
        self.fields["shorter_set_by"].choices = people  # type: ignore[attr-defined]

    def person(self, name: str) -> StaffMember | None:
        pk = self.cleaned_data.get(name)
        return StaffMember.objects.filter(pk=pk).first() if pk else None


class ExtendForm(TextForm):
    respond_by = DayField(label="New response deadline")
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))


class StageMeetingForm(TextForm):
    held_on = DayField(label="Date held")
    attendees = forms.CharField(
        label="Who attended (one a line)", widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.CharField(label="Outcome", widget=forms.Textarea(attrs=TEXT), max_length=5000)

    def clean_attendees(self) -> list[str]:
        return [a.strip() for a in self.cleaned_data["attendees"].splitlines() if a.strip()]


class OutcomeForm(TextForm):
    outcome = forms.CharField(label="Outcome", widget=forms.Textarea(attrs=TEXT), max_length=5000)


class ReferralForm(TextForm):
    kind = forms.ChoiceField(
        label="Step",
        choices=[("cafcass", "Referral to Cafcass"), ("legal_advice", "Independent legal advice")],
        widget=forms.RadioSelect,
    )
    grounds = forms.CharField(label="Grounds", widget=forms.Textarea(attrs=TEXT))
    meeting_on = DayField(label="Date of the meeting held first (where required)", required=False)
    consulted = forms.ChoiceField(label="Manager consulted", required=False)
    proceedings = forms.ChoiceField(
        label="Care proceedings the referral relates to (optional)",
        required=False,
        error_messages={"invalid_choice": "Choose care proceedings of this child from the list"},
    )

    def __init__(
        self,
        *args: Any,
        managers: set[str],
        proceedings: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consulted"].choices = _staff_choices(managers)  # type: ignore[attr-defined]
        self.fields["proceedings"].choices = [("", "None"), *(proceedings or [])]  # type: ignore[attr-defined]
