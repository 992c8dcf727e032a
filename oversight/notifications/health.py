"""What `/healthz` reports: whether the database takes a write, how long the oldest unsent
message has waited, and how long since a background worker was last alive.

Cheap on purpose (load balancers and the benchmarks poll it): one insert rolled back, one
aggregate over the unsent messages (few, and indexed by status) and one over the heartbeats
(one row per worker)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from oversight.notifications.constants import Status
from oversight.notifications.models import Message, WorkerHeartbeat

# How long the probe's write waits for a lock before the database counts as not writable: a
# health check must answer quickly, not queue behind SQLite's 20-second busy timeout.
WRITE_WAIT_MS = 1000


class _RolledBack(Exception):
    """Raised inside the probe's transaction so that nothing it wrote is kept."""


@dataclass(frozen=True)
class Health:
    database: str  # "ok", "read-only" (answers but refuses a write) or "unavailable"
    oldest_unsent_seconds: int | None = None
    worker_heartbeat_seconds: int | None = None

    @property
    def healthy(self) -> bool:
        """Healthy when the database takes a write, no message has waited longer than
        OVERSIGHT_HEALTH_OUTBOX_MAX_SECONDS, and, while any message waits, a worker was alive
        within OVERSIGHT_WORKER_STALE_SECONDS (with nothing to send, no worker is needed)."""
        if self.database != "ok":
            return False
        waiting = self.oldest_unsent_seconds
        if waiting is None:
            return True
        if waiting > settings.OVERSIGHT_HEALTH_OUTBOX_MAX_SECONDS:
            return False
        beat = self.worker_heartbeat_seconds
        return beat is not None and beat <= settings.OVERSIGHT_WORKER_STALE_SECONDS

    def as_json(self) -> dict[str, Any]:
        """The contract's body: `{"database": "unavailable"}` alone when the database does not
        answer; otherwise with the status, the outbox and the worker (ages in whole seconds,
        `null` for none)."""
        if self.database == "unavailable":
            return {"database": "unavailable"}
        return {
            "status": "ok" if self.healthy else "unhealthy",
            "database": self.database,
            "outbox": {"oldest_unsent_seconds": self.oldest_unsent_seconds},
            "worker": {"heartbeat_seconds": self.worker_heartbeat_seconds},
        }


def check(now: dt.datetime) -> Health:
    """The health of the service at `now`."""
    try:
        writable = database_takes_a_write()
        oldest = Message.objects.filter(status__in=[Status.QUEUED, Status.SENDING]).aggregate(
            oldest=Min("created_at")
        )["oldest"]
        beat = WorkerHeartbeat.objects.aggregate(newest=Max("beat_at"))["newest"]
    except DatabaseError:
        return Health(database="unavailable")
    return Health(
        database="ok" if writable else "read-only",
        oldest_unsent_seconds=_seconds_since(oldest, now),
        worker_heartbeat_seconds=_seconds_since(beat, now),
    )


def database_takes_a_write() -> bool:
    """True when a row can be written (and is then rolled back): false while another connection
    holds SQLite's write lock for longer than WRITE_WAIT_MS, or PostgreSQL is read-only or its
    table locked. A database that does not answer at all raises DatabaseError."""
    connection.ensure_connection()
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            (usual_wait_ms,) = cursor.fetchone()
            cursor.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_MS}")
    try:
        with transaction.atomic():
            if not sqlite:
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = {WRITE_WAIT_MS}")
                    cursor.execute(f"SET LOCAL statement_timeout = {WRITE_WAIT_MS}")
            WorkerHeartbeat.objects.create(
                worker_id=f"healthz-{uuid.uuid4().hex}", beat_at=timezone.now()
            )
            raise _RolledBack
    except _RolledBack:
        return True
    except DatabaseError:
        if not connection.is_usable():
            raise
        return False
    finally:
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {int(usual_wait_ms)}")


def _seconds_since(moment: dt.datetime | None, now: dt.datetime) -> int | None:
    if moment is None:
        return None
    return max(int((now - moment).total_seconds()), 0)
