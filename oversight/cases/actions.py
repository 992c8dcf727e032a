"""Changing a child's chronology. Views, imports and the API call these; none saves an Event.

Each action is atomic: the event row, its audit row (`oversight.audit.actions.record_change`,
with the record before and after) and the child's recomputed obligations are written in one
transaction, or nothing is. A chronology the engine cannot read (a missing outcome, an unknown
stage) is refused with `ValidationError` and nothing is saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.audit.actions import Change, record_change, record_changes
from oversight.cases.access import open_allocations
from oversight.cases.bulk import bulk_insert
from oversight.cases.chronology import periods, visit_minimum_on
from oversight.cases.constants import EventType, Role
from oversight.cases.models import (
    Allocation,
    Child,
    Event,
    engine_event,
    validate_nhs_number,
)
from oversight.cases.obligations import Recomputed, active_pack, recompute_child, recompute_children
from oversight.cases.proceedings import proceedings_of
from oversight.cases.rules import (
    RECORDABLE,
    EventRecord,
    birth_problems,
    event_problems,
    held_date_problem,
    plain_event_data,
)
from oversight.cases.state import plan_icpc
from oversight.timescales.dates import due_date
from oversight.timescales.events import InputError

# The event types of the timescales contract (`EventType.values` builds its list on every read).
EVENT_TYPES = frozenset(EventType.values)


def snapshot(event: Event) -> dict[str, Any]:
    """The event as the audit log keeps it."""
    return {
        "id": event.pk,
        "type": event.type,
        "date": event.date.isoformat(),
        "time": event.time.strftime("%H:%M") if event.time else None,
        "data": dict(event.data),
    }


def _refusal(exc: InputError) -> str:
    # "events[3].outcome: missing" names the engine's index, which means nothing here.
    message = str(exc).split(": ", 1)[-1]
    return f"This event cannot be recorded: {message}"


def _recompute(child: Child, as_of: dt.date | None) -> None:
    try:
        recompute_child(child, as_of=as_of or timezone.localdate())
    except InputError as exc:
        raise ValidationError(_refusal(exc)) from None


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
    """Put several events on `child`'s chronology at once: each audited as `record_event` does,
    and the child's obligations recomputed once, after the last; all or none
    (`ValidationError`)."""
    try:
        recorded, _ = record_chronologies(
            [(child, list(events))], acting_user=acting_user, as_of=as_of
        )
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None  # the child's, not by its reference
    return recorded[0]


def record_chronologies(
    chronologies: Sequence[tuple[Child, Sequence[NewEvent]]],
    *,
    acting_user: Any,
    as_of: dt.date | None = None,
    new_children: Collection[int] = (),
) -> tuple[list[list[Event]], Recomputed]:
    """Put events on several children's chronologies at once (an import's batch): the events,
    their audit rows (one each, as `record_event` writes it) and the children's obligations
    written in bulk, a few statements for the batch. All or none: an unknown event type, or a
    chronology the engine cannot read, is refused (`ValidationError`, its messages by child
    reference when the engine refused) and nothing is saved. The events recorded, per child, and
    what the recompute wrote. `new_children`: the ids of children created in the caller's
    transaction with no events yet (an import's new children), whose whole chronology is
    therefore the events given: the recompute takes them as they are instead of reading them
    back (`recompute_children`'s `whole`)."""
    for _child, events in chronologies:
        for new in events:
            if new.type not in EVENT_TYPES:
                raise ValidationError(f"Unknown event type {new.type!r}")
    recorded_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    now = timezone.now()
    fresh = set(new_children)
    with transaction.atomic():
        made = [
            [
                Event(
                    child=child,
                    type=new.type,
                    date=new.date,
                    time=new.time,
                    data=dict(new.data),
                    recorded_by=recorded_by,
                    recorded_at=now,
                )
                for new in events
            ]
            for child, events in chronologies
        ]
        bulk_insert(Event, [e for events in made for e in events])
        record_changes(
            (
                Change(child, "event.recorded", None, snapshot(event))
                for (child, _), events in zip(chronologies, made, strict=True)
                for event in events
            ),
            acting_user=acting_user,
        )
        found = recompute_children(
            [child.pk for child, _ in chronologies],
            as_of=as_of or timezone.localdate(),
            whole={
                child.pk: [
                    engine_event(e.pk, e.type, e.date, e.time, e.data)
                    for e in sorted(events, key=lambda e: (e.date, e.pk))
                ]
                for (child, _), events in zip(chronologies, made, strict=True)
                if child.pk in fresh
            },
        )
        if found.failed:
            references = {child.pk: child.reference for child, _ in chronologies}
            raise ValidationError(
                {references[pk]: [_refusal(exc)] for pk, exc in found.failed.items()}
            )
    return made, found


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


def new_action_id(child: Child) -> str:
    """The id a newly set action of `child` takes (a1, a2, ...: the first not used)."""
    used = {
        str(d.get("action"))
        for d in Event.objects.filter(child=child, type=EventType.ACTION_SET).values_list(
            "data", flat=True
        )
    }
    n = len(used) + 1
    while f"a{n}" in used:
        n += 1
    return f"a{n}"


def plain_event_problems(
    child: Child,
    record: EventRecord,
    *,
    today: dt.date,
    owner: str = "",
    excluding: Event | None = None,
) -> dict[str, str]:
    """Every reason, by field, that `record` cannot go on `child`'s chronology as a plain
    event (the event form's rules, for a caller with no form: the API), judged against the
    chronology without `excluding` (the event being changed)."""
    if record.type not in RECORDABLE:
        return {"type": "Choose an event type that is recorded on its own (meetings have theirs)"}
    problems: dict[str, str] = {}
    if record.date is None:
        problems["date"] = "Enter the date it happened"
    else:
        held = held_date_problem(record.date, born=child.date_of_birth, today=today)
        if held is not None:
            problems["date"] = held
    events = [e for e in child.events.order_by("date", "pk") if e != excluding]
    done = {str(e.data.get("action")) for e in events if e.type == EventType.ACTION_DONE}
    open_actions = {
        str(e.data.get("action"))
        for e in events
        if e.type == EventType.ACTION_SET and str(e.data.get("action")) not in done
    }
    if owner and record.type == EventType.ACTION_SET:
        allocated = Allocation.objects.filter(open_allocations(today), child=child)
        if not allocated.filter(staff__user__username=owner).exists():
            problems["owner"] = "Name someone allocated to the child, by their username"
    policy = active_pack().policy
    found = periods(events, policy, today)
    return {
        **event_problems(
            record,
            periods=found,
            open_actions=open_actions,
            proceedings=proceedings_of(events),
            visit_minimum=lambda day: visit_minimum_on(events, policy, day),
        ),
        **problems,
    }


def record_plain_event(
    child: Child,
    record: EventRecord,
    *,
    time: dt.time | None = None,
    owner: str = "",
    acting_user: Any,
    as_of: dt.date | None = None,
) -> Event:
    """`record_event` for a plain event given as values, checked by the event form's rules
    first (`plain_event_problems`: ValidationError by field, nothing saved)."""
    today = as_of or timezone.localdate()
    problems = plain_event_problems(child, record, today=today, owner=owner)
    if problems:
        raise ValidationError(problems)
    assert record.date is not None
    data = plain_event_data(
        record,
        owner=owner,
        existing={},
        new_action=new_action_id(child),
        periods=periods(list(child.events.all()), active_pack().policy, today),
    )
    return record_event(
        child,
        type=record.type,
        date=record.date,
        time=time,
        data=data,
        acting_user=acting_user,
        as_of=as_of,
    )


def amend_plain_event(
    event: Event,
    record: EventRecord,
    *,
    time: dt.time | None,
    owner: str = "",
    reason: str,
    acting_user: Any,
    as_of: dt.date | None = None,
) -> Event:
    """`amend_event` for a plain event given as values (its type stays), checked by the event
    form's rules against the chronology without it (ValidationError by field, nothing saved)."""
    today = as_of or timezone.localdate()
    problems = plain_event_problems(event.child, record, today=today, owner=owner, excluding=event)
    if problems:
        raise ValidationError(problems)
    others = [e for e in event.child.events.all() if e != event]
    data = plain_event_data(
        record,
        owner=owner,
        existing=event.data,
        new_action=new_action_id(event.child),
        periods=periods(others, active_pack().policy, today),
    )
    return amend_event(
        event,
        changes={"date": record.date, "time": time, "data": data},
        reason=reason,
        acting_user=acting_user,
        as_of=as_of,
    )


def _child_problems(
    *,
    reference: str,
    last_name: str,
    date_of_birth: dt.date | None,
    expected_date_of_delivery: dt.date | None,
    nhs_number: str,
    today: dt.date,
    held: Child | None = None,
) -> dict[str, str]:
    """Why a child's details cannot be, by field: a reference in use by another child than
    `held`, no last name, an NHS number that is not one, dates that cannot be."""
    problems = birth_problems(
        date_of_birth=date_of_birth, expected=expected_date_of_delivery, today=today
    )
    others = Child.objects.exclude(pk=held.pk) if held is not None else Child.objects.all()
    if not reference:
        problems["reference"] = "Enter the council's reference for the child"
    elif others.filter(reference=reference).exists():
        problems["reference"] = "A child with this reference is already held"
    if not last_name.strip():
        problems["last_name"] = "Enter the child's last name"
    if nhs_number:
        try:
            validate_nhs_number(nhs_number)
        except ValidationError as wrong:
            problems["nhs_number"] = wrong.messages[0]
    return problems


CHILD_DETAILS = (
    "reference",
    "first_name",
    "last_name",
    "date_of_birth",
    "expected_date_of_delivery",
    "nhs_number",
)


def _details(child: Child) -> dict[str, Any]:
    return {name: getattr(child, name) for name in CHILD_DETAILS}


def register_child(
    *,
    reference: str,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date | None,
    expected_date_of_delivery: dt.date | None,
    nhs_number: str,
    acting_user: Any,
    as_of: dt.date | None = None,
) -> Child:
    """A child new to Oversight (from the council's case management system); audited. Refused
    (ValidationError by field) for a reference in use, an NHS number that is not one, or dates
    that cannot be."""
    reference = reference.strip()
    nhs = nhs_number.replace(" ", "")
    problems = _child_problems(
        reference=reference,
        last_name=last_name,
        date_of_birth=date_of_birth,
        expected_date_of_delivery=expected_date_of_delivery,
        nhs_number=nhs,
        today=as_of or timezone.localdate(),
    )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        child = Child.objects.create(
            reference=reference,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            date_of_birth=date_of_birth,
            expected_date_of_delivery=expected_date_of_delivery,
            nhs_number=nhs,
        )
        record_change(
            child,
            action="child.registered",
            before=None,
            after={"reference": child.reference},
            acting_user=acting_user,
        )
    return child


def change_child(
    child: Child, *, changes: dict[str, Any], acting_user: Any, as_of: dt.date | None = None
) -> Child:
    """Change a child's details (`changes`: any of `CHILD_DETAILS`, as the council's case
    management system now holds them: a corrected name, the birth of an unborn child, an NHS
    number found later), checked whole by `register_child`'s rules (ValidationError by field,
    nothing saved); audited with the details before and after. The chronology is recomputed,
    since a date of birth moves the obligations that count from it."""
    unknown = sorted(set(changes) - set(CHILD_DETAILS))
    if unknown:
        raise ValidationError({name: "Not a detail of a child" for name in unknown})
    after = {**_details(child), **changes}
    after["reference"] = str(after["reference"]).strip()
    after["first_name"] = str(after["first_name"]).strip()
    after["last_name"] = str(after["last_name"]).strip()
    after["nhs_number"] = str(after["nhs_number"]).replace(" ", "")
    today = as_of or timezone.localdate()
    problems = _child_problems(
        reference=after["reference"],
        last_name=after["last_name"],
        date_of_birth=after["date_of_birth"],
        expected_date_of_delivery=after["expected_date_of_delivery"],
        nhs_number=after["nhs_number"],
        today=today,
        held=child,
    )
    if problems:
        raise ValidationError(problems)
    before = _details(child)
    if after == before:
        return child
    with transaction.atomic():
        for name, value in after.items():
            setattr(child, name, value)
        child.save(update_fields=list(CHILD_DETAILS))
        record_change(
            child, action="child.changed", before=before, after=after, acting_user=acting_user
        )
        _recompute(child, today)
    return child
