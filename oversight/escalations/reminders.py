"""Reminders of concerns' response deadlines (`oversight reminders`, run daily).

Two working days before a response is due, and on the first working day after it, the addressee
and the chair are emailed (through the outbox), or, while the chair is away, the member of staff
covering them (a current `Cover`: `oversight.cases.holders.chair_now`); on that first working day after, the ladder's
no-response rule is applied too: a prompt to the role it names, or the next stage issued
automatically where the pack says so. Idempotent: each (obligation, kind, day) is sent once
however often this runs (a `Reminder` row, unique, written in the same transaction as its
messages)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from oversight.cases.holders import chair_now, merge, people_for, person_of, unheld
from oversight.cases.models import Obligation
from oversight.escalations.actions import addressees, issue_next_notice
from oversight.escalations.constants import RESPONSE_CODES, Status
from oversight.escalations.ladders import ladder_of, next_stage, stage_label, stage_of
from oversight.escalations.messages import tell
from oversight.escalations.models import Concern, Reminder
from oversight.policies import resolve_policy
from oversight.policies.checks import active_policy
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
    return queued


def _no_response(concern: Concern, stage: int, due: dt.date, today: dt.date) -> int:
    """What the ladder says happens when a stage goes unanswered, on the first working day after
    its deadline: `prompt` emails the named role (Manchester: the IRO team manager);
    `next_stage_issued` issues the next stage's notice automatically, unless that stage needs
    someone's agreement, is a referral, or has nobody to address (then the chair decides, as for
    every other rule). Returns the number of messages queued."""
    ladder = ladder_of(concern.ladder)
    rule = ladder.informal.on_no_response if stage == 0 else stage_of(ladder, stage).on_no_response
    if rule is None:
        return 0
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
        text=f"Issued automatically: no response at {label} by {due:%A %d %B %Y}.",
    )
    return sum(1 for p in notice.recipients if p["email"])
