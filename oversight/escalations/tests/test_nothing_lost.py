"""Nothing lost (issue 18, reliability 1): an action's event, audit row and outbox message commit
together. The database connection is killed in the middle of raising a concern
(`pg_terminate_backend` from another connection, just before one of the action's writes): none of
it is kept. The same action uninterrupted keeps all of it.

PostgreSQL only: a server that ends a connection is what a restart or a failover does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from django.db import OperationalError, connection

from oversight.audit.models import AuditEntry
from oversight.cases.models import Event
from oversight.escalations import actions
from oversight.escalations.models import Concern
from oversight.notifications.models import Message

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: another connection ends this one's backend",
    ),
]

monday_1_march_2027 = dt.date(2027, 3, 1)


def what_was_kept(child: Any) -> dict[str, int]:
    return {
        "concerns": Concern.objects.filter(child=child).count(),
        "events": Event.objects.filter(child=child, type="concern_raised").count(),
        "audit rows": AuditEntry.objects.filter(
            child_id=child.pk, what__startswith="concern."
        ).count(),
        "messages": Message.objects.filter(child=child).count(),
    }


def raise_it(council: Any) -> Concern:
    return actions.raise_concern(
        council.child,
        issue="Plan not updated since the RCPC",
        impact="Drift for Poppy",
        on=monday_1_march_2027,
        acting_user=council.iro.user,
    )


def terminate_before(table: str) -> Callable[..., Any]:
    """An execute wrapper that, just before the first write into `table` (its INSERT, or the ids
    `cases.bulk.bulk_insert` draws from its sequence before its COPY), ends this connection's
    backend from another connection, as a database restart would."""
    fired: list[str] = []

    def writes(sql: str, params: Any) -> bool:
        if sql.startswith(f'INSERT INTO "{table}"'):
            return True
        return "nextval(pg_get_serial_sequence(" in sql and bool(params) and params[0] == table

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
        if not fired and writes(sql, params):
            fired.append(sql)
            pid = connection.connection.info.backend_pid
            s = connection.settings_dict
            with psycopg.connect(
                dbname=s["NAME"],
                user=s["USER"],
                host=s["HOST"] or "127.0.0.1",
                port=s["PORT"] or 5432,
                autocommit=True,
            ) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return execute(sql, params, many, context)

    return wrapper


def test_the_action_uninterrupted_keeps_its_event_audit_row_and_messages(line):
    council = line.council
    raise_it(council)
    kept = what_was_kept(council.child)
    assert kept["concerns"] == 1
    assert kept["events"] == 1
    assert kept["audit rows"] >= 1
    assert kept["messages"] >= 1  # the informal stage's addressees told


@pytest.mark.parametrize(
    "table",
    [
        "escalations_concern",  # the first write
        "cases_event",  # the concern kept, its event not yet
        "audit_auditentry",  # the event written, its audit row not yet
        "notifications_message",  # everything but the outbox
    ],
)
def test_a_connection_killed_mid_action_keeps_none_of_it(line, table):
    council = line.council
    with connection.execute_wrapper(terminate_before(table)), pytest.raises(OperationalError):
        raise_it(council)
    connection.close()  # the killed one; the next query opens a fresh connection
    assert what_was_kept(council.child) == {
        "concerns": 0,
        "events": 0,
        "audit rows": 0,
        "messages": 0,
    }
