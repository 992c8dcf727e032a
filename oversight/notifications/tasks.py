"""Delivery of the outbox, run by the tasks worker (`oversight manage db_worker`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.tasks import Task, task
from django.utils import timezone

from oversight.notifications.backends import PermanentError, send, send_webhook
from oversight.notifications.constants import Status
from oversight.notifications.models import Message, WebhookDelivery

logger = logging.getLogger(__name__)


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait before the next attempt after `attempts` failed ones: OVERSIGHT_NOTIFY_RETRY_SECONDS
    doubled after each failure (after the 1st failure: the base, the 2nd: twice it, the 3rd: four times, ...), at most
    OVERSIGHT_NOTIFY_RETRY_MAX_SECONDS."""
    base = settings.OVERSIGHT_NOTIFY_RETRY_SECONDS
    seconds = min(base * 2 ** max(attempts - 1, 0), settings.OVERSIGHT_NOTIFY_RETRY_MAX_SECONDS)
    return dt.timedelta(seconds=seconds)


@task()
def deliver(message_id: int) -> str:
    """Send message `message_id` once, and record what happened (`_deliver`)."""
    return _deliver(
        Message,
        message_id,
        send=lambda message: {"provider_reference": send(message)},
        retry=deliver,
    )


@task()
def deliver_webhook(delivery_id: int) -> str:
    """POST webhook delivery `delivery_id` once, and record what happened (`_deliver`), with the
    receiver's answer. At least once: a receiver keeps each `Oversight-Delivery` id once."""
    return _deliver(
        WebhookDelivery,
        delivery_id,
        send=lambda delivery: {"response_status": send_webhook(delivery)},
        answered=_answered,
        retry=deliver_webhook,
    )


def _answered(exc: Exception) -> dict[str, Any]:
    """The receiver's HTTP status when it answered before the delivery failed."""
    code = getattr(exc, "code", None) or getattr(exc.__cause__, "code", None)
    return {"response_status": code if isinstance(code, int) else None}


def _deliver(
    model: type[Message] | type[WebhookDelivery],
    pk: int,
    *,
    send: Callable[[Any], dict[str, Any]],
    retry: Task[[int], str],
    answered: Callable[[Exception], dict[str, Any]] = lambda exc: {},
) -> str:
    """Send row `pk` of an outbox (messages or webhook deliveries) once, and record what happened.
    Returns the row's status afterwards ("not claimed" when another worker has it, it is not yet
    due, or it is finished). `send` returns the fields to record when it succeeds; `answered`,
    those to record when it fails.

    1. Claim: one UPDATE moves the row from queued (and due) — or from sending with an expired
       lease, its worker presumed dead, and fewer than OVERSIGHT_NOTIFY_MAX_ATTEMPTS attempts —
       to sending, with a lease and one more attempt. The database lets exactly one worker's
       UPDATE match (PostgreSQL re-checks the WHERE clause of a row another transaction changed;
       SQLite has one writer at a time), so a row enqueued twice is still sent by one worker at a
       time. The task rows themselves are claimed by the django-tasks-db worker with
       SELECT … FOR UPDATE SKIP LOCKED.
    2. Send, outside any transaction, with the stored content (a message's subject, body and
       Message-ID; a delivery's body and delivery id).
    3. Record sent; or, on failure, queued again with `next_attempt_at` after `retry_delay` and a
       `retry` task enqueued with `run_after` then (in one transaction), or failed after
       OVERSIGHT_NOTIFY_MAX_ATTEMPTS attempts or a permanent refusal.

    A crash between the receiver's acceptance (2) and the commit (3) leaves the row in sending;
    when the lease expires a worker's `worker.reclaim` has it sent again (or failed after its last
    attempt) — the same stored content under the same id, so the receiver sees one message twice
    (and can tell), never two different messages. Delivery is at least once, never two different
    copies."""
    now = timezone.now()
    lease = dt.timedelta(seconds=settings.OVERSIGHT_NOTIFY_LEASE_SECONDS)
    rows = model.objects.filter(pk=pk)
    claimed = rows.filter(
        Q(status=Status.QUEUED, next_attempt_at__lte=now)
        | Q(
            status=Status.SENDING,
            lease_expires_at__lt=now,
            attempts__lt=settings.OVERSIGHT_NOTIFY_MAX_ATTEMPTS,
        )
    ).update(status=Status.SENDING, attempts=F("attempts") + 1, lease_expires_at=now + lease)
    if not claimed:
        return "not claimed"
    row = rows.get()
    mine = rows.filter(status=Status.SENDING)
    try:
        sent = send(row)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        return _record_failure(
            row,
            mine,
            error,
            permanent=isinstance(exc, PermanentError),
            retry=retry,
            **answered(exc),
        )
    mine.update(
        status=Status.SENT, sent_at=timezone.now(), lease_expires_at=None, last_error="", **sent
    )
    return Status.SENT


def _record_failure(
    row: Message | WebhookDelivery,
    mine: QuerySet[Any],
    error: str,
    *,
    permanent: bool,
    retry: Task[[int], str],
    **fields: Any,
) -> str:
    if permanent or row.attempts >= settings.OVERSIGHT_NOTIFY_MAX_ATTEMPTS:
        logger.warning("%s %s failed for good: %s", type(row).__name__, row.pk, error)
        mine.update(status=Status.FAILED, lease_expires_at=None, last_error=error, **fields)
        return Status.FAILED
    next_attempt_at = timezone.now() + retry_delay(row.attempts)
    logger.info(
        "%s %s attempt %d failed (%s); next at %s",
        type(row).__name__,
        row.pk,
        row.attempts,
        error,
        next_attempt_at.isoformat(),
    )
    with transaction.atomic():
        updated = mine.update(
            status=Status.QUEUED,
            lease_expires_at=None,
            next_attempt_at=next_attempt_at,
            last_error=error,
            **fields,
        )
        if updated:
            # With the database tasks backend the retry's task row commits with the row.
            retry.using(run_after=next_attempt_at).enqueue(row.pk)
    return Status.QUEUED
