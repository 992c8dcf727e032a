"""The emails of a concern about a carer household (`templates/fostering/messages/`), through the
outbox: each step tells the person who must act next, and `oversight reminders` reminds of a
stage's response two working days before it is due and on the first working day after.

    raised, escalated    the stage's answerers (`ladder.answerers`), with its response date
    response             the corporate IRO who raised the concern: resolve it or go on
    resolved             the present stage's answerers: nothing more is waited for from them

A message carries the household's reference, the stage, the date and the link to the concern,
never what the concern is. Whoever took the step is not told of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.template import Context, engines
from django.utils import timezone

from oversight.cases.models import StaffMember
from oversight.escalations.models import Reminder
from oversight.escalations.reminders import reminder_kind
from oversight.fostering import ladder
from oversight.fostering.constants import StepKind
from oversight.fostering.models import CarerConcern
from oversight.notifications.actions import queue_message
from oversight.notifications.rules import link


def _send(
    concern: CarerConcern,
    people: Iterable[StaffMember],
    name: str,
    *,
    leave_out: Any = None,
    **values: Any,
) -> int:
    """Message `name` about `concern` to each of `people` with an email address, each once,
    `leave_out` (a user) not; the number queued."""
    template = engines["django"].engine.get_template(f"fostering/messages/{name}.txt")  # type: ignore[attr-defined]
    stage = ladder.stage(concern.stage)
    context = {
        "carer": concern.carer,
        "stage": concern.stage,
        "answered_by": stage.answered_by if stage else "",
        "link": link(f"/fostering/concerns/{concern.pk}/"),
        **values,
    }
    subject, _, body = template.render(Context(context, autoescape=False)).partition("\n")
    told: set[int] = set()
    for person in people:
        if person.pk in told or not person.user.email or person.user == leave_out:
            continue
        queue_message(to=person, subject=subject, body=body)
        told.add(person.pk)
    return len(told)


def tell_step(concern: CarerConcern, step: str, acting_user: Any) -> int:
    """Tell whoever must act after `step` (a `StepKind`) of `concern` (see the module's
    docstring), inside the step's transaction; the number of messages queued."""
    if step == StepKind.RESPONSE:
        people = [concern.raised_by]
    else:
        people = ladder.answerers(concern.carer, concern.stage)
    due = ladder.response_due(concern.stage, concern.stage_since)
    return _send(concern, people, "step", leave_out=acting_user, step=step, due=due)


def send_reminders(*, today: dt.date) -> int:
    """Remind the answerers of each open concern's unanswered stage, and the corporate IRO who
    raised it, two working days before its response is due and on the first working day after;
    each (concern, stage, kind) once however often this runs (an `escalations.Reminder` row,
    written in the same transaction as the messages). The number of messages queued."""
    queued = 0
    waiting = (
        CarerConcern.objects.filter(resolved_on__isnull=True)
        .select_related("carer__supervising_social_worker__user", "raised_by__user")
        .order_by("pk")
    )
    for concern in waiting:
        if concern.steps.filter(kind=StepKind.RESPONSE, stage=concern.stage).exists():
            continue
        due = ladder.response_due(concern.stage, concern.stage_since)
        kind = reminder_kind(due, today) if due is not None else None
        if kind is None:
            continue
        with transaction.atomic():
            _, created = Reminder.objects.get_or_create(
                key=f"carer-concern:{concern.pk}:{concern.stage}:{kind}",
                defaults={"sent_at": timezone.now()},
            )
            if created:
                people = [*ladder.answerers(concern.carer, concern.stage), concern.raised_by]
                queued += _send(concern, people, "reminder", kind=kind, due=due)
    return queued
