"""Several servers, one database (issue 18, deployment and scale 1): two app servers (`oversight
serve`) and two background workers (`oversight manage db_worker`) on one PostgreSQL and one
Redis, as `docs/deployment.md` sets them up. Writes go through both app servers in turn; each is
seen on the other's very next request, none is lost, and every message they queue reaches the
mail server exactly once although two workers compete for the outbox.

Real processes on loopback: Debian's `redis-server` on a free port, an SMTP server (aiosmtpd) in
this process, the app servers and workers with DEBUG off on the test database that pytest-django
creates. With `CI=true` a missing redis-server fails the test."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from oversight.cache.tests.test_two_hosts import (
    OVERSIGHT,
    Browser,
    database_url,
    events_shown,
    free_port,
    healthy,
    people,  # noqa: F401 - a fixture
    redis_url,  # noqa: F401 - a fixture
    stop,
)
from oversight.cache.tests.test_two_hosts import wait_until as wait_for_process
from oversight.cases.constants import EventType
from oversight.cases.models import Event
from oversight.escalations.ladders import ladders_for
from oversight.escalations.models import Concern
from oversight.notifications.constants import Status
from oversight.notifications.models import Message
from oversight.notifications.tests.conftest import SmtpServer
from tests.waiting import wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: the servers and workers share the test database",
    ),
]

VISITS = 8  # events recorded, through each app server in turn
CONCERNS = 4  # concerns raised, each queueing messages


@pytest.fixture
def mail() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def deployment(redis_url: str, mail: SmtpServer, tmp_path: Path) -> Iterator[tuple[int, int]]:  # noqa: F811
    """Two app servers and two workers, as the guide runs them; the app servers' ports."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DEBUG="false",
        SECRET_KEY="several-servers-test-secret-key-not-for-production-0123456789-abc",
        ALLOWED_HOSTS="127.0.0.1",
        OVERSIGHT_TRUSTED_PROXIES="1",
        OVERSIGHT_BASE_URL="https://127.0.0.1",
        DATABASE_URL=database_url(),
        CACHE_URL=redis_url,
        OVERSIGHT_HOSTS="2",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail.port),
    )
    ports = (free_port(), free_port())
    processes: list[subprocess.Popen[bytes]] = []

    def start(name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
        processes.append(process)
        return process

    try:
        servers = [
            start(f"app-{n}", [OVERSIGHT, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"])
            for n, port in enumerate(ports, 1)
        ]
        for n in (1, 2):
            start(f"worker-{n}", [OVERSIGHT, "manage", "db_worker", "--no-reload",
                                  "--worker-id", f"test-worker-{n}"])  # fmt: skip
        for port, server in zip(ports, servers, strict=True):
            wait_for_process(lambda port=port: healthy(port), f"app server on {port}", server)
        yield ports
    finally:
        for process in processes:
            stop(process)


@pytest.mark.slow
def test_two_app_servers_and_two_workers_lose_nothing_and_send_each_message_once(
    deployment: tuple[int, int],
    people: Any,  # noqa: F811
    mail: SmtpServer,
) -> None:
    child = people.child
    page = f"/children/{child.pk}/"
    iro = {port: Browser(port) for port in deployment}
    iro[deployment[0]].sign_in(people.iro.user.username)
    iro[deployment[1]].cookies = iro[deployment[0]].cookies  # one person, both servers
    visits = Event.objects.filter(child=child, type=EventType.CP_VISIT)
    visits_before = visits.count()
    shown = events_shown(iro[deployment[1]].get(page))

    # Visits recorded through each server in turn, each seen at once through the other.
    today = timezone.localdate()
    for n in range(VISITS):
        here, there = deployment[n % 2], deployment[(n + 1) % 2]
        recorded = iro[here].post(
            f"{page}events/new/",
            {"type": EventType.CP_VISIT.value, "date": today.strftime("%d %m %Y")},
        )
        assert recorded.status == 302, f"visit {n + 1} was not recorded"  # acknowledged
        assert events_shown(iro[there].get(page)) == shown + n + 1  # seen on the other server

    # Concerns raised through each server in turn: each queues messages for the workers.
    ladder = ladders_for(child, on=today)[0]
    for n in range(CONCERNS):
        raised = iro[deployment[n % 2]].post(
            f"{page}concerns/new/",
            {"ladder": ladder, "issue": f"Visit record {n + 1} missing", "impact": "Drift"},
        )
        assert raised.status == 302, f"concern {n + 1} was not raised"

    # No acknowledged write lost.
    assert visits.count() == visits_before + VISITS
    assert Concern.objects.filter(child=child).count() == CONCERNS
    queued = Message.objects.filter(child=child)
    assert queued.count() >= CONCERNS  # at least one message for each concern

    # Every message sent once: each is marked sent, and the mail server has each exactly once.
    wait_until(
        lambda: not queued.exclude(status=Status.SENT).exists(),
        what="the workers to send every message",
        timeout=90,
    )
    delivered = mail.message_ids()
    assert sorted(delivered) == sorted(queued.values_list("message_id", flat=True))
    assert len(delivered) == len(set(delivered))  # no message twice
