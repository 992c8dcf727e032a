"""Delivery through GOV.UK Notify, against a stub of its API on loopback that checks the signed
token the client makes from the API key, and the payload."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest

from oversight.notifications.actions import queue_message
from oversight.notifications.checks import check_notify_settings
from oversight.notifications.tests.conftest import run_tasks

pytestmark = pytest.mark.django_db

SERVICE_ID = "3d5f1c2e-8a4b-4c6d-9e0f-1a2b3c4d5e6f"
SECRET = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
API_KEY = f"oversight_test-{SERVICE_ID}-{SECRET}"
GENERIC_TEMPLATE = "f0e1d2c3-b4a5-4968-8776-655443322110"
CONCERN_TEMPLATE = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"


class NotifyStub:
    """POST /v2/notifications/email: 201 when the bearer token is an HS256 JWT signed with the
    key's secret, issued by the key's service within the last 30 seconds; 403 otherwise. Answers
    `fail_with` instead when set."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.fail_with: int | None = None
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                error = stub.check_token(self.headers.get("Authorization", ""))
                stub.requests.append({"path": self.path, "body": body, "token_error": error})
                if error:
                    return self.answer(403, {"errors": [{"error": "AuthError", "message": error}]})
                if stub.fail_with:
                    return self.answer(stub.fail_with, {"errors": [{"error": "Stub"}]})
                self.answer(201, {"id": str(uuid.uuid4()), "reference": body.get("reference")})

            def answer(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @staticmethod
    def check_token(header: str) -> str:
        if not header.startswith("Bearer "):
            return "no bearer token"
        try:
            claims = jwt.decode(header.removeprefix("Bearer "), SECRET, algorithms=["HS256"])
        except jwt.InvalidTokenError as exc:
            return f"invalid token: {exc}"
        if claims.get("iss") != SERVICE_ID:
            return "wrong issuer"
        if abs(time.time() - claims.get("iat", 0)) > 30:
            return "token expired or issued in the future"
        return ""


@pytest.fixture
def notify(settings: Any) -> Iterator[NotifyStub]:
    stub = NotifyStub()
    thread = threading.Thread(target=stub.server.serve_forever, daemon=True)
    thread.start()
    settings.OVERSIGHT_NOTIFY_BACKEND = "notify"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_BASE_URL = stub.url
    settings.OVERSIGHT_NOTIFY_TEMPLATE_ID = GENERIC_TEMPLATE
    yield stub
    stub.server.shutdown()
    stub.server.server_close()


def test_it_sends_by_template_with_a_signed_token_and_the_message_id_as_reference(
    council, notify, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message(
            to=council.team_manager,
            subject="Stage 1 notice",
            body="…",
            child=council.child,
            template_id=CONCERN_TEMPLATE,
            personalisation={"child_reference": "C1000001", "response_due": "Fri 31 Dec 2027"},
        )
    run_tasks()
    [request] = notify.requests
    assert request["token_error"] == ""
    assert request["path"] == "/v2/notifications/email"
    assert request["body"] == {
        "email_address": council.team_manager.user.email,
        "template_id": CONCERN_TEMPLATE,
        "personalisation": {"child_reference": "C1000001", "response_due": "Fri 31 Dec 2027"},
        "reference": message.message_id,
    }
    message.refresh_from_db()
    assert message.status == "sent"
    assert uuid.UUID(message.provider_reference)  # Notify's id for the notification


def test_it_uses_the_generic_template_with_subject_and_body(
    council, notify, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queue_message(to=council.social_worker, subject="Concern raised", body="Visits late.")
    run_tasks()
    [request] = notify.requests
    assert request["body"]["template_id"] == GENERIC_TEMPLATE
    assert request["body"]["personalisation"] == {
        "subject": "Concern raised",
        "body": "Visits late.",
    }


def test_it_fails_for_good_when_notify_refuses_the_key(
    council, notify, settings, django_capture_on_commit_callbacks
):
    other_secret = "00000000-0000-4000-8000-000000000000"
    settings.NOTIFY_API_KEY = f"oversight_test-{SERVICE_ID}-{other_secret}"
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message(to=council.social_worker, subject="Concern raised", body="…")
    run_tasks()
    assert notify.requests[0]["token_error"].startswith("invalid token")  # the stub checked it
    message.refresh_from_db()
    assert message.status == "failed"  # a 403 will not get better
    assert message.attempts == 1


def test_it_retries_when_notify_is_unavailable(council, notify, django_capture_on_commit_callbacks):
    notify.fail_with = 503
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message(to=council.social_worker, subject="Concern raised", body="…")
    run_tasks()
    message.refresh_from_db()
    assert message.status == "queued"
    assert message.attempts == 1
    assert "503" in message.last_error


def test_it_refuses_to_start_with_notify_and_no_key(settings):
    settings.OVERSIGHT_NOTIFY_BACKEND = "notify"
    settings.NOTIFY_API_KEY = ""
    settings.OVERSIGHT_NOTIFY_TEMPLATE_ID = ""
    assert [e.id for e in check_notify_settings()] == ["notifications.E001", "notifications.E002"]


def test_it_accepts_a_notify_key_and_template(settings):
    settings.OVERSIGHT_NOTIFY_BACKEND = "notify"
    settings.NOTIFY_API_KEY = API_KEY
    settings.OVERSIGHT_NOTIFY_TEMPLATE_ID = GENERIC_TEMPLATE
    assert check_notify_settings() == []
