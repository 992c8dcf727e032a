"""The forms of the foster carer pages: the shape of the input. What may be recorded is checked
by `oversight.fostering.actions`, whose refusals the views put back under the field they name."""

from __future__ import annotations

from typing import Any

from django import forms

from oversight.cases.forms import DayField
from oversight.cases.text import TextForm
from oversight.fostering.constants import ApprovalType, CarerStatus
from oversight.fostering.models import REFERENCE_LENGTH

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


def _whole(label: str, required: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        error_messages={"required": required, "invalid": "Enter a whole number"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )


def _choice(label: str, choices: Any, required: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", "Choose"), *choices],
        error_messages={"required": required, "invalid_choice": required},
    )


class CarerForm(TextForm):
    """A household's details; `adding` asks for its reference too (fixed once recorded)."""

    reference = forms.CharField(
        label="Reference",
        help_text="As the children's placements name the carers, for example FC1001",
        max_length=REFERENCE_LENGTH,
        error_messages={
            "required": "Enter the household's reference",
            "max_length": f"The reference can be at most {REFERENCE_LENGTH} characters",
        },
    )
    names = forms.CharField(
        label="Carers' names",
        max_length=200,
        error_messages={"required": "Enter the carers' names"},
    )
    approved_on = DayField(
        label="Date of approval", error_messages={"required": "Enter the date of approval"}
    )
    children = _whole("Number of children approved for", "Enter the number of children")
    age_from = _whole("Youngest age approved for", "Enter the youngest age")
    age_to = _whole("Oldest age approved for", "Enter the oldest age")
    approval_type = _choice(
        "Kind of fostering", ApprovalType.choices, "Choose the kind of fostering approved"
    )
    status = _choice("Status", CarerStatus.choices, "Choose the carers' status")
    supervising_social_worker = forms.TypedChoiceField(
        label="Supervising social worker",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a social worker to supervise the carers"},
    )

    def __init__(
        self, *args: Any, adding: bool, social_workers: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not adding:
            del self.fields["reference"]
        field = self.fields["supervising_social_worker"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "None recorded"), *social_workers]


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
