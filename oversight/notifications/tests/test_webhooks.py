"""Webhooks to a real HTTP server on loopback that the test starts: a signed POST (HMAC-SHA256
over the timestamp and the body, the delivery id in a header) when an escalation changes stage
and when an obligation becomes overdue, each once; retried with backoff while the receiver
fails, given up on a refusal; nothing at all without OVERSIGHT_WEBHOOK_URL; a page listing
each delivery's status, for administrators."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine

from oversight.audit.models import AuditEntry
from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.cases.obligations import recompute_child
from oversight.escalations import actions
from oversight.escalations.tests.conftest import line
from oversight.notifications import tasks
from oversight.notifications.models import WebhookDelivery
from oversight.notifications.tests.conftest import run_tasks
from oversight.notifications.webhooks import announce_overdue
from oversight.notifications.worker import reclaim

pytestmark = pytest.mark.django_db
__all__ = ["line"]  # the escalation tests' management line, for the notices' addressees

SECRET = "a-test-secret-of-at-least-32-characters"
# Tuesday 9 March 2027, 9am.
TUESDAY_9AM = dt.datetime(2027, 3, 9, 9, 0, tzinfo=dt.UTC)


class Receiver:
    """An HTTP server on loopback that keeps each POST and answers with the next of `answers`
    (200 once they run out)."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/oversight-hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    found = Receiver()
    settings.OVERSIGHT_WEBHOOK_URL = found.url
    settings.OVERSIGHT_WEBHOOK_SECRET = SECRET
    settings.OVERSIGHT_POLICY = "england"
    yield found
    found.stop()


def notice(line, capture):
    c = line.council
    with capture(execute=True):
        concern = actions.raise_concern(
            c.child, issue="Core group not held", impact="No plan", on=dt.date(2027, 3, 1),
            acting_user=c.iro.user,
        )  # fmt: skip
        actions.issue_notice(concern, stage=1, on=dt.date(2027, 3, 9), acting_user=c.iro.user)
    return concern


def test_a_stage_change_is_posted_signed_with_its_delivery_id(
    line, receiver, django_capture_on_commit_callbacks
):
    with time_machine.travel(TUESDAY_9AM, tick=True):
        concern = notice(line, django_capture_on_commit_callbacks)
        run_tasks()  # the emails' and the webhook's
    [got] = receiver.received
    headers, body = got["headers"], got["body"]
    sent = json.loads(body)
    assert (sent["event"], sent["concern"], sent["stage"], sent["previous_stage"]) == (
        "escalation.stage_changed",
        concern.pk,
        1,
        0,
    )
    assert sent["child"] == {"id": line.council.child.pk, "reference": "C1000001"}
    assert "Core group" not in body.decode()  # the codes, never the case's words
    delivery = WebhookDelivery.objects.get()
    assert headers["Oversight-Delivery"] == str(delivery.delivery_id) == sent["delivery"]
    signed = headers["Oversight-Timestamp"].encode() + b"." + body
    expected = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    assert headers["Oversight-Signature"] == f"sha256={expected}"
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("sent", 1, 200)


def test_a_failing_receiver_is_tried_again_later_and_a_refusal_ends_it(
    line, receiver, settings, django_capture_on_commit_callbacks
):
    receiver.answers = [503, 503]
    with time_machine.travel(TUESDAY_9AM, tick=True) as traveller:
        notice(line, django_capture_on_commit_callbacks)
        run_tasks()
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.response_status) == ("queued", 503)
        first_wait = delivery.next_attempt_at - TUESDAY_9AM
        assert dt.timedelta(seconds=59) < first_wait < dt.timedelta(seconds=62)  # the base: 60 s
        assert run_tasks() == 0  # not due yet
        traveller.shift(dt.timedelta(seconds=61))
        run_tasks()
        delivery.refresh_from_db()
        assert delivery.next_attempt_at - dt.datetime.now(dt.UTC) > dt.timedelta(seconds=118)
        traveller.shift(dt.timedelta(seconds=121))
        run_tasks()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 3)
    ids = {r["headers"]["Oversight-Delivery"] for r in receiver.received}
    assert ids == {str(delivery.delivery_id)}  # one delivery, three attempts


def test_a_receiver_that_refuses_is_not_asked_again(
    line, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [400]
    with time_machine.travel(TUESDAY_9AM, tick=True) as traveller:
        notice(line, django_capture_on_commit_callbacks)
        run_tasks()
        traveller.shift(dt.timedelta(days=1))
        assert run_tasks() == 0
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_status) == ("failed", 400)
    assert len(receiver.received) == 1


def test_an_overdue_obligation_is_announced_once(
    council, receiver, django_capture_on_commit_callbacks
):
    # A strategy discussion on Monday 1 March 2027: the ICPC is due 15 working days later, on
    # Monday 22 March; on Tuesday 23 March it is overdue.
    with time_machine.travel(dt.datetime(2027, 3, 23, 9, 0, tzinfo=dt.UTC), tick=True):
        record_event(council.other_child, EventType.STRATEGY_DISCUSSION, dt.date(2027, 3, 1))
        recompute_child(council.other_child, as_of=dt.date(2027, 3, 23))  # the nightly's work
        with django_capture_on_commit_callbacks(execute=True):
            first = announce_overdue(today=dt.date(2027, 3, 23))
            again = announce_overdue(today=dt.date(2027, 3, 24))
        run_tasks()
    assert again == 0 and first >= 1
    icpc = [json.loads(r["body"]) for r in receiver.received]
    icpc = [s for s in icpc if s["obligation"]["code"] == "cp.icpc"]
    assert [(s["child"]["reference"], s["obligation"]["due"]) for s in icpc] == [
        ("C2000001", "2027-03-22")
    ]


def test_without_a_webhook_address_nothing_is_kept(
    line, settings, django_capture_on_commit_callbacks
):
    settings.OVERSIGHT_WEBHOOK_URL = ""
    settings.OVERSIGHT_POLICY = "england"
    notice(line, django_capture_on_commit_callbacks)
    assert announce_overdue(today=dt.date(2027, 3, 23)) == 0
    assert not WebhookDelivery.objects.exists()


def test_the_deliveries_page_shows_each_status_to_administrators_only(
    client, line, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [400]
    with time_machine.travel(TUESDAY_9AM, tick=True):
        notice(line, django_capture_on_commit_callbacks)
        run_tasks()
    c = line.council
    client.force_login(c.iro.user)
    assert client.get("/api-tokens/webhooks/").status_code == 404
    client.force_login(c.administrator.user)
    page = client.get("/api-tokens/webhooks/").content.decode()
    row = page.split("escalation.stage_changed", 1)[1].split("</tr>", 1)[0]
    assert "C1000001" in row and "Failed" in row and "400" in row
    assert receiver.url in page
    viewed = AuditEntry.objects.get(what="webhooks.viewed")
    assert list(viewed.children.values_list("child_reference", flat=True)) == ["C1000001"]


class WorkerKilled(BaseException):
    """The worker dying mid-POST: nothing of `deliver_webhook` runs after it (not even its
    `except Exception`), so the delivery is left sending under its lease."""


def test_a_delivery_that_kills_its_worker_each_time_fails_after_the_last_attempt(
    client, line, receiver, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.OVERSIGHT_NOTIFY_MAX_ATTEMPTS = 3
    settings.OVERSIGHT_NOTIFY_LEASE_SECONDS = 60

    def killed(delivery: WebhookDelivery) -> int:
        raise WorkerKilled

    monkeypatch.setattr(tasks, "send_webhook", killed)
    with time_machine.travel(TUESDAY_9AM, tick=False) as traveller:
        notice(line, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get()
        for attempt in (1, 2, 3):
            with pytest.raises(WorkerKilled):
                tasks.deliver_webhook.call(delivery.pk)
            traveller.shift(dt.timedelta(seconds=61))  # the lease has expired
            if attempt < 3:
                assert reclaim(now=dt.datetime.now(dt.UTC)) == (1, 0, 0)  # queued again
        # The third lease has expired too, but three attempts are all it gets.
        assert tasks.deliver_webhook.call(delivery.pk) == "not claimed"
        assert reclaim(now=dt.datetime.now(dt.UTC)) == (0, 1, 0)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert receiver.received == []  # never posted: the worker died first each time
    client.force_login(line.council.administrator.user)
    page = client.get("/api-tokens/webhooks/").content.decode()
    row = page.split("escalation.stage_changed", 1)[1].split("</tr>", 1)[0]
    assert "Failed" in row
    assert "The worker stopped while sending it, at every attempt" in row
