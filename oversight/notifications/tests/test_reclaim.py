"""What a dead worker leaves behind is reclaimed by the next worker's heartbeat
(`oversight.notifications.worker.reclaim`), with no `requeue_messages` run."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from oversight.notifications.actions import queue_message
from oversight.notifications.constants import Status
from oversight.notifications.models import Message, WorkerHeartbeat
from oversight.notifications.tasks import deliver
from oversight.notifications.tests.conftest import run_tasks
from oversight.notifications.worker import reclaim

pytestmark = pytest.mark.django_db

# Thursday 3 December 2026, noon (GMT).
NOON = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def left_sending(council, *, attempts: int, lease_left: dt.timedelta) -> Message:
    """A message a worker claimed and died sending: `sending`, its lease `lease_left` from NOON."""
    message = queue_message(
        to=council.social_worker, subject="Concern raised", body="A link", child=council.child
    )
    Message.objects.filter(pk=message.pk).update(
        status=Status.SENDING, attempts=attempts, lease_expires_at=NOON + lease_left
    )
    return message


@time_machine.travel(NOON, tick=False)
def test_it_queues_again_a_message_whose_lease_expired(
    council, smtp_server, django_capture_on_commit_callbacks
):
    message = left_sending(council, attempts=1, lease_left=-dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert reclaim(now=NOON) == (1, 0, 0)
    message.refresh_from_db()
    assert message.status == Status.QUEUED
    run_tasks()
    message.refresh_from_db()
    assert message.status == Status.SENT  # sent by the new task, on its second attempt
    assert message.attempts == 2
    assert smtp_server.message_ids() == [message.message_id]


@time_machine.travel(NOON, tick=False)
def test_it_leaves_a_message_whose_lease_runs_on(council):
    message = left_sending(council, attempts=1, lease_left=dt.timedelta(seconds=30))
    assert reclaim(now=NOON) == (0, 0, 0)
    message.refresh_from_db()
    assert message.status == Status.SENDING  # its worker may still be sending it


@time_machine.travel(NOON, tick=False)
def test_it_fails_a_message_that_stopped_its_worker_at_every_attempt(council, client, settings):
    settings.OVERSIGHT_NOTIFY_MAX_ATTEMPTS = 3
    message = left_sending(council, attempts=3, lease_left=-dt.timedelta(seconds=1))
    assert reclaim(now=NOON) == (0, 1, 0)
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert deliver.call(message.pk) == "not claimed"  # a task still queued for it sends nothing
    client.force_login(council.social_worker.user)
    page = client.get("/messages/").text
    assert "Failed" in page
    assert "The worker stopped while sending it, at every attempt" in page


@time_machine.travel(NOON, tick=False)
def test_it_fails_a_task_row_left_running_by_a_dead_worker(council, settings):
    settings.OVERSIGHT_WORKER_STALE_SECONDS = 120
    tasks = [
        deliver.enqueue(queue_message(to=person, subject="Concern raised", body="A link").pk)
        for person in (council.social_worker, council.iro)
    ]
    dead, alive = (DBTaskResult.objects.get(pk=task.id) for task in tasks)
    for row, worker_id in ((dead, "host-1"), (alive, "host-2")):
        row.claim(worker_id)
    DBTaskResult.objects.update(started_at=NOON - dt.timedelta(minutes=10))
    WorkerHeartbeat.objects.create(worker_id="host-1", beat_at=NOON - dt.timedelta(minutes=3))
    WorkerHeartbeat.objects.create(worker_id="host-2", beat_at=NOON - dt.timedelta(seconds=10))
    assert reclaim(now=NOON) == (0, 0, 1)
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == "FAILED"  # host-1 has been silent for 3 minutes
    assert "worker host-1 stopped while running it" in dead.traceback
    assert alive.status == "RUNNING"  # host-2 beat 10 seconds ago: still at it
