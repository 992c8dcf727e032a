"""The reports read from a replica of the database when one is configured (`DATABASE_REPLICA_URL`,
a PostgreSQL hot standby fed by streaming replication, such as a managed database's read
replica), so that a year's figures or an Annex A list never compete with the people recording
events for the primary. Everything else, and every write (the audit rows of a report's page
included), stays on the primary.

`reading_replica` marks the work of the reports (their pages and `oversight report`): a context
manager and a view decorator. `ReplicaRouter` (in `DATABASE_ROUTERS` only when a replica is
configured) sends the reads made inside it to the `replica` alias. A replica is a little behind
the primary (usually well under a second): a figure may miss an event recorded in that moment,
and who may see which child is read from the same copy as the figures it limits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import Model

REPLICA = "replica"

_reading: ContextVar[bool] = ContextVar("reading_replica", default=False)


@contextmanager
def reading_replica() -> Iterator[None]:
    """Reads inside this block go to the replica (when one is configured); usable on a view as
    `@reading_replica()`."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """Django's database router: reads inside `reading_replica` from the replica; every other
    read, every write and every migration on the primary (`default`)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        return REPLICA if _reading.get() else None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        """A row read from the replica is the primary's row: an audit row may name it."""
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        """The replica is read-only: it gets the primary's schema by replication."""
        return False if db == REPLICA else None
