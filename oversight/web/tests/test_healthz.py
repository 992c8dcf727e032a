import datetime as dt
import sqlite3
from collections.abc import Iterator
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError, connection

from oversight.notifications.constants import Status
from oversight.notifications.models import Message, WorkerHeartbeat

pytestmark = pytest.mark.django_db

# A fixed clock: Thursday 3 December 2026, noon in London (GMT).
NOON = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def a_message(**fields: object) -> Message:
    value = fields.pop("uuid", None)
    message = Message.objects.create(
        message_id=f"<{value or id(fields)}@oversight.invalid>",
        to_email="kai.quinlan@walsall.invalid",
        subject="Concern raised",
        body="A link",
        **fields,
    )
    return message


def test_it_says_the_database_is_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "outbox": {"oldest_unsent_seconds": None},
        "worker": {"heartbeat_seconds": None},
    }


def test_it_writes_nothing(client):
    client.get("/healthz")
    assert WorkerHeartbeat.objects.count() == 0  # the probe's row was rolled back


def test_it_says_503_when_the_database_does_not_answer(client):
    with mock.patch(
        "oversight.notifications.health.connection.ensure_connection",
        side_effect=OperationalError("down"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable"}


@pytest.fixture
def write_lock() -> Iterator[None]:
    """Another connection holds the write lock of the test database, as a long import would."""
    if connection.vendor == "sqlite":
        other = sqlite3.connect(connection.settings_dict["NAME"], uri=True)
        other.isolation_level = None
        other.execute("BEGIN IMMEDIATE")  # the one writer's lock; readers go on
        yield
        other.execute("ROLLBACK")
        other.close()
    else:
        import psycopg

        s = connection.settings_dict
        with psycopg.connect(
            dbname=s["NAME"], user=s["USER"], host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432
        ) as pg:
            # Reads go on; inserts wait for the lock.
            pg.execute("LOCK TABLE notifications_workerheartbeat IN SHARE MODE")
            yield
            pg.rollback()


@pytest.mark.django_db(transaction=True)
def test_it_says_503_while_the_database_is_write_locked(client, write_lock):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "read-only"
    assert response.json()["status"] == "unhealthy"


@time_machine.travel(NOON, tick=False)
def test_it_reports_the_oldest_unsent_message_and_the_workers_heartbeat(client):
    a_message(uuid="a", created_at=NOON - dt.timedelta(minutes=3), status=Status.QUEUED)
    a_message(uuid="b", created_at=NOON - dt.timedelta(minutes=1), status=Status.QUEUED)
    a_message(uuid="c", created_at=NOON - dt.timedelta(days=2), status=Status.SENT)  # sent: not
    WorkerHeartbeat.objects.create(worker_id="host-1", beat_at=NOON - dt.timedelta(seconds=40))
    WorkerHeartbeat.objects.create(worker_id="host-2", beat_at=NOON - dt.timedelta(seconds=9))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["outbox"] == {"oldest_unsent_seconds": 180}  # the 3-minute-old one
    assert response.json()["worker"] == {"heartbeat_seconds": 9}  # the newest heartbeat


@time_machine.travel(NOON, tick=False)
def test_it_says_503_when_a_message_has_waited_too_long(client, settings):
    settings.OVERSIGHT_HEALTH_OUTBOX_MAX_SECONDS = 900
    a_message(uuid="a", created_at=NOON - dt.timedelta(minutes=16), status=Status.QUEUED)
    WorkerHeartbeat.objects.create(worker_id="host-1", beat_at=NOON)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["outbox"] == {"oldest_unsent_seconds": 960}


@time_machine.travel(NOON, tick=False)
def test_it_says_503_when_messages_wait_and_no_worker_is_alive(client, settings):
    settings.OVERSIGHT_WORKER_STALE_SECONDS = 120
    a_message(uuid="a", created_at=NOON - dt.timedelta(seconds=30), status=Status.QUEUED)
    WorkerHeartbeat.objects.create(worker_id="host-1", beat_at=NOON - dt.timedelta(minutes=5))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == {"heartbeat_seconds": 300}
    # A load balancer's question: can this web server serve? Yes: the database takes a write.
    balancer = client.get("/healthz", {"only": "database"})
    assert balancer.status_code == 200
    assert balancer.json()["status"] == "unhealthy"  # the same report, for whoever reads it


def test_it_shows_the_unavailable_page_when_the_database_fails_in_a_view(client, council):
    client.force_login(council.iro.user)
    with mock.patch(
        "oversight.web.views_events.child_and_access_for_user",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get(f"/children/{council.child.pk}/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.text
    assert "Traceback" not in response.text
