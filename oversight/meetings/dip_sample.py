"""The service leader's monthly dip sample of consultations (Stockport, seed 001 section 1):
"a monthly dip sample which will consider the timeliness and quality of advice and the
timeliness and outcome of the resulting TAC meeting if advice has been not to go to ICPC".

`sample(children, month, size)` draws up to `size` of the month's completed consultations at
random, seeded by the month ("2027-01"): the same consultations every time the page is opened,
for as long as the month's consultations are the same. A consultation already judged stays in
the sample even if a consultation recorded later changes the draw. The size is the pack's
`numbers.dip_sample` (`sample_size`): a council whose pack has none has no dip sample."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from oversight.cases.models import Child, Obligation
from oversight.meetings.constants import Kind, Status
from oversight.meetings.facts import council_numbers
from oversight.meetings.models import DipSampleJudgement, Meeting
from oversight.policies.checks import active_policy

# The roles of "the service leader, safeguarding" in Oversight.
LEADER_ROLES = frozenset({"safeguarding_service_manager", "iro_team_manager"})


@dataclass
class Row:
    consultation: Meeting
    requested_on: dt.date | None
    same_day: bool | None
    tac_due: Obligation | None  # `consult.tac`, when the outcome was a TAC
    tac: Meeting | None  # the first TAC meeting recorded on or after the consultation
    judgement: DipSampleJudgement | None


def sample_size() -> int | None:
    """Consultations drawn each month under the deployment's pack (`numbers.dip_sample`), or
    None when its council has no dip sample."""
    return council_numbers(active_policy()).dip_sample


def month_start(value: str | None, today: dt.date) -> dt.date:
    """The first day of the month written "YYYY-MM", or of `today`'s month."""
    try:
        year, month = (int(p) for p in str(value or "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def next_month(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


def consultations(children: QuerySet[Child], month: dt.date) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            child__in=children,
            kind=Kind.CONSULTATION,
            status=Status.COMPLETED,
            date__gte=month,
            date__lt=next_month(month),
        )
        .select_related("child", "dip_sample_judgement")
        .order_by("pk")
    )


def draw(found: list[Meeting], month: dt.date, size: int) -> list[Meeting]:
    rng = random.Random(f"dip-sample-{month:%Y-%m}")  # a reproducible sample, not a secret
    picked = rng.sample(found, min(size, len(found)))
    judged = [m for m in found if _judgement(m) is not None and m not in picked]
    return sorted(picked + judged, key=lambda m: (m.date or month, m.pk))


def _judgement(meeting: Meeting) -> DipSampleJudgement | None:
    try:
        return meeting.dip_sample_judgement
    except DipSampleJudgement.DoesNotExist:
        return None


def sample(children: QuerySet[Child], month: dt.date, size: int) -> list[Row]:
    rows = []
    for m in draw(consultations(children, month), month, size):
        asked = _date(m.details.get("requested_on"))
        tac_due = None
        if m.outcome == "tac":
            tac_due = Obligation.objects.filter(
                child=m.child, code="consult.tac", event_id__in=m.event_ids
            ).first()
        tac = (
            Meeting.objects.filter(
                child=m.child, kind=Kind.TAC_MEETING, status=Status.COMPLETED, date__gte=m.date
            )
            .order_by("date", "pk")
            .first()
            if m.outcome in ("tac", "advice", "more_information")
            else None
        )
        rows.append(
            Row(
                consultation=m,
                requested_on=asked,
                same_day=None if asked is None else asked == m.date,
                tac_due=tac_due,
                tac=tac,
                judgement=_judgement(m),
            )
        )
    return rows


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None
