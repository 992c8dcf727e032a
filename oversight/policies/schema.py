"""The shape of a policy pack, as pydantic models: what `oversight policy validate` checks.

A pack is a TOML file. Every table rejects keys it does not know (`extra="forbid"`), every number
carries a `source` (seed file and section, or the regulation), and roles are the neutral roles of
Oversight: a pack relabels them (`[roles]`), it does not invent new ones. The engine never reads
these models; `resolve.py` maps a pack to `oversight.timescales.rules.Policy`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from oversight.timescales.events import EVENT_TYPES
from oversight.timescales.rules import RuleError, parse_rule

ROLES: tuple[str, ...] = (
    "iro",
    "duty_iro",
    "iro_team_manager",
    "safeguarding_service_manager",
    "social_worker",
    "team_manager",
    "service_manager",
    "head_of_service",
    "assistant_director",
    "director",
    "administrator",
    "auditor",
)
# Not roles a pack may relabel, but owners the engine knows at run time.
OWNER_TOKENS: tuple[str, ...] = ("addressee", "action_owner")

RECORD_KINDS: tuple[str, ...] = (
    "case_system",
    "informal",
    "formal",
    "notice",
    "alert_form",
    "dispute_episode",
    "consultation",
    "decision_record",
    "contact_record",
    "midway_review",
)


NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
REVIEW = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$")


def rule_problem(text: object, *, allow_none: bool = False) -> str | None:
    """Why `text` is not a duration rule (or `none`), or None when it is one."""
    if allow_none and text == "none":
        return None
    if not isinstance(text, str):
        return f"{text!r} is not a rule: write it as text, e.g. '5 working days'"
    if text.strip().startswith("-"):
        return f"negative duration {text!r}: a rule counts forward (or back, with 'before') from 0"
    try:
        parse_rule(text)
    except RuleError as exc:
        return str(exc)
    return None


def _rule(text: str) -> str:
    problem = rule_problem(text)
    if problem:
        raise ValueError(problem)
    return text


def _rule_or_none(text: str) -> str:
    problem = rule_problem(text, allow_none=True)
    if problem:
        raise ValueError(problem + " (or 'none' with a reason)")
    return text


def _forward(text: str) -> str:
    if parse_rule(_rule(text)).before:
        raise ValueError(f"{text!r}: a ladder's time runs forward from the notice, not 'before'")
    return text


def _role(value: str) -> str:
    if value not in ROLES:
        raise ValueError(f"unknown role {value!r} (roles: {', '.join(ROLES)})")
    return value


def _owner(value: str) -> str:
    if value not in ROLES + OWNER_TOKENS:
        raise ValueError(
            f"unknown role {value!r} (roles: {', '.join(ROLES)}; or {', '.join(OWNER_TOKENS)})"
        )
    return value


def _record(value: str) -> str:
    if value not in RECORD_KINDS:
        raise ValueError(f"unknown record {value!r} (records: {', '.join(RECORD_KINDS)})")
    return value


def _event(value: str) -> str:
    if value not in EVENT_TYPES:
        raise ValueError(f"unknown event type {value!r} (see docs/spec/timescales.md)")
    return value


def _name(value: str) -> str:
    if not NAME.match(value):
        raise ValueError(f"{value!r}: use lower case letters, digits, '-' and '_'")
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _month_day(value: str) -> str:
    if not MONTH_DAY.match(value):
        raise ValueError(f"{value!r} is not a yearly date: write MM-DD, e.g. '12-24'")
    return value


def review_by(review_date: str) -> dt.date:
    """The last day a document with this review date is in date: the month's last day for
    YYYY-MM, else the day itself (`oversight.policies.sources` says which are past it)."""
    year, month, *day = (int(part) for part in review_date.split("-"))
    return dt.date(year, month, day[0] if day else calendar.monthrange(year, month)[1])


def _review(value: str) -> str:
    if not REVIEW.match(value):
        raise ValueError(f"{value!r}: write the review date as YYYY-MM or YYYY-MM-DD")
    try:
        review_by(value)
    except ValueError:
        raise ValueError(f"{value!r}: no such day") from None
    return value


Rule = Annotated[str, AfterValidator(_rule)]
ForwardRule = Annotated[str, AfterValidator(_forward)]
RuleOrNone = Annotated[str, AfterValidator(_rule_or_none)]
Role = Annotated[str, AfterValidator(_role)]
OwnerRole = Annotated[str, AfterValidator(_owner)]
RecordKind = Annotated[str, AfterValidator(_record)]
EventType = Annotated[str, AfterValidator(_event)]
Name = Annotated[str, AfterValidator(_name)]
Text = Annotated[str, AfterValidator(_text)]
Source = Text  # seed file and section, or the regulation: never empty
Value = str | int | bool


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Document(Strict):
    """A document the pack comes from."""

    title: Text
    authority: str = ""
    file: str = ""
    url: str = ""
    issued: str = ""
    review_date: Annotated[str, AfterValidator(_review)] | None = None
    note: str = ""


class Note(Strict):
    """An ambiguity or contradiction in the source, and the reading the pack takes."""

    about: Text  # the key path the note concerns, e.g. "ladders.default.stages"
    text: Text


class OrFrom(Strict):
    """A second trigger of a timescale: due `rule` after the first `event` on or after the
    row's trigger, and the row due on the `whichever` of the two dates (Walsall: the record 20
    days after the review or 15 days after the decisions)."""

    event: EventType
    rule: ForwardRule
    whichever: Literal["earlier", "later"]
    source: Source


class Timescale(Strict):
    """A pack's rule for an obligation code: an override of a catalogue row (only `rule` and
    `source`), or a row the pack adds (with `trigger` and `met_by`)."""

    rule: Rule
    source: Source
    label: str = ""
    trigger: EventType | None = None
    when: dict[str, list[Value]] = Field(default_factory=dict)
    met_by: list[EventType] = Field(default_factory=list)
    met_when: dict[str, list[Value]] = Field(default_factory=dict)
    belongs_to: Literal["plan", "episode"] | None = None
    none_once: list[EventType] = Field(default_factory=list)
    # A `before` rule only: the first booked meeting of its kind (in the plan or episode) that it
    # applies to; Walsall consults the social worker "from the second review onwards".
    from_meeting: int = Field(default=1, ge=1)
    or_from: OrFrom | None = None
    # A row the pack adds: fields the satisfying event shares with its trigger (`complaint`).
    same: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _from_meeting_before(self) -> Timescale:
        if self.from_meeting != 1 and not parse_rule(self.rule).before:
            raise ValueError(
                "from_meeting: only a rule counted back from a booked meeting ('… before') "
                "applies from its Nth meeting"
            )
        return self


class Owner(Strict):
    """Whose caseload an obligation belongs on (`roles`), and who watches it (`watch`).
    `otherwise`: whose it is when `action_owner` finds nobody named on the trigger (a complaint
    recorded without its first point of contact, as an import's is: the child's IRO)."""

    roles: list[OwnerRole] = Field(min_length=1)
    watch: list[OwnerRole] = Field(default_factory=list)
    otherwise: list[Role] = Field(default_factory=list)
    source: str = ""

    @model_validator(mode="after")
    def _otherwise_needs_a_named_owner(self) -> Owner:
        if self.otherwise and "action_owner" not in self.roles:
            raise ValueError("otherwise applies only to roles that include action_owner")
        return self


class ClosureDay(Strict):
    """A day this council does not work, on top of England & Wales bank holidays: one `date`,
    or a `yearly` month-day such as "12-24"."""

    date: dt.date | None = None
    yearly: Annotated[str, AfterValidator(_month_day)] | None = None
    reason: Text
    source: Source


class Permission(Strict):
    allowed: bool
    agreement: list[Role] = Field(default_factory=list)
    when: str = ""
    source: Source


class Warning(Strict):
    """A warning step at the end of the informal stage, with a further period to resolve."""

    name: Text
    addressees: list[Role] = Field(min_length=1)
    further: ForwardRule
    source: Source


class NoResponse(Strict):
    """What happens when a stage's addressee does not answer in time (`on_no_response`), or
    answers "not accepted" (`on_not_accepted`: applied on the first working day after `after`
    from the stage's notice, else after its response time)."""

    action: Literal["chair_may_escalate", "prompt", "next_stage_issued", "chair_decides"]
    role: Role | None = None  # who is prompted
    after: ForwardRule | None = None
    agreement: list[Role] = Field(default_factory=list)
    text: str = ""
    source: Source


class Informal(Strict):
    name: Text
    addressees: list[Role] = Field(min_length=1)
    response: ForwardRule
    source: Source
    record: str = ""  # the council's record of this informal stage (else `records.informal`)
    warning: Warning | None = None
    on_no_response: NoResponse | None = None
    # When the chair may go straight to a formal stage ("immediately formal"): a ladder without
    # it raises every concern informally first.
    skip_when: str = ""


class Meeting(Strict):
    within: ForwardRule | None = None
    attendees: list[Role] = Field(default_factory=list)
    others: list[str] = Field(default_factory=list)
    purpose: str = ""
    source: Source


class OnAccepted(Strict):
    """What an accepted notice calls for (Manchester: a plan agreed within 5 working days)."""

    what: Text
    within: ForwardRule
    counted_from: Literal["notice", "response"]
    obligation: str = ""  # the pack's obligation code that tracks it, where there is one
    source: Source


class Stage(Strict):
    number: int
    label: Text
    addressees: list[Role] = Field(default_factory=list)
    copied: list[Role] = Field(default_factory=list)
    response_copied: list[Role] = Field(default_factory=list)
    issuer: Role = "iro"
    agreement: list[Role] = Field(default_factory=list)
    response: RuleOrNone | None = None
    reason: str = ""
    source: Source
    purpose: str = ""
    shorter_deadline_by: list[Role] = Field(default_factory=list)
    on_no_response: NoResponse | None = None
    on_accepted: OnAccepted | None = None
    # Told of a "not accepted" response at this stage (Manchester: the IRO team manager).
    not_accepted_copied: list[Role] = Field(default_factory=list)
    # What follows a "not accepted" response (Manchester: the next stage "will commence after 5
    # working days" of the notice).
    on_not_accepted: NoResponse | None = None
    meeting: Meeting | None = None
    refers_to: list[Literal["cafcass", "legal_advice"]] = Field(default_factory=list)


class Total(Strict):
    rule: RuleOrNone
    reason: str = ""
    source: Source


class Step(Strict):
    """A Cafcass referral or independent legal advice: who may take it, when, and what first."""

    lac_only: bool = False
    at_stage: int | None = None
    concurrent: bool = False
    meeting_first: list[Role] = Field(default_factory=list)
    consult: list[Role] = Field(default_factory=list)
    consult_others: list[str] = Field(default_factory=list)
    told: list[Role] = Field(default_factory=list)  # told of the step (beside those consulted)
    when: str = ""
    arrangement: str = ""
    source: Source


class ChallengeMeeting(Strict):
    stages: list[int] = Field(min_length=1)
    frequency: Text
    attendees: list[Role] = Field(default_factory=list)
    others: list[str] = Field(default_factory=list)
    purpose: str = ""
    source: Source


class Recording(Strict):
    what: Text
    within: ForwardRule
    source: Source


class Ladder(Strict):
    label: Text
    applies_to: list[Literal["cp", "lac"]] = Field(min_length=1)
    source: Source
    informal: Informal
    stages: list[Stage] = Field(min_length=1)
    total: Total | None = None
    enter_any_stage: Permission | None = None
    bypass: Permission | None = None
    cafcass: Step | None = None
    legal_advice: Step | None = None
    challenge_meeting: ChallengeMeeting | None = None
    others_may_alert: list[str] = Field(default_factory=list)
    recording: Recording | None = None
    # Which of the council's records (`records.*`) holds this ladder's formal process (Camden's
    # child protection ladder: `alert_form`); else `records.formal`.
    record: RecordKind | None = None
    # Told of every formal step of a concern on this ladder (Leicestershire: the IRO team
    # manager, kept fully informed throughout the formal process).
    kept_informed: list[Role] = Field(default_factory=list)
    # "Notified to all parties" (Camden): each step is also told to everyone addressed so far.
    all_parties_told: bool = False

    @model_validator(mode="after")
    def _cafcass_is_for_looked_after_children(self) -> Ladder:
        if self.cafcass is not None and not self.cafcass.lac_only:
            raise ValueError(
                "cafcass.lac_only: a referral to Cafcass is for looked-after children only "
                "(CPPCR 2010 reg 45): set lac_only = true"
            )
        return self


class Panel(Strict):
    """Support and Challenge Panel triggers (the `cp.support_challenge_panel` flag)."""

    plan_months: int = Field(ge=1)
    repeat_months: int = Field(ge=1)
    reading: str = ""
    source: Source


class Number(Strict):
    """Any other number of the policy: caseload guidance, consultation rules, frequencies."""

    text: Text
    value: int | float | None = None
    min: int | float | None = None
    max: int | float | None = None
    unit: str = ""
    rule: Rule | None = None
    source: Source


# -- the numbers the meeting rules read (`oversight/meetings/facts.py`, `dip_sample.py`) ---------
# key -> what it must hold: a rule counted back from the meeting ("before"), a rule counted on
# from the event ("forward"), or a whole number in `value` ("count"). Other keys of `numbers`
# are free.
MEETING_NUMBERS: dict[str, Literal["before", "forward", "count"]] = {
    "restricted_information": "before",  # before the conference
    "iro_visit_record": "forward",  # from the IRO's visit
    "parent_response_record": "forward",  # from an excluded parent's refusal to meet
    "long_term_meeting": "forward",  # from a review with a meeting
    "long_term_placement": "forward",  # from a long-term placement's start
    "change_decision": "forward",  # from the chair being told of a significant change
    "permanence_review": "count",  # the looked-after review from which permanence is checked
    "dip_sample": "count",  # consultations drawn a month
    "step_down_tac": "count",  # the TAC after the review conference the IRO chairs
}


def _meeting_numbers(numbers: dict[str, Number]) -> dict[str, Number]:
    for key, number in numbers.items():
        shape = MEETING_NUMBERS.get(key)
        if shape == "count" and not (isinstance(number.value, int) and number.value >= 1):
            raise ValueError(f"{key}: give `value`, a whole number of 1 or more")
        if shape in ("before", "forward") and number.rule is None:
            raise ValueError(f"{key}: give `rule`, e.g. '3 working days'")
        if shape in ("before", "forward") and number.rule is not None:
            before = parse_rule(number.rule).before
            if before != (shape == "before"):
                wanted = "'3 working days before'" if shape == "before" else "'5 working days'"
                raise ValueError(f"{key}: {number.rule!r} counts the wrong way: e.g. {wanted}")
    return numbers


# The steps of a pack's `consultation_route`, in words (`oversight.meetings.routing` follows them).
CONSULTATION_ROUTES = {
    "earlier_iro": "the IRO who asked for more information at the last consultation",
    "chair": "the child's chair while on a plan",
    "named_iro": "the named IRO of the social worker's team",
    "duty_iro": "the duty IRO of the request's working day",
}
# Where a child protection visit may take place (the visit record's `where`), in words.
CP_VISIT_PLACES = {"home": "at home", "school": "at school", "other": "elsewhere"}
ConsultationRoute = Literal["earlier_iro", "chair", "named_iro", "duty_iro"]


class BreakGlass(Strict):
    """Opening a record that is not one's own (the duty IRO, a consulted IRO): the least a reason
    says, and whether an IRO team manager approves the opening before the record opens."""

    reason_min_chars: int = Field(default=20, ge=1)
    approval_required: bool = False
    source: Source


class Retention(Strict):
    """When a child's records in Oversight come up for review: this many years after their last
    event (or the last review that kept them). A review decides; Oversight never deletes a
    record by itself (`oversight.cases.retention`)."""

    review_after_years: int = Field(ge=1, le=100)
    source: Source


class Complaints(Strict):
    """Complaints whose complainant makes them a reason to escalate: the chair is offered a
    concern raised from the complaint, linked to it (Manchester: "the complaints procedure is used
    by the child directly or an adult who is authorised to act on their behalf", seed 003
    "Referral to Cafcass"). The deadlines are the
    `complaint.*` rows of `timescales`."""

    escalate_from: list[Literal["child", "on_behalf", "parent", "professional", "other"]] = Field(
        min_length=1
    )
    source: Source


class CarerConcernStage(Strict):
    """A stage of the ladder for concerns about a foster carer household: who answers it (the
    post in words, and the role that holds it, found up the household's supervising social
    worker's line, else its one holder council-wide), and within what time of the concern
    reaching it."""

    answered_by: Text
    role: Role
    response: Rule
    source: Source


class Fostering(Strict):
    """Concerns about a foster carer household on a ladder of their own (Manchester: the
    Corporate IRO reviews foster carers, seed 003 "Corporate IRO"). Without it a council keeps
    no such ladder and offers no page to raise one; the carers' annual reviews are national
    (`carer.review.*` in `timescales`)."""

    concern_ladder: list[CarerConcernStage] = Field(min_length=1)
    source: Source


class Proceedings(Strict):
    """Care proceedings at the looked-after review: while proceedings are open on the review's
    date, the review is completed only once the IRO confirms having had sight of the legal
    papers the local authority has filed since the last review (Walsall, seed 002, 5.2: "the
    IRO should have sight of all legal papers being submitted in care proceedings"). Without
    it the review shows the liaison and papers recorded, and asks nothing."""

    confirm_papers_at_review: bool
    source: Source


class Pack(Strict):
    name: Annotated[str, AfterValidator(_name)]
    council: Text
    extends: Name | None = None
    summary: str = ""
    sources: dict[str, Document] = Field(default_factory=dict)
    notes: list[Note] = Field(default_factory=list)
    timescales: dict[str, Timescale] = Field(default_factory=dict)
    owners: dict[str, Owner] = Field(default_factory=dict)
    closure_days: list[ClosureDay] = Field(default_factory=list)
    default_ladder: Name | None = None
    ladders: dict[str, Ladder] = Field(default_factory=dict)
    roles: dict[Role, Text] = Field(default_factory=dict)
    # Roles that are council-wide posts (a head of safeguarding), resolved to the post's holder,
    # never up the case's management line (`oversight.cases.holders.holders`).
    council_posts: list[Role] = Field(default_factory=list)
    # Whom a social worker's request for a consultation goes to, the first that finds someone
    # (`oversight.meetings.routing`): `earlier_iro` (after a consultation that asked for more
    # information, the IRO who gave it), `chair` (the child's chair while on a plan), `named_iro`
    # (the named IRO of the social worker's team), `duty_iro` (the day's duty IRO). Empty: the
    # pack routes no requests (a consultation is recorded after the fact).
    consultation_route: list[ConsultationRoute] = Field(default_factory=list)
    # Where a child protection visit counts as the statutory visit (`home`, `school`, `other`);
    # empty: wherever the child is seen. Camden: ["home"] (seed 000 s. 4.1 "seen at home").
    cp_visit_places: list[Literal["home", "school", "other"]] = Field(default_factory=list)
    records: dict[RecordKind, Text] = Field(default_factory=dict)
    panel: Panel | None = None
    break_glass: BreakGlass | None = None
    retention: Retention | None = None
    complaints: Complaints | None = None
    fostering: Fostering | None = None
    proceedings: Proceedings | None = None
    numbers: Annotated[dict[str, Number], AfterValidator(_meeting_numbers)] = Field(
        default_factory=dict
    )
