"""What keeps background work going through faults: each worker's heartbeat, and the reclaiming
of what a dead worker left behind (run by every worker, `oversight manage db_worker`, at its start
and after each heartbeat).

- A message or webhook delivery left `sending` by a worker that died goes back to the queue when
  its lease expires, or is marked failed once it has had OVERSIGHT_NOTIFY_MAX_ATTEMPTS attempts
  (one that kills its worker each time would otherwise be tried for ever).
- A task row left RUNNING by a worker whose heartbeat is older than
  OVERSIGHT_WORKER_STALE_SECONDS is marked failed (django-tasks-db leaves it RUNNING for ever);
  the row it was sending is reclaimed by its lease, above.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.db import transaction
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from oversight.notifications.constants import Status
from oversight.notifications.models import Message, WebhookDelivery, WorkerHeartbeat

logger = logging.getLogger(__name__)


class WorkerDied(Exception):
    """Recorded on a task row whose worker stopped while running it."""


def beat(worker_id: str, *, now: dt.datetime) -> None:
    """Record that worker `worker_id` is alive at `now`."""
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"beat_at": now})


def forget(worker_id: str) -> None:
    """A worker that stops cleanly takes its heartbeat with it (it left nothing running)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def reclaim(*, now: dt.datetime) -> tuple[int, int, int]:
    """Reclaim what dead workers left: returns (messages and webhook deliveries queued again,
    messages and webhook deliveries failed, task rows marked failed). Safe in several workers at
    once: each row moves in one conditional UPDATE, so exactly one worker reclaims it."""
    from oversight.notifications.actions import enqueue_delivery
    from oversight.notifications.webhooks import enqueue

    requeued = failed = 0
    for model, enqueue_task in ((Message, enqueue_delivery), (WebhookDelivery, enqueue)):
        again, stopped = _reclaim_leases(model, enqueue_task, now=now)
        requeued += again
        failed += stopped
    return requeued, failed, _fail_orphaned_tasks(now)


def _reclaim_leases(
    model: type[Message] | type[WebhookDelivery],
    enqueue_task: Callable[[int], None],
    *,
    now: dt.datetime,
) -> tuple[int, int]:
    """The rows of one outbox whose lease expired: failed once they have had
    OVERSIGHT_NOTIFY_MAX_ATTEMPTS attempts, else queued again with a task enqueued on commit."""
    expired = model.objects.filter(status=Status.SENDING, lease_expires_at__lt=now)
    failed = expired.filter(attempts__gte=settings.OVERSIGHT_NOTIFY_MAX_ATTEMPTS).update(
        status=Status.FAILED,
        lease_expires_at=None,
        last_error="The worker stopped while sending it, at every attempt",
    )
    requeued = 0
    for pk in expired.values_list("pk", flat=True):
        with transaction.atomic():
            moved = model.objects.filter(
                pk=pk, status=Status.SENDING, lease_expires_at__lt=now
            ).update(status=Status.QUEUED, lease_expires_at=None, next_attempt_at=now)
            if moved:
                transaction.on_commit(partial(enqueue_task, pk))
                requeued += 1
    return requeued, failed


def _fail_orphaned_tasks(now: dt.datetime) -> int:
    stale = now - dt.timedelta(seconds=settings.OVERSIGHT_WORKER_STALE_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(beat_at__gte=stale).values_list("worker_id", flat=True)
    )
    orphans = 0
    for row in DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=stale
    ).iterator():
        worker_id = row.worker_ids[-1] if row.worker_ids else ""
        if worker_id in alive:
            continue
        row.set_failed(WorkerDied(f"worker {worker_id or '(unknown)'} stopped while running it"))
        logger.warning("Task %s was orphaned by worker %s: marked failed", row.pk, worker_id)
        orphans += 1
    return orphans
