"""The form for the chronology events that have no richer form yet.

Validation (each error on its field, nothing saved on any error):
- the event's date is a real date, not in the future, not before the child's birth (an unborn
  child's events may precede the expected date), and not before the start of the plan or
  episode the event belongs to;
- a booked meeting's date (`on`) may be in the future, not before the booking's own date;
- an action needs its text and due date; `action_done` names an action still open."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from oversight.cases.chronology import Period, latest
from oversight.cases.constants import EventType
from oversight.cases.models import Child, Event, validate_nhs_number
from oversight.cases.rules import held_date_problem
from oversight.cases.search import nhs_number_typed
from oversight.cases.text import TextForm

# The event types recorded through this form, in the order offered.
RECORDABLE = (
    EventType.CP_VISIT,
    EventType.CORE_GROUP,
    EventType.CHAIR_CHILD_DISCUSSION,
    EventType.CHILD_DISCUSSION_RECORDED,
    EventType.CONFERENCE_REPORTS_RECEIVED,
    EventType.MEETING_BOOKED,
    EventType.ACTION_SET,
    EventType.ACTION_DONE,
    EventType.LAC_START,
    EventType.LAC_END,
    EventType.IRO_ALLOCATED,
    EventType.SW_CONSULTED,
    EventType.REVIEW_DOCUMENTS_RECEIVED,
    EventType.REVIEW_DECISIONS_ISSUED,
    EventType.REVIEW_RECORD_ISSUED,
    EventType.PLACED_FOR_ADOPTION,
)
# The events that belong to a child protection plan or a looked-after episode.
IN_PLAN = frozenset({EventType.CP_VISIT, EventType.CORE_GROUP})
IN_EPISODE = frozenset(
    {
        EventType.LAC_END,
        EventType.IRO_ALLOCATED,
        EventType.SW_CONSULTED,
        EventType.REVIEW_DOCUMENTS_RECEIVED,
        EventType.REVIEW_DECISIONS_ISSUED,
        EventType.REVIEW_RECORD_ISSUED,
        EventType.PLACED_FOR_ADOPTION,
    }
)
MEETINGS = [
    ("icpc", "Initial child protection conference"),
    ("rcpc", "Review child protection conference"),
    ("core_group", "Core group meeting"),
    ("midway_review", "Midway review"),
    ("lac_review", "Looked-after child review"),
    ("tac_meeting", "Team around the Child meeting"),
]

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

    def __init__(
        self,
        *args: Any,
        child: Child,
        today: dt.date,
        periods: list[Period],
        people: list[tuple[str, str]],
        open_actions: list[tuple[str, str]],
        fixed_type: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        self.today = today
        self.periods = periods
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
        kind, day = data.get("type"), data.get("date")
        if kind and day:
            for family, label in ((IN_PLAN, "plan"), (IN_EPISODE, "episode")):
                if kind not in family:
                    continue
                period = latest(self.periods, label)
                if period is not None and day < period.start:
                    what = "child protection plan" if label == "plan" else "looked-after episode"
                    self.add_error(
                        "date",
                        f"The date must be on or after the start of the {what} "
                        f"({period.start:%-d %B %Y})",
                    )
        if kind == EventType.MEETING_BOOKED:
            if not data.get("meeting"):
                self.add_error("meeting", "Choose the meeting booked")
            on = data.get("on")
            if on is None and "on" not in self.errors:
                self.add_error("on", "Enter the date of the meeting")
            elif on is not None and day is not None and on < day:
                self.add_error("on", "The meeting's date must be on or after the booking")
        if kind == EventType.ACTION_SET:
            if not data.get("text", "").strip():
                self.add_error("text", "Enter the action")
            due = data.get("due")
            if due is None and "due" not in self.errors:
                self.add_error("due", "Enter the date the action is due by")
            elif due is not None and day is not None and due < day:
                self.add_error("due", "The due date must be on or after the date it was set")
        if kind == EventType.ACTION_DONE and not data.get("action"):
            self.add_error("action", "Choose the action that was completed")
        return data

    def event_data(self, existing: dict[str, Any] | None = None) -> dict[str, Any]:
        """The JSON details of the event (extra fields of the timescales contract)."""
        data = dict(existing or {})
        kind = self.cleaned_data["type"]
        if kind == EventType.MEETING_BOOKED:
            data.update(
                meeting=self.cleaned_data["meeting"], on=self.cleaned_data["on"].isoformat()
            )
        elif kind == EventType.ACTION_SET:
            data.update(
                text=self.cleaned_data["text"].strip(), due=self.cleaned_data["due"].isoformat()
            )
            if "action" not in data:
                data["action"] = _new_action_id(self.child)
            if self.cleaned_data.get("owner"):
                data["owner"] = self.cleaned_data["owner"]
            else:
                data.pop("owner", None)
        elif kind == EventType.ACTION_DONE:
            data["action"] = self.cleaned_data["action"]
        return data


def _new_action_id(child: Child) -> str:
    used = {
        str(d.get("action"))
        for d in Event.objects.filter(child=child, type=EventType.ACTION_SET).values_list(
            "data", flat=True
        )
    }
    n = len(used) + 1
    while f"a{n}" in used:
        n += 1
    return f"a{n}"


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
