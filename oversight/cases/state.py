"""Where a child stands now, read from the last events of the chronology: looked after or not,
the ICPC that opened the current child protection plan. Read by the chronology's actions (a plan
discharge to consider) and by allocation (the chair who stays, the IRO allocated), so it lives
below both."""

from __future__ import annotations

from oversight.cases.constants import EventType
from oversight.cases.models import Child, Event


def _last(child: Child, types: list[str]) -> Event | None:
    return child.events.filter(type__in=types).order_by("-date", "-id").first()


def is_looked_after(child: Child) -> bool:
    """Looked after now: the last of the child's `lac_start` / `lac_end` events is a start."""
    last = _last(child, [EventType.LAC_START, EventType.LAC_END])
    return last is not None and last.type == EventType.LAC_START


def iro_allocated_since_lac_start(child: Child) -> bool:
    """An "IRO allocated" event on or after the child's last `lac_start`."""
    start = _last(child, [EventType.LAC_START])
    return (
        start is not None
        and child.events.filter(type=EventType.IRO_ALLOCATED, date__gte=start.date).exists()
    )


def plan_icpc(child: Child) -> Event | None:
    """The ICPC that opened the child's current child protection plan, or None without a plan:
    the last ICPC or RCPC decided a plan (ICPC "plan", RCPC "continue")."""
    last = _last(child, [EventType.ICPC, EventType.RCPC])
    if last is None:
        return None
    if last.type == EventType.ICPC:
        return last if last.data.get("outcome") == "plan" else None
    if last.data.get("outcome") != "continue":
        return None
    return (
        child.events.filter(type=EventType.ICPC, date__lte=last.date, data__outcome="plan")
        .order_by("-date", "-id")
        .first()
    )
