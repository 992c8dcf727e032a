"""Monthly counts of concerns for the service's report (by stage, team and theme).

A concern counts in a month when it was open at some time in it: raised on or before the
month's last day, and not resolved before its first day. Good practice notes are counted apart
(`good_practice`: noted in the month). Each concern is counted once by stage (the highest stage
it had reached by the month's end, "informal" under the ladder's name), once by team (the team
of the child's social worker on the month's last day, "No team" when none) and once under each
of its themes ("No theme" when none). Partner-agency disputes are counted again on their own.
Five queries, whatever the month's size."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Q

from oversight.cases.access import open_allocations
from oversight.cases.constants import Role
from oversight.cases.models import Allocation
from oversight.escalations import ladders
from oversight.escalations.constants import Kind
from oversight.escalations.models import Concern, Notice

NO_TEAM = "No team"
NO_THEME = "No theme"


@dataclass
class MonthlyCounts:
    first: dt.date
    last: dt.date
    open: int = 0  # open at some time in the month
    raised: int = 0  # raised in the month
    resolved: int = 0  # resolved in the month
    open_at_end: int = 0
    partner_disputes: int = 0
    good_practice: int = 0  # noted in the month
    by_stage: Counter[str] = field(default_factory=Counter)
    by_team: Counter[str] = field(default_factory=Counter)
    by_theme: Counter[str] = field(default_factory=Counter)


def _stage_name(ladder: str, stage: int) -> str:
    try:
        chosen = ladders.ladder_of(ladder)
        return chosen.informal.name if stage == 0 else ladders.stage_of(chosen, stage).label
    except ladders.Refused:  # a ladder or stage the active pack no longer has
        return f"{ladder}: stage {stage}"


def monthly_counts(year: int, month: int) -> MonthlyCounts:
    """The counts of concerns for `month` of `year` (see the module's docstring)."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    counts = MonthlyCounts(first, last)
    counts.good_practice = Concern.objects.filter(
        kind=Kind.GOOD_PRACTICE, raised_on__range=(first, last)
    ).count()
    rows = list(
        Concern.objects.filter(kind=Kind.CONCERN, raised_on__lte=last)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gte=first))
        .values_list("pk", "child_id", "ladder", "raised_on", "resolved_on", "partner_email")
    )
    if not rows:
        return counts
    ids = [r[0] for r in rows]
    stages = dict(
        Notice.objects.filter(concern_id__in=ids, issued_on__lte=last)
        .values("concern_id")
        .annotate(top=Max("stage"))
        .values_list("concern_id", "top")
    )
    themes: dict[int, list[str]] = defaultdict(list)
    for concern_id, label in (
        Concern.themes.through.objects.filter(concern_id__in=ids)
        .order_by("theme__order", "theme__label")
        .values_list("concern_id", "theme__label")
    ):
        themes[concern_id].append(label)
    teams: dict[int, str] = {}
    for child_id, team in (
        Allocation.objects.filter(
            open_allocations(last),
            child_id__in={r[1] for r in rows},
            role=Role.SOCIAL_WORKER,
            staff__team__isnull=False,
        )
        .order_by("-starts", "-pk")
        .values_list("child_id", "staff__team__name")
    ):
        teams.setdefault(child_id, team)
    for pk, child_id, ladder, raised_on, resolved_on, partner_email in rows:
        counts.open += 1
        counts.raised += raised_on >= first
        counts.resolved += resolved_on is not None and resolved_on <= last
        counts.open_at_end += resolved_on is None or resolved_on > last
        counts.partner_disputes += bool(partner_email)
        counts.by_stage[_stage_name(ladder, stages.get(pk, 0))] += 1
        counts.by_team[teams.get(child_id, NO_TEAM)] += 1
        for theme in themes.get(pk) or [NO_THEME]:
            counts.by_theme[theme] += 1
    return counts
