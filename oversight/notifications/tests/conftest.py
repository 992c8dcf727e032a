"""Fixtures of the delivery tests: a real SMTP server on loopback (aiosmtpd) that can be stopped and
started again on the same port, and an in-process run of the tasks worker."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Recorder:
    """The SMTP server's handler: keeps every accepted message; refuses `refused@…` for good.

    With `delay` each message is held that long before it is accepted (in the event loop, so a
    stop of the server in the meantime drops it unaccepted: the sender sees a failure)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address.startswith("refused@"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        # Kept and answered in one step of the event loop: a message kept is a message accepted.
        with self.lock:
            self.messages.append(message)
        return "250 2.0.0 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int, delay: float = 0.0) -> None:
        self.port = port
        self.recorder = Recorder(delay)
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self.recorder.lock:
            return list(self.recorder.messages)

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.messages]


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    """A running SMTP server on loopback, and the default mailer pointed at it."""
    server = SmtpServer(free_port())
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    settings.OVERSIGHT_NOTIFY_BACKEND = "smtp"
    yield server
    server.stop()


def run_tasks() -> int:
    """Run the ready tasks as `db_worker` does (claim with SELECT … FOR UPDATE SKIP LOCKED, then
    run), in this process and this test's transaction, until none is ready. Returns how many ran."""
    from django.db import transaction
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="in-process",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with transaction.atomic():
            found = DBTaskResult.objects.ready().get_locked()
            if found is None:
                return ran
            found.claim(worker.worker_id)
        worker.run_task(found)
        found.refresh_from_db()
        assert found.status == "SUCCESSFUL", found.traceback
        ran += 1
