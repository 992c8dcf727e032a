"""Delivery by SMTP to a real server on loopback: once, with the stored Message-ID; retried with
backoff while the server is down; given up after the last attempt."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from oversight.notifications.actions import queue_message, requeue_stalled
from oversight.notifications.models import Message
from oversight.notifications.tasks import deliver, retry_delay
from oversight.notifications.tests.conftest import run_tasks

pytestmark = pytest.mark.django_db

MONDAY_9AM = dt.datetime(2027, 5, 17, 9, 0, tzinfo=dt.UTC)


def queue(council, capture, **overrides):
    fields = {
        "to": council.social_worker,
        "subject": "Concern raised about Poppy Larkfield",
        "body": "Please respond by Fri 2027-06-04.",
        "child": council.child,
        "acting_user": council.iro.user,
    }
    fields.update(overrides)
    with capture(execute=True):
        return queue_message(**fields)


def test_it_delivers_once_with_the_stored_message_id(
    council, smtp_server, django_capture_on_commit_callbacks
):
    message = queue(council, django_capture_on_commit_callbacks)
    assert run_tasks() == 1
    [received] = smtp_server.messages
    assert received["Message-ID"] == message.message_id
    assert received["To"] == council.social_worker.user.email
    assert received["Subject"] == "Concern raised about Poppy Larkfield"
    assert received.get_content().strip() == "Please respond by Fri 2027-06-04."
    message.refresh_from_db()
    assert message.status == "sent"
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.lease_expires_at is None


def test_it_sends_once_when_delivery_is_enqueued_twice(
    council, smtp_server, django_capture_on_commit_callbacks
):
    message = queue(council, django_capture_on_commit_callbacks)
    deliver.enqueue(message.pk)  # a duplicate task, as requeue_stalled may make
    assert run_tasks() == 2
    assert smtp_server.message_ids() == [message.message_id]  # the second task claimed nothing


def test_it_backs_off_while_the_server_is_down_and_delivers_once_when_it_returns(
    council, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    with time_machine.travel(MONDAY_9AM, tick=True) as traveller:
        message = queue(council, django_capture_on_commit_callbacks)
        run_tasks()
        message.refresh_from_db()
        assert message.status == "queued"
        assert message.attempts == 1
        assert "ConnectionRefusedError" in message.last_error
        # Next attempt one retry interval (60 s) later, and a task waiting for it.
        assert dt.timedelta(seconds=59) < message.next_attempt_at - MONDAY_9AM
        assert message.next_attempt_at - MONDAY_9AM < dt.timedelta(seconds=62)
        assert run_tasks() == 0  # not due yet

        traveller.shift(dt.timedelta(seconds=61))
        assert run_tasks() == 1
        message.refresh_from_db()
        assert message.attempts == 2
        # The wait doubles: 120 s after the second failure.
        assert message.next_attempt_at - timezone.now() > dt.timedelta(seconds=118)

        smtp_server.start()
        traveller.shift(dt.timedelta(seconds=121))
        assert run_tasks() == 1
    message.refresh_from_db()
    assert message.status == "sent"
    assert message.attempts == 3
    assert message.last_error == ""
    assert smtp_server.message_ids() == [message.message_id]  # delivered exactly once


def test_it_gives_up_after_the_last_attempt(
    council, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.OVERSIGHT_NOTIFY_MAX_ATTEMPTS = 2
    smtp_server.stop()
    with time_machine.travel(MONDAY_9AM, tick=True) as traveller:
        message = queue(council, django_capture_on_commit_callbacks)
        run_tasks()
        traveller.shift(dt.timedelta(seconds=61))
        run_tasks()
        traveller.shift(dt.timedelta(days=1))
        assert run_tasks() == 0  # no third attempt is enqueued
    message.refresh_from_db()
    assert message.status == "failed"
    assert message.attempts == 2
    assert "ConnectionRefusedError" in message.last_error


def test_it_fails_at_once_when_the_server_refuses_the_address_for_good(
    council, smtp_server, django_capture_on_commit_callbacks
):
    message = queue(council, django_capture_on_commit_callbacks, to="refused@council.invalid")
    run_tasks()
    message.refresh_from_db()
    assert message.status == "failed"
    assert message.attempts == 1
    assert "550" in message.last_error
    assert DBTaskResult.objects.filter(status="READY").count() == 0  # no retry waiting


def test_it_resends_the_same_message_when_its_worker_died_after_the_server_accepted_it(
    council, smtp_server, django_capture_on_commit_callbacks
):
    message = queue(council, django_capture_on_commit_callbacks)
    run_tasks()
    # The worker "died" between the server's acceptance and the commit: the row says sending.
    Message.objects.filter(pk=message.pk).update(
        status="sending", lease_expires_at=timezone.now() + dt.timedelta(minutes=5)
    )
    assert requeue_stalled() == 1
    assert run_tasks() == 0  # the lease has not expired: no one may take it yet
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5, seconds=1), tick=True):
        assert run_tasks() == 1
    first, second = smtp_server.messages
    # The same message twice, never two different ones: one Message-ID, one body.
    assert first["Message-ID"] == second["Message-ID"] == message.message_id
    assert first.get_content() == second.get_content()
    message.refresh_from_db()
    assert message.status == "sent"
    assert message.attempts == 2


def test_it_doubles_the_wait_up_to_the_cap():
    assert retry_delay(1) == dt.timedelta(seconds=60)  # the base
    assert retry_delay(2) == dt.timedelta(seconds=120)  # twice
    assert retry_delay(3) == dt.timedelta(seconds=240)  # four times
    assert retry_delay(7) == dt.timedelta(seconds=3600)  # 3840 s capped at an hour
