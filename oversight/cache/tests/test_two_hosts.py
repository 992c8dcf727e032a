"""Two web hosts sharing one Redis (`CACHE_URL`) and one PostgreSQL: a change made through one is
seen by the other on its very next request (issue 12). Each host keeps its own memory of pages,
users and access decisions; only the data version and the sessions are shared, so this shows
that what one host remembers follows the other's writes.

Real processes: Debian's `redis-server` on a free loopback port (never the machine's 6379), and
two `oversight serve` (gunicorn) on their own free ports, with DEBUG off, on the test database
that pytest-django creates and migrates. With `CI=true` a missing redis-server fails the test."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: two app servers share the test database",
    ),
]

REDIS_SERVER = "/usr/bin/redis-server"
OVERSIGHT = str(Path(sys.executable).parent / "oversight")
PASSWORD = "two-hosts-password"  # every persona's here
ADMIN_APP_KEY = b"two-hosts-admin-authenticator-app"  # the administrator's app's secret
DEADLINE = 90.0  # seconds for a server to answer on a loaded machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(ready: Callable[[], bool], what: str, process: subprocess.Popen[bytes]) -> None:
    """Wait for `ready()` until the deadline; fail at once when `process` ends meanwhile."""
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what}: the process ended with status {process.returncode}")
        if ready():
            return
        time.sleep(0.1)
    pytest.fail(f"{what}: no answer within {DEADLINE:.0f} seconds")


def database_url() -> str:
    s: dict[str, Any] = connection.settings_dict
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    user = f"{quote(s['USER'], safe='')}{password}@" if s.get("USER") else ""
    host = s.get("HOST") or "127.0.0.1"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{user}{host}{port}/{quote(s['NAME'], safe='')}"


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    if not shutil.which(REDIS_SERVER):
        message = f"redis-server not found at {REDIS_SERVER} (apt-get install redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: the two-host cache test is required with CI=true")
        pytest.skip(message)
    port = free_port()
    log = (tmp_path / "redis.log").open("wb")
    # No snapshot, no append-only file: nothing of the test outlives it.
    options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)]
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), *options],
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def pong() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    try:
        wait_until(pong, f"redis-server on port {port}", process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


@pytest.fixture
def hosts(redis_url: str, tmp_path: Path) -> Iterator[tuple[int, int]]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DEBUG="false",
        SECRET_KEY="two-hosts-test-secret-key-not-for-production-0123456789-abcdefghij",
        ALLOWED_HOSTS="127.0.0.1",
        # Behind a proxy that ends TLS, as in production: it says so in X-Forwarded-Proto.
        OVERSIGHT_TRUSTED_PROXIES="1",
        OVERSIGHT_BASE_URL="https://127.0.0.1",
        DATABASE_URL=database_url(),
        CACHE_URL=redis_url,
        OVERSIGHT_HOSTS="2",
    )
    ports = (free_port(), free_port())
    processes = []
    try:
        for n, port in enumerate(ports, 1):
            log = (tmp_path / f"host-{n}.log").open("wb")
            processes.append(
                subprocess.Popen(
                    [OVERSIGHT, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        for n, (port, process) in enumerate(zip(ports, processes, strict=True), 1):
            wait_until(partial(healthy, port), f"host {n} on port {port}", process)
        yield ports
    finally:
        for process in processes:
            stop(process)


def healthy(port: int) -> bool:
    try:
        return Browser(port).get("/healthz").status == 200
    except OSError:
        return False


@dataclass
class Page:
    status: int
    location: str
    text: str


@dataclass
class Browser:
    """One person's browser against one host, as the TLS proxy in front of it passes it on: its
    cookies (sent over plain HTTP although the production settings mark them Secure), the
    proxy's `X-Forwarded-Proto: https`, no redirects followed."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, Any] | None = None) -> Page:
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1{path}"
        link = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            link.request(method, path, body=body, headers=headers)
            response = link.getresponse()
            text = response.read().decode()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookie = rest.split(";", 1)[0]
                    if cookie and cookie != '""':
                        self.cookies[name] = cookie
                    else:
                        self.cookies.pop(name, None)
            return Page(response.status, response.getheader("Location") or "", text)
        finally:
            link.close()

    def get(self, path: str) -> Page:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, Any]) -> Page:
        return self.request("POST", path, {**form, "csrfmiddlewaretoken": self.csrf()})

    def csrf(self) -> str:
        if "csrftoken" not in self.cookies:
            self.get("/sign-in/")
        return self.cookies["csrftoken"]

    def sign_in(self, username: str) -> None:
        page = self.post("/sign-in/", {"username": username, "password": PASSWORD})
        assert page.status == 302, f"{username} could not sign in"

    def on(self, port: int) -> Browser:
        """The same browser (its session cookie) pointed at the other host."""
        return Browser(port, self.cookies)


class FormFields(HTMLParser):
    """The values a browser would submit from the page's form with `id`: inputs (checked
    boxes only), selected options and text areas."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") not in {"checkbox", "radio"} or "checked" in a:
                self.fields.append((a["name"], a.get("value", "on")))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields.append((a["name"], ""))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_on(page: Page, form_id: str) -> dict[str, list[str]]:
    parser = FormFields(form_id)
    parser.feed(page.text)
    fields: dict[str, list[str]] = {}
    for name, value in parser.fields:
        fields.setdefault(name, []).append(value)
    return fields


def events_shown(page: Page) -> int:
    found = re.search(r"All events \((\d+)\)", page.text)
    assert found, "the child page shows no count of events"
    return int(found[1])


@pytest.fixture
def people(council: Any) -> Any:
    """The council's personas with a password the servers check (PBKDF2, their default hasher),
    and an administrator who may use Django's admin."""
    hashed = make_password(PASSWORD, hasher="pbkdf2_sha256")
    for persona in vars(council).values():
        if hasattr(persona, "user_id"):
            User.objects.filter(pk=persona.user_id).update(password=hashed)
    admin = User.objects.create(
        username="admin.ashby",
        email="admin.ashby@council.invalid",
        password=hashed,
        is_staff=True,
        is_superuser=True,
    )
    # A superuser gives a code from an authenticator app after the password (two-factor).
    TOTPDevice.objects.create(user=admin, name="Authenticator app", key=ADMIN_APP_KEY.hex())
    return council


def test_a_change_through_one_host_is_seen_by_the_other_on_its_next_request(hosts, people):
    one, other = hosts
    child = f"/children/{people.child.pk}/"

    # An event recorded through one host shows on the other's next view of the child.
    iro = Browser(one)
    iro.sign_in(people.iro.user.username)
    iro_there = iro.on(other)
    before = events_shown(iro_there.get(child))  # the other host remembers the page
    assert events_shown(iro_there.get(child)) == before
    caseload = "/caseload/?mine=0&status=all"
    met_today = f"Met {time.strftime('%a %-d %b %Y')}"  # the visit this records
    assert met_today not in iro_there.get(caseload).text
    assert met_today not in iro_there.get(caseload).text  # and now from the other's memory
    recorded = iro.post(
        f"{child}events/new/", {"type": "cp_visit", "date": time.strftime("%d %m %Y")}
    )
    assert recorded.status == 302, "the event was not recorded"
    assert events_shown(iro_there.get(child)) == before + 1  # seen at once on the other host
    assert met_today in iro_there.get(caseload).text  # and on the caseload there (its version)

    # An allocation ended through one host: the IRO who held the child is refused on the other.
    manager = Browser(one)
    manager.sign_in(people.iro_team_manager.user.username)
    reallocated = manager.post(
        f"/allocation/{people.child.pk}/",
        {"iro": str(people.other_iro.pk), "reason": "Caseload balance", "confirm": "on"},
    )
    assert reallocated.status == 302, "the child was not reallocated"
    assert iro_there.get(child).status == 404  # the old IRO no longer sees the child there

    # A user deactivated through one host's admin is signed out on the other.
    worker = Browser(other)
    worker.sign_in(people.social_worker.user.username)
    assert worker.get("/caseload/").status == 200
    admin = Browser(one)
    admin.sign_in("admin.ashby")
    code = admin.post("/sign-in/code/", {"code": f"{TOTP(ADMIN_APP_KEY).token():06d}"})
    assert code.status == 302, "the administrator's code was refused"
    change = f"/admin/auth/user/{people.social_worker.user_id}/change/"
    fields = form_on(admin.get(change), "user_form")
    assert fields.pop("is_active") == ["on"]  # the box unticked
    saved = admin.request("POST", change, {**fields, "_save": "Save"})
    assert saved.status == 302, "the user was not deactivated"
    refused = worker.get("/caseload/")
    assert refused.status == 302 and refused.location.startswith("/sign-in/")  # refused

    # A sign-out on one host ends the session on the other.
    colleague = Browser(one)
    colleague.sign_in(people.other_social_worker.user.username)
    colleague_there = colleague.on(other)
    assert colleague_there.get("/caseload/").status == 200  # the other host reads the session
    session = colleague.cookies["sessionid"]
    assert colleague.post("/sign-out/", {}).status == 302
    gone = Browser(other, {"sessionid": session}).get("/caseload/")
    assert gone.status == 302 and gone.location.startswith("/sign-in/")  # refused there too
