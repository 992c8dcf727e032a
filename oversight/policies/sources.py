"""The documents a council's pack comes from, and which are past their own review date.

A council's protocol says when it is to be reviewed ("To be reviewed in March 2018", Stockport);
a protocol past that date may no longer be what the council does, so the IRO service's managers
are shown which of the pack's documents are past it (`oversight.web.views_policy`), and the
nightly run tells the safeguarding service manager of each once, in their inbox
(`oversight.notifications.past_review`). A review date
is a month (reviewed in that month: past from the first day of the next) or a day (past from the
day after)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oversight.policies.schema import review_by

if TYPE_CHECKING:
    from oversight.policies.schema import Pack


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    authority: str
    issued: str
    note: str
    review_date: str | None  # as the pack writes it: YYYY-MM or YYYY-MM-DD
    review_by: dt.date | None  # the last day it is in date
    past_review: bool

    @property
    def by_month(self) -> bool:
        """The review date is a month ("March 2018"), not a day."""
        return self.review_date is not None and self.review_date.count("-") == 1


def sources(pack: Pack, today: dt.date) -> list[Source]:
    """Every source document of `pack` (through `extends`), those past their review date first,
    then in the pack's order."""
    found = []
    for key, document in pack.sources.items():
        last = review_by(document.review_date) if document.review_date else None
        found.append(
            Source(
                key=key,
                title=document.title,
                authority=document.authority,
                issued=document.issued,
                note=document.note,
                review_date=document.review_date,
                review_by=last,
                past_review=last is not None and today > last,
            )
        )
    return sorted(found, key=lambda source: not source.past_review)


def past_review(pack: Pack, today: dt.date) -> list[Source]:
    return [source for source in sources(pack, today) if source.past_review]
