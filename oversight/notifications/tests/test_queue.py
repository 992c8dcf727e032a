"""Queueing: the outbox row is written in the caller's transaction; delivery waits for the commit."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from oversight.notifications.actions import queue_message
from oversight.notifications.models import Message
from oversight.notifications.tests.conftest import run_tasks

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_it_sends_nothing_when_the_action_rolls_back(
    council, smtp_server, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        queue_message(
            to=council.social_worker,
            subject="Concern raised",
            body="A concern about Poppy.",
            child=council.child,
            acting_user=council.iro.user,
        )
        raise Boom
    assert callbacks == []  # the enqueue was dropped with the transaction
    assert Message.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert run_tasks() == 0
    assert smtp_server.messages == []


def test_it_writes_the_message_and_enqueues_delivery_on_commit(
    council, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = queue_message(
            to=council.social_worker,
            subject="Concern raised",
            body="A concern about Poppy.",
            child=council.child,
            acting_user=council.iro.user,
        )
        assert DBTaskResult.objects.count() == 0  # nothing enqueued before the commit
    for callback in callbacks:
        callback()
    task = DBTaskResult.objects.get()
    assert task.task_path == "oversight.notifications.tasks.deliver"
    assert task.args_kwargs == {"args": [message.pk], "kwargs": {}}
    assert message.status == "queued"
    assert message.attempts == 0
    assert message.to_email == council.social_worker.user.email
    assert message.recipient == council.social_worker
    assert message.queued_by == council.iro.user
    # A stable Message-ID made from the row's uuid, under a reserved domain.
    assert message.message_id == f"<{message.uuid}@oversight.invalid>"
    assert re.fullmatch(r"<[0-9a-f-]{36}@oversight\.invalid>", message.message_id)


def test_it_queues_to_a_plain_address(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message(
            to="named.contact@police.invalid", subject="Dispute", body="Partner agency."
        )
    assert message.recipient is None
    assert message.to_email == "named.contact@police.invalid"


def test_it_refuses_a_member_of_staff_without_an_address(council):
    council.team_manager.user.email = ""
    council.team_manager.user.save()
    with pytest.raises(ValueError, match="has no email address"):
        queue_message(to=council.team_manager, subject="Concern raised", body="…")
    assert Message.objects.count() == 0


def test_it_shows_the_outbox_read_only_in_the_admin(admin_client, council):
    message = queue_message(to=council.social_worker, subject="Concern raised", body="…")
    assert admin_client.get("/admin/notifications/message/").status_code == 200
    page = admin_client.get(f"/admin/notifications/message/{message.pk}/change/")
    assert page.status_code == 200  # viewable
    assert admin_client.get("/admin/notifications/message/add/").status_code == 403
