"""The form for the chronology events that have no richer form yet.

Validation (each error on its field, nothing saved on any error):
- the event's date is a real date, not in the future, not before the child's birth (an unborn
  child's events may precede the expected date), and not before the start of the plan or
  episode the event belongs to;
- a booked meeting's date (`on`) may be in the future, not before the booking's own date;
- an action needs its text and due date; `action_done` names an action still open;
- a placement (begun or changed), its end and a social worker's visit need the child looked
  after on the date; a placement needs its type, provider, area and whether it is intended to
  last until 18 (`oversight.cases.rules.placement_problems`);
- a legal status is one of the 903 codes, for a child looked after on the date; care
  proceedings begin when none are open and end on or after they began, and a guardian, a
  liaison and papers seen need them open (`oversight.cases.rules.proceedings_problems`);
- a care plan's visiting frequency is days or months, never less often than reg 28's minimum
  on its date (`oversight.cases.rules.care_plan_problems`); a visit the child asked for needs
  the child looked after; a court application names who applied and the order sought."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django import forms

from oversight.cases.actions import new_action_id
from oversight.cases.chronology import Period
from oversight.cases.constants import (
    CourtApplicant,
    CourtOrder,
    EventType,
    LegalPaper,
    LegalStatus,
    LiaisonWay,
    PlacementProvider,
    PlacementType,
    ProceedingsOutcome,
    RetentionDecision,
)
from oversight.cases.formatting import day
from oversight.cases.models import Child, validate_nhs_number
from oversight.cases.proceedings import Proceedings
from oversight.cases.rules import (
    AREAS,
    MEETINGS,
    RECORDABLE,
    EventRecord,
    event_problems,
    held_date_problem,
    plain_event_data,
)
from oversight.cases.search import nhs_number_typed
from oversight.cases.text import TextForm
from oversight.timescales.rules import Duration

_FORMATS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[ /.-]+(?P<m>\d{1,2})[ /.-]+(?P<y>\d{4})$"),
)


def check_held_date(day: dt.date | None, *, child: Child, today: dt.date) -> dt.date | None:
    """A date something happened (`oversight.cases.rules.held_date_problem`), as a form field's
    error."""
    if day is None:
        return None
    problem = held_date_problem(day, born=child.date_of_birth, today=today)
    if problem is not None:
        raise forms.ValidationError(problem)
    return day


class DayField(forms.Field):
    """A date typed as 27/3/2026, 27 3 2026 or 2026-03-27."""

    default_error_messages = {"invalid": "Enter a real date, for example 27 3 2026"}

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        for pattern in _FORMATS:
            match = pattern.match(text)
            if match:
                try:
                    return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
                except ValueError:
                    break
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return f"{value.day} {value.month} {value.year}"
        return value


class EventForm(TextForm):
    type = forms.ChoiceField(
        label="What happened",
        choices=[(t.value, t.label) for t in RECORDABLE],
        error_messages={
            "required": "Choose what happened",
            "invalid_choice": "Choose what happened from the list",
        },
    )
    date = DayField(
        label="Date",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date it happened"},
    )
    time = forms.TimeField(
        label="Time (optional)",
        required=False,
        help_text="For example, 14:30",
        error_messages={"invalid": "Enter a real time, for example 14:30"},
    )
    meeting = forms.ChoiceField(
        label="Meeting booked",
        required=False,
        choices=[("", "Choose the meeting"), *MEETINGS],
        error_messages={"invalid_choice": "Choose the meeting from the list"},
    )
    on = DayField(
        label="Date of the meeting",
        required=False,
        help_text="The date booked; it may be in the future",
    )
    text = forms.CharField(label="Action", required=False, max_length=500)
    due = DayField(label="Action due by", required=False)
    owner = forms.ChoiceField(label="Action owner", required=False)
    action = forms.ChoiceField(label="Action completed", required=False)
    placement_type = forms.ChoiceField(
        label="Type of placement",
        required=False,
        choices=[("", "Choose the type"), *PlacementType.choices],
        error_messages={"invalid_choice": "Choose the type of placement from the list"},
    )
    provider = forms.CharField(
        label="Provider", required=False, max_length=200, help_text="The carer, home or agency"
    )
    place_provider = forms.ChoiceField(
        label="Who provides the placement (optional)",
        required=False,
        choices=[("", "Choose who provides it"), *PlacementProvider.choices],
        help_text="As the SSDA903 return codes it; none for a temporary or other placement",
        error_messages={"invalid_choice": "Choose who provides the placement from the list"},
    )
    distance = forms.IntegerField(
        label="Distance from home in miles (optional)",
        required=False,
        error_messages={"invalid": "Enter the distance as a whole number of miles, like 12"},
    )
    area = forms.ChoiceField(
        label="In or out of the council's area",
        required=False,
        choices=AREAS,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Say whether the placement is in or out of the area"},
    )
    until_18 = forms.ChoiceField(
        label="Is the placement intended to last until the child is 18?",
        required=False,
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Answer yes or no"},
    )
    legal_status = forms.ChoiceField(
        label="Legal status",
        required=False,
        choices=[("", "Choose the legal status"), *LegalStatus.choices],
        help_text="The 903 code; the date is the day it began",
        error_messages={"invalid_choice": "Choose the legal status from the list (the 903 codes)"},
    )
    court = forms.CharField(label="Court", required=False, max_length=200)
    case_number = forms.CharField(label="Case number (optional)", required=False, max_length=60)
    outcome = forms.ChoiceField(
        label="How the proceedings ended",
        required=False,
        choices=[("", "Choose the outcome"), *ProceedingsOutcome.choices],
        error_messages={"invalid_choice": "Choose how the proceedings ended from the list"},
    )
    guardian = forms.CharField(
        label="Children's guardian", required=False, max_length=200, help_text="Their name"
    )
    how = forms.ChoiceField(
        label="How you were in touch with the guardian",
        required=False,
        choices=LiaisonWay.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose how you were in touch with the guardian"},
    )
    papers = forms.MultipleChoiceField(
        label="Legal papers seen",
        required=False,
        choices=LegalPaper.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose the papers seen from the list"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visit_interval = forms.CharField(
        label="How often the care plan says the social worker visits",
        required=False,
        max_length=40,
        help_text="In days or months, e.g. \u201c28 days\u201d or \u201c1 month\u201d; never "
        "less often than the law's minimum",
    )
    applicant = forms.ChoiceField(
        label="Who applied to the court",
        required=False,
        choices=CourtApplicant.choices,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "Say who applied to the court: the child or an adult for them"
        },
    )
    order = forms.ChoiceField(
        label="Order sought",
        required=False,
        choices=[("", "Choose the order"), *CourtOrder.choices],
        help_text="Under the Children Act 1989",
        error_messages={"invalid_choice": "Choose the order sought from the list"},
    )

    def __init__(
        self,
        *args: Any,
        child: Child,
        today: dt.date,
        periods: list[Period],
        people: list[tuple[str, str]],
        open_actions: list[tuple[str, str]],
        proceedings: list[Proceedings],
        visit_minimum: Callable[[dt.date], Duration | None],
        fixed_type: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        self.today = today
        self.periods = periods
        self.proceedings = proceedings
        self.visit_minimum = visit_minimum
        self.open_actions = dict(open_actions)
        owner_field = self.fields["owner"]
        action_field = self.fields["action"]
        assert isinstance(owner_field, forms.ChoiceField)
        assert isinstance(action_field, forms.ChoiceField)
        owner_field.choices = [("", "Not named"), *people]
        action_field.choices = [("", "Choose the action"), *open_actions]
        if fixed_type is not None:  # editing: the type stays
            type_field = self.fields["type"]
            assert isinstance(type_field, forms.ChoiceField)
            type_field.choices = [
                (fixed_type, EventType(fixed_type).label)
                if fixed_type in EventType.values
                else (fixed_type, fixed_type)
            ]

    def clean_date(self) -> dt.date | None:
        return check_held_date(self.cleaned_data.get("date"), child=self.child, today=self.today)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("type"):
            return data
        for field, problem in event_problems(
            self.record(),
            periods=self.periods,
            open_actions=set(self.open_actions),
            proceedings=self.proceedings,
            visit_minimum=self.visit_minimum,
        ).items():
            if field not in self.errors:
                self.add_error(field, problem)
        return data

    def event_data(self, existing: dict[str, Any] | None = None) -> dict[str, Any]:
        """The JSON details of the event (extra fields of the timescales contract)."""
        return plain_event_data(
            self.record(),
            owner=self.cleaned_data.get("owner") or "",
            existing=existing or {},
            new_action=new_action_id(self.child),
            periods=self.periods,
        )

    def record(self) -> EventRecord:
        data = self.cleaned_data
        return EventRecord(
            type=data["type"],
            date=data.get("date"),
            meeting=data.get("meeting") or "",
            on=data.get("on"),
            text=data.get("text") or "",
            due=data.get("due"),
            action=data.get("action") or "",
            placement_type=data.get("placement_type") or "",
            provider=data.get("provider") or "",
            place_provider=data.get("place_provider") or "",
            distance=data.get("distance"),
            area=data.get("area") or "",
            until_18=data.get("until_18") or "",
            legal_status=data.get("legal_status") or "",
            court=data.get("court") or "",
            case_number=data.get("case_number") or "",
            outcome=data.get("outcome") or "",
            guardian=data.get("guardian") or "",
            how=data.get("how") or "",
            notes=data.get("notes") or "",
            papers=tuple(data.get("papers") or ()),
            visit_interval=data.get("visit_interval") or "",
            applicant=data.get("applicant") or "",
            order=data.get("order") or "",
        )


class ReasonForm(TextForm):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Give the reason for this change"},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason for this change")
        return reason


class ChildSearchForm(TextForm):
    """The children page's search: a name, a reference or an NHS number, whose check digit is
    checked when one is typed (`oversight.cases.search.matching` finds the children)."""

    q = forms.CharField(max_length=100, required=False, strip=True)

    def clean_q(self) -> str:
        query = str(self.cleaned_data["q"])
        nhs = nhs_number_typed(query)
        if nhs is not None:
            try:
                validate_nhs_number(nhs)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"{query} is not an NHS number: its last digit does not match the others. "
                    "Check the number, or search by name or reference"
                ) from None
        return query


class RetentionDecisionForm(TextForm):
    """The safeguarding service manager's decision at a child's retention review: keep the
    records until the next review, or mark them for disposal by the records manager; with why."""

    review = forms.TypedChoiceField(
        label="Child", coerce=int, error_messages={"required": "Choose the child"}
    )
    decision = forms.ChoiceField(
        label="Your decision",
        choices=RetentionDecision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to keep the records or mark them for disposal",
            "invalid_choice": "Choose whether to keep the records or mark them for disposal",
        },
    )
    reason = forms.CharField(
        label="The reason for your decision",
        help_text="Under the council's retention schedule: for example, a sibling's care "
        "proceedings continue, or the records' retention period has passed",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give the reason for your decision"},
    )

    def __init__(
        self,
        *args: Any,
        reviews: list[tuple[int, str]],
        min_chars: int,
        next_review_on: dt.date,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.min_chars = min_chars
        review = self.fields["review"]
        assert isinstance(review, forms.TypedChoiceField)
        review.choices = [("", "Choose a child"), *reviews]
        review.error_messages["invalid_choice"] = "Choose a child whose records are due for review"
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ChoiceField)
        decision.choices = [
            (
                RetentionDecision.KEEP.value,
                f"Keep the records until the next review, on {day(next_review_on)}",
            ),
            (RetentionDecision.DISPOSE.value, RetentionDecision.DISPOSE.label),
        ]

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < self.min_chars:
            raise forms.ValidationError(
                f"Give the reason for your decision, in at least {self.min_chars} characters"
            )
        return reason
