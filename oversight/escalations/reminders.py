"""Reminders of concerns' response deadlines (`oversight reminders`, run daily).

Two working days before a response is due, and on the first working day after it, the addressee
and the chair are emailed (through the outbox), or, while the chair is away, the member of staff
covering them (a current `Cover`: `oversight.cases.holders.chair_now`); on that first working day after, the ladder's
no-response rule is applied too: a prompt to the role it names, or the next stage issued
automatically where the pack says so. A stage answered "not accepted" whose pack says what then
follows (`on_not_accepted`, Manchester: the next stage "will commence after 5 working days" of
the notice) has that rule applied on the first working day after that time, or on the next run
after a later reply. Idempotent: each (obligation, kind, day) is sent once, and each not-accepted
rule applied once, however often this runs (a `Reminder` row, unique, written in the same
transaction as its messages)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from oversight.cases import formatting
from oversight.cases.holders import chair_now, merge, people_for, person_of, unheld
from oversight.cases.models import Obligation
from oversight.escalations.actions import addressees, current_notice, issue_next_notice
from oversight.escalations.constants import RESPONSE_CODES, Status
from oversight.escalations.ladders import (
    Refused,
    due_on,
    ladder_of,
    next_stage,
    stage_label,
    stage_of,
)
from oversight.escalations.messages import tell
from oversight.escalations.models import Concern, Reminder, Response
from oversight.policies import resolve_policy
from oversight.policies.checks import active_policy
from oversight.policies.schema import NoResponse
from oversight.timescales.dates import due_date


def reminder_kind(due: dt.date, today: dt.date) -> str | None:
    """ "before" when `today` is the 2nd working day before `due` (the due day itself not
    counted), "after" when it is the 1st working day after `due`, else None."""
    policy = resolve_policy(active_policy())
    if due_date("2 working days before", due, policy) == today:
        return "before"
    if due_date("1 working day", due, policy) == today:
        return "after"
    return None


def send_reminders(*, today: dt.date) -> int:
    """Remind the addressee and the chair of each unanswered response deadline two working days
    before it falls due and on the first working day after it (see the module's docstring).
    Returns the number of messages queued."""
    queued = 0
    rows = Obligation.objects.filter(code__in=RESPONSE_CODES).exclude(status=Obligation.Status.MET)
    for row in rows.select_related("child").order_by("due", "pk"):
        kind = reminder_kind(row.due, today)
        if kind is None:
            continue
        ref = str(row.trigger.get("concern") or "")
        pk = ref.removeprefix("concern-")
        if pk.isdigit():
            concern = Concern.objects.filter(pk=int(pk)).first()
        else:  # adopted from the chronology (the demo council's "c17")
            concern = Concern.objects.filter(child_id=row.child_id, engine_key=ref).first()
        if concern is None or not ref or concern.status != Status.OPEN:
            continue
        stage = int(row.trigger.get("stage") or 0)
        key = f"{row.child_id}:{row.code}:{row.event_id}:{stage}:{kind}:{today.isoformat()}"
        with transaction.atomic():
            _, created = Reminder.objects.get_or_create(
                key=key, defaults={"sent_at": timezone.now()}
            )
            if not created:
                continue
            people = merge(
                addressees(concern, stage=stage, as_of=today),
                [person_of("iro", chair_now(concern.raised_by, as_of=today))],
            )
            tell(
                concern, people, f"reminder_{kind}", None,
                stage=stage_label(concern, stage), due=row.due,
            )  # fmt: skip
            queued += len([p for p in people if p.email])
            if kind == "after" and concern.stage == stage:
                queued += _no_response(concern, stage, row.due, today)
    return queued + _after_not_accepted(today)


def _after_not_accepted(today: dt.date) -> int:
    """Apply each open concern's `on_not_accepted` rule where its current stage was answered
    "not accepted" and the rule's time from the notice has passed (see the module's docstring).
    Returns the number of messages queued."""
    queued = 0
    rows = Response.objects.filter(accepted=False, stage__gt=0, concern__status=Status.OPEN)
    for response in rows.select_related("concern__child").order_by("concern_id", "pk"):
        concern = response.concern
        latest = concern.responses.filter(stage=concern.stage).last()
        if response.stage != concern.stage or latest is None or latest.pk != response.pk:
            continue  # moved on, or answered again since
        try:
            stage = stage_of(ladder_of(concern.ladder), concern.stage)
        except Refused:  # a ladder or stage the active pack no longer has
            continue
        notice = current_notice(concern)
        rule = stage.on_not_accepted
        time = (rule.after or stage.response) if rule else None
        if rule is None or notice is None or time in (None, "none"):
            continue
        at = notice.event.time if notice.event is not None else None
        by = due_on(str(time), notice.issued_on, at)
        if today <= by:
            continue
        with transaction.atomic():
            _, created = Reminder.objects.get_or_create(
                key=f"not_accepted:{notice.pk}", defaults={"sent_at": timezone.now()}
            )
            if created:
                queued += _apply(concern, concern.stage, rule, by, today, "not accepted")
    return queued


def _no_response(concern: Concern, stage: int, due: dt.date, today: dt.date) -> int:
    """What the ladder says happens when a stage goes unanswered, on the first working day after
    its deadline (see `_apply`). Returns the number of messages queued."""
    ladder = ladder_of(concern.ladder)
    rule = ladder.informal.on_no_response if stage == 0 else stage_of(ladder, stage).on_no_response
    if rule is None:
        return 0
    return _apply(concern, stage, rule, due, today, "no response")


def _apply(
    concern: Concern, stage: int, rule: NoResponse, due: dt.date, today: dt.date, what: str
) -> int:
    """A ladder's rule for a stage left unanswered, or answered "not accepted" (`what`), by
    `due`: `prompt` emails the named role (Manchester: the IRO team manager);
    `next_stage_issued` issues the next stage's notice automatically, unless that stage needs
    someone's agreement, is a referral, or has nobody to address (then the chair decides, as for
    every other rule). Returns the number of messages queued."""
    ladder = ladder_of(concern.ladder)
    label = stage_label(concern, stage)
    if rule.action == "prompt" and rule.role:
        people = people_for(concern.child, [rule.role], as_of=today)
        tell(concern, people, "no_response", None, stage=label, due=due, text=rule.text)
        return len(people)
    if rule.action != "next_stage_issued":
        return 0
    target = next_stage(ladder, stage)
    if target is None:
        return 0
    if (
        target.agreement
        or not target.addressees
        or unheld(concern.child, target.addressees, as_of=today)
    ):
        return 0
    notice = issue_next_notice(
        concern,
        stage=target,
        on=today,
        text=f"Issued automatically: {what} at {label} by {formatting.day(due)}.",
    )
    return sum(1 for p in notice.recipients if p["email"])
