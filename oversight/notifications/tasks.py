"""Delivery of the outbox, run by the tasks worker (`oversight manage db_worker`)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
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
    """Send message `message_id` once, and record what happened. Returns the message's status
    afterwards ("not claimed" when another worker has it, it is not yet due, or it is finished).

    1. Claim: one UPDATE moves the row from queued (and due) — or from sending with an expired
       lease, its worker presumed dead — to sending, with a lease and one more attempt. The
       database lets exactly one worker's UPDATE match (PostgreSQL re-checks the WHERE clause of a
       row another transaction changed; SQLite has one writer at a time), so a message enqueued
       twice is still sent by one worker at a time. The task rows themselves are claimed by the
       django-tasks-db worker with SELECT … FOR UPDATE SKIP LOCKED.
    2. Send, outside any transaction, with the stored subject, body and Message-ID.
    3. Record sent; or, on failure, queued again with `next_attempt_at` after `retry_delay` and a
       task enqueued with `run_after` then (in one transaction), or failed after
       OVERSIGHT_NOTIFY_MAX_ATTEMPTS attempts or a permanent refusal.

    A crash between the server's acceptance (2) and the commit (3) leaves the row in sending; when
    the lease expires a worker's `worker.reclaim` has it sent again (or failed after its last
    attempt) — the same stored content under the same
    Message-ID, so the recipient's mail system sees one message twice (and can tell), never two
    different messages. Delivery is at least once, never two different copies."""
    now = timezone.now()
    lease = dt.timedelta(seconds=settings.OVERSIGHT_NOTIFY_LEASE_SECONDS)
    claimed = (
        Message.objects.filter(pk=message_id)
        .filter(
            Q(status=Status.QUEUED, next_attempt_at__lte=now)
            | Q(
                status=Status.SENDING,
                lease_expires_at__lt=now,
                attempts__lt=settings.OVERSIGHT_NOTIFY_MAX_ATTEMPTS,
            )
        )
        .update(status=Status.SENDING, attempts=F("attempts") + 1, lease_expires_at=now + lease)
    )
    if not claimed:
        return "not claimed"
    message = Message.objects.get(pk=message_id)
    try:
        reference = send(message)
    except Exception as exc:
        return _record_failure(message, exc)
    Message.objects.filter(pk=message_id, status=Status.SENDING).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        lease_expires_at=None,
        last_error="",
        provider_reference=reference,
    )
    return Status.SENT


def _record_failure(message: Message, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    permanent = isinstance(exc, PermanentError)
    if permanent or message.attempts >= settings.OVERSIGHT_NOTIFY_MAX_ATTEMPTS:
        logger.warning("Message %s failed for good: %s", message.message_id, error)
        Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.FAILED, lease_expires_at=None, last_error=error
        )
        return Status.FAILED
    next_attempt_at = timezone.now() + retry_delay(message.attempts)
    logger.info(
        "Message %s attempt %d failed (%s); next at %s",
        message.message_id,
        message.attempts,
        error,
        next_attempt_at.isoformat(),
    )
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.QUEUED,
            lease_expires_at=None,
            next_attempt_at=next_attempt_at,
            last_error=error,
        )
        if updated:
            # With the database tasks backend the retry's task row commits with the message row.
            deliver.using(run_after=next_attempt_at).enqueue(message.pk)
    return Status.QUEUED


@task()
def deliver_webhook(delivery_id: int) -> str:
    """Send webhook delivery `delivery_id` once, as `deliver` sends a message: claimed by one
    UPDATE under a lease, POSTed outside any transaction, then recorded delivered, or queued
    again after `retry_delay` (with its task, in one transaction), or failed after
    OVERSIGHT_NOTIFY_MAX_ATTEMPTS attempts or the receiver's refusal. At least once: a receiver
    keeps each `Oversight-Delivery` id once."""
    now = timezone.now()
    lease = dt.timedelta(seconds=settings.OVERSIGHT_NOTIFY_LEASE_SECONDS)
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id)
        .filter(
            Q(status=Status.QUEUED, next_attempt_at__lte=now)
            | Q(status=Status.SENDING, lease_expires_at__lt=now)
        )
        .update(status=Status.SENDING, attempts=F("attempts") + 1, lease_expires_at=now + lease)
    )
    if not claimed:
        return "not claimed"
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    try:
        answered = send_webhook(delivery)
    except Exception as exc:
        return _webhook_failure(delivery, exc)
    WebhookDelivery.objects.filter(pk=delivery_id, status=Status.SENDING).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        lease_expires_at=None,
        last_error="",
        response_status=answered,
    )
    return Status.SENT


def _webhook_failure(delivery: WebhookDelivery, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    code = getattr(exc, "code", None) or getattr(exc.__cause__, "code", None)
    answered = code if isinstance(code, int) else None
    mine = WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING)
    if (
        isinstance(exc, PermanentError)
        or delivery.attempts >= settings.OVERSIGHT_NOTIFY_MAX_ATTEMPTS
    ):
        logger.warning("Webhook %s failed for good: %s", delivery.delivery_id, error)
        mine.update(
            status=Status.FAILED, lease_expires_at=None, last_error=error, response_status=answered
        )
        return Status.FAILED
    next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
    with transaction.atomic():
        if mine.update(
            status=Status.QUEUED,
            lease_expires_at=None,
            next_attempt_at=next_attempt_at,
            last_error=error,
            response_status=answered,
        ):
            deliver_webhook.using(run_after=next_attempt_at).enqueue(delivery.pk)
    return Status.QUEUED
