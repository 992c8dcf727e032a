"""A well-formed DATABASE_URL whose server does not answer: the app still serves, saying 503."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

OVERSIGHT = str(Path(sys.executable).parent / "oversight")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module", params=["debug", "production"])
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    port = free_port()
    closed = free_port()  # nothing listens here: connections are refused at once
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{closed}/oversight"
    if request.param == "production":
        env.update(DEBUG="false", SECRET_KEY="test-only-secret-key", ALLOWED_HOSTS="127.0.0.1")
    else:
        env.update(DEBUG="true")
    process = subprocess.Popen(
        [OVERSIGHT, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if process.poll() is not None:
                    pytest.fail("oversight serve exited early")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url: str, cookie: str = "") -> tuple[int, str]:
    assert url.startswith("http://127.0.0.1:")
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_it_says_503_on_healthz(server):
    status, body = get(f"{server}/healthz")
    assert status == 503
    assert body == '{"database": "unavailable"}'


def test_it_says_the_service_is_unavailable_on_a_page(server):
    # A session cookie makes the page read the session table, which needs the database.
    status, body = get(f"{server}/children/", cookie="sessionid=abcdefghijklmnopqrstuvwxyz012345")
    assert status == 503
    assert "Sorry, the service is unavailable" in body
    assert "Traceback" not in body
