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
  decision whether it went ahead; a visiting frequency that is not a rule;
- a booking of an RCPC, core group or midway review with no plan open on the booking's date;
- restricted information dated after the conference; less than 3 days before it without a note of
  how the chair managed it (seed 002: flagged, not refused -- the chair had it and used it);
- a looked-after review without a meeting when another in the year before had none, or none in
  that year had one (seed 002 5.2: a meeting at least once a year);
- a conference chair who is not an IRO, none for a child with no IRO, or a different chair from
  the child's IRO without a reason (the chair stays the chair until the plan ends).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms

from oversight.cases.chronology import Period, period_on
from oversight.cases.constants import Role
from oversight.cases.forms import DayField, check_held_date
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
    # The form names the conference chair (`chair`, `chair_change_reason`): see `check_chair`.
    CHAIR: ClassVar[bool] = False

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
        # Set by `check_chair`: the IRO to allocate as chair when the record is completed.
        self.new_chair: StaffMember | None = None
        self.new_chair_reason = ""
        if self.CHAIR:
            self.fields["chair"] = forms.ModelChoiceField(
                label="Chair (allocated when the case is first booked into a conference slot)",
                help_text="Leave empty to keep the child's IRO as the chair",
                # Duty IROs too, so that a chair who is not an IRO is refused with a reason.
                queryset=StaffMember.objects.filter(role_set__role__in=[Role.IRO, Role.DUTY_IRO])
                .select_related("user")
                .order_by("user__last_name", "user__first_name")
                .distinct(),
                required=False,
            )
            self.fields["chair_change_reason"] = text(
                "Reason for a different chair (the chair stays the chair until the plan ends)",
                rows=2,
            )
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
        return check_held_date(self.cleaned_data.get("date"), child=self.child, today=self.today)

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
        if self.CHAIR and self.books_conference(data):
            self.check_chair(data)
        return data

    def books_conference(self, data: dict[str, Any]) -> bool:
        """True when the record books or holds a child protection conference."""
        return False

    def check_chair(self, data: dict[str, Any]) -> None:
        """The chair is allocated when the case is first booked into a conference slot and stays
        the chair until the plan ends unless reallocated with a reason. Refused: no chair for a
        child with no IRO; a chair who is not an IRO; a different chair without a reason; a chair
        in the management line of the child's social worker."""
        from oversight.cases.allocations import current_iro, independence_conflict

        current = current_iro(self.child, self.today)
        chosen = data.get("chair")
        reason = (data.get("chair_change_reason") or "").strip()
        if chosen is None:
            if current is None and "chair" not in self.errors:
                self.add_error(
                    "chair",
                    "Choose the chair: the child has no IRO, and the chair is allocated when "
                    "the case is first booked into a conference slot",
                )
            return
        if Role.IRO not in chosen.roles:
            self.add_error("chair", f"{chosen} is not an IRO: the chair must be an IRO")
            return
        if current is not None and chosen.pk == current.pk:
            return
        if current is not None and not reason:
            plan = period_on(self.periods, "plan", self.today)
            why = (
                f"{current} is the chair until the plan ends"
                if plan is not None
                else f"{current} is the child's IRO"
            )
            self.add_error(
                "chair_change_reason", f"{why}: give the reason for reallocating to {chosen}"
            )
            return
        conflict = independence_conflict(self.child, chosen, self.today)
        if conflict is not None:
            self.add_error(
                "chair",
                f"{chosen} is in the management line of {conflict}, the child's social worker: "
                "choose another chair, or allocate on the Allocation page with an override",
            )
            return
        self.new_chair = chosen
        self.new_chair_reason = reason

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

# Meetings that belong to a child protection plan: booked only while one is open.
PLAN_MEETINGS = {
    "rcpc": "review conference",
    "core_group": "core group meeting",
    "midway_review": "midway review",
}


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
    CHAIR = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date the booking was made"

    def books_conference(self, data: dict[str, Any]) -> bool:
        return data.get("meeting") in ("icpc", "rcpc")

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
        booked = data.get("meeting")
        if (
            booked in PLAN_MEETINGS
            and made is not None
            and "meeting" not in self.errors
            and period_on(self.periods, "plan", made) is None
        ):
            self.add_error(
                "meeting",
                f"There is no child protection plan open on {made:%a %-d %B %Y}: "
                f"a {PLAN_MEETINGS[booked]} is booked only within a plan "
                "(book the initial conference first)",
            )
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
    CHAIR = True
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
    restricted_info_late = text(
        "Restricted information less than 3 days before: how the chair managed it",
        rows=2,
        help_text="For example: adjourned, or shared with the agencies only in a split part",
    )
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
        ("The conference", ["date", "time", "chair", "chair_change_reason"]),
        (
            "Before the conference",
            [
                "reports_received",
                "reports_agencies",
                "restricted_info_received",
                "restricted_info_late",
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
        self.check_restricted(data, held)
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

    def books_conference(self, data: dict[str, Any]) -> bool:
        return True

    def check_restricted(self, data: dict[str, Any], held: dt.date | None) -> None:
        """Seed 002 (practice standards, section 2): the chair must be told of restricted
        information at least three (calendar) days before the conference. Later information is
        not refused -- the chair had it and managed it -- but flagged: the record needs how the
        chair managed it. A date after the conference is refused."""
        received = data.get("restricted_info_received")
        if received is None or held is None:
            return
        if received > held:
            self.add_error("restricted_info_received", "This must be on or before the conference")
        elif (held - received).days < 3:
            self.require(
                data,
                "restricted_info_late",
                "The restricted information came less than 3 days before the conference: "
                "record how the chair managed it",
            )

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


# -- looked-after child review -------------------------------------------------------------

# The Schedule 7 checklist (Care Planning Regulations 2010; seed 002 section 5.2, IRO Handbook).
SCHEDULE_7 = [
    ("change_of_circumstances", "Change of circumstances since the last review"),
    ("previous_decisions", "Previous decisions: carried out?"),
    ("legal_status", "Legal status"),
    ("permanence", "Permanence plan (from the second review)"),
    ("contact", "Contact arrangements"),
    ("placement_needs", "Does the placement meet the child's needs?"),
    ("education", "Education and the PEP"),
    ("leisure", "Leisure activities"),
    ("health", "Health"),
    ("identity", "Identity"),
    ("advice_support", "Advice, support and assistance"),
    ("leaving_care", "Leaving care"),
    ("wishes_feelings", "The child's wishes and feelings"),
    ("sw_visits", "Social worker visits"),
    ("plans_timely", "Timeliness of plans"),
    ("adoption_realistic", "Adoption still realistic (second review after a placement order)"),
]
# The items a review may leave empty (they apply only from the second review, or to adoption).
SCHEDULE_7_OPTIONAL = {"permanence", "adoption_realistic"}


class LacReviewForm(MeetingForm):
    """A looked-after child review (seed 002 section 5.2, IRO Handbook chapter 3)."""

    kind = Kind.LAC_REVIEW
    ACTIONS = True
    EXCLUSIONS = True
    BOOKINGS: ClassVar[dict[str, str]] = {"next_review": "lac_review"}

    venue = choice(
        "Venue", [("placement", "The child's placement"), ("elsewhere", "Elsewhere")], required=True
    )
    venue_detail = line("Venue: where, and why not the placement")
    seen_in_placement = day("If elsewhere: date the IRO saw the child in the placement")
    outside_school_hours = tick("Held outside school or college hours")
    seen_privately = day("Date the IRO spoke with the child in private before the review")
    seen_privately_recorded = day("Date that conversation was recorded on the file")
    sw_consulted = day("Date the IRO consulted the social worker before the review")
    documents_received = day("Date the review documents reached the IRO")
    documents = several(
        "Documents received",
        [
            ("care_plan", "Care or pathway plan"),
            ("health", "Health assessment"),
            ("placement_plan", "Placement plan"),
            ("pep", "Personal education plan (PEP)"),
        ],
    )
    attended = text("Attended (one per line)")
    child_chaired_part = tick("The child chaired part of the review")
    parents_response = text("Parents excluded: letter sent and their response or refusal", rows=2)
    advocacy_offered = tick("Advocacy explained and offered")
    rights_explained = tick("Rights as a looked-after child and how to complain explained")
    adjourned = tick("The review was adjourned")
    adjourned_reason = text("Why it was adjourned (the information missing)", rows=2)
    without_meeting = tick("Long-term placement over a year: review without a meeting")
    without_meeting_consultation = text(
        "Without a meeting: the decision and who was consulted", rows=2
    )
    previous_done = forms.MultipleChoiceField(
        label="Decisions of the last review carried out",
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    decisions_issued = day("Date the record of decisions was issued (within 5 working days)")
    record_issued = day("Date the full record was issued (within 20 working days)")
    next_review = day("Next review booked for")
    group_manager_agreement = line(
        "Held outside its timescale: the group manager's agreement (name and date)"
    )

    SECTIONS: ClassVar[list[tuple[str, list[str]]]] = [
        (
            "The review",
            ["date", "time", "venue", "venue_detail", "seen_in_placement", "outside_school_hours"],
        ),
        (
            "Before the review",
            [
                "seen_privately",
                "seen_privately_recorded",
                "sw_consulted",
                "documents_received",
                "documents",
            ],
        ),
        (
            "Participation",
            ["attended", "child_chaired_part", "advocacy_offered", "rights_explained"],
        ),
        (
            "Parents excluded",
            [f"excluded_{i}_{p}" for i in range(1, 4) for p in ("who", "rationale", "record")]
            + ["parents_response"],
        ),
        ("Schedule 7 checklist", [f"s7_{key}" for key, _ in SCHEDULE_7]),
        (
            "Adjourned or without a meeting",
            ["adjourned", "adjourned_reason", "without_meeting", "without_meeting_consultation"],
        ),
        (
            "Decisions",
            [f"action_{i}_{p}" for i in range(1, ACTION_ROWS + 1) for p in ("text", "owner", "due")]
            + ["previous_done"],
        ),
        (
            "Records and the next review",
            ["decisions_issued", "record_issued", "next_review", "group_manager_agreement"],
        ),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in SCHEDULE_7:
            self.fields[f"s7_{key}"] = text(label, rows=2)
        done = self.fields["previous_done"]
        assert isinstance(done, forms.MultipleChoiceField)
        done.choices = self.open_actions
        for i in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{i}_text"].label = f"Decision {i}"
            self.fields[f"action_{i}_owner"].label = f"Decision {i}: owner"
            self.fields[f"action_{i}_due"].label = f"Decision {i}: due by"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        held = data.get("date")
        if data.get("venue") == "elsewhere":
            self.require(
                data, "seen_in_placement", "Give the date the IRO saw the child in the placement"
            )
        if data.get("adjourned"):
            self.require(data, "adjourned_reason", "Say why the review was adjourned")
            return data
        if data.get("without_meeting"):
            self.require(
                data,
                "without_meeting_consultation",
                "Record the decision not to meet and who was consulted",
            )
            if held is not None:
                self.check_without_meeting(held)
        for key, label in SCHEDULE_7:
            if key not in SCHEDULE_7_OPTIONAL:
                self.require(data, f"s7_{key}", f"Write a note on: {label.lower()}")
        if held is not None and self.late_by(held):
            self.require(
                data,
                "group_manager_agreement",
                "This review is outside its timescale: record the group manager's agreement",
            )
        for name in ("seen_privately", "sw_consulted", "documents_received"):
            when = data.get(name)
            if when is not None and held is not None and when > held:
                self.add_error(name, "This must be on or before the review")
        for name in ("decisions_issued", "record_issued", "seen_privately_recorded"):
            when = data.get(name)
            if when is not None and ((held is not None and when < held) or when > self.today):
                self.add_error(name, "This must be on or after the review, and not in the future")
        return data

    def check_without_meeting(self, held: dt.date) -> None:
        """Seed 002 section 5.2: a long-term placement of over a year may have a review without
        a meeting, but there must be a meeting at least once a year. Refused: a review without a
        meeting when another was held without one in the year before, or when no review in that
        year had a meeting (the first review always has one)."""
        from oversight.meetings.models import Meeting

        try:
            year_before = held.replace(year=held.year - 1)
        except ValueError:  # 29 February
            year_before = held.replace(year=held.year - 1, day=28)
        reviews = [
            m
            for m in Meeting.objects.filter(
                child=self.child,
                kind=Kind.LAC_REVIEW,
                status="completed",
                date__lt=held,
                date__gt=year_before,
            ).order_by("-date")
            if not m.details.get("adjourned")
        ]
        without = next((m for m in reviews if m.details.get("without_meeting")), None)
        if without is not None and without.date is not None:
            self.add_error(
                "without_meeting",
                f"The review on {without.date:%a %-d %B %Y} was held without a meeting: "
                "never more than a year without one, so this review needs a meeting",
            )
        elif not reviews:
            self.add_error(
                "without_meeting",
                "No review in the year before this one had a meeting: there must be a meeting "
                "at least once a year",
            )

    def late_by(self, held: dt.date) -> bool:
        """True when a review obligation of the child was due before `held` and is not met."""
        from oversight.cases.models import Obligation

        return Obligation.objects.filter(
            child=self.child,
            code__in=["lac.review.first", "lac.review.second", "lac.review.next"],
            met_on__isnull=True,
            due__lt=held,
        ).exists()

    def decision(self) -> str:
        return "adjourned" if self.cleaned_data.get("adjourned") else "held"

    def events(self) -> list[Planned]:
        held: dt.date = self.cleaned_data["date"]
        if self.cleaned_data.get("adjourned"):
            return [Planned("lac_review", held, self.cleaned_data.get("time"), {"adjourned": True})]
        found = []
        for name, kind in (
            ("seen_privately", "chair_child_discussion"),
            ("sw_consulted", "sw_consulted"),
        ):
            if self.cleaned_data.get(name):
                found.append(Planned(kind, self.cleaned_data[name]))
        if self.cleaned_data.get("documents_received"):
            found.append(
                Planned(
                    "review_documents_received",
                    self.cleaned_data["documents_received"],
                    None,
                    {"documents": list(self.cleaned_data.get("documents") or [])},
                )
            )
        found.append(Planned("lac_review", held, self.cleaned_data.get("time"), {}))
        for action in self.cleaned_data.get("previous_done") or []:
            found.append(Planned("action_done", held, None, {"action": action}))
        for name, kind in (
            ("seen_privately_recorded", "child_discussion_recorded"),
            ("decisions_issued", "review_decisions_issued"),
            ("record_issued", "review_record_issued"),
        ):
            if self.cleaned_data.get(name):
                found.append(Planned(kind, self.cleaned_data[name]))
        return found

    def planned(self, action_prefix: str) -> list[Planned]:
        if self.cleaned_data.get("adjourned"):  # an adjourned review meets and sets nothing
            return self.events() + [
                p for p in super().planned(action_prefix) if p.type == "meeting_booked"
            ]
        return super().planned(action_prefix)


class ReviewIssuedForm(MeetingForm):
    """The review's decisions and full record issued after the review."""

    kind = Kind.REVIEW_ISSUED
    decisions_issued = day("Date the record of decisions was issued")
    record_issued = day("Date the full written record was issued")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date of the review"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("decisions_issued") and not data.get("record_issued"):
            self.add_error(
                "decisions_issued", "Give the date the decisions or the record were issued"
            )
        for name in ("decisions_issued", "record_issued"):
            when = data.get(name)
            if when is not None and when > self.today:
                self.add_error(name, "The date must be today or in the past")
        return data

    def events(self) -> list[Planned]:
        found = []
        for name, kind in (
            ("decisions_issued", "review_decisions_issued"),
            ("record_issued", "review_record_issued"),
        ):
            if self.cleaned_data.get(name):
                found.append(Planned(kind, self.cleaned_data[name]))
        return found


# -- core group, visit, strategy, TAC ------------------------------------------------------


def _in_plan(form: MeetingForm, held: dt.date | None, what: str) -> None:
    if held is not None and period_on(form.periods, "plan", held) is None:
        form.add_error(
            "date", f"There is no child protection plan open on this date: {what} belongs to a plan"
        )


class CoreGroupForm(MeetingForm):
    kind = Kind.CORE_GROUP
    ACTIONS = True
    BOOKINGS: ClassVar[dict[str, str]] = {"next_core_group": "core_group"}
    attended = text("Attended (family members and professionals)")
    plan_updated = choice(
        "The child protection plan",
        [("updated", "Updated"), ("no_change", "No change, see core group minutes")],
        required=True,
    )
    progress = text("Progress against the plan")
    next_core_group = day("Next core group booked for")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _in_plan(self, data.get("date"), "a core group")
        return data

    def decision(self) -> str:
        return str(self.cleaned_data.get("plan_updated") or "")

    def events(self) -> list[Planned]:
        return [Planned("core_group", self.cleaned_data["date"], self.cleaned_data.get("time"))]


class VisitForm(MeetingForm):
    kind = Kind.CP_VISIT
    seen = choice("Was the child seen?", YES_NO, required=True)
    seen_alone = choice("Was the child seen alone?", YES_NO)
    where = choice(
        "Where",
        [("home", "At home"), ("school", "At school"), ("other", "Elsewhere")],
        required=True,
    )
    visited_by = line("Visited by")
    note = text("What was seen and heard")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _in_plan(self, data.get("date"), "a child protection visit")
        if data.get("seen") == "yes":
            self.require(data, "seen_alone", "Say whether the child was seen alone")
        return data

    def decision(self) -> str:
        return "seen" if self.cleaned_data.get("seen") == "yes" else "not_seen"

    def events(self) -> list[Planned]:
        # A statutory visit counts only when the child was seen.
        if self.cleaned_data.get("seen") != "yes":
            return []
        return [Planned("cp_visit", self.cleaned_data["date"], self.cleaned_data.get("time"))]


class StrategyForm(MeetingForm):
    """Strategy meetings (seed 000 section 3): only one that starts section 47 enquiries sets the
    ICPC deadline; LADO, exploitation and complex-case meetings chaired by an IRO set none."""

    kind = Kind.STRATEGY
    meeting_type = choice(
        "What kind of strategy meeting",
        [
            ("s47", "Strategy discussion: section 47 enquiries start"),
            ("s47_no", "Strategy discussion: no section 47 enquiries"),
            ("lado", "LADO: allegation about an adult who works with children"),
            ("exploitation", "Child exploitation response (CSE/CCE rated red or amber)"),
            ("complex", "Complex case"),
        ],
        required=True,
    )
    rag = choice(
        "Exploitation RAG rating", [("red", "Red"), ("amber", "Amber"), ("green", "Green")]
    )
    complex_reason = choice(
        "Why complex",
        [
            ("agencies", "More than one team or agency"),
            ("connected", "Connected victims or organised abuse"),
            ("peer", "Peer on peer abuse"),
            ("emerging", "New and emerging area of work"),
            ("serious", "Very serious abuse"),
            ("head_injury", "Young child with a serious head injury"),
        ],
    )
    chaired_by_iro = tick("Chaired by an IRO")
    attended = text("Attended")
    decisions = text("Decisions")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("meeting_type") == "exploitation":
            self.require(data, "rag", "Give the exploitation RAG rating")
        if data.get("meeting_type") == "complex":
            self.require(data, "complex_reason", "Say why the case is complex")
        return data

    def decision(self) -> str:
        return str(self.cleaned_data.get("meeting_type") or "")

    def events(self) -> list[Planned]:
        if self.cleaned_data.get("meeting_type") != "s47":
            return []
        return [
            Planned("strategy_discussion", self.cleaned_data["date"], self.cleaned_data.get("time"))
        ]


class S47OutcomeForm(MeetingForm):
    kind = Kind.S47_OUTCOME
    BOOKINGS: ClassVar[dict[str, str]] = {"icpc_on": "icpc"}
    CHAIR = True
    outcome = choice(
        "Outcome of the enquiries",
        [
            ("icpc", "An initial conference is needed"),
            ("not_required", "No initial conference is needed"),
        ],
        required=True,
    )
    icpc_on = day("Initial conference booked for")
    icpc_on_time = forms.TimeField(label="Initial conference time", required=False)
    reason = text("Reason and how the child's needs will be met")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome") == "icpc":
            self.require(data, "icpc_on", "Book the initial conference")
        if data.get("outcome") == "not_required":
            self.require(data, "reason", "Give the reason no conference is needed")
        return data

    def books_conference(self, data: dict[str, Any]) -> bool:
        return data.get("outcome") == "icpc"

    def events(self) -> list[Planned]:
        if self.cleaned_data.get("outcome") == "not_required":
            return [Planned("icpc_not_required", self.cleaned_data["date"])]
        return []


class TacForm(MeetingForm):
    kind = Kind.TAC_MEETING
    ACTIONS = True
    BOOKINGS: ClassVar[dict[str, str]] = {"next_tac": "tac_meeting"}
    chair = choice("Chaired by", [("iro", "The IRO"), ("other", "Someone else")], required=True)
    why_iro = choice(
        "Why the IRO chairs",
        [
            ("consultation", "After a pre-ICPC consultation"),
            ("step_down", "After step-down from a plan"),
            ("none", "Not chaired by the IRO"),
        ],
    )
    number_after_review = forms.IntegerField(
        label="Which TAC meeting after the review conference (ordinarily the third)",
        required=False,
        min_value=1,
    )
    threshold = text("Threshold for conference considered")
    membership = text("Membership, including adults' services")
    engagement = text("Engagement of the child, parents and agencies")
    minutes_agreed = tick("The IRO agreed the minutes")
    next_tac = day("Next TAC meeting booked for")

    def decision(self) -> str:
        return str(self.cleaned_data.get("chair") or "")

    def events(self) -> list[Planned]:
        return [
            Planned(
                "tac_meeting",
                self.cleaned_data["date"],
                self.cleaned_data.get("time"),
                {"chair": self.cleaned_data["chair"]},
            )
        ]


# -- consultation ---------------------------------------------------------------------------


class ConsultationForm(MeetingForm):
    """Stockport's pre-ICPC consultation pathway (seed 001), and advice at any time (Camden)."""

    kind = Kind.CONSULTATION
    requested_by = line("Requested by (social worker)", required=True)
    requested_on = day("Date requested", required=True)
    requested_at = forms.TimeField(label="Time requested", required=False)
    team_leader_agreed = tick("The team leader agreed to the consultation")
    manager_attended = tick("The manager attended")
    iro = choice(
        "Consulted IRO",
        [
            ("duty", "The duty IRO"),
            ("chair", "The conference chair"),
            ("same", "The IRO consulted before"),
            ("other", "Another IRO"),
        ],
        required=True,
    )
    documents_read = several(
        "Documents the IRO read",
        [
            ("assessment", "Most recent assessment"),
            ("chronology", "Chronology"),
            ("tac_minutes", "Most recent TAC minutes"),
            ("tac_plan", "TAC plan"),
        ],
    )
    other_documents = line("Other documents the social worker highlighted")
    advice = text("Advice given", required=True)
    rationale = text("Rationale for the advice", required=True)
    iro_recommendation = choice(
        "The IRO's recommendation",
        [
            ("icpc", "ICPC"),
            ("tac", "Manage through TAC"),
            ("more_information", "More information or assessment"),
            ("advice", "Advice only"),
        ],
        required=True,
    )
    team_decision = choice(
        "The social work team's decision",
        [
            ("icpc", "ICPC"),
            ("tac", "Manage through TAC"),
            ("more_information", "More information or assessment"),
            ("advice", "Advice only"),
        ],
        required=True,
    )
    outcome = choice(
        "Outcome",
        [
            ("icpc", "To ICPC"),
            ("tac", "TAC within 15 working days, chaired by the IRO"),
            ("more_information", "More information; further consultation to the same IRO"),
            ("disagree_threshold", "Threshold disagreement: to the service leader within 24 hours"),
            ("advice", "Advice"),
        ],
        required=True,
    )
    not_same_day = text("If the discussion was not on the day requested: why", rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date of the discussion"
        self.fields["time"].label = "Time of the discussion"
        self.fields["time"].required = True
        self.fields["time"].error_messages["required"] = "Enter the time of the discussion"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        held, asked = data.get("date"), data.get("requested_on")
        if held and asked:
            if asked > held:
                self.add_error("requested_on", "The request comes on or before the discussion")
            elif asked != held:
                self.require(
                    data,
                    "not_same_day",
                    "The discussion should be the same working day: say why not",
                )
        recommended, decided, outcome = (
            data.get("iro_recommendation"),
            data.get("team_decision"),
            data.get("outcome"),
        )
        if outcome == "disagree_threshold" and not (recommended != "icpc" and decided == "icpc"):
            self.add_error(
                "outcome",
                "A threshold disagreement is the team deciding on an ICPC that the IRO did not recommend",
            )
        if outcome == "tac" and not (recommended == "tac" and decided == "tac"):
            self.add_error("outcome", "A TAC outcome needs the IRO and the team to agree on TAC")
        return data

    def events(self) -> list[Planned]:
        return [
            Planned(
                "consultation",
                self.cleaned_data["date"],
                self.cleaned_data.get("time"),
                {"outcome": self.cleaned_data["outcome"]},
            )
        ]


class ThresholdDecisionForm(MeetingForm):
    kind = Kind.THRESHOLD_DECISION
    service_leader = line("Service leader", required=True)
    outcome = choice("Decision", [("icpc", "Go to ICPC"), ("no_icpc", "No ICPC")], required=True)
    rationale = text("Rationale", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date of the decision"
        self.fields["time"].label = "Time of the decision"
        self.fields["time"].required = True
        self.fields["time"].error_messages["required"] = "Enter the time of the decision (24 hours)"

    def events(self) -> list[Planned]:
        return [
            Planned(
                "service_leader_decision",
                self.cleaned_data["date"],
                self.cleaned_data.get("time"),
                {"decision": self.cleaned_data["outcome"]},
            )
        ]


# -- midway review, significant change -----------------------------------------------------


class MidwayReviewForm(MeetingForm):
    """Camden 4.5: Signs of Safety headings, or the chair's decision that none is needed."""

    kind = Kind.MIDWAY_REVIEW
    ACTIONS = True
    outcome = choice(
        "Midway review",
        [("held", "Held"), ("not_needed", "Not needed (the chair's decision)")],
        required=True,
    )
    worries = text("What are we worried about?")
    working_well = text("What's working well?")
    needs_to_happen = text("What needs to happen?")
    scale = forms.IntegerField(
        label="Scale of worries (0 to 10)", required=False, min_value=0, max_value=10
    )
    not_needed_reason = text("Why no midway review is needed", rows=2)
    manager_attended = tick("The team manager attended (a decision was needed)")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _in_plan(self, data.get("date"), "a midway review")
        if data.get("outcome") == "held":
            for name, label in (
                ("worries", "what we are worried about"),
                ("working_well", "what's working well"),
                ("needs_to_happen", "what needs to happen"),
            ):
                self.require(data, name, f"Record {label}")
            if data.get("scale") is None and "scale" not in self.errors:
                self.add_error("scale", "Give the scale of worries")
        if data.get("outcome") == "not_needed":
            self.require(data, "not_needed_reason", "Say why no midway review is needed")
        return data

    def events(self) -> list[Planned]:
        return [
            Planned(
                "midway_review",
                self.cleaned_data["date"],
                self.cleaned_data.get("time"),
                {"outcome": self.cleaned_data["outcome"]},
            )
        ]


class ChangeNoticeForm(MeetingForm):
    """The social worker tells the chair of a significant change (seed 000 section 4.3): the
    chair is told at once and a decision falls due on the chair's caseload the next working day."""

    kind = Kind.CHANGE_NOTICE
    changes = forms.MultipleChoiceField(
        label="What changed",
        choices=SIGNIFICANT_CHANGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose what changed"},
    )
    change_details = text("Details of the change", required=True)
    notified_by = line("Notified by (social worker)", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date the chair was told"

    def details(self) -> dict[str, Any]:
        out = super().details()
        labels = dict(SIGNIFICANT_CHANGES)
        out["changes_labels"] = [labels[c] for c in self.cleaned_data["changes"]]
        return out

    def decision(self) -> str:
        return ",".join(self.cleaned_data["changes"])

    def planned(self, action_prefix: str) -> list[Planned]:
        from oversight.cases.obligations import active_pack
        from oversight.timescales.engine import calendar_for

        held: dt.date = self.cleaned_data["date"]
        cal = calendar_for(active_pack().policy)
        due = dt.date.fromordinal(cal.add_working_days(held.toordinal(), 1))
        return [
            Planned(
                "action_set",
                held,
                self.cleaned_data.get("time"),
                {
                    "action": f"{action_prefix}-decide",
                    "text": "Decide whether to bring the review forward",
                    "due": due.isoformat(),
                    "owner": Role.IRO.value,
                },
            )
        ]


class ChangeDecisionForm(MeetingForm):
    """The chair's decision on a significant change: bring the review forward (a new booking,
    counted as brought forward) or not, with the reason."""

    kind = Kind.CHANGE_DECISION
    BOOKINGS: ClassVar[dict[str, str]] = {"new_date": "rcpc"}
    notice = forms.ChoiceField(
        label="The change notified",
        choices=[],
        error_messages={"required": "Choose the change notified"},
    )
    outcome = choice(
        "Decision",
        [("forward", "Bring the review forward"), ("not_forward", "Do not bring it forward")],
        required=True,
    )
    review = choice(
        "Which review", [("rcpc", "Review conference"), ("lac_review", "Looked-after review")]
    )
    new_date = day("New date of the review")
    reason = text("Reason", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from oversight.meetings.models import Meeting

        notices = Meeting.objects.filter(
            child=self.child, kind=Kind.CHANGE_NOTICE, status="completed"
        )
        field_ = self.fields["notice"]
        assert isinstance(field_, forms.ChoiceField)
        field_.choices = [("", "Choose")] + [
            (str(m.pk), f"{m.date:%a %-d %b %Y}: {', '.join(m.details.get('changes_labels', []))}")
            for m in notices
        ]
        self.fields["date"].label = "Date of the decision"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome") == "forward":
            self.require(data, "new_date", "Give the new date of the review")
            self.require(data, "review", "Choose the review brought forward")
        return data

    def planned(self, action_prefix: str) -> list[Planned]:
        held: dt.date = self.cleaned_data["date"]
        found = [
            Planned("action_done", held, None, {"action": f"m{self.cleaned_data['notice']}-decide"})
        ]
        if self.cleaned_data["outcome"] == "forward":
            found.append(
                Planned(
                    "meeting_booked",
                    held,
                    None,
                    {
                        "meeting": self.cleaned_data["review"],
                        "on": self.cleaned_data["new_date"].isoformat(),
                        "brought_forward": True,
                    },
                )
            )
        return found


class ScpReferralForm(MeetingForm):
    """A referral to the Support and Challenge Panel when the engine's flag is raised (Camden 5)."""

    kind = Kind.SCP_REFERRAL
    reason = text("Why the child is referred", required=True)
    outcome = choice(
        "The panel's outcome",
        [
            ("pending", "Not yet heard"),
            ("continue", "Plan continues with recommendations"),
            ("step_up", "Step up (legal planning)"),
            ("step_down", "Step down"),
        ],
        required=True,
    )
    recommendations = text("The panel's recommendations")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date referred"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.child.flags.filter(code="cp.support_challenge_panel").exists():
            self.add_error(
                None,
                "The Support and Challenge Panel flag is not raised for this child (a plan of 18 "
                "months or more, or a second plan within 2 years)",
            )
        return data


# -- Legal Planning Meeting decision; the IRO and the looked-after child ------------------


class LpmDecisionForm(MeetingForm):
    """Camden appendix 1: the chair recommends a Legal Planning Meeting at the conference; the
    team manager decides whether to act on it. Refused: no conference of the child recommended
    one; a decision dated before the conference."""

    kind = Kind.LPM_DECISION
    conference = forms.ChoiceField(
        label="The conference that recommended it",
        choices=[],
        error_messages={"required": "Choose the conference that recommended it"},
    )
    team_manager = line("Team manager", required=True)
    outcome = choice(
        "The team manager's decision",
        [("convene", "A Legal Planning Meeting will be held"), ("not_convene", "Not held")],
        required=True,
    )
    lpm_date = day("Date of the Legal Planning Meeting, if held or set")
    reason = text("Reason for the decision", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from oversight.meetings.models import Meeting

        self.conferences = {
            str(m.pk): m
            for m in Meeting.objects.filter(
                child=self.child,
                kind__in=[Kind.ICPC, Kind.RCPC],
                status="completed",
                details__lpm_recommended=True,
            ).order_by("date", "pk")
        }
        field_ = self.fields["conference"]
        assert isinstance(field_, forms.ChoiceField)
        field_.choices = [("", "Choose")] + [
            (pk, f"{m.get_kind_display()} on {m.date:%a %-d %b %Y}")
            for pk, m in self.conferences.items()
        ]
        self.fields["date"].label = "Date of the decision"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.conferences:
            self.add_error(
                "conference", "No conference of this child recommended a Legal Planning Meeting"
            )
            return data
        held, chosen = data.get("date"), self.conferences.get(str(data.get("conference")))
        if held is not None and chosen is not None and chosen.date and held < chosen.date:
            self.add_error("date", "The decision comes on or after the conference")
        if data.get("outcome") == "not_convene" and data.get("lpm_date"):
            self.add_error("lpm_date", "No Legal Planning Meeting is held: leave the date empty")
        return data


def _episode_on(form: MeetingForm, held: dt.date | None, what: str) -> None:
    if held is not None and period_on(form.periods, "episode", held) is None:
        form.add_error("date", f"The child is not looked after on this date: {what}")


class IroDetailsSentForm(MeetingForm):
    """Seed 002 section 5: on the child becoming looked after, the IRO's details are sent to the
    child (the IRO is allocated within 5 working days)."""

    kind = Kind.IRO_DETAILS_SENT
    iro = line("The IRO whose details were sent", required=True)
    how = choice(
        "How",
        [
            ("letter", "Letter"),
            ("email", "Email or text"),
            ("in_person", "Given in person"),
            ("carer", "Through the carer or social worker"),
        ],
        required=True,
    )
    note = text("What was sent (leaflet, photo, how to contact the IRO)", rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date sent"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _episode_on(self, data.get("date"), "the IRO's details go to a looked-after child")
        return data

    def decision(self) -> str:
        return str(self.cleaned_data.get("how") or "")


class IroVisitForm(MeetingForm):
    """Seed 002 section 5: the IRO visits the child between reviews and the record of the visit
    is on the child's file within 5 working days: an action due 5 working days after the visit,
    met when the record is made (`recorded_on`, or later an `action_done`)."""

    kind = Kind.IRO_VISIT
    where = choice(
        "Where",
        [("placement", "The placement"), ("school", "School or college"), ("other", "Elsewhere")],
        required=True,
    )
    seen_alone = choice("Was the child seen alone?", YES_NO, required=True)
    note = text("What the child said and what the IRO saw", required=True)
    recorded_on = day("Date the record of the visit was put on the child's file")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date of the visit"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        held, recorded = data.get("date"), data.get("recorded_on")
        _episode_on(self, held, "an IRO visit between reviews is to a looked-after child")
        if recorded is not None and (
            (held is not None and recorded < held) or recorded > self.today
        ):
            self.add_error(
                "recorded_on", "This must be on or after the visit, and not in the future"
            )
        return data

    def decision(self) -> str:
        return "seen_alone" if self.cleaned_data.get("seen_alone") == "yes" else "seen"

    def planned(self, action_prefix: str) -> list[Planned]:
        from oversight.cases.obligations import active_pack
        from oversight.timescales.engine import calendar_for

        held: dt.date = self.cleaned_data["date"]
        cal = calendar_for(active_pack().policy)
        due = dt.date.fromordinal(cal.add_working_days(held.toordinal(), 5))
        action = f"{action_prefix}-record"
        found = [
            Planned(
                "action_set",
                held,
                None,
                {
                    "action": action,
                    "text": "Put the record of the IRO's visit on the child's file",
                    "due": due.isoformat(),
                    "owner": Role.IRO.value,
                },
            )
        ]
        if self.cleaned_data.get("recorded_on"):
            found.append(
                Planned("action_done", self.cleaned_data["recorded_on"], None, {"action": action})
            )
        return found


class IroHandoverForm(MeetingForm):
    """Seed 002 section 5: if the IRO changes, the current IRO introduces the new IRO to the
    child; the handover is recorded. Refused: a new IRO who is not the child's IRO now
    (reallocate on the Allocation page first)."""

    kind = Kind.IRO_HANDOVER
    outgoing = line("The IRO handing over", required=True)
    new_iro = forms.ModelChoiceField(
        label="The new IRO",
        queryset=StaffMember.objects.none(),
        error_messages={"required": "Choose the new IRO"},
    )
    introduced = choice(
        "Did the outgoing IRO introduce the new IRO to the child?", YES_NO, required=True
    )
    not_introduced_reason = text("If not: why, and how the child was told", rows=2)
    handover = text(
        "Handover: the care plan, outstanding decisions, the child's wishes, any concerns",
        required=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_ = self.fields["new_iro"]
        assert isinstance(field_, forms.ModelChoiceField)
        field_.queryset = (
            StaffMember.objects.filter(role_set__role=Role.IRO)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
            .distinct()
        )
        self.fields["date"].label = "Date of the handover"

    def clean(self) -> dict[str, Any]:
        from oversight.cases.allocations import current_iro

        data = super().clean()
        chosen = data.get("new_iro")
        current = current_iro(self.child, self.today)
        if chosen is not None and (current is None or current.pk != chosen.pk):
            self.add_error(
                "new_iro",
                f"{chosen} is not this child's IRO: reallocate on the Allocation page first",
            )
        if data.get("introduced") == "no":
            self.require(data, "not_introduced_reason", "Say why not, and how the child was told")
        return data

    def decision(self) -> str:
        return "introduced" if self.cleaned_data.get("introduced") == "yes" else "not_introduced"


FORMS: dict[str, type[MeetingForm]] = {
    Kind.BOOKING: BookingForm,
    Kind.STRATEGY: StrategyForm,
    Kind.S47_OUTCOME: S47OutcomeForm,
    Kind.CONSULTATION: ConsultationForm,
    Kind.THRESHOLD_DECISION: ThresholdDecisionForm,
    Kind.TAC_MEETING: TacForm,
    Kind.ICPC: ConferenceForm,
    Kind.CORE_GROUP: CoreGroupForm,
    Kind.CP_VISIT: VisitForm,
    Kind.MIDWAY_REVIEW: MidwayReviewForm,
    Kind.RCPC: ReviewConferenceForm,
    Kind.CHANGE_NOTICE: ChangeNoticeForm,
    Kind.CHANGE_DECISION: ChangeDecisionForm,
    Kind.LAC_REVIEW: LacReviewForm,
    Kind.REVIEW_ISSUED: ReviewIssuedForm,
    Kind.SCP_REFERRAL: ScpReferralForm,
    Kind.LPM_DECISION: LpmDecisionForm,
    Kind.IRO_DETAILS_SENT: IroDetailsSentForm,
    Kind.IRO_VISIT: IroVisitForm,
    Kind.IRO_HANDOVER: IroHandoverForm,
}

__all__ = ["FORMS", "MeetingForm", "Planned"]


class DipJudgementForm(forms.Form):
    """The service leader's judgement of one consultation in the monthly dip sample."""

    consultation = forms.IntegerField(widget=forms.HiddenInput)
    advice_quality = forms.ChoiceField(
        label="Quality of the advice",
        choices=[
            ("good", "Good"),
            ("adequate", "Adequate"),
            ("requires_improvement", "Requires improvement"),
            ("inadequate", "Inadequate"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the quality of the advice"},
    )
    timely = forms.ChoiceField(
        label="Were the advice and any resulting TAC timely?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the advice and any TAC were timely"},
    )
    comments = text("Comments (what should change, for the IRO's supervision)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weak = data.get("advice_quality") in ("requires_improvement", "inadequate")
        if (weak or data.get("timely") == "no") and not (data.get("comments") or "").strip():
            self.add_error("comments", "Say what should change")
        return data
