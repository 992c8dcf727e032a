"""Webhooks (optional per deployment, `OVERSIGHT_WEBHOOK_URL`): a signed POST to the council's
other systems when an obligation becomes overdue or an escalation changes stage, kept in the
outbox beside the emails (`models.WebhookDelivery`) and sent by the same worker with the same
retries and backoff (`tasks.deliver_webhook`, which sends with `backends.send_webhook`).

What the receiver gets, and how it checks it:

    POST OVERSIGHT_WEBHOOK_URL
    Content-Type: application/json
    Oversight-Event: obligation.overdue | escalation.stage_changed
    Oversight-Delivery: <uuid>      the same on every attempt: a receiver keeps each once
    Oversight-Timestamp: <seconds since 1970, UTC, of this attempt>
    Oversight-Signature: sha256=<hex HMAC-SHA256, keyed by OVERSIGHT_WEBHOOK_SECRET, over
                         the timestamp, a ".", and the body's bytes>

    {"event": ..., "delivery": <uuid>, "child": {"id": ..., "reference": ...}, ...}

A receiver recomputes the signature over the timestamp and the body it read, compares in
constant time, and refuses a timestamp far from its clock (a replay). The body names the child
by id and council reference and the obligation or concern by its codes, never a case's words: the
receiver reads the rest through the API with its token.

A 2xx answer is delivered; a 5xx, 408, 429, a refused connection or a timeout is tried again
after `tasks.retry_delay`; any other answer (the receiver refused it) fails at once.

`enqueue` imports the task inside it: the task module imports the backends, never this one."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from oversight.cases.models import Child, Obligation
from oversight.notifications.models import WebhookDelivery

OVERDUE = "obligation.overdue"
STAGE_CHANGED = "escalation.stage_changed"


def enabled() -> bool:
    return bool(settings.OVERSIGHT_WEBHOOK_URL)


def queue_webhook(
    event: str, *, key: str, child: Child | None, data: dict[str, Any]
) -> WebhookDelivery | None:
    """Put one delivery of `event` in the outbox (None when webhooks are off, or when `key` was
    announced already), sent once the caller's transaction commits."""
    if not enabled():
        return None
    delivery = WebhookDelivery(key=key[:200], event=event, child=child)
    about = {"id": child.pk, "reference": child.reference} if child is not None else None
    payload = {"event": event, "delivery": str(delivery.delivery_id), "child": about, **data}
    delivery.body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    try:
        with transaction.atomic():
            delivery.save()
    except IntegrityError:  # this happening was announced before
        return None
    transaction.on_commit(partial(enqueue, delivery.pk))
    return delivery


def enqueue(delivery_id: int) -> None:
    """Enqueue the task that sends delivery `delivery_id` (when its next attempt is due)."""
    from oversight.notifications.tasks import deliver_webhook

    due = WebhookDelivery.objects.filter(pk=delivery_id).values("next_attempt_at").first()
    if due is None:
        return
    if due["next_attempt_at"] > timezone.now():
        deliver_webhook.using(run_after=due["next_attempt_at"]).enqueue(delivery_id)
    else:
        deliver_webhook.enqueue(delivery_id)


def stage_changed(concern: Any, *, stage: int, previous: int) -> WebhookDelivery | None:
    """Announce that `concern` moved from stage `previous` to `stage` (a notice, a bypass, the
    next stage issued automatically), once per concern and stage."""
    return queue_webhook(
        STAGE_CHANGED,
        key=f"{STAGE_CHANGED}:{concern.pk}:{stage}",
        child=concern.child,
        data={
            "concern": concern.pk,
            "ladder": concern.ladder,
            "stage": stage,
            "previous_stage": previous,
        },
    )


def announce_overdue(*, today: Any) -> int:
    """Announce each stored obligation that is overdue and not yet announced (run daily with
    the reminders, after the nightly recompute has set each obligation's status): once per
    obligation (its child, code, trigger and due date). Returns how many were queued."""
    if not enabled():
        return 0
    queued = 0
    rows = Obligation.objects.filter(status=Obligation.Status.OVERDUE).select_related("child")
    found = [(f"{OVERDUE}:{o.child_id}:{o.code}:{o.trigger_date}:{o.due}", o) for o in rows]
    announced: set[str] = set()
    for start in range(0, len(found), 1000):  # the keys already sent, a chunk at a time
        keys = [key for key, _ in found[start : start + 1000]]
        announced |= set(WebhookDelivery.objects.filter(key__in=keys).values_list("key", flat=True))
    for key, o in sorted(found, key=lambda pair: (pair[1].due, pair[1].pk)):
        if key in announced:
            continue
        data = {
            "obligation": {
                "code": o.code,
                "due": o.due.isoformat(),
                "trigger_type": o.trigger_type,
                "trigger_date": o.trigger_date.isoformat(),
                "owner_roles": [r for r in o.owner_roles.split("|") if r],
            },
            "as_of": today.isoformat(),
        }
        if queue_webhook(OVERDUE, key=key, child=o.child, data=data) is not None:
            queued += 1
    return queued
