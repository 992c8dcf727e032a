"""Changing a child's chronology. Views, imports and the API call these; none saves an Event.

Each action is atomic: the event row, its audit row (`oversight.audit.actions.record_change`,
with the record before and after) and the child's recomputed obligations are written in one
transaction, or nothing is. A chronology the engine cannot read (a missing outcome, an unknown
stage) is refused with `ValidationError` and nothing is saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.audit.actions import record_change
from oversight.cases.constants import EventType, Role
from oversight.cases.models import Child, Event
from oversight.cases.obligations import active_pack, recompute_child
from oversight.cases.state import plan_icpc
from oversight.timescales.dates import due_date
from oversight.timescales.events import InputError


def snapshot(event: Event) -> dict[str, Any]:
    """The event as the audit log keeps it."""
    return {
        "id": event.pk,
        "type": event.type,
        "date": event.date.isoformat(),
        "time": event.time.strftime("%H:%M") if event.time else None,
        "data": dict(event.data),
    }


def _recompute(child: Child, as_of: dt.date | None) -> None:
    try:
        recompute_child(child, as_of=as_of or timezone.localdate())
    except InputError as exc:
        # "events[3].outcome: missing" names the engine's index, which means nothing here.
        message = str(exc).split(": ", 1)[-1]
        raise ValidationError(f"This event cannot be recorded: {message}") from None


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason for the change")
    return reason


@dataclass(frozen=True)
class NewEvent:
    """One event to record: what happened, when, and its extra fields of the contract."""

    type: str
    date: dt.date
    time: dt.time | None = None
    data: dict[str, Any] = field(default_factory=dict)


def record_events(
    child: Child, events: Iterable[NewEvent], *, acting_user: Any, as_of: dt.date | None = None
) -> list[Event]:
    """Put several events on `child`'s chronology at once (an import): each checked and audited
    as `record_event` does, and the child's obligations recomputed once, after the last; all or
    none (`ValidationError`)."""
    recorded: list[Event] = []
    with transaction.atomic():
        for new in events:
            if new.type not in EventType.values:
                raise ValidationError(f"Unknown event type {new.type!r}")
            event = Event.objects.create(
                child=child,
                type=new.type,
                date=new.date,
                time=new.time,
                data=dict(new.data),
                recorded_by=acting_user
                if getattr(acting_user, "is_authenticated", False)
                else None,
                recorded_at=timezone.now(),
            )
            record_change(
                child,
                action="event.recorded",
                before=None,
                after=snapshot(event),
                acting_user=acting_user,
            )
            recorded.append(event)
        _recompute(child, as_of)
    return recorded


def record_event(
    child: Child,
    *,
    type: str,
    date: dt.date,
    time: dt.time | None = None,
    data: dict[str, Any] | None = None,
    acting_user: Any,
    as_of: dt.date | None = None,
) -> Event:
    """Put one event on `child`'s chronology; audited; the child's obligations recomputed."""
    with transaction.atomic():
        (event,) = record_events(
            child,
            [NewEvent(type, date, time, dict(data or {}))],
            acting_user=acting_user,
            as_of=as_of,
        )
        if type == EventType.LAC_START and event.recorded_by is not None:
            _prompt_plan_discharge(event)
    return event


def _prompt_plan_discharge(started: Event) -> None:
    """A child on a child protection plan who becomes looked after prompts the chair to consider
    the plan's discharge: an action for the IRO, due the next working day. Imports and the demo
    (no `recorded_by`) prompt nothing."""
    icpc = plan_icpc(started.child)
    if icpc is None or icpc.date > started.date:
        return
    due = due_date("1 working day", started.date, active_pack().policy)
    record_event(
        started.child,
        type=EventType.ACTION_SET,
        date=started.date,
        data={
            "action": f"lac{started.pk}-discharge",
            "text": (
                "On a child protection plan and now looked after: consider the plan's "
                "discharge (bring the review conference forward?)"
            ),
            "due": due.isoformat(),
            "owner": Role.IRO.value,
        },
        acting_user=started.recorded_by,
    )


def amend_event(
    event: Event,
    *,
    changes: dict[str, Any],
    reason: str,
    acting_user: Any,
    as_of: dt.date | None = None,
) -> Event:
    """Change an event's `date`, `time` and/or `data` (not its type); the reason is required."""
    reason = _reason(reason)
    unknown = set(changes) - {"date", "time", "data"}
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))} of an event")
    with transaction.atomic():
        before = snapshot(event)
        for name, value in changes.items():
            setattr(event, name, dict(value) if name == "data" else value)
        event.save(update_fields=list(changes))
        record_change(
            event.child,
            action="event.amended",
            before=before,
            after=snapshot(event),
            reason=reason,
            acting_user=acting_user,
        )
        _recompute(event.child, as_of)
    return event


def remove_event(
    event: Event, *, reason: str, acting_user: Any, as_of: dt.date | None = None
) -> None:
    """Take an event off the chronology; the reason is required and the audit row keeps it."""
    reason = _reason(reason)
    child = event.child
    with transaction.atomic():
        before = snapshot(event)
        event.delete()
        record_change(
            child,
            action="event.removed",
            before=before,
            after=None,
            reason=reason,
            acting_user=acting_user,
        )
        _recompute(child, as_of)
