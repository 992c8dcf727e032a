"""The escalation tests' management line and pack switch, for the concern endpoints; and one
child's meetings through the API with the IRO's token (`meeting_api`), for the meeting tests."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from oversight.escalations.tests.conftest import line, use_pack

__all__ = ["line", "use_pack"]

# Friday 20 November 2026, 3pm: the day of the meeting tests' ICPC.
FRI = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)


class MeetingApi:
    """Calls under `/api/v1/children/<child>` with the IRO's read-write token."""

    def __init__(self, client: Any, secret: str, child: Any, social_worker: Any) -> None:
        self.client = client
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        self.child = child
        self.social_worker = social_worker
        self.base = f"/api/v1/children/{child.pk}"

    def get(self, url: str) -> Any:
        return self.client.get(f"{self.base}{url}", **self.auth)

    def send(self, method: str, url: str, body: Any, **headers: Any) -> Any:
        return getattr(self.client, method)(
            f"{self.base}{url}", json.dumps(body), content_type="application/json", **self.auth,
            **headers,
        )  # fmt: skip

    def record(self, kind: str, values: dict[str, Any], **headers: Any) -> Any:
        """POST one meeting record of `kind`."""
        return self.send("post", "/meetings", {"kind": kind, "values": values}, **headers)

    def icpc_due(self) -> str:
        found = self.get("/obligations").json()["items"]
        return next(o["due"] for o in found if o["code"] == "cp.icpc")


@pytest.fixture
def meeting_api(client: Any, council: Any) -> Iterator[MeetingApi]:
    """A child with the council's IRO and social worker allocated since Sun 1 November 2026, the
    IRO's token, and the clock at Fri 20 November 2026, 3pm."""
    from oversight.api import tokens
    from oversight.cases.constants import Role
    from oversight.cases.factories import allocate, make_child

    child = make_child(
        reference="C3000001", first_name="Ivy", last_name="Moorcroft",
        date_of_birth=dt.date(2018, 4, 2),
    )  # fmt: skip
    allocate(child, council.iro, Role.IRO, dt.date(2026, 11, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 11, 1))
    secret = tokens.issue(
        name="Mosaic", user=council.iro.user, read_only=False, expires_on=None,
        acting_user=council.administrator.user,
    ).secret  # fmt: skip
    with time_machine.travel(FRI, tick=False):
        yield MeetingApi(client, secret, child, council.social_worker)
