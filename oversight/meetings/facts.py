"""What the meeting rules know of a child besides the record, read from the database and the
council's pack in one place: the form, the actions (and the API and imports after them) read the
same `Facts`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

from oversight.cases.access import managers_of
from oversight.cases.allocations import current_iro, social_workers
from oversight.cases.chronology import period_on, periods, placements
from oversight.cases.constants import EventType
from oversight.cases.formatting import short_day, value
from oversight.cases.models import Child, Obligation, StaffMember
from oversight.cases.obligations import active_pack
from oversight.cases.proceedings import legal_status_on, proceedings_of, seen_between
from oversight.cases.rules import asked_visits
from oversight.meetings.constants import Kind, Status
from oversight.meetings.models import Meeting
from oversight.meetings.rules import Facts, Numbers, PastReview, Person, PlacementFact
from oversight.policies import load_pack, resolve_policy
from oversight.policies.checks import active_policy
from oversight.policies.schema import Number
from oversight.timescales.dates import months_before
from oversight.timescales.rules import Duration, parse_rule

REVIEW_CODES = ("lac.review.first", "lac.review.second", "lac.review.next")
# A pack's deadline for the discussion after a request for consultation (Stockport's).
REQUEST_CODE = "consult.request"


def person(staff: StaffMember) -> Person:
    """A member of staff as the rules see them."""
    return Person(
        id=staff.pk,
        username=staff.user.get_username(),
        name=str(staff),
        roles=frozenset(staff.roles),
    )


@cache
def council_numbers(name: str) -> Numbers:
    """The meeting rules' numbers from pack `name` (resolved through `extends`), from its
    `numbers` table (the schema checks their shape: `MEETING_NUMBERS`), and the consultation's
    discussion from its `consult.request` timescale (the same rule the request's deadline is
    counted by); None where it has none."""
    numbers = load_pack(name).numbers
    request = next((r for r in resolve_policy(name).obligations if r.code == REQUEST_CODE), None)

    def rule(number: Number | None) -> Duration | None:
        return parse_rule(number.rule) if number is not None and number.rule else None

    sample = numbers.get("dip_sample")
    step_down = numbers.get("step_down_tac")
    permanence = numbers.get("permanence_review")
    return Numbers(
        restricted_information=rule(numbers.get("restricted_information")),
        iro_visit_record=rule(numbers.get("iro_visit_record")),
        parent_response_record=rule(numbers.get("parent_response_record")),
        review_meeting=rule(numbers.get("long_term_meeting")),
        long_term_placement=rule(numbers.get("long_term_placement")),
        change_decision=rule(numbers.get("change_decision")),
        consultation_discussion=request.due if request is not None else None,
        dip_sample=int(sample.value) if sample is not None and sample.value else None,
        cp_visit_places=frozenset(load_pack(name).cp_visit_places),
        step_down_tac=int(step_down.value) if step_down is not None and step_down.value else None,
        permanence_review=(
            int(permanence.value) if permanence is not None and permanence.value else None
        ),
    )


@cache
def record_names(name: str) -> dict[str, str]:
    """Kind of meeting record -> the council's own name for it, where pack `name` gives one
    (`records`: Camden's "IRO consultation case note", Leicestershire's "Midway Tracking")."""
    records = load_pack(name).records
    named = {
        Kind.CONSULTATION: records.get("consultation"),
        Kind.MIDWAY_REVIEW: records.get("midway_review"),
        Kind.CONTACT: records.get("contact_record"),
    }
    return {str(kind): label for kind, label in named.items() if label}


@cache
def decision_record(name: str) -> str:
    """Pack `name`'s name for a manager's decision record (`records.decision_record`), or ""."""
    return load_pack(name).records.get("decision_record") or ""


def record_name(kind: str) -> str:
    """The deployment's council's name for a `kind` record, or "" where its pack gives none."""
    return record_names(active_policy()).get(kind, "")


def sw_visits_seen(child: Child, today: dt.date) -> str:
    """What the IRO checks at the review of the social worker's visits (reg 28; seed 002's
    Schedule 7 list: "whether the child is being visited by the social worker in line with
    their care plan and at intervals not less frequent than the minimum statutory requirements
    and when the child requests a visit"): the visits due in the last 12 months, how many were
    late or are overdue, when the next is due, the care plan's frequency in force, and each
    visit the child asked for in the last 12 months with whether a visit followed."""
    since = months_before(today, 12)
    rows = list(
        Obligation.objects.filter(child=child, code="lac.sw_visit", due__gt=since).order_by("due")
    )
    if not rows:
        words = (
            "No social worker's visit has been due in the last 12 months (no placement recorded)"
        )
    else:
        met = [r for r in rows if r.met_on is not None]
        late = sum(1 for r in met if r.on_time is False)
        overdue = sum(1 for r in rows if r.status == Obligation.Status.OVERDUE)
        pending = [r for r in rows if r.status == Obligation.Status.PENDING]
        words = f"Social worker's visits in the last 12 months: {len(met)} made, {late} late"
        words += f", {overdue} overdue" if overdue else ", none overdue"
        if pending:
            words += f"; the next due {short_day(pending[0].due)}"
    events = list(
        child.events.filter(
            type__in=[EventType.CARE_PLAN_VISITS, EventType.VISIT_REQUESTED, EventType.LAC_VISIT],
            date__lte=today,
        ).order_by("date", "pk")
    )
    episode = period_on(periods(child.events.all(), active_pack().policy, today), "episode", today)
    plan = [
        e
        for e in events
        if e.type == EventType.CARE_PLAN_VISITS and episode is not None and e.date >= episode.start
    ]
    if plan:
        words += (
            f"; the care plan: visits every {plan[-1].data.get('visit_interval')} "
            f"(since {short_day(plan[-1].date)})"
        )
    asked = asked_visits(
        [e.date for e in events if e.type == EventType.VISIT_REQUESTED and e.date > since],
        [e.date for e in events if e.type == EventType.LAC_VISIT],
    )
    if asked:
        waiting = [day for day, visited in asked if visited is None]
        words += f"; visits the child asked for: {len(asked)}, {len(asked) - len(waiting)} made"
        if waiting:
            words += f", not yet the one asked for {short_day(waiting[0])}"
            if len(waiting) > 1:
                words += f" and {len(waiting) - 1} more"
    return words


@cache
def confirm_papers_at_review(name: str) -> bool:
    """Pack `name`'s `proceedings.confirm_papers_at_review` (Walsall's), else False."""
    found = load_pack(name).proceedings
    return found is not None and found.confirm_papers_at_review


def legal_status_recorded(child: Child, today: dt.date) -> str:
    """The legal status the review checks (Schedule 7: "the legal status of the child and
    whether it remains appropriate"), as recorded on the chronology."""
    events = list(child.events.all())
    found = legal_status_on(events, periods(events, active_pack().policy, today), today)
    if found is None:
        return "No legal status recorded for this episode: record it from the child's page"
    return f"Recorded: {value(found.data.get('legal_status', ''))} since {short_day(found.date)}"


def proceedings_seen(child: Child, today: dt.date) -> str:
    """What the IRO checks at the review of care proceedings (seed 002, 5.2: "close liaison
    with the child's guardian", "sight of all legal papers"): the liaison with the guardian and
    the papers seen recorded since the last completed review (all, before the first)."""
    found = proceedings_of(child.events.all())
    if not any(p.is_open_on(today) for p in found):
        return "No care proceedings are open"
    last = (
        Meeting.objects.filter(
            child=child, kind=Kind.LAC_REVIEW, status=Status.COMPLETED, date__lt=today
        )
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    liaisons, papers = seen_between(found, last, today)
    since = f"Since the last review ({short_day(last)})" if last else "Since the proceedings began"
    parts = [
        "liaison with the guardian: "
        + (
            "; ".join(
                f"{short_day(e.date)} {value(e.data.get('how', '')).lower()}" for e in liaisons
            )
            or "none recorded"
        ),
        "papers seen: "
        + (
            "; ".join(f"{short_day(e.date)} {value(e.data.get('papers', []))}" for e in papers)
            or "none recorded"
        ),
    ]
    return f"{since}, {parts[0]}; {parts[1]}"


def facts_about(child: Child, *, today: dt.date, skip: Iterable[int] = ()) -> Facts:
    """The child's facts on `today`; the plans and episodes without the events in `skip` (those
    of the record being amended, which the amendment replaces)."""
    policy = active_pack().policy
    events = list(child.events.exclude(pk__in=list(skip)))
    iro = current_iro(child, today)
    line: dict[int, Person] = {}
    for worker in social_workers(child, today):
        for staff_id in (worker.pk, *managers_of(worker)):
            line.setdefault(staff_id, person(worker))
    reviews = Meeting.objects.filter(
        child=child, kind=Kind.LAC_REVIEW, status=Status.COMPLETED, date__isnull=False
    )
    conferences = Meeting.objects.filter(
        child=child,
        kind__in=[Kind.ICPC, Kind.RCPC],
        status=Status.COMPLETED,
        details__lpm_recommended=True,
    ).order_by("date", "pk")
    return Facts(
        today=today,
        policy=policy,
        numbers=council_numbers(active_policy()),
        date_of_birth=child.date_of_birth,
        periods=tuple(periods(events, policy, today)),
        iro=person(iro) if iro is not None else None,
        management_line=line,
        lac_reviews=tuple(
            PastReview(
                date=m.date,
                adjourned=bool(m.details.get("adjourned")),
                without_meeting=bool(m.details.get("without_meeting")),
            )
            for m in reviews
            if m.date is not None
        ),
        placements=tuple(
            PlacementFact(p.start, p.end, p.details.get("until_18") is True)
            for p in placements(events, policy, today)
        ),
        placement_orders=tuple(
            e.date
            for e in events
            if e.type == "placement_order" and e.data.get("plan") == "adoption"
        ),
        placed_for_adoption=tuple(e.date for e in events if e.type == "placed_for_adoption"),
        reviews_due=tuple(
            Obligation.objects.filter(
                child=child, code__in=REVIEW_CODES, met_on__isnull=True
            ).values_list("due", flat=True)
        ),
        scp_flag=child.flags.filter(code="cp.support_challenge_panel").exists(),
        lpm_conferences={str(m.pk): m.date for m in conferences},
        decision_record=decision_record(active_policy()),
        proceedings=tuple((p.start, p.end) for p in proceedings_of(events)),
        confirm_papers_at_review=confirm_papers_at_review(active_policy()),
    )
