"""Drafts and amendments of meeting records through the API, as the pages keep them: a draft
saved unchecked and completed later by the same rules; a completed record amended with a
reason, its events moved and the engine's deadlines with them; If-Match on every change."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from oversight.api import tokens
from oversight.audit.models import AuditEntry
from oversight.cases.constants import Role
from oversight.cases.factories import allocate, make_child
from oversight.meetings.models import Meeting

pytestmark = pytest.mark.django_db

# Friday 20 November 2026.
FRI = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def api(client, council):
    child = make_child(
        reference="C3000002", first_name="Wren", last_name="Hollins",
        date_of_birth=dt.date(2017, 6, 9),
    )  # fmt: skip
    allocate(child, council.iro, Role.IRO, dt.date(2026, 11, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 11, 1))
    secret = tokens.issue(
        name="Mosaic", user=council.iro.user, read_only=False, expires_on=None,
        acting_user=council.administrator.user,
    ).secret  # fmt: skip
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    class Api:
        base = f"/api/v1/children/{child.pk}"

        def get(self, url):
            return client.get(f"{self.base}{url}", **auth)

        def send(self, method, url, body, **headers):
            return getattr(client, method)(
                f"{self.base}{url}", json.dumps(body), content_type="application/json", **auth,
                **headers,
            )  # fmt: skip

        def icpc_due(self):
            found = self.get("/obligations").json()
            return next(o["due"] for o in found if o["code"] == "cp.icpc")

    Api.child = child  # type: ignore[attr-defined]
    with time_machine.travel(FRI, tick=False):
        yield Api()


def test_a_draft_is_kept_unchecked_then_completed_by_the_rules(api):
    made = api.send(
        "post", "/meetings/drafts", {"kind": "strategy", "values": {"date": "2026-11-02"}}
    )
    assert made.status_code == 201, made.content
    draft = made.json()
    assert (draft["status"], draft["values"], draft["events"]) == (
        "draft",
        {"date": "2026-11-02"},
        [],
    )
    assert "cp.icpc" not in [o["code"] for o in api.get("/obligations").json()]  # no dates set
    url = f"/meetings/{draft['id']}"
    tag = api.get(url)["ETag"]
    refused = api.send(
        "post", f"{url}/completion", {"values": {"date": "2026-11-02"}}, HTTP_IF_MATCH=tag
    )
    assert refused.status_code == 422
    assert ["body", "values", "meeting_type"] in [e["loc"] for e in refused.json()["errors"]]
    done = api.send(
        "post", f"{url}/completion", {"values": {"meeting_type": "s47", "date": "2026-11-02"}},
        HTTP_IF_MATCH=tag,
    )  # fmt: skip
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed" and done.json()["id"] == draft["id"]
    assert api.icpc_due() == "2026-11-23"  # 15 working days after Monday 2 November
    again = api.send("put", f"{url}/draft", {"values": {}}, HTTP_IF_MATCH=done["ETag"])
    assert again.status_code == 409  # a completed record goes back to no draft


def test_a_draft_changed_needs_its_current_etag(api):
    made = api.send(
        "post", "/meetings/drafts", {"kind": "strategy", "values": {"date": "2026-11-02"}}
    )
    url = f"/meetings/{made.json()['id']}"
    assert api.send("put", f"{url}/draft", {"values": {}}).status_code == 428
    tag = api.get(url)["ETag"]
    first = api.send("put", f"{url}/draft", {"values": {"date": "2026-11-03"}}, HTTP_IF_MATCH=tag)
    second = api.send("put", f"{url}/draft", {"values": {"date": "2026-11-04"}}, HTTP_IF_MATCH=tag)
    assert (first.status_code, second.status_code) == (200, 412)
    assert Meeting.objects.get(pk=made.json()["id"]).typed == {"date": "2026-11-03"}


def test_a_draft_refuses_a_field_the_record_lacks_and_a_control_character(api):
    got = api.send("post", "/meetings/drafts", {"kind": "strategy", "values": {"colour": "blue"}})
    assert got.json()["errors"][0]["loc"] == ["body", "values", "colour"]
    control = api.send(
        "post", "/meetings/drafts", {"kind": "strategy", "values": {"decisions": "a\u0007"}}
    )
    assert ["body", "values", "decisions"] in [e["loc"] for e in control.json()["errors"]]
    assert not Meeting.objects.filter(child=api.child).exists()


def test_an_amendment_with_a_reason_moves_the_records_events_and_deadlines(api):
    made = api.send(
        "post",
        "/meetings",
        {"kind": "strategy", "values": {"meeting_type": "s47", "date": "2026-11-02"}},
    )
    assert made.status_code == 201, made.content
    url = f"/meetings/{made.json()['id']}"
    tag = made_tag = api.get(url)["ETag"]
    values = {"meeting_type": "s47", "date": "2026-11-03"}
    no_reason = api.send("patch", url, {"values": values}, HTTP_IF_MATCH=tag)
    assert no_reason.json()["errors"][0]["loc"] == ["body", "reason"]
    future = api.send(
        "patch",
        url,
        {"values": {**values, "date": "2026-11-23"}, "reason": "Typo"},
        HTTP_IF_MATCH=tag,
    )
    assert ["body", "values", "date"] in [e["loc"] for e in future.json()["errors"]]
    amended = api.send(
        "patch", url, {"values": values, "reason": "Held on the Tuesday"}, HTTP_IF_MATCH=tag
    )
    assert amended.status_code == 200, amended.content
    assert amended.json()["date"] == "2026-11-03"
    assert api.icpc_due() == "2026-11-24"  # 15 working days after Tuesday 3 November
    row = AuditEntry.objects.get(what="meeting.amended")
    assert row.reason == "Held on the Tuesday"
    stale = api.send("patch", url, {"values": values, "reason": "Again"}, HTTP_IF_MATCH=made_tag)
    assert stale.status_code == 412


def test_a_draft_is_not_amended(api):
    made = api.send("post", "/meetings/drafts", {"kind": "strategy", "values": {}})
    url = f"/meetings/{made.json()['id']}"
    got = api.send("patch", url, {"values": {}, "reason": "x"}, HTTP_IF_MATCH=api.get(url)["ETag"])
    assert got.status_code == 409
