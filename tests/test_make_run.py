"""`make run` serves the demo as a council sees it (`scripts/run-env`): DEBUG off, so a page that
does not exist is the GOV.UK "Page not found" page, never Django's debug page listing every URL;
the stylesheet still served (whitenoise); cookies a browser keeps over the plain HTTP of
loopback. `make dev` (DEBUG=true) is the one with the debug page."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_database_down import answers, free_port
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[1]
OVERSIGHT = str(Path(sys.executable).parent / "oversight")


def fetch(url: str) -> tuple[int, str, str]:
    """(status, body, Set-Cookie headers) of a GET."""
    assert url.startswith("http://127.0.0.1:")
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310
            cookies = "\n".join(response.headers.get_all("Set-Cookie") or [])
            return response.status, response.read().decode(), cookies
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), ""


@pytest.fixture(scope="module", params=["run", "dev"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`oversight serve` in the environment `make run` gives it (`make dev`: DEBUG=true too)."""
    port = free_port()
    drop = {"DJANGO_SETTINGS_MODULE", "DEBUG", "ALLOWED_HOSTS", "OVERSIGHT_SECURE_COOKIES"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('run') / 'db.sqlite3'}"
    env["SECRET_KEY"] = "make-run-test-only-" + "k3y-" * 12  # so the test writes no var/secret-key
    if request.param == "dev":
        env["DEBUG"] = "true"
    log = tmp_path_factory.mktemp("serve") / "stderr.log"
    serve = f"source scripts/run-env && exec {OVERSIGHT} serve --bind 127.0.0.1:{port} --workers 1"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            ["/bin/bash", "-c", serve], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
    base = f"http://127.0.0.1:{port}"

    def serving() -> bool:
        if process.poll() is not None:
            pytest.fail(f"oversight serve exited ({process.returncode}):\n{log.read_text()}")
        return answers(base)

    try:
        wait_until(serving, what=f"oversight serve to answer {base}/healthz", every=0.1)
        yield request.param, base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_missing_page_is_the_gov_uk_page_under_make_run_and_the_debug_page_under_make_dev(server):
    mode, base = server
    status, body, _ = fetch(f"{base}/no-such-page/")
    assert status == 404
    if mode == "run":
        assert '<h1 class="govuk-heading-l">Page not found</h1>' in body
        assert "govuk/oversight.css" in body  # the GOV.UK layout
        assert "URLconf" not in body and "sign-in/" not in body  # no list of the URLs
    else:
        assert "Using the URLconf defined in" in body and "sign-in/" in body


def test_make_run_still_serves_the_stylesheet(server):
    _mode, base = server
    status, body, _ = fetch(f"{base}/static/govuk/oversight.css")
    assert status == 200
    assert ".govuk-" in body


def test_make_run_gives_cookies_a_browser_keeps_over_plain_http(server):
    _mode, base = server
    status, _body, cookies = fetch(f"{base}/sign-in/")
    assert status == 200 and "csrftoken=" in cookies
    assert "secure" not in cookies.lower()  # a Secure cookie never comes back over http://


def test_make_runs_worker_names_itself_by_this_machine():
    # as the deployment guide's `--worker-id %H-%i`: its heartbeat is this machine's run, the
    # same row after each restart, never a new random id (and a stale row) each time
    shown = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    [worker] = [line for line in shown.splitlines() if "db_worker" in line]
    assert 'db_worker --no-reload --worker-id "$(hostname)-run" &' in worker
