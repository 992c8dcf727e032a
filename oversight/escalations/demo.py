"""Escalation records for the demo council's open concerns.

The demo (`oversight.cases.demo`) writes concerns as chronology events only (`concern_raised`,
`escalation_notice`, ... each with a `concern` id such as "c17"). `adopt_demo_concerns()` gives
each concern still open on those events a `Concern` (with `engine_key` = that id, so the record
page finds its deadlines and later actions extend the same chronology), its notices, responses
and history, so that `/concerns/`, the challenge meeting pack and the escalation record pages
work on the demo council.

Deterministic, as the demo is: the same events give the same rows with the same ids (ids
assigned after the last one in use, sequences moved past them; times taken from the events'
`recorded_at`), so that two demo runs on empty databases still dump identically. Bulk-written:
one streaming read of the concern events and one `bulk_create` per table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from oversight.cases.constants import EventType
from oversight.cases.models import Event, StaffMember
from oversight.escalations import ladders
from oversight.escalations.constants import Kind, Status, StepKind
from oversight.escalations.models import Concern, Notice, Response, Step, Theme

CONCERN_EVENTS: dict[str, str] = {
    EventType.CONCERN_RAISED: StepKind.RAISED,
    EventType.CONCERN_RESPONSE: StepKind.RESPONSE,
    EventType.CONCERN_WARNING: StepKind.WARNING,
    EventType.CONCERN_RESOLVED: StepKind.RESOLVED,
    EventType.ESCALATION_NOTICE: StepKind.NOTICE,
    EventType.ESCALATION_EXTENDED: StepKind.EXTENDED,
    EventType.ESCALATION_RESPONSE: StepKind.RESPONSE,
    EventType.CAFCASS_REFERRAL: StepKind.CAFCASS,
    EventType.LEGAL_ADVICE_SOUGHT: StepKind.LEGAL_ADVICE,
}
BATCH = 2000


@dataclass
class _Found:
    """One demo concern's events, in chronology order."""

    child_id: int
    key: str
    events: list[
        tuple[int, str, dt.date, dt.time | None, dict[str, Any], int | None, dt.datetime]
    ] = field(default_factory=list)


def _next_id(model: Any) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _concerns_on_events() -> list[_Found]:
    """The concerns of the chronology not yet adopted and still open (no `concern_resolved`)."""
    found: dict[tuple[int, str], _Found] = {}
    rows = (
        Event.objects.filter(type__in=list(CONCERN_EVENTS))
        .order_by("child_id", "date", "id")
        .values_list(
            "id", "child_id", "type", "date", "time", "data", "recorded_by_id", "recorded_at"
        )
    )
    for pk, child_id, type_, day, clock, data, by, at in rows.iterator(chunk_size=BATCH):
        key = str((data or {}).get("concern") or "")
        if not key:
            continue
        item = found.get((child_id, key))
        if item is None:
            item = found[(child_id, key)] = _Found(child_id, key)
        item.events.append((pk, type_, day, clock, data or {}, by, at))
    adopted = set(Concern.objects.exclude(engine_key="").values_list("child_id", "engine_key"))
    return [
        item
        for (child_id, key), item in found.items()
        if (child_id, key) not in adopted
        and item.events[0][1] == EventType.CONCERN_RAISED
        and not any(e[1] == EventType.CONCERN_RESOLVED for e in item.events)
    ]


def _respond_by(
    ladder: Any, stage: int, day: dt.date, clock: dt.time | None, data: dict[str, Any]
) -> dt.date | None:
    """The notice's response deadline, as the engine counts it from the notice's event."""
    if data.get("respond_by"):
        return dt.date.fromisoformat(str(data["respond_by"]))
    if ladder is None:
        return None
    rule = next((s.response for s in ladder.stages if s.number == stage), None)
    return ladders.due_on(rule, day, clock) if rule and rule != "none" else None


def adopt_demo_concerns() -> int:
    """A `Concern` (with notices, responses and history) for each open concern of the
    chronology that has none; returns how many were made. Safe to run again (adopts only new
    ones)."""
    found = _concerns_on_events()
    if not found:
        return 0
    staff_of = dict(StaffMember.objects.values_list("user_id", "pk"))
    themes = list(Theme.objects.filter(active=True).order_by("order", "label"))
    known = ladders.pack().ladders
    ids = {m: _next_id(m) for m in (Concern, Notice, Response, Step)}
    through = Concern.themes.through
    through_id = _next_id(through)
    concerns: list[Concern] = []
    notices: list[Notice] = []
    responses: list[Response] = []
    steps: list[Step] = []
    links: list[Any] = []
    for item in found:
        first = item.events[0]
        raised_by = staff_of.get(first[5]) if first[5] is not None else None
        if raised_by is None:
            continue
        # the ladder the concern's events name (as the engine reads them), else the default
        name = str(first[4].get("ladder") or "")
        name = name if name in known else ladders.default_ladder()
        ladder = known[name]
        concern_id = ids[Concern]
        ids[Concern] += 1
        number = int("".join(ch for ch in item.key if ch.isdigit()) or 0)
        theme = themes[number % len(themes)] if themes else None
        topic = theme.label if theme else "Practice"
        stage = 0
        current: Notice | None = None
        for pk, type_, day, clock, data, by, at in item.events:
            actor = staff_of.get(by) if by is not None else None
            step_data: dict[str, Any] = {}
            if type_ == EventType.ESCALATION_NOTICE:
                stage = int(data.get("stage") or stage + 1)
                due = _respond_by(ladder, stage, day, clock, data)
                current = Notice(
                    id=ids[Notice], concern_id=concern_id, stage=stage, issued_on=day,
                    issued_by_id=actor or raised_by, respond_by=due, recipients=[], event_id=pk,
                )  # fmt: skip
                ids[Notice] += 1
                notices.append(current)
                step_data["respond_by"] = due.isoformat() if due else None
            elif type_ == EventType.ESCALATION_EXTENDED and current is not None:
                current.respond_by = _respond_by(None, stage, day, clock, data)
                current.extension_reason = "Extended by the chair"
                step_data["respond_by"] = data.get("respond_by")
            elif type_ in (EventType.CONCERN_RESPONSE, EventType.ESCALATION_RESPONSE):
                accepted = bool(data.get("accepted"))
                responses.append(
                    Response(
                        id=ids[Response], concern_id=concern_id,
                        stage=int(data.get("stage") or 0), responded_on=day,
                        responded_by_id=actor or raised_by, accepted=accepted,
                        reasons="" if accepted else "Not accepted",
                    )
                )  # fmt: skip
                ids[Response] += 1
                step_data["accepted"] = accepted
            steps.append(
                Step(
                    id=ids[Step], concern_id=concern_id, kind=CONCERN_EVENTS[type_],
                    stage=stage, on=day, by_id=actor, text="", data=step_data, recipients=[],
                    event_id=pk, created_at=at,
                )
            )  # fmt: skip
            ids[Step] += 1
        concerns.append(
            Concern(
                id=concern_id, child_id=item.child_id, kind=Kind.CONCERN, ladder=name,
                stage=stage, status=Status.OPEN, raised_on=first[2], raised_by_id=raised_by,
                issue=f"{topic}: the chair's concern about the child's plan (demo council).",
                impact="Delay for the child in getting the help the plan sets out.",
                created_at=first[6], engine_key=item.key,
            )
        )  # fmt: skip
        if theme is not None:
            links.append(through(id=through_id, concern_id=concern_id, theme_id=theme.pk))
            through_id += 1
    with transaction.atomic():
        Concern.objects.bulk_create(concerns, batch_size=BATCH)
        Notice.objects.bulk_create(notices, batch_size=BATCH)
        Response.objects.bulk_create(responses, batch_size=BATCH)
        Step.objects.bulk_create(steps, batch_size=BATCH)
        through.objects.bulk_create(links, batch_size=BATCH)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [Concern, Notice, Response, Step, through]
            ):
                cursor.execute(sql)
    return len(concerns)
