"""One form per kind of meeting record: the fields the seeds require, parsed (types, choices,
required), and laid out under the seeds' headings.

The refusals are the rules' (`oversight.meetings.rules`): `MeetingForm.clean` gives the parsed
values to `rules.check` as a `Record` and shows each refusal on its field, so the page says what
the API and an import say. Nothing is saved on any error; completing the record is the action's
(`oversight.meetings.actions.complete_meeting`, given `MeetingForm.record()`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms

from oversight.cases import formatting
from oversight.cases.access import open_allocations
from oversight.cases.allocations import current_iro
from oversight.cases.constants import EventType, Role
from oversight.cases.forms import DayField
from oversight.cases.models import Allocation, Child, Event, StaffMember
from oversight.cases.text import TextForm
from oversight.meetings import diary, rules
from oversight.meetings.constants import (
    CATEGORIES,
    DOCUMENT_TYPES,
    MAX_DOCUMENT_BYTES,
    SCHEDULE_7,
    SCHEDULE_7_OPTIONAL,
    SIGNIFICANT_CHANGES,
    Kind,
    Status,
)
from oversight.meetings.facts import (
    decision_record,
    facts_about,
    legal_status_recorded,
    person,
    proceedings_seen,
    sw_visits_seen,
)
from oversight.meetings.models import Document, Meeting
from oversight.meetings.rules import ACTION_ROWS, EXCLUSION_ROWS
from oversight.policies.checks import active_policy
from oversight.uploads import content

YES_NO = [("yes", "Yes"), ("no", "No")]
# A yes/no answer as the rules take it.
TIMELY = {"yes": True, "no": False}


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


def _plain(value: Any) -> Any:
    """A parsed value as the rules take it: a member of staff as a `rules.Person`."""
    return person(value) if isinstance(value, StaffMember) else value


class MeetingForm(TextForm):
    """The fields every meeting record shares: the date it was held and an optional time; the
    chair, actions and exclusions for the kinds whose rules have them (`rules.KINDS`)."""

    kind: ClassVar[str]
    # (heading, field names) to lay the form out; fields not named go under "Details".
    SECTIONS: ClassVar[list[tuple[str, list[str]]]] = []
    # A long form filled in one section at a time (the GOV.UK task list), a draft kept between.
    IN_STEPS: ClassVar[bool] = False
    # Fields the rules require only in some cases, and when (shown beside the label, as a field
    # the form requires says "(required)").
    REQUIRED_WHEN: ClassVar[dict[str, str]] = {}

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
        people: list[tuple[str, str]],
        open_actions: list[tuple[str, str]] | None = None,
        skip: Iterable[int] = (),
        **kwargs: Any,
    ) -> None:
        """`skip`: the events of the record being amended (the rules read the child's plans
        without them)."""
        super().__init__(*args, **kwargs)
        self.child = child
        self.today = today
        self.skip = list(skip)
        self.people = people
        self.open_actions = open_actions or []
        kind = rules.KINDS[self.kind]
        if kind.chair:
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
        if kind.actions:
            for i in range(1, ACTION_ROWS + 1):
                self.fields[f"action_{i}_text"] = line(f"Action {i}")
                self.fields[f"action_{i}_owner"] = forms.ChoiceField(
                    label=f"Action {i}: owner", choices=owners, required=False
                )
                self.fields[f"action_{i}_due"] = day(f"Action {i}: due by")
        if kind.exclusions:
            for i in range(1, EXCLUSION_ROWS + 1):
                self.fields[f"excluded_{i}_who"] = line(f"Person excluded {i}")
                self.fields[f"excluded_{i}_rationale"] = text(
                    f"Person excluded {i}: evidence-based rationale", rows=2
                )
                self.fields[f"excluded_{i}_record"] = line(
                    f"Person excluded {i}: decision record (MDR) reference or letter sent"
                )

    def clean(self) -> dict[str, Any]:
        """The rules' refusals of the parsed values, each on its field."""
        data = super().clean() or {}
        record = rules.Record(
            kind=self.kind,
            values={name: _plain(value) for name, value in data.items()},
            invalid=frozenset(self.errors),
        )
        facts = facts_about(self.child, today=self.today, skip=self.skip)
        for name, messages in rules.check(record, facts):
            for message in messages:
                self.add_error(name, message)
        return data

    def record(self) -> rules.Record:
        """The valid form's values as the actions take them."""
        values = {name: _plain(value) for name, value in self.cleaned_data.items()}
        return rules.Record(kind=self.kind, values=values)


_ROLE_OWNERS = [
    (Role.SOCIAL_WORKER.value, "The social worker"),
    (Role.TEAM_MANAGER.value, "The team manager"),
    (Role.IRO.value, "The IRO / chair"),
]


# -- bookings --------------------------------------------------------------------------------


class BookingForm(MeetingForm):
    """A meeting booked ahead: the day the booking is made (today or earlier) and the date and
    time booked (today or later), typed or one of the chair's free slots (`free`, from
    `oversight.meetings.diary.free_slots`); the venue; who is invited (the child's core group of
    professionals, everyone ticked unless the chair unticks them), each sent the invitation with
    its calendar event."""

    kind = Kind.BOOKING
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
    slot = forms.ChoiceField(
        label="The chair's free slots",
        choices=[],
        required=False,
        widget=forms.RadioSelect,
        help_text="Or leave this and type the date and time booked below",
    )
    on = day("Date booked")
    at = forms.TimeField(
        label="Time booked",
        required=False,
        help_text="For example, 10:00",
        error_messages={"invalid": "Enter a real time, for example 10:00"},
    )
    venue = line("Venue")
    invite = forms.MultipleChoiceField(
        label="Invite (each is sent the invitation by email, with a calendar attachment)",
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    brought_forward = tick("This brings a review forward")
    reason = text("Reason (a review brought forward, or booked outside its timescale)", rows=2)
    group_manager_agreement = line(
        "Group manager's agreement to a review outside its timescale (name and date)"
    )

    def __init__(
        self, *args: Any, free: Iterable[dt.datetime] = (), chair_name: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date the booking was made"
        slot = self.fields["slot"]
        assert isinstance(slot, forms.ChoiceField)
        slot.choices = [(when.isoformat(timespec="minutes"), slot_label(when)) for when in free]
        if chair_name:
            slot.label = f"{chair_name}'s free slots"
        invite = self.fields["invite"]
        assert isinstance(invite, forms.MultipleChoiceField)
        invite.choices = self.people

    def clean(self) -> dict[str, Any]:
        """A free slot chosen is the date and time booked (typed ones must agree with it)."""
        chosen = self.cleaned_data.get("slot")
        if chosen:
            when = dt.datetime.fromisoformat(chosen)
            typed_on, typed_at = self.cleaned_data.get("on"), self.cleaned_data.get("at")
            if (typed_on not in (None, when.date())) or (typed_at not in (None, when.time())):
                self.add_error(
                    "slot", "Choose a free slot or type the date and time booked, not both"
                )
            else:
                self.cleaned_data["on"], self.cleaned_data["at"] = when.date(), when.time()
        self.cleaned_data.pop("slot", None)  # kept as the date and time booked
        return super().clean()


def slot_label(when: dt.datetime) -> str:
    """A free slot as people read it: "Thursday 8 April 2027 at 10am"."""
    return f"{formatting.day(when.date())} at {formatting.clock(when.time())}"


# -- child protection conferences -----------------------------------------------------------


class ConferenceForm(MeetingForm):
    """Initial and review child protection conferences (seed 000 section 4 and appendix 1,
    seed 002 section 2, including pre-birth conferences for an unborn child)."""

    kind = Kind.ICPC
    IN_STEPS = True
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
    lpm_decide_by = day(
        "Legal Planning Meeting: the team manager decides by",
        help_text="The team manager is told, and the decision is due on their caseload then",
    )
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
    step_down_factors = text(
        "Step-down to TAC: the factors the IRO weighed (complexity of the issues, how long the "
        "plan lasted, whether the step-down was unanimous)",
        rows=2,
    )
    step_down_consulted = several(
        "Step-down to TAC: the IRO's decision was made with",
        [("family", "The family"), ("core_group", "The core group")],
    )
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
                "lpm_decide_by",
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
                "step_down_factors",
                "step_down_consulted",
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
        # Only social workers are offered; anyone posted is parsed, so that a wrong choice (from
        # the API's words or a stale page) is refused by the rule with its reason.
        lead.queryset = StaffMember.objects.select_related("user").order_by(
            "user__last_name", "user__first_name"
        )
        offered = lead.queryset.filter(role_set__role=Role.SOCIAL_WORKER).distinct()
        lead.widget.choices = [("", "Choose the lead social worker")] + [
            (str(s.pk), str(s)) for s in offered
        ]
        if not self.child.is_unborn:
            del self.fields["prebirth_support"]


class ReviewConferenceForm(ConferenceForm):
    kind = Kind.RCPC
    OUTCOMES: ClassVar[list[tuple[str, str]]] = [
        ("continue", "The plan continues"),
        ("end", "The plan ends"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["first_core_group"]


# -- documents -----------------------------------------------------------------------------


class ConsultationRequestForm(TextForm):
    """A social worker's request for a consultation (`actions.request_consultation` routes it)."""

    on = DayField(
        label="Date of the request",
        help_text="For example, 24 12 2026",
        error_messages={"required": "Enter the date of the request"},
    )
    at = forms.TimeField(
        label="Time (optional)",
        required=False,
        help_text="For example, 10:15",
        error_messages={"invalid": "Enter a real time, for example 10:15"},
    )
    question = forms.CharField(
        label="What you would like advice on",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what you would like advice on"},
    )
    team_leader_agreed = tick("My team leader agreed to the consultation")


class DocumentForm(TextForm):
    type = forms.ChoiceField(
        label="What it is",
        choices=Document.Type.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the document is"},
    )
    file = forms.FileField(
        label="File",
        max_length=Document._meta.get_field("name").max_length,  # the file's name is kept
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
        wrong = content.problem(name, upload)
        if wrong is not None:
            raise forms.ValidationError(wrong)
        return upload


# -- looked-after child review -------------------------------------------------------------


class LacReviewForm(MeetingForm):
    """A looked-after child review (seed 002 section 5.2, IRO Handbook chapter 3), in sections
    as the conferences are (its Schedule 7 checklist alone is a long page)."""

    kind = Kind.LAC_REVIEW
    IN_STEPS = True
    # `rules.looked_after.check_lac_review`: a note on each item but two, unless adjourned.
    REQUIRED_WHEN: ClassVar[dict[str, str]] = {
        f"s7_{key}": "required unless adjourned"
        for key, _label in SCHEDULE_7
        if key not in SCHEDULE_7_OPTIONAL
    }

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
    record_issued = day("Date the full record was issued")
    next_review = day("Next review booked for")
    group_manager_agreement = line(
        "Held outside its timescale: the group manager's agreement (name and date)"
    )
    legal_papers_confirmed = tick(
        "I have had sight of the legal papers the local authority filed in the care proceedings "
        "since the last review"
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
        ("Care proceedings", ["legal_papers_confirmed"]),
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
        self.fields["s7_sw_visits"].help_text = sw_visits_seen(self.child, self.today)
        self.fields["s7_legal_status"].help_text = legal_status_recorded(self.child, self.today)
        self.fields["legal_papers_confirmed"].help_text = proceedings_seen(self.child, self.today)
        done = self.fields["previous_done"]
        assert isinstance(done, forms.MultipleChoiceField)
        done.choices = self.open_actions
        for i in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{i}_text"].label = f"Decision {i}"
            self.fields[f"action_{i}_owner"].label = f"Decision {i}: owner"
            self.fields[f"action_{i}_due"].label = f"Decision {i}: due by"


class ReviewIssuedForm(MeetingForm):
    """The review's decisions and full record issued after the review."""

    kind = Kind.REVIEW_ISSUED
    decisions_issued = day("Date the record of decisions was issued")
    record_issued = day("Date the full written record was issued")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date of the review"


# -- core group, visit, strategy, TAC ------------------------------------------------------


class CoreGroupForm(MeetingForm):
    kind = Kind.CORE_GROUP
    attended = text("Attended (family members and professionals)")
    plan_updated = choice(
        "The child protection plan",
        [("updated", "Updated"), ("no_change", "No change, see core group minutes")],
        required=True,
    )
    progress = text("Progress against the plan")
    next_core_group = day("Next core group booked for")


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


class S47OutcomeForm(MeetingForm):
    kind = Kind.S47_OUTCOME
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


class TacForm(MeetingForm):
    kind = Kind.TAC_MEETING
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
    not_iro_reason = text(
        "If the IRO does not chair the TAC meeting the IRO ordinarily chairs: why", rows=2
    )


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


# -- midway review, significant change -----------------------------------------------------


class MidwayReviewForm(MeetingForm):
    """Camden 4.5: Signs of Safety headings, or the chair's decision that none is needed."""

    kind = Kind.MIDWAY_REVIEW
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
    # Under a council with a manager's decision record (Walsall's MDR) only: the chair's check
    # that the one after the conference was made (seed 002 section 3).
    conference_mdr = choice(
        "Has the manager's decision record after the conference been completed, reflecting its "
        "recommendations?",
        [("yes", "Yes"), ("no", "No, or it does not reflect the recommendations")],
    )
    conference_mdr_follow_up = text("If not: what the chair did about it", rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        named = decision_record(active_policy())
        if not named:
            del self.fields["conference_mdr"], self.fields["conference_mdr_follow_up"]
            return
        self.fields["conference_mdr"].label = (
            f"Has the manager's {named} after the conference been completed, reflecting its "
            "recommendations?"
        )


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


class ChangeDecisionForm(MeetingForm):
    """The chair's decision on a significant change: bring the review forward (a new booking,
    counted as brought forward) or not, with the reason."""

    kind = Kind.CHANGE_DECISION
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
        notices = Meeting.objects.filter(
            child=self.child, kind=Kind.CHANGE_NOTICE, status=Status.COMPLETED
        )
        field_ = self.fields["notice"]
        assert isinstance(field_, forms.ChoiceField)
        field_.choices = [("", "Choose")] + [
            (
                str(m.pk),
                f"{formatting.short_day(m.date)}: {', '.join(m.details.get('changes_labels', []))}",
            )
            for m in notices
        ]
        self.fields["date"].label = "Date of the decision"


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


# -- Legal Planning Meeting decision; the IRO and the looked-after child ------------------


class LpmDecisionForm(MeetingForm):
    """Camden appendix 1: the chair recommends a Legal Planning Meeting at the conference; the
    team manager decides whether to act on it (the conferences that recommended one to choose)."""

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
        conferences = Meeting.objects.filter(
            child=self.child,
            kind__in=[Kind.ICPC, Kind.RCPC],
            status=Status.COMPLETED,
            details__lpm_recommended=True,
        ).order_by("date", "pk")
        field_ = self.fields["conference"]
        assert isinstance(field_, forms.ChoiceField)
        field_.choices = [("", "Choose")] + [
            (str(m.pk), f"{m.get_kind_display()} on {formatting.short_day(m.date)}")
            for m in conferences
        ]
        self.fields["date"].label = "Date of the decision"


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


class IroHandoverForm(MeetingForm):
    """Seed 002 section 5: if the IRO changes, the current IRO introduces the new IRO to the
    child; the handover is recorded (the new IRO chosen among the IROs)."""

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


class ParentResponseForm(MeetingForm):
    """Seed 002 section 5.2: a parent excluded from the reviews is told why in writing and
    offered a meeting; a refusal is recorded on the child's file within 5 working days (an
    action due that long after it, met when the record is made: `recorded_on`, or later an
    `action_done`)."""

    kind = Kind.PARENT_RESPONSE
    parent = line("The parent or carer excluded from the reviews", required=True)
    letter_sent = day("Date the IRO's letter explaining the exclusion was sent")
    response = choice(
        "Their response to the offer to meet",
        [("met", "Accepted a meeting"), ("refused", "Refused a meeting")],
        required=True,
    )
    note = text("What they said", rows=2)
    recorded_on = day("Date the response was recorded on the child's file")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date of the parent's response"


class ContactForm(MeetingForm):
    """Seed 000 section 3: every contact of the chair (a CP IRO) with parents, children, staff,
    advocates and others, on the IRO contact record."""

    kind = Kind.CONTACT
    with_whom = choice(
        "Contact with",
        [
            ("parent", "A parent or carer"),
            ("child", "The child"),
            ("advocate", "An advocate"),
            ("staff", "A member of staff"),
            ("other", "Someone else"),
        ],
        required=True,
    )
    who = line("Name and role", required=True)
    how = choice(
        "How",
        [
            ("in_person", "In person"),
            ("phone", "Phone"),
            ("video", "Video"),
            ("written", "Email or letter"),
        ],
        required=True,
    )
    about = text("What was discussed, and what follows", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date of the contact"


class ProfessionalsMeetingForm(MeetingForm):
    """Seed 000 section 4.3: the social worker gives the conference chair the minutes of any
    professionals meeting about the child (attach them to the record once it is saved)."""

    kind = Kind.PROFESSIONALS_MEETING
    purpose = line("What the meeting was about", required=True)
    attended = text("Who attended", rows=2)
    minutes_sent = day("Date the minutes reached the chair")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date of the professionals meeting"


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
    Kind.PARENT_RESPONSE: ParentResponseForm,
    Kind.CONTACT: ContactForm,
    Kind.PROFESSIONALS_MEETING: ProfessionalsMeetingForm,
}


def _outcomes(form: type[MeetingForm]) -> dict[str, str]:
    """A kind's outcome codes in words, as its form offers them ("plan": "Child protection
    plan")."""
    field = form.base_fields.get("outcome")
    offered: list[Any] = list(field.choices) if isinstance(field, forms.ChoiceField) else []  # type: ignore[arg-type]
    return {str(code): str(label) for code, label in [*offered, *getattr(form, "OUTCOMES", [])]}


# What a meeting's events say of its outcome, by kind: the same code reads differently in two
# kinds ("continue": "The plan continues" at a review conference).
OUTCOME_LABELS: dict[str, dict[str, str]] = {kind: _outcomes(form) for kind, form in FORMS.items()}

__all__ = ["FORMS", "OUTCOME_LABELS", "MeetingForm"]


class DipJudgementForm(TextForm):
    """The service leader's judgement of one consultation in the monthly dip sample (the page
    names each row's form by its consultation, with a prefix)."""

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
        """The rule's refusals (`rules.check_judgement`), each on its field."""
        data = super().clean() or {}
        errors = rules.check_judgement(
            data.get("advice_quality"), TIMELY.get(data.get("timely", "")), data.get("comments", "")
        )
        for name, messages in errors:
            for message in messages:
                self.add_error(name, message)
        return data


def open_actions_of(child: Child) -> list[tuple[str, str]]:
    """The child's actions still open (set and not done): id and what to show for each."""
    rows = Event.objects.filter(
        child=child, type__in=[EventType.ACTION_SET, EventType.ACTION_DONE]
    ).order_by("date", "pk")
    found: dict[str, str] = {}
    for event in rows:
        key = str(event.data.get("action"))
        if event.type == EventType.ACTION_SET:
            found[key] = f"{event.data.get('text', key)} (due {event.data.get('due', '')})"
        else:
            found.pop(key, None)
    return list(found.items())


def meeting_form(
    kind: str,
    child: Child,
    today: dt.date,
    *,
    data: Any = None,
    initial: dict[str, Any] | None = None,
    skip: list[int] | None = None,
) -> MeetingForm:
    """The form of meeting `kind` for `child` on `today`: its people are the child's allocated staff
    and its open actions the child's; the page and the API parse a record with it."""
    people = [
        (a.staff.user.username, f"{a.staff} ({a.get_role_display()})")
        for a in Allocation.objects.filter(open_allocations(today), child=child).select_related(
            "staff__user"
        )
    ]
    extra: dict[str, Any] = {}
    if kind == Kind.BOOKING:
        chair = current_iro(child, today)
        if chair is not None:
            extra["chair_name"] = str(chair)
            extra["free"] = diary.free_slots(chair, today + dt.timedelta(days=1), as_of=today)
    form = FORMS[kind](
        data,
        initial=initial,
        child=child,
        today=today,
        skip=skip or [],
        people=people,
        open_actions=open_actions_of(child),
        **extra,
    )
    for name, field in form.fields.items():  # the fields the record cannot be completed without
        if field.required:
            field.label = f"{field.label} (required)"
        elif name in form.REQUIRED_WHEN:
            field.label = f"{field.label} ({form.REQUIRED_WHEN[name]})"
    return form
