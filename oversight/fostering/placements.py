"""The looked-after children placed with a household: those whose placement now (their latest
`placement_start` or `placement_change`, not followed by a `placement_end` or the end of being
looked after) names the household's reference as its `provider` (docs/spec/timescales.md,
"Placements": the provider is the carer, home or agency)."""

from __future__ import annotations

import datetime as dt

from oversight.cases.access import restriction_filter
from oversight.cases.constants import EventType
from oversight.cases.models import Child, Event, StaffMember

BEGINS = (EventType.PLACEMENT_START, EventType.PLACEMENT_CHANGE)
ENDS = (EventType.PLACEMENT_END, EventType.LAC_END)


def placed_with(reference: str, *, as_of: dt.date, seen_by: StaffMember) -> list[Child]:
    """The children placed with household `reference` on `as_of`, by name; a restricted child
    only to the people named on it (`seen_by` one of them)."""
    named = Event.objects.filter(type__in=BEGINS, data__provider=reference, date__lte=as_of)
    latest: dict[int, Event] = {}
    for event in Event.objects.filter(
        child_id__in=named.values("child_id"), type__in=BEGINS + ENDS, date__lte=as_of
    ).order_by("child_id", "date", "id"):
        latest[event.child_id] = event
    placed = [
        child_id
        for child_id, event in latest.items()
        if event.type in BEGINS and event.data.get("provider") == reference
    ]
    return list(
        Child.objects.filter(restriction_filter(seen_by), pk__in=placed).order_by(
            "last_name", "first_name", "id"
        )
    )
