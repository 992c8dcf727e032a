"""The issue's delivery test: two real worker processes (`oversight manage db_worker`) on
PostgreSQL send 150 messages through a real SMTP server on loopback that is stopped partway and
started again; every message arrives exactly once.

PostgreSQL only: the workers claim tasks with SELECT … FOR UPDATE SKIP LOCKED and share one
database with this test, which SQLite's in-memory test database cannot."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from oversight.notifications.actions import queue_message
from oversight.notifications.models import Message
from oversight.notifications.tests.conftest import SmtpServer, free_port
from tests.waiting import wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: two worker processes share the test database",
    ),
]

REPO = Path(__file__).resolve().parents[3]
FIRST_BATCH = 120
WHILE_DOWN = 30


def database_url() -> str:
    s: dict[str, Any] = connection.settings_dict
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    user = f"{quote(s['USER'], safe='')}{password}@" if s.get("USER") else ""
    host = s.get("HOST") or "127.0.0.1"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{user}{host}{port}/{quote(s['NAME'], safe='')}"


@pytest.fixture
def workers(smtp: SmtpServer, tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "oversight.settings",
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": "3",
        "OVERSIGHT_NOTIFY_BACKEND": "smtp",
        "OVERSIGHT_NOTIFY_RETRY_SECONDS": "1",
        "OVERSIGHT_NOTIFY_RETRY_MAX_SECONDS": "1",
        "OVERSIGHT_NOTIFY_MAX_ATTEMPTS": "50",
    }
    processes = []
    for n in (1, 2):
        log = (tmp_path / f"worker-{n}.log").open("wb")
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "oversight.cli",
                    "manage",
                    "db_worker",
                    "--no-reload",
                    "--no-startup-delay",
                    "--interval",
                    "0.05",
                    "--worker-id",
                    f"worker-{n}",
                ],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    try:
        yield processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    # Each message is held 10 ms before it is accepted, so the stop below finds some in flight.
    server = SmtpServer(free_port(), delay=0.01)
    server.start()
    yield server
    server.stop()


def queue(council: Any, first: int, count: int) -> None:
    people = [council.social_worker, council.team_manager, council.iro]
    with transaction.atomic():
        for n in range(first, first + count):
            queue_message(
                to=people[n % 3],
                subject=f"Concern {n:03d} about Poppy Larkfield",
                body=f"Message {n:03d}: please respond by Fri 2027-06-04.",
                child=council.child,
            )


def test_it_delivers_every_message_exactly_once_with_two_workers_and_a_server_outage(
    council, smtp, workers, tmp_path
):
    def logs() -> str:
        return "\n".join(p.read_text() for p in sorted(tmp_path.glob("worker-*.log")))

    def both_workers_polling() -> bool:
        assert all(w.poll() is None for w in workers), logs()
        return logs().count("Starting worker") == 2

    wait_until(both_workers_polling, what="two workers to start")

    queue(council, 0, FIRST_BATCH)
    wait_until(lambda: len(smtp.messages) >= 40, timeout=20, what="40 messages to arrive")
    smtp.stop()  # partway: the workers have messages in flight and more to send
    queue(council, FIRST_BATCH, WHILE_DOWN)  # these cannot be sent until the server returns
    wait_until(
        lambda: Message.objects.filter(status="queued", attempts__gte=1).exists(),
        timeout=20,
        what="a failed attempt while the server is down",
    )
    smtp.start()
    total = FIRST_BATCH + WHILE_DOWN
    wait_until(
        lambda: Message.objects.filter(status="sent").count() == total,
        timeout=35,
        what=f"all {total} messages to be sent",
    )

    expected = set(Message.objects.values_list("message_id", flat=True))
    received = Counter(smtp.message_ids())
    assert set(received) == expected  # every message arrived
    assert [mid for mid, n in received.items() if n != 1] == []  # and none twice
    assert sum(received.values()) == total
    # Some attempts failed while the server was down, and were retried.
    assert Message.objects.filter(attempts__gt=1).exists()
    # Every task ran to the end, and both workers did some of them.
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
    worker_ids = {
        w for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) for w in ids
    }
    assert worker_ids == {"worker-1", "worker-2"}
