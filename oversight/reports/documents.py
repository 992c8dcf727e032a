"""The managers' documents, each sections of figures and tables from the one query layer
(`figures.py`), so that the page, the downloads and `oversight report` print the dashboard's
numbers:

    document(name, scope, period) -> Document     KeyError for a name it does not have

- `dashboard`: every figure, in the dashboard's sections, and each IRO's caseload;
- `monthly`, the monthly data report (Walsall; Camden's report to senior managers): timeliness,
  activity, escalations and caseloads;
- `quarterly`, the themes analysis (Leicestershire's quarterly analysis of alerts): concerns and
  good practice by theme, and the concerns' own words for learning;
- `annual`, the IRO service's annual report figures (IRO Handbook, ch. 7), in its sections
  (complaints among them: received, acknowledged and answered in time, by outcome);
- `partnership`, disputes with partner agencies by agency (Manchester's report to its
  partnership), each dispute listed;
- `supervision`, one IRO's summary for supervision (Leicestershire): quality assurance
  activity, concerns raised and resolved, concerns at the higher stages, Cafcass and legal
  advice; it needs `scope.iro`.

A table names children only where the child's own case is the point (the concerns' words, the
disputes, the concerns at the higher stages): `Document.children` lists them for the audit row.
A concern's stage is its ladder's stage (0 while informal); "open" is on the period's last day."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.fields.json import KT

from oversight.cases.obligations import active_pack
from oversight.cases.text import printable
from oversight.escalations.constants import Kind
from oversight.escalations.models import Concern
from oversight.reports.export import Cell
from oversight.reports.figures import (
    Caseloads,
    Figure,
    Period,
    Scope,
    caseloads_on,
    concerns_by_team,
    concerns_open,
    concerns_raised,
    events_in,
    figures,
)
from oversight.timescales.dates import working_days_between


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


@dataclass(frozen=True)
class Section:
    heading: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    text: tuple[str, ...] = ()


@dataclass(frozen=True)
class Named:
    """A child a document names, for its audit row."""

    pk: int
    reference: str


@dataclass(frozen=True)
class Document:
    name: str
    title: str
    period: Period
    sections: list[Section]
    children: list[Named] = field(default_factory=list)

    @property
    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]


class NeedsIro(Exception):
    """The supervision summary is one IRO's."""


def _keys(found: dict[str, Figure], *keys: str) -> list[Figure]:
    return [found[k] for k in keys]


def _group(found: dict[str, Figure], group: str) -> list[Figure]:
    return [f for f in found.values() if f.group == group]


def caseload_table(held: Caseloads) -> Table:
    """Each IRO's caseload on the period's last day against the pack's guidance (`held`: read
    once with `caseloads_on`, for this table and the "held by an IRO" figure)."""
    rows: list[tuple[Cell, ...]] = []
    for row in held.rows:
        rows.append(
            (
                str(row.iro),
                row.cp.count,
                _guidance(row.cp.low, row.cp.high, row.cp.guided),
                row.looked_after.count,
                _guidance(row.looked_after.low, row.looked_after.high, row.looked_after.guided),
                float(row.fte),
                float(row.per_fte) if row.per_fte is not None else None,
                "Yes" if row.over else "No",
            )
        )
    return Table(
        "Each IRO's caseload on the period's last day",
        (
            "IRO",
            "Child protection and other",
            "Guidance for the FTE",
            "Looked after",
            "Guidance for the FTE",
            "Full-time equivalent",
            "Children per full-time IRO",
            "Over the guidance",
        ),
        rows,
    )


def _guidance(low: object, high: object, guided: bool) -> str:
    return f"{low} to {high}" if guided else "No number in the policy"


def _by_theme(scope: Scope, period: Period) -> Table:
    """Concerns raised, resolved by the period's end and good practice noted, by theme (a
    concern of several themes counts under each; one of none under "No theme")."""
    counts: dict[str, Counter[str]] = {}
    for kind, column in ((Kind.CONCERN, "raised"), (Kind.GOOD_PRACTICE, "good")):
        listed = concerns_raised(kind, scope, period).values_list(
            "pk", "themes__label", "resolved_on"
        )
        for _pk, theme, resolved in listed:
            counted = counts.setdefault(theme or "No theme", Counter())
            counted[column] += 1
            if column == "raised" and resolved is not None and resolved <= period.last:
                counted["resolved"] += 1
    rows: list[tuple[Cell, ...]] = [
        (theme, c["raised"], c["resolved"], c["good"])
        for theme, c in sorted(counts.items(), key=lambda item: (-item[1]["raised"], item[0]))
    ]
    return Table(
        "Concerns and good practice by theme",
        ("Theme", "Concerns raised", "Of which resolved", "Good practice noted"),
        rows,
    )


def by_team_table(scope: Scope, period: Period) -> Table:
    """Concerns raised and resolved by team, as `figures.concerns_by_team` counts them."""
    return Table(
        "Concerns by team",
        ("Team", "Concerns raised", "Resolved", "Open at some time in the period"),
        [
            (row.team.name, row.raised.numerator, row.resolved.numerator, row.resolved.denominator)
            for row in concerns_by_team(scope, period)
        ],
    )


def _resolved_by(concern: Concern, period: Period) -> bool:
    return concern.resolved_on is not None and concern.resolved_on <= period.last


def _named(found: QuerySet[Concern]) -> QuerySet[Concern]:
    return found.order_by("raised_on", "child__last_name", "child__first_name", "pk")


def _learning(scope: Scope, period: Period, named: list[Named]) -> Table:
    """The concerns raised in the period in their own words, with their themes (in the
    taxonomy's order) and outcome ("Open" for one not resolved by the period's end)."""
    rows: list[tuple[Cell, ...]] = []
    listed = _named(concerns_raised(Kind.CONCERN, scope, period)).prefetch_related("themes")
    for concern in listed.select_related("child"):
        named.append(Named(concern.child_id, concern.child.reference))
        rows.append(
            (
                concern.child.reference,
                concern.raised_on,
                ", ".join(t.label for t in concern.themes.all()),
                printable(concern.issue),
                printable(concern.impact),
                printable(concern.outcome) if _resolved_by(concern, period) else "Open",
            )
        )
    return Table(
        "The concerns in their own words, for learning",
        ("Council reference", "Raised", "Themes", "Issue", "Impact on the child", "Outcome"),
        rows,
    )


def _notices_by_stage(scope: Scope, period: Period) -> Table:
    listed = events_in(["escalation_notice"], scope, period).values_list(
        KT("data__stage"), flat=True
    )
    stages: Counter[str] = Counter(str(stage) for stage in listed)
    return Table(
        "Formal notices issued by stage",
        ("Stage", "Notices issued"),
        [(f"Stage {stage}", n) for stage, n in sorted(stages.items(), key=lambda i: int(i[0]))],
    )


TOTAL_WORKING_DAYS = 20  # IRO Handbook, para 6.2: the formal process totals 20 working days


def _open_by_stage(scope: Scope, period: Period) -> Table:
    """Concerns open on the period's last day by stage, and those open longer than the formal
    process's 20 working days (IRO Handbook, para 6.2), on the pack's calendar."""
    policy = active_pack().policy
    still = concerns_open(scope, period).filter(
        Q(resolved_on__isnull=True) | Q(resolved_on__gt=period.last)
    )
    counts: dict[int, Counter[str]] = {}
    for stage, raised in still.values_list("stage", "raised_on"):
        counted = counts.setdefault(stage, Counter())
        counted["open"] += 1
        if working_days_between(raised, period.last, policy) > TOTAL_WORKING_DAYS:
            counted["old"] += 1
    return Table(
        "Concerns open on the period's last day, by stage",
        ("Stage", "Open", f"Open more than {TOTAL_WORKING_DAYS} working days"),
        [
            ("Informal" if stage == 0 else f"Stage {stage}", c["open"], c["old"])
            for stage, c in sorted(counts.items())
        ],
    )


def _disputes(scope: Scope, period: Period, named: list[Named]) -> list[Table]:
    raised = _named(concerns_raised(Kind.CONCERN, scope, period).exclude(partner_agency=""))
    by_agency: dict[str, Counter[str]] = {}
    rows: list[tuple[Cell, ...]] = []
    for concern in raised.select_related("child"):
        done = _resolved_by(concern, period)
        counted = by_agency.setdefault(concern.partner_agency, Counter())
        counted["raised"] += 1
        counted["resolved"] += done
        named.append(Named(concern.child_id, concern.child.reference))
        rows.append(
            (
                concern.partner_agency,
                concern.child.reference,
                concern.raised_on,
                "Informal" if concern.stage == 0 else f"Stage {concern.stage}",
                printable(concern.issue),
                concern.resolved_on if done else "Open",
            )
        )
    return [
        Table(
            "Disputes with partner agencies by agency",
            ("Agency", "Raised", "Of which resolved"),
            [(agency, c["raised"], c["resolved"]) for agency, c in sorted(by_agency.items())],
        ),
        Table(
            "Each dispute",
            ("Agency", "Council reference", "Raised", "Stage", "Issue", "Resolved"),
            rows,
        ),
    ]


def _higher_stages(scope: Scope, period: Period, named: list[Named]) -> Table:
    """Concerns open on the period's last day at stage 2 or above, each named."""
    still = concerns_open(scope, period).filter(
        Q(resolved_on__isnull=True) | Q(resolved_on__gt=period.last), stage__gte=2
    )
    rows: list[tuple[Cell, ...]] = []
    for concern in _named(still).select_related("child"):
        named.append(Named(concern.child_id, concern.child.reference))
        rows.append((concern.child.reference, concern.raised_on, f"Stage {concern.stage}"))
    return Table(
        "Concerns at stage 2 or above, open on the period's last day",
        ("Council reference", "Raised", "Stage"),
        rows,
    )


def _dashboard(scope: Scope, period: Period, named: list[Named]) -> list[Section]:
    held = caseloads_on(scope, period)
    found = {f.key: f for f in figures(scope, period, iro_caseloads=held)}
    return [
        Section("Timeliness", _group(found, "Timeliness")),
        Section("Activity", _group(found, "Activity")),
        Section("Escalations", _group(found, "Escalations"), [by_team_table(scope, period)]),
        Section("Complaints", _group(found, "Complaints")),
        Section("Caseloads", _group(found, "Caseloads"), [caseload_table(held)]),
        Section("Placements", _group(found, "Placements")),
        Section("Foster carers", _group(found, "Foster carers")),
    ]


def _quarterly(scope: Scope, period: Period, named: list[Named]) -> list[Section]:
    found = {f.key: f for f in figures(scope, period, ESCALATION_KEYS)}
    return [
        Section("Escalations and positive challenge", list(found.values())),
        Section("By theme", tables=[_by_theme(scope, period)]),
        Section("By team", tables=[by_team_table(scope, period)]),
        Section("For learning", tables=[_learning(scope, period, named)]),
    ]


OUTCOME_KEYS = (
    "escalations_resolved_informally",
    "escalations_resolved_after_notice",
    "escalations_still_open",
)
ESCALATION_KEYS = (
    "escalations_raised",
    "escalations_resolved",
    *OUTCOME_KEYS,
    "escalation_notices",
    "escalation_responses_in_time",
    "good_practice",
    "partner_disputes",
    "cafcass_referrals",
    "legal_advice",
)


def _annual(scope: Scope, period: Period, named: list[Named]) -> list[Section]:
    held = caseloads_on(scope, period)
    found = {f.key: f for f in figures(scope, period, iro_caseloads=held)}
    return [
        Section(
            "Reviews and timeliness",
            _keys(
                found,
                "lac_reviews_held",
                "lac_review_in_time",
                "lac_review_first_in_time",
                "lac_review_second_in_time",
                "lac_review_later_in_time",
                "lac_review_decisions_in_time",
                "lac_review_record_in_time",
                "iro_allocated_in_time",
                "sw_consulted_before_review",
                "documents_before_review",
            ),
        ),
        Section(
            "Children's participation",
            text=(
                "Oversight does not yet record how each child took part in their review "
                "(the SSDA903 participation codes PN0 to PN7).",
            ),
        ),
        Section(
            "Midway reviews",
            _keys(found, "midway_booked", "midway_held", "midway_not_needed", "midway_missed"),
        ),
        Section(
            "IRO visits and contact between reviews",
            text=(
                "Oversight does not yet record IRO visits to the child or contact between "
                "reviews as events; the social worker's visits to children looked after and on "
                "child protection plans are below.",
            ),
            figures=_keys(found, "lac_sw_visit_in_time", "cp_visit_in_time"),
        ),
        Section(
            "Placements",
            _keys(found, "placement_moves", "placed_out_of_area", "placed_over_20_miles"),
        ),
        Section(
            "Escalations by stage, theme and outcome",
            _keys(
                found,
                "escalations_raised",
                "escalations_resolved",
                *OUTCOME_KEYS,
                "escalation_notices",
                "escalation_responses_in_time",
                "good_practice",
                "partner_disputes",
            ),
            [
                _notices_by_stage(scope, period),
                _open_by_stage(scope, period),
                _by_theme(scope, period),
                by_team_table(scope, period),
            ],
        ),
        Section("Cafcass and legal advice", _keys(found, "cafcass_referrals", "legal_advice")),
        Section("Complaints", _group(found, "Complaints")),
        Section("Caseloads", _keys(found, "caseload_held"), [caseload_table(held)]),
        Section("Foster carer reviews and concerns", _group(found, "Foster carers")),
        Section(
            "Child protection conference activity",
            _keys(
                found,
                "conferences_held",
                "icpcs_held",
                "rcpcs_held",
                "icpc_within_15_wd",
                "icpc_s47_0_10_wd",
                "icpc_s47_11_15_wd",
                "icpc_s47_16_20_wd",
                "icpc_s47_21_plus_wd",
                "core_group_first_in_time",
                "rcpc_in_time",
                "rcpc_brought_forward",
                "plans_started",
                "plans_second_or_later",
                "plans_second_within_2_years",
                "plans_ended",
                "plan_length_under_3_months",
                "plan_length_3_to_6_months",
                "plan_length_6_to_12_months",
                "plan_length_1_to_2_years",
                "plan_length_2_years_or_more",
                "consultations",
                "tac_after_consultation_in_time",
            ),
        ),
    ]


def _partnership(scope: Scope, period: Period, named: list[Named]) -> list[Section]:
    found = {f.key: f for f in figures(scope, period, ["partner_disputes"])}
    return [Section("Disputes", list(found.values()), _disputes(scope, period, named))]


def _supervision(scope: Scope, period: Period, named: list[Named]) -> list[Section]:
    if scope.iro is None:
        raise NeedsIro
    held = caseloads_on(scope, period)
    found = {f.key: f for f in figures(scope, period, iro_caseloads=held)}
    return [
        Section(
            "Quality assurance activity",
            _keys(
                found,
                "conferences_held",
                "lac_reviews_held",
                "midway_held",
                "consultations",
                "rcpc_in_time",
                "lac_review_in_time",
                "lac_review_record_in_time",
            ),
        ),
        Section(
            "Concerns raised and resolved",
            _keys(
                found,
                "escalations_raised",
                "escalations_resolved",
                "escalation_notices",
                "good_practice",
            ),
            [_open_by_stage(scope, period)],
        ),
        Section("Cases at the higher stages", tables=[_higher_stages(scope, period, named)]),
        Section("Cafcass and legal advice", _keys(found, "cafcass_referrals", "legal_advice")),
        Section("Caseload", _keys(found, "caseload_held"), [caseload_table(held)]),
    ]


Builder = Callable[[Scope, Period, list[Named]], list[Section]]

DOCUMENTS: dict[str, tuple[str, Builder]] = {
    "dashboard": ("Service dashboard", _dashboard),
    "monthly": ("Monthly data report", _dashboard),
    "quarterly": ("Quarterly themes analysis", _quarterly),
    "annual": ("IRO annual report figures", _annual),
    "partnership": ("Partnership dispute report", _partnership),
    "supervision": ("Supervision summary", _supervision),
}


def document(name: str, scope: Scope, period: Period) -> Document:
    """The document `name` for `scope` in `period` (KeyError for a name it does not have;
    NeedsIro for a supervision summary of no one IRO)."""
    title, build = DOCUMENTS[name]
    named: list[Named] = []
    sections = build(scope, period, named)
    if name == "supervision" and scope.iro is not None:
        title = f"{title}: {scope.iro}"
    return Document(name, title, period, sections, named)
