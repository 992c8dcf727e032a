"""A well-formed DATABASE_URL whose server does not answer: the app still serves, saying 503."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.waiting import wait_until

OVERSIGHT = str(Path(sys.executable).parent / "oversight")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def answers(base: str) -> bool:
    """The server answers its health check at all (with 503 here: no database)."""
    try:
        get(f"{base}/healthz", timeout=1)
    except OSError:  # refused, reset or timed out: not serving yet
        return False
    return True


@pytest.fixture(scope="module", params=["debug", "production"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    port = free_port()
    closed = free_port()  # nothing listens here: connections are refused at once
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{closed}/oversight"
    if request.param == "production":
        env.update(
            DEBUG="false",
            SECRET_KEY="test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            ALLOWED_HOSTS="127.0.0.1",
            OVERSIGHT_TRUSTED_PROXIES="1",  # behind a TLS proxy, which says X-Forwarded-Proto
            OVERSIGHT_BASE_URL="https://127.0.0.1",
        )
    else:
        env.update(DEBUG="true")
    log = tmp_path_factory.mktemp("serve") / "stderr.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [OVERSIGHT, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"

    def serving() -> bool:
        if process.poll() is not None:
            pytest.fail(f"oversight serve exited ({process.returncode}):\n{log.read_text()}")
        return answers(base)

    try:
        wait_until(serving, what=f"oversight serve to answer {base}/healthz", every=0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url: str, cookie: str = "", timeout: float = 20) -> tuple[int, str]:
    assert url.startswith("http://127.0.0.1:")
    headers = {"X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
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
