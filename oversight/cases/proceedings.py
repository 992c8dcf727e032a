"""A looked-after child's legal status and care proceedings, read from the chronology (never
stored twice): the Walsall seed's "close liaison with the child's guardian" and "sight of all
legal papers being submitted in care proceedings by the local authority" (seed 002, 5.2).

- The **legal status** is the latest `legal_status` event on or before a day (its 903 code and
  the day it began), within the looked-after episode open that day: a status of an earlier
  episode is not the child's now.
- **Proceedings** run from a `proceedings_start` to the next `proceedings_end`, the closed
  interval [start, end] (open until ended). A guardian appointed, a liaison with the guardian
  and papers seen belong to the proceedings open on their date; a child has one set of
  proceedings open at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from oversight.cases.chronology import EventRow, Period, period_on
from oversight.cases.constants import EventType

# The events that belong to the proceedings open on their date.
IN_PROCEEDINGS = frozenset(
    {
        EventType.PROCEEDINGS_END,
        EventType.GUARDIAN_APPOINTED,
        EventType.GUARDIAN_LIAISON,
        EventType.LEGAL_PAPERS_SEEN,
    }
)


@dataclass
class Proceedings:
    """One set of care proceedings: closed interval [start, end], and what belongs to it."""

    started: Any  # the proceedings_start event
    ended: Any = None  # the proceedings_end event, or None while open
    guardians: list[Any] = field(default_factory=list)
    liaisons: list[Any] = field(default_factory=list)
    papers: list[Any] = field(default_factory=list)

    @property
    def start(self) -> dt.date:
        return self.started.date  # type: ignore[no-any-return]

    @property
    def end(self) -> dt.date | None:
        return self.ended.date if self.ended is not None else None

    def is_open_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def guardian(self) -> str:
        """The children's guardian named last, or ""."""
        return str(self.guardians[-1].data.get("guardian", "")) if self.guardians else ""


def _ordered(events: Iterable[EventRow]) -> list[EventRow]:
    """Oldest first; on one day a start before what belongs to it, an end after it."""
    rank: dict[str, int] = {EventType.PROCEEDINGS_START: 0, EventType.PROCEEDINGS_END: 2}
    return sorted(events, key=lambda e: (e.date, rank.get(e.type, 1), e.pk or 0))


def proceedings_of(events: Iterable[EventRow]) -> list[Proceedings]:
    """Every set of proceedings in the events, oldest first. An event of proceedings dated
    when none is open belongs to none (the event form refuses it)."""
    found: list[Proceedings] = []
    for event in _ordered(events):
        current = found[-1] if found and found[-1].ended is None else None
        if event.type == EventType.PROCEEDINGS_START:
            if current is None:
                found.append(Proceedings(started=event))
            continue
        if current is None or event.type not in IN_PROCEEDINGS:
            continue
        if event.type == EventType.PROCEEDINGS_END:
            current.ended = event
        elif event.type == EventType.GUARDIAN_APPOINTED:
            current.guardians.append(event)
        elif event.type == EventType.GUARDIAN_LIAISON:
            current.liaisons.append(event)
        else:
            current.papers.append(event)
    return found


def open_on(found: list[Proceedings], day: dt.date) -> Proceedings | None:
    """The proceedings open on `day`, else None."""
    return next((p for p in reversed(found) if p.is_open_on(day)), None)


def legal_status_on(
    events: Iterable[EventRow], spans: list[Period], day: dt.date
) -> EventRow | None:
    """The `legal_status` event in force on `day`: the latest on or before it within the
    looked-after episode open that day (None when not looked after or none recorded)."""
    episode = period_on(spans, "episode", day)
    if episode is None:
        return None
    found = [
        e for e in events if e.type == EventType.LEGAL_STATUS and episode.start <= e.date <= day
    ]
    return max(found, key=lambda e: (e.date, e.pk or 0), default=None)


def seen_between(
    found: list[Proceedings], after: dt.date | None, until: dt.date
) -> tuple[list[Any], list[Any]]:
    """The liaisons with the guardian and the papers seen dated in (after, until] (all up to
    `until` when `after` is None), of any proceedings: what the IRO checks at a review since
    the last one."""
    liaisons, papers = [], []
    for p in found:
        for event in p.liaisons:
            if (after is None or event.date > after) and event.date <= until:
                liaisons.append(event)
        for event in p.papers:
            if (after is None or event.date > after) and event.date <= until:
                papers.append(event)
    return liaisons, papers
