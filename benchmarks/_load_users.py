"""The simulated staff of `benchmarks/load.py`, for locust (`locust -f benchmarks/_load_users.py`):
each user is an IRO of the demo council, signed in with a session `load.py` made, who opens
their caseload and their children's pages, records visits and opens meeting forms, and now and
then reads the reports (as a manager) and the API. The weights are the issue's mix: 70% caseload
and child pages, 20% recording events and meeting forms, 10% reports and API reads.

`OVERSIGHT_LOAD_TARGETS` names the JSON file of sessions and children; `OVERSIGHT_LOAD_LOG` the
file where each request's outcome is written, one JSON line each (its app server, status, time
and whether it failed): locust's own log of what was acknowledged, which `load.py` checks against
the database afterwards, and the figures of each app server. A request succeeded, or failed
cleanly with a 503 (the database went away), or failed: anything else.
`OVERSIGHT_LOAD_SERVERS` (comma-separated base URLs, `load.py --servers`) spreads the users over
several app servers, each user on one in turn, as a load balancer would; without it, locust's
`--host` alone."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task
from locust.clients import HttpSession

TARGETS: dict[str, Any] = json.loads(Path(os.environ["OVERSIGHT_LOAD_TARGETS"]).read_text())
LOG = open(os.environ["OVERSIGHT_LOAD_LOG"], "a", buffering=1)  # noqa: SIM115 - for the run
SEATS = itertools.count()
SERVERS = [s for s in os.environ.get("OVERSIGHT_LOAD_SERVERS", "").split(",") if s]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.request.add_listener
def _logged(
    request_type: str,
    name: str,
    response: Any,
    exception: Any,
    response_time: float,
    url: str = "",
    **_: Any,
) -> None:
    status = getattr(response, "status_code", 0) if response is not None else 0
    LOG.write(json.dumps({"method": request_type, "name": name, "status": status,
                          "server": urlsplit(url).netloc,
                          "ms": response_time, "failed": exception is not None,
                          "error": repr(exception) if exception and not status else ""}) + "\n")  # fmt: skip


class Iro(HttpUser):
    wait_time = between(0.5, 1.5)  # a person reads a page before the next

    def on_start(self) -> None:
        seat = next(SEATS)
        iros = TARGETS["iros"]
        self.me = iros[seat % len(iros)]
        if SERVERS:
            self.client.base_url = SERVERS[seat % len(SERVERS)]
        self.client.cookies.set("sessionid", self.me["session"])
        # The manager's own browser: a session cookie the server renews never lands in the IRO's.
        self.manager = HttpSession(self.client.base_url, self.environment.events.request, self)
        self.manager.cookies.set("sessionid", TARGETS["manager"]["session"])
        self.today = dt.date.fromisoformat(TARGETS["today"])

    def child(self) -> int:
        chosen: int = random.choice(self.me["children"])
        return chosen

    def get(self, path: str, name: str, *, client: HttpSession | None = None) -> None:
        with (client or self.client).get(path, name=name, allow_redirects=False,
                                         catch_response=True) as response:  # fmt: skip
            if response.status_code == 200:
                response.success()
            else:
                response.failure(f"{response.status_code}")

    @task(35)
    def caseload(self) -> None:
        self.get("/caseload/", "My caseload")

    @task(35)
    def child_page(self) -> None:
        self.get(f"/children/{self.child()}/", "child page")

    @task(10)
    def record_visit(self) -> None:
        """A visit recorded through the event form: the form's page, then the post (302 when
        recorded). An acknowledged visit is logged with its child for the check afterwards."""
        child = self.child()
        form = self.client.get(f"/children/{child}/events/new/", name="event form")
        token = CSRF.search(form.text) if form.status_code == 200 else None
        if token is None:
            return
        with self.client.post(
            f"/children/{child}/events/new/",
            data={
                "csrfmiddlewaretoken": token[1],
                "type": "cp_visit",
                "date": self.today.strftime("%d %m %Y"),
            },
            name="record a visit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                response.success()
                LOG.write(json.dumps({"acknowledged": "cp_visit", "child": child}) + "\n")
            else:
                response.failure(f"{response.status_code}")

    @task(10)
    def meeting_form(self) -> None:
        self.get(f"/children/{self.child()}/meetings/booking/new/", "meeting form")

    @task(5)
    def reports(self) -> None:
        self.get("/reports/", "reports dashboard", client=self.manager)

    @task(5)
    def api(self) -> None:
        self.get(f"/api/v1/children/{self.child()}/obligations", "API: obligations")
