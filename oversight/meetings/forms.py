"""One form per kind of meeting record: the fields the seeds require, the refusals of issue 7, and
the chronology events (docs/spec/timescales.md) each completed record writes.

Refusals, each on its field, nothing saved on any error:
- a meeting dated in the future, or before the child's birth (`MeetingForm.clean_date`);
- a booked date before today or before the meeting (`MeetingForm.clean`, `BOOKINGS`);
- an RCPC with no plan open before its date (the plan's ICPC comes first);
- an ICPC while a plan is open: a plan and its categories change only at a review conference;
- a plan (ICPC `plan`, RCPC `continue`) without categories of harm;
- a lead social worker who does not hold the social worker role;
- an exclusion (conference or review) without its rationale;
- a chair's decision without the dissent recorded; an inquorate conference without the chair's
  decision whether it went ahead; a visiting frequency that is not a rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms

from oversight.cases.chronology import Period, period_on
from oversight.cases.constants import Role
from oversight.cases.forms import DayField
from oversight.cases.models import Child, StaffMember
from oversight.meetings.constants import CATEGORIES, SIGNIFICANT_CHANGES, Kind
from oversight.meetings.models import Document
from oversight.timescales.rules import RuleError, parse_rule

YES_NO = [("yes", "Yes"), ("no", "No")]
ACTION_ROWS = 6
EXCLUSION_ROWS = 3


@dataclass
class Planned:
    """A chronology event a completed record writes."""

    type: str
    date: dt.date
    time: dt.time | None = None
    data: dict[str, Any] = field(default_factory=dict)


def text(label: str, *, rows: int = 3, required: bool = False, help_text: str = "") -> forms.Field:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def line(label: str, *, required: bool = False, help_text: str = "") -> forms.Field:
    return forms.CharField(label=label, required=required, max_length=300, help_text=help_text)


def day(label: str, *, required: bool = False, help_text: str = "") -> forms.Field:
    return DayField(
        label=label,
        required=required,
        help_text=help_text or "For example, 27 3 2027",
    )


def tick(label: str) -> forms.Field:
    return forms.BooleanField(label=label, required=False)


def choice(label: str, choices: list[tuple[str, str]], *, required: bool = False) -> forms.Field:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": f"Choose: {label.lower()}"},
    )


def several(label: str, choices: list[tuple[str, str]]) -> forms.Field:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


def _iso(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, StaffMember):
        return value.user.get_username()
    return value


class MeetingForm(forms.Form):
    """The fields and checks every meeting record shares: the date it was held (not in the
    future, not before the child's birth), an optional time, bookings, actions and exclusions."""

    kind: ClassVar[str]
    # field name -> meeting booked (`meeting_booked.meeting`)
    BOOKINGS: ClassVar[dict[str, str]] = {}
    ACTIONS: ClassVar[bool] = False
    EXCLUSIONS: ClassVar[bool] = False
    # (heading, field names) to lay the form out; fields not named go under "Details".
    SECTIONS: ClassVar[list[tuple[str, list[str]]]] = []

    date = DayField(
        label="Date held",
        help_text="For example, 8 1 2027",
        error_messages={"required": "Enter the date of the meeting"},
    )
    time = forms.TimeField(
        label="Time (optional)",
        required=False,
        help_text="For example, 14:30",
        error_messages={"invalid": "Enter a real time, for example 14:30"},
    )

    def __init__(
        self,
        *args: Any,
        child: Child,
        today: dt.date,
        periods: list[Period],
        people: list[tuple[str, str]],
        open_actions: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        self.today = today
        self.periods = periods
        self.people = people
        self.open_actions = open_actions or []
        owners = [("", "Not named"), *_ROLE_OWNERS, *people]
        if self.ACTIONS:
            for i in range(1, ACTION_ROWS + 1):
                self.fields[f"action_{i}_text"] = line(f"Action {i}")
                self.fields[f"action_{i}_owner"] = forms.ChoiceField(
                    label=f"Action {i}: owner", choices=owners, required=False
                )
                self.fields[f"action_{i}_due"] = day(f"Action {i}: due by")
        if self.EXCLUSIONS:
            for i in range(1, EXCLUSION_ROWS + 1):
                self.fields[f"excluded_{i}_who"] = line(f"Person excluded {i}")
                self.fields[f"excluded_{i}_rationale"] = text(
                    f"Person excluded {i}: evidence-based rationale", rows=2
                )
                self.fields[f"excluded_{i}_record"] = line(
                    f"Person excluded {i}: decision record (MDR) reference or letter sent"
                )

    # -- shared checks ---------------------------------------------------------------------

    def clean_date(self) -> dt.date | None:
        held: dt.date | None = self.cleaned_data.get("date")
        if held is None:
            return None
        if held > self.today:
            raise forms.ValidationError("The date must be today or in the past")
        born = self.child.date_of_birth
        if born is not None and held < born:
            raise forms.ValidationError(
                f"The date must be on or after the child's date of birth ({born:%-d %B %Y})"
            )
        return held

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        held = data.get("date")
        for name in self.BOOKINGS:
            booked = data.get(name)
            if booked is None:
                continue
            if booked < self.today:
                self.add_error(name, "The date booked must be today or later, not in the past")
            elif held is not None and booked < held:
                self.add_error(name, "The date booked must be on or after the meeting")
        if self.ACTIONS:
            for i in range(1, ACTION_ROWS + 1):
                what = (data.get(f"action_{i}_text") or "").strip()
                due = data.get(f"action_{i}_due")
                if what and due is None and f"action_{i}_due" not in self.errors:
                    self.add_error(f"action_{i}_due", f"Enter the date action {i} is due by")
                if due is not None and not what:
                    self.add_error(f"action_{i}_text", f"Enter action {i}")
                if due is not None and held is not None and due < held:
                    self.add_error(
                        f"action_{i}_due", "The due date must be on or after the meeting"
                    )
        if self.EXCLUSIONS:
            for i in range(1, EXCLUSION_ROWS + 1):
                who = (data.get(f"excluded_{i}_who") or "").strip()
                why = (data.get(f"excluded_{i}_rationale") or "").strip()
                if who and not why:
                    self.add_error(
                        f"excluded_{i}_rationale",
                        f"Give the evidence-based rationale for excluding {who}",
                    )
                if why and not who:
                    self.add_error(f"excluded_{i}_who", "Name the person excluded")
        return data

    def require(self, data: dict[str, Any], name: str, message: str) -> None:
        value = data.get(name)
        if value in (None, "", [], False) and name not in self.errors:
            self.add_error(name, message)

    # -- what a completed record keeps and writes ----------------------------------------

    def details(self) -> dict[str, Any]:
        """The cleaned values, JSON-ready, with actions and exclusions gathered as lists."""
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name.startswith(("action_", "excluded_")) or name in ("date", "time"):
                continue
            out[name] = [_iso(v) for v in value] if isinstance(value, list) else _iso(value)
        if self.ACTIONS:
            out["actions"] = self.actions()
        if self.EXCLUSIONS:
            out["exclusions"] = [
                {
                    "who": self.cleaned_data[f"excluded_{i}_who"].strip(),
                    "rationale": self.cleaned_data[f"excluded_{i}_rationale"].strip(),
                    "record": self.cleaned_data[f"excluded_{i}_record"].strip(),
                }
                for i in range(1, EXCLUSION_ROWS + 1)
                if self.cleaned_data.get(f"excluded_{i}_who", "").strip()
            ]
        return out

    def actions(self) -> list[dict[str, str]]:
        found = []
        for i in range(1, ACTION_ROWS + 1):
            what = (self.cleaned_data.get(f"action_{i}_text") or "").strip()
            if not what:
                continue
            row = {"text": what, "due": self.cleaned_data[f"action_{i}_due"].isoformat()}
            if self.cleaned_data.get(f"action_{i}_owner"):
                row["owner"] = self.cleaned_data[f"action_{i}_owner"]
            found.append(row)
        return found

    def decision(self) -> str:
        return str(self.cleaned_data.get("outcome") or "")

    def events(self) -> list[Planned]:
        """The chronology events of the record, before actions and bookings (added by `planned`)."""
        return []

    def planned(self, action_prefix: str) -> list[Planned]:
        """Every event the completed record writes: its own, then an `action_set` per action
        (ids `<prefix>-<n>`), then a `meeting_booked` per booking, all dated the meeting's day."""
        held: dt.date = self.cleaned_data["date"]
        found = self.events()
        if self.ACTIONS:
            for n, row in enumerate(self.actions(), start=1):
                found.append(
                    Planned("action_set", held, None, {"action": f"{action_prefix}-{n}", **row})
                )
        for name, meeting in self.BOOKINGS.items():
            booked = self.cleaned_data.get(name)
            if booked is not None:
                data = {"meeting": meeting, "on": booked.isoformat()}
                at = self.cleaned_data.get(f"{name}_time")
                if at:
                    data["at"] = at.strftime("%H:%M")
                found.append(Planned("meeting_booked", held, None, data))
        return found


_ROLE_OWNERS = [
    (Role.SOCIAL_WORKER.value, "The social worker"),
    (Role.TEAM_MANAGER.value, "The team manager"),
    (Role.IRO.value, "The IRO / chair"),
]


# -- bookings --------------------------------------------------------------------------------


class BookingForm(MeetingForm):
    """A meeting booked ahead: the day the booking is made (today or earlier) and the date and
    time booked (today or later)."""

    kind = Kind.BOOKING
    BOOKINGS: ClassVar[dict[str, str]] = {}
    meeting = forms.ChoiceField(
        label="Meeting booked",
        choices=[
            ("icpc", "Initial child protection conference"),
            ("rcpc", "Review child protection conference"),
            ("core_group", "Core group meeting"),
            ("midway_review", "Midway review"),
            ("lac_review", "Looked-after child review"),
            ("tac_meeting", "Team around the Child meeting"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the meeting booked"},
    )
    on = day("Date booked", required=True)
    at = forms.TimeField(
        label="Time booked",
        required=False,
        help_text="For example, 10:00",
        error_messages={"invalid": "Enter a real time, for example 10:00"},
    )
    venue = line("Venue")
    brought_forward = tick("This brings a review forward")
    reason = text("Reason (a review brought forward, or booked outside its timescale)", rows=2)
    group_manager_agreement = line(
        "Group manager's agreement to a review outside its timescale (name and date)"
    )
    chair = forms.ModelChoiceField(
        label="Chair (allocated when the case is first booked into a conference slot)",
        queryset=StaffMember.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date the booking was made"
        chair = self.fields["chair"]
        assert isinstance(chair, forms.ModelChoiceField)
        chair.queryset = (
            StaffMember.objects.filter(role_set__role__in=[Role.IRO, Role.DUTY_IRO])
            .select_related("user")
            .order_by("user__last_name")
            .distinct()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        on, made = data.get("on"), data.get("date")
        if on is not None:
            if on < self.today:
                self.add_error("on", "The date booked must be today or later, not in the past")
            elif made is not None and on < made:
                self.add_error("on", "The date booked must be on or after the booking")
        if data.get("brought_forward"):
            self.require(data, "reason", "Give the reason the review is brought forward")
        return data

    def decision(self) -> str:
        return str(self.cleaned_data["meeting"])

    def events(self) -> list[Planned]:
        data: dict[str, Any] = {
            "meeting": self.cleaned_data["meeting"],
            "on": self.cleaned_data["on"].isoformat(),
        }
        if self.cleaned_data.get("at"):
            data["at"] = self.cleaned_data["at"].strftime("%H:%M")
        if self.cleaned_data.get("brought_forward"):
            data["brought_forward"] = True
        return [
            Planned(
                "meeting_booked", self.cleaned_data["date"], self.cleaned_data.get("time"), data
            )
        ]


# -- child protection conferences -----------------------------------------------------------


class ConferenceForm(MeetingForm):
    """Initial and review child protection conferences (seed 000 section 4 and appendix 1,
    seed 002 section 2, including pre-birth conferences for an unborn child)."""

    kind = Kind.ICPC
    ACTIONS = True
    EXCLUSIONS = True
    BOOKINGS: ClassVar[dict[str, str]] = {
        "first_core_group": "core_group",
        "next_review": "rcpc",
        "midway_review": "midway_review",
    }
    PLAN = "plan"
    NO_PLAN = "no_plan"
    OUTCOMES: ClassVar[list[tuple[str, str]]] = [
        ("plan", "Child protection plan"),
        ("no_plan", "No child protection plan"),
    ]

    # Before the conference
    reports_received = day("Date the social worker's and agencies' reports reached the chair")
    reports_agencies = line("Reports received from (agencies)")
    restricted_info_received = day("Date restricted information was received (3 days before)")
    attendance_notice = text(
        "Advance notice of contentious attendance, or of a child wishing to attend", rows=2
    )
    chair_met_parents = choice("Did the chair meet the parents before the conference?", YES_NO)
    parents_chose_sw = choice("Did the parents choose to have the social worker present?", YES_NO)
    # At the conference
    quorate = choice("Was the conference quorate?", YES_NO, required=True)
    inquorate_went_ahead = choice("Inquorate: did the chair decide it should go ahead?", YES_NO)
    attended = text("Attended (one per line: agency: name)")
    apologies = text("Apologies (one per line: agency: name)")
    arrangements = several(
        "Arrangements to help parents and the child take part",
        [
            ("interpreter", "Interpreter"),
            ("advocate", "Advocate"),
            ("access", "Access needs met"),
            ("split", "Split conference"),
        ],
    )
    split_reason = choice(
        "Why the conference was split",
        [
            ("domestic_abuse", "Domestic abuse: to protect the victim"),
            ("different_fathers", "Children with different fathers: confidentiality"),
            ("child_part", "The child attended part only"),
            ("other", "Other (say why below)"),
        ],
    )
    arrangements_note = text("Arrangements: details", rows=2)
    child_views_how = several(
        "How the child's views were given (\u201cNothing about me without me\u201d)",
        [
            ("attended", "Attended the conference"),
            ("met_chair", "Met the chair"),
            ("consultation_document", "Consultation document"),
            ("advocate", "Through an advocate"),
            ("report", "Written in the social worker's report"),
        ],
    )
    child_views = text("The child's views, wishes and feelings")
    chair_child_discussion = day(
        "Date the chair spoke with the child (recorded within 5 working days)"
    )
    observers = line("Observers the chair allowed")
    recording_request = choice(
        "Request to record the conference",
        [("none", "No request"), ("allowed", "Allowed"), ("refused", "Refused")],
    )
    legal_advised = tick(
        "Legal representatives present were told they take no part in the decision"
    )
    # Risk analysis (Signs of Safety)
    worries = text("What are we worried about?")
    working_well = text("What's working well?")
    needs_to_happen = text("What needs to happen?")
    scale = forms.IntegerField(
        label="Scale of worries (0 to 10)", required=False, min_value=0, max_value=10
    )
    # The decision
    outcome = forms.ChoiceField(
        label="The conference's decision",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the conference's decision"},
    )
    decided_by = choice(
        "How the decision was reached",
        [("consensus", "By consensus"), ("chair", "By the chair (no consensus)")],
        required=True,
    )
    dissent = text("Dissent (who disagreed and why)", rows=2)
    escalation_explained = tick("Those who disagree were told of the escalation process")
    categories = several("Categories of harm", CATEGORIES)
    risks = text("The risks to the child")
    what_needs_to_change = text("What needs to change")
    how_measured = text("How change will be measured")
    if_not_achieved = text("What will happen if change is not achieved")
    visit_interval = line(
        "Visiting frequency for this plan",
        help_text="Leave empty for every 10 working days, or write e.g. \u201c14 days\u201d",
    )
    lead_social_worker = forms.ModelChoiceField(
        label="Lead social worker", queryset=StaffMember.objects.none(), required=False
    )
    core_group_members = text("Core group members (family and professionals)")
    first_core_group = day("First core group booked for")
    next_review = day("Review conference booked for")
    next_review_time = forms.TimeField(label="Review conference time", required=False)
    midway_review = day("Midway review booked for")
    midway_not_needed = text("Or: why no midway review is needed", rows=2)
    lpm_recommended = tick("The chair recommends a Legal Planning Meeting")
    lpm_reason = text("Legal Planning Meeting: why", rows=2)
    # No plan (or the plan ends)
    cin_plan = tick("A child in need plan is drawn up")
    step_down = choice(
        "Step-down",
        [
            ("none", "None"),
            ("tac", "Team around the Child"),
            ("early_help", "Early help"),
            ("fgc", "Family group conference"),
        ],
    )
    lead_agency = line("Lead agency")
    practice_manager_decision = text("Practice manager's decision on how needs will be met", rows=2)
    iro_to_chair_tac = choice("Will the IRO chair a TAC meeting after step-down?", YES_NO)
    # Minutes
    minutes_excluded_from_parent = text("Information excluded from a parent's copy", rows=2)
    minutes_copy_supporter = choice("Copy for a parent's friend, supporter or solicitor", YES_NO)
    minutes_copy_child = choice("Copy for the child", YES_NO)
    minutes_copy_third_parties = choice("Copy for third parties", YES_NO)
    prebirth_support = text("Pre-birth: support and arrangements for the baby's birth")

    SECTIONS: ClassVar[list[tuple[str, list[str]]]] = [
        ("The conference", ["date", "time"]),
        (
            "Before the conference",
            [
                "reports_received",
                "reports_agencies",
                "restricted_info_received",
                "attendance_notice",
                "chair_met_parents",
                "parents_chose_sw",
            ],
        ),
        (
            "Attendance and participation",
            [
                "quorate",
                "inquorate_went_ahead",
                "attended",
                "apologies",
                "arrangements",
                "split_reason",
                "arrangements_note",
                "child_views_how",
                "child_views",
                "chair_child_discussion",
                "observers",
                "recording_request",
                "legal_advised",
            ],
        ),
        (
            "Exclusions",
            [f"excluded_{i}_{p}" for i in range(1, 4) for p in ("who", "rationale", "record")],
        ),
        ("Risk analysis", ["worries", "working_well", "needs_to_happen", "scale"]),
        (
            "The decision",
            ["outcome", "decided_by", "dissent", "escalation_explained", "categories"],
        ),
        (
            "The plan",
            [
                "risks",
                "what_needs_to_change",
                "how_measured",
                "if_not_achieved",
                "visit_interval",
                "lead_social_worker",
                "core_group_members",
                "first_core_group",
                "next_review",
                "next_review_time",
                "midway_review",
                "midway_not_needed",
                "lpm_recommended",
                "lpm_reason",
            ],
        ),
        (
            "Outline plan: actions",
            [
                f"action_{i}_{p}"
                for i in range(1, ACTION_ROWS + 1)
                for p in ("text", "owner", "due")
            ],
        ),
        (
            "No plan, or the plan ends",
            [
                "cin_plan",
                "step_down",
                "lead_agency",
                "practice_manager_decision",
                "iro_to_chair_tac",
            ],
        ),
        (
            "Minutes",
            [
                "minutes_excluded_from_parent",
                "minutes_copy_supporter",
                "minutes_copy_child",
                "minutes_copy_third_parties",
            ],
        ),
        ("Pre-birth conference", ["prebirth_support"]),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = self.OUTCOMES
        lead = self.fields["lead_social_worker"]
        assert isinstance(lead, forms.ModelChoiceField)
        # Anyone may be chosen, so that a wrong choice is refused with a reason, not hidden.
        lead.queryset = StaffMember.objects.select_related("user").order_by(
            "user__last_name", "user__first_name"
        )
        if not self.child.is_unborn:
            del self.fields["prebirth_support"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        held, outcome = data.get("date"), data.get("outcome")
        self.check_plan(data, held)
        if data.get("quorate") == "no":
            self.require(
                data,
                "inquorate_went_ahead",
                "Record the chair's decision whether the inquorate conference went ahead",
            )
        if "split" in (data.get("arrangements") or []):
            self.require(data, "split_reason", "Say why the conference was split")
        if data.get("decided_by") == "chair":
            self.require(data, "dissent", "Record the dissent: the decision was the chair's")
        if data.get("lpm_recommended"):
            self.require(data, "lpm_reason", "Say why a Legal Planning Meeting is recommended")
        rule = (data.get("visit_interval") or "").strip()
        if rule:
            try:
                parsed = parse_rule(rule)
                if parsed.before or parsed.unit == "hours":
                    raise RuleError(rule)
            except RuleError:
                self.add_error(
                    "visit_interval",
                    "Write the visiting frequency as working days or days, e.g. \u201c14 days\u201d",
                )
        if outcome in ("plan", "continue"):
            self.require(data, "categories", "Choose at least one category of harm for a plan")
            self.require(data, "risks", "State the risks to the child")
            self.require(data, "what_needs_to_change", "Say what needs to change")
            self.require(data, "lead_social_worker", "Choose the lead social worker")
            self.require(data, "next_review", "Book the review conference")
            if not data.get("midway_review") and not (data.get("midway_not_needed") or "").strip():
                self.add_error(
                    "midway_review",
                    "Book the midway review, or say why none is needed",
                )
            lead = data.get("lead_social_worker")
            if lead is not None and Role.SOCIAL_WORKER not in lead.roles:
                self.add_error(
                    "lead_social_worker",
                    f"{lead} is not a qualified social worker: the lead social worker must be",
                )
        if outcome == "plan":
            self.require(data, "first_core_group", "Book the first core group meeting")
        no_route = not data.get("cin_plan") and data.get("step_down") in (None, "", "none")
        if outcome in (self.NO_PLAN, "end") and no_route:
            self.add_error(
                "cin_plan",
                "Record how the child's needs will be met: a child in need plan or a step-down",
            )
        return data

    def check_plan(self, data: dict[str, Any], held: dt.date | None) -> None:
        """An ICPC while a plan is open is refused: a plan changes only at a review."""
        if held is None:
            return
        plan = period_on(self.periods, "plan", held)
        if plan is not None:
            self.add_error(
                "outcome",
                f"A child protection plan is open since {plan.start:%a %-d %B %Y}: a plan and "
                "its categories change only at a review conference (record an RCPC)",
            )

    def events(self) -> list[Planned]:
        held: dt.date = self.cleaned_data["date"]
        found = []
        received = self.cleaned_data.get("reports_received")
        if received is not None:
            found.append(
                Planned(
                    "conference_reports_received",
                    received,
                    None,
                    {"agencies": self.cleaned_data.get("reports_agencies", "")},
                )
            )
        spoke = self.cleaned_data.get("chair_child_discussion")
        if spoke is not None:
            found.append(Planned("chair_child_discussion", spoke))
        data: dict[str, Any] = {"outcome": self.cleaned_data["outcome"]}
        if self.cleaned_data.get("categories") and self.cleaned_data["outcome"] in (
            "plan",
            "continue",
        ):
            data["categories"] = list(self.cleaned_data["categories"])
        rule = (self.cleaned_data.get("visit_interval") or "").strip()
        if rule and self.cleaned_data["outcome"] in ("plan", "continue"):
            data["visit_interval"] = str(parse_rule(rule))
        found.append(Planned(self.kind, held, self.cleaned_data.get("time"), data))
        return found

    def planned(self, action_prefix: str) -> list[Planned]:
        found = super().planned(action_prefix)
        if self.cleaned_data.get("outcome") in (self.NO_PLAN, "end"):
            # No plan: no core group, review or midway review to book.
            found = [p for p in found if p.type != "meeting_booked"]
        return found


class ReviewConferenceForm(ConferenceForm):
    kind = Kind.RCPC
    PLAN = "continue"
    NO_PLAN = "end"
    OUTCOMES: ClassVar[list[tuple[str, str]]] = [
        ("continue", "The plan continues"),
        ("end", "The plan ends"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["first_core_group"]

    def check_plan(self, data: dict[str, Any], held: dt.date | None) -> None:
        """An RCPC needs the plan's ICPC before it."""
        if held is None:
            return
        plan = period_on(self.periods, "plan", held)
        if plan is None or plan.start >= held:
            self.add_error(
                "date",
                "There is no child protection plan open before this date: a review conference "
                "comes after the plan's initial conference (record the ICPC first)",
            )


# -- documents -----------------------------------------------------------------------------

# What may be attached to a meeting record: office documents, PDFs and images, 10 MB at most.
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class DocumentForm(forms.Form):
    type = forms.ChoiceField(
        label="What it is",
        choices=Document.Type.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the document is"},
    )
    file = forms.FileField(
        label="File",
        help_text="PDF, Word, OpenDocument, text, PNG or JPEG; 10 MB at most",
        error_messages={"required": "Choose a file to attach", "empty": "The file is empty"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = str(upload.name or "")
        suffix = name[name.rfind(".") :].lower() if "." in name else ""
        if suffix not in DOCUMENT_TYPES:
            raise forms.ValidationError(
                "The file must be a PDF, Word, OpenDocument, text, PNG or JPEG file"
            )
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError("The file must be 10 MB or smaller")
        return upload


FORMS: dict[str, type[MeetingForm]] = {
    Kind.BOOKING: BookingForm,
    Kind.ICPC: ConferenceForm,
    Kind.RCPC: ReviewConferenceForm,
}

__all__ = ["FORMS", "SIGNIFICANT_CHANGES", "MeetingForm", "Planned"]
