"""When a household's next review is due: the engine's rows `carer.review.first` (12 months from
approval) and `carer.review.next` (12 months from the last review), counted by
`oversight.timescales.dates` on the active pack's calendar. No date arithmetic here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max

from oversight.fostering.constants import CarerStatus
from oversight.fostering.models import Carer
from oversight.policies import resolve_policy
from oversight.policies.checks import active_policy
from oversight.timescales.catalogue import CARER_REVIEW_FIRST, CARER_REVIEW_NEXT
from oversight.timescales.dates import due_date


@dataclass(frozen=True)
class ReviewDue:
    """The household's next review: its code, the day it counts from, the day it is due, and
    its source."""

    code: str
    counted_from: dt.date
    due: dt.date
    source: str

    def overdue(self, as_of: dt.date) -> bool:
        """Due before `as_of` (a review on its due day is in time)."""
        return self.due < as_of


def next_review(approved_on: dt.date, last_review: dt.date | None) -> ReviewDue:
    """The next review of a household approved on `approved_on` whose last review was held on
    `last_review` (None: none yet, so the first review)."""
    row = CARER_REVIEW_FIRST if last_review is None else CARER_REVIEW_NEXT
    start = approved_on if last_review is None else last_review
    day = due_date(row.due, start, resolve_policy(active_policy()))
    return ReviewDue(row.code, start, day, row.source)


def review_due(carer: Carer) -> ReviewDue | None:
    """`next_review` of `carer` from its stored reviews; None once deregistered (no longer
    approved, so no review is owed). Reads `carer.last_review` when the caller annotated it."""
    if carer.status == CarerStatus.DEREGISTERED:
        return None
    last = getattr(carer, "last_review", None)
    if last is None and not hasattr(carer, "last_review"):
        last = carer.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
    return next_review(carer.approved_on, last)


@dataclass(frozen=True)
class ReviewOwed:
    """One review a household owed: the day it was due and the review that met it (None: not
    held yet)."""

    due: dt.date
    held_on: dt.date | None

    def in_time(self) -> bool:
        return self.held_on is not None and self.held_on <= self.due


def reviews_owed(carer: Carer, held: list[dt.date]) -> list[ReviewOwed]:
    """Every review `carer` has owed since approval, oldest first, given the days its reviews
    were `held` (in order): each met by the next review held, the last still owed unless the
    household is deregistered (then none is owed after its last review)."""
    owed = []
    last: dt.date | None = None
    for day in held:
        owed.append(ReviewOwed(next_review(carer.approved_on, last).due, day))
        last = day
    if carer.status != CarerStatus.DEREGISTERED:
        owed.append(ReviewOwed(next_review(carer.approved_on, last).due, None))
    return owed


@dataclass(frozen=True)
class CarerRow:
    """A household on the carers' list: its next review and whether that is overdue."""

    carer: Carer
    due: ReviewDue | None
    overdue: bool


def carers_by_review(as_of: dt.date) -> list[CarerRow]:
    """Every household, the overdue reviews first, then by due date (none owed last), then by
    reference."""
    rows = []
    for carer in Carer.objects.annotate(last_review=Max("reviews__held_on")):
        due = review_due(carer)
        rows.append(CarerRow(carer, due, due is not None and due.overdue(as_of)))
    rows.sort(
        key=lambda r: (
            not r.overdue,
            r.due is None,
            r.due.due if r.due is not None else dt.date.max,
            r.carer.reference,
        )
    )
    return rows
