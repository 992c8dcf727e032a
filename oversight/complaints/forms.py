"""The forms of the complaints pages: the shape of the input. What may be recorded is checked by
`oversight.complaints.actions`, whose refusals the views put back under the field they name."""

from __future__ import annotations

from typing import Any

from django import forms

from oversight.cases.forms import DayField
from oversight.cases.text import TextForm
from oversight.complaints.constants import Complainant, Outcome

TEXT = {"rows": 4}


class ComplaintForm(TextForm):
    complainant = forms.CharField(
        label="Who complained",
        max_length=100,
        error_messages={"required": "Enter who complained"},
    )
    complainant_is = forms.ChoiceField(
        label="They are",
        choices=Complainant.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who complained"},
    )
    meeting = forms.ChoiceField(label="The conference complained about", required=False)
    received_on = DayField(
        label="Date received", error_messages={"required": "Enter the date it was received"}
    )
    summary = forms.CharField(
        label="What the complaint is about",
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
        error_messages={"required": "Enter what the complaint is about"},
    )

    def __init__(self, *args: Any, conferences: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [("", "Not about a conference"), *conferences]  # type: ignore[attr-defined]


class AcknowledgeForm(TextForm):
    on = DayField(
        label="Date acknowledged", error_messages={"required": "Enter the date it was acknowledged"}
    )


class ResponseForm(TextForm):
    on = DayField(
        label="Date answered", error_messages={"required": "Enter the date it was answered"}
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the complaint was upheld"},
    )
    response = forms.CharField(
        label="The response",
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
        error_messages={"required": "Enter the response"},
    )


class ConcernFromComplaintForm(TextForm):
    issue = forms.CharField(
        label="The issue",
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
        error_messages={"required": "Say what the issue is"},
    )
    impact = forms.CharField(
        label="Impact on the child",
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
        required=False,
    )
