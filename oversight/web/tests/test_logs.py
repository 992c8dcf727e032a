"""Logs: JSON lines on standard output with the request id; a server error logged with its
traceback with DEBUG off; no child's data in a log line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@contextmanager
def stdout_log() -> Iterator[io.StringIO]:
    """What the configured stdout handler (settings.LOGGING) writes meanwhile."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "stdout")
    assert isinstance(handler, logging.StreamHandler)
    written = io.StringIO()
    # Swapped without `setStream`, which flushes the stream it replaces: under pytest that is the
    # standard output captured when logging was configured, which an earlier test may have closed.
    before, handler.stream = handler.stream, written
    try:
        yield written
    finally:
        handler.stream = before


def server_error_on_the_children_search(council, query: str):
    client = Client(raise_request_exception=False)
    client.force_login(council.iro.user)
    with mock.patch("oversight.web.views.matching", side_effect=RuntimeError("boom in search")):
        return client.get("/children/", {"q": query}, headers={"X-Request-ID": "nginx-req-0042"})


def test_a_server_error_is_logged_with_its_traceback_and_request_id(council, settings):
    settings.DEBUG = False
    with stdout_log() as written:
        response = server_error_on_the_children_search(council, "Larkfield")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "nginx-req-0042"  # the proxy's id, kept
    lines = [json.loads(line) for line in written.getvalue().splitlines()]
    errors = [line for line in lines if line["level"] == "ERROR"]
    assert len(errors) == 1
    (error,) = errors
    assert error["logger"] == "django.request"
    assert error["message"] == "Internal Server Error: /children/"
    assert error["request_id"] == "nginx-req-0042"
    assert error["status"] == 500
    assert "RuntimeError: boom in search" in str(error["traceback"])
    assert "Traceback (most recent call last)" in str(error["traceback"])


def test_no_child_data_is_in_a_log_line(council, settings):
    child = council.child
    settings.DEBUG = False
    with stdout_log() as written:
        # A search by the child's name that fails, and one by NHS number that is refused.
        server_error_on_the_children_search(council, f"{child.first_name} {child.last_name}")
        client = Client(raise_request_exception=False)
        client.force_login(council.other_iro.user)
        client.get("/children/", {"q": child.nhs_number})
        client.get(f"/children/{child.pk}/", {"q": child.last_name})  # outside their scope
    text = written.getvalue()
    assert "Internal Server Error: /children/" in text  # the lines were written
    assert f"Not Found: /children/{child.pk}/" in text
    for datum in (child.first_name, child.last_name, child.nhs_number):
        assert datum and datum not in text


def test_a_request_without_an_id_is_given_one(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second
    # Something that is not a plain token is not taken from the header.
    assert client.get("/healthz", headers={"X-Request-ID": "a b\nc"})["X-Request-ID"] != "a b\nc"
