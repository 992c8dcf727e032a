"""The forms of the foster carer pages: the shape of the input. What may be recorded is checked
by `oversight.fostering.actions`, whose refusals the views put back under the field they name."""

from __future__ import annotations

from typing import Any

from django import forms

from oversight.cases.forms import DayField
from oversight.cases.text import TextForm

TEXT = {"rows": 4}
YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(label: str, required: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": required, "invalid_choice": required},
    )


def _text(label: str, *, required: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
        required=bool(required),
        error_messages={"required": required} if required else {},
    )


class ReviewForm(TextForm):
    held_on = DayField(
        label="Date of the review", error_messages={"required": "Enter the date of the review"}
    )
    chaired_by = forms.TypedChoiceField(
        label="Chaired by", coerce=int, error_messages={"required": "Choose who chaired it"}
    )
    continue_to_foster = _yes_no(
        "Should the carers continue to foster?",
        "Say whether the carers should continue to foster",
    )
    household_appropriate = _yes_no(
        "Does their household remain appropriate?",
        "Say whether the household remains appropriate",
    )
    terms_appropriate = _yes_no(
        "Are their terms of approval still appropriate?",
        "Say whether the terms of approval are still appropriate",
    )
    new_terms = _text("New terms of approval recommended (if the terms are not appropriate)")
    carers_views = _text("The carers' views (optional)")
    childrens_views = _text("The children's views (optional)")

    def __init__(self, *args: Any, chairs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chaired_by = self.fields["chaired_by"]
        assert isinstance(chaired_by, forms.TypedChoiceField)
        chaired_by.choices = [("", "Choose a corporate IRO"), *chairs]
        chaired_by.error_messages["invalid_choice"] = "Choose a corporate IRO to chair the review"


class ConcernForm(TextForm):
    on = DayField(label="Date raised", error_messages={"required": "Enter the date it was raised"})
    issue = _text("The concern about the carers", required="Say what the concern is")


class ResponseForm(TextForm):
    on = DayField(
        label="Date of the response", error_messages={"required": "Enter the date of the response"}
    )
    response = _text("The response", required="Enter the response")


class EscalateForm(TextForm):
    on = DayField(label="Date escalated", error_messages={"required": "Enter the date"})
    reason = _text(
        "Why it goes to the next stage", required="Say why the concern goes to the next stage"
    )


class ResolveForm(TextForm):
    on = DayField(label="Date resolved", error_messages={"required": "Enter the date"})
    resolution = _text("How it was resolved", required="Say how the concern was resolved")
