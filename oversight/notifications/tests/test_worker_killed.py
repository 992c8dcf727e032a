"""A worker killed in the middle of sending (SIGKILL: no chance to tidy up) and a fresh one
started: the fresh worker reclaims the message from the expired lease and the orphaned task row
by itself (no `requeue_messages`), and every message arrives exactly once.

On PostgreSQL the worker processes share the test database. On SQLite, whose test database
pytest-django keeps in memory (no other process can open it), `worker_database` copies it into a
file with SQLite's online backup API and points the test's own connection at that file for the
rest of the test, so the test and the worker processes read and write one database, as a SQLite
deployment's web server and worker do (WAL mode, `IMMEDIATE` transactions)."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django_tasks_db.models import DBTaskResult

from oversight.notifications.actions import queue_message
from oversight.notifications.models import Message
from oversight.notifications.tests.conftest import Recorder, SmtpServer, free_port
from oversight.notifications.tests.test_two_workers import REPO, database_url
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = 12


class HoldsTheFirst(Recorder):
    """Holds the first recipient of the first message (before the message is sent, so nothing is
    accepted) until `release` is set: the worker is then mid-send, and can be killed there."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if not self.holding.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return "421 4.3.2 Closing"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.recorder = HoldsTheFirst()
    server.start()
    yield server
    assert isinstance(server.recorder, HoldsTheFirst)
    server.recorder.release.set()
    server.stop()


@pytest.fixture
def worker_database(council: Any, tmp_path: Path) -> Iterator[str]:
    """The DATABASE_URL a worker process is given: PostgreSQL's test database itself; on SQLite,
    a file copied from the in-memory test database (the council in it), which the test's
    connection uses until the test ends (then the in-memory one again, for its flush)."""
    if connection.vendor != "sqlite":
        yield database_url()
        return
    path = tmp_path / "oversight.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    in_memory = connections["default"]
    on_file = in_memory.__class__({**in_memory.settings_dict, "NAME": str(path)}, "default")
    connections["default"] = on_file
    try:
        yield f"sqlite:///{path}"
    finally:
        on_file.close()
        connections["default"] = in_memory


def start_worker(
    worker_id: str, smtp: SmtpServer, database: str, log: Path
) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "oversight.settings",
        "DATABASE_URL": database,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": "30",
        "OVERSIGHT_NOTIFY_BACKEND": "smtp",
        "OVERSIGHT_NOTIFY_LEASE_SECONDS": "2",
        "OVERSIGHT_WORKER_HEARTBEAT_SECONDS": "1",
        "OVERSIGHT_WORKER_STALE_SECONDS": "3",
    }
    return subprocess.Popen(
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
            worker_id,
        ],
        cwd=REPO,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.mark.slow
def test_a_fresh_worker_sends_what_a_killed_one_left_and_every_message_goes_once(
    council, worker_database, smtp, processes, tmp_path
):
    assert isinstance(smtp.recorder, HoldsTheFirst)
    with transaction.atomic():
        for n in range(MESSAGES):
            queue_message(
                to=[council.social_worker, council.team_manager, council.iro][n % 3],
                subject=f"Concern {n:02d} raised",
                body="A link",
                child=council.child,
            )

    first = start_worker("worker-first", smtp, worker_database, tmp_path / "first.log")
    processes.append(first)
    wait_until(smtp.recorder.holding.is_set, what="the first worker to be mid-send")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    smtp.recorder.release.set()
    held = Message.objects.get(status="sending")  # left in the middle, its lease running

    second = start_worker("worker-second", smtp, worker_database, tmp_path / "second.log")
    processes.append(second)
    wait_until(
        lambda: Message.objects.filter(status="sent").count() == MESSAGES,
        what=f"all {MESSAGES} messages to be sent by the second worker",
    )
    received = Counter(smtp.message_ids())
    assert set(received) == set(Message.objects.values_list("message_id", flat=True))
    assert [mid for mid, n in received.items() if n != 1] == []  # none twice
    held.refresh_from_db()
    assert held.attempts == 2  # the killed attempt, then the second worker's
    # The task row the killed worker was running is marked failed, not RUNNING for ever.
    wait_until(
        lambda: not DBTaskResult.objects.filter(status="RUNNING").exists(),
        what="the orphaned task row to be reclaimed",
    )
    orphan = DBTaskResult.objects.get(status="FAILED")
    assert orphan.worker_ids == ["worker-first"]
    assert "worker worker-first stopped while running it" in orphan.traceback
