"""Drafts and amendments of meeting records through the API, as the pages keep them: a draft
saved unchecked and completed later by the same rules; a completed record amended with a
reason, its events moved and the engine's deadlines with them; If-Match on every change."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEntry
from oversight.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_a_draft_is_kept_unchecked_then_completed_by_the_rules(meeting_api):
    made = meeting_api.send(
        "post", "/meetings/drafts", {"kind": "strategy", "values": {"date": "2026-11-02"}}
    )
    assert made.status_code == 201, made.content
    draft = made.json()
    assert (draft["status"], draft["values"], draft["events"]) == (
        "draft",
        {"date": "2026-11-02"},
        [],
    )
    assert "cp.icpc" not in [
        o["code"] for o in meeting_api.get("/obligations").json()["items"]
    ]  # no dates set
    url = f"/meetings/{draft['id']}"
    tag = meeting_api.get(url)["ETag"]
    refused = meeting_api.send(
        "post", f"{url}/completion", {"values": {"date": "2026-11-02"}}, HTTP_IF_MATCH=tag
    )
    assert refused.status_code == 422
    assert ["body", "values", "meeting_type"] in [e["loc"] for e in refused.json()["errors"]]
    done = meeting_api.send(
        "post", f"{url}/completion", {"values": {"meeting_type": "s47", "date": "2026-11-02"}},
        HTTP_IF_MATCH=tag,
    )  # fmt: skip
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed" and done.json()["id"] == draft["id"]
    assert meeting_api.icpc_due() == "2026-11-23"  # 15 working days after Monday 2 November
    again = meeting_api.send("put", f"{url}/draft", {"values": {}}, HTTP_IF_MATCH=done["ETag"])
    assert again.status_code == 409  # a completed record goes back to no draft


def test_a_draft_changed_needs_its_current_etag(meeting_api):
    made = meeting_api.send(
        "post", "/meetings/drafts", {"kind": "strategy", "values": {"date": "2026-11-02"}}
    )
    url = f"/meetings/{made.json()['id']}"
    assert meeting_api.send("put", f"{url}/draft", {"values": {}}).status_code == 428
    tag = meeting_api.get(url)["ETag"]
    first = meeting_api.send(
        "put", f"{url}/draft", {"values": {"date": "2026-11-03"}}, HTTP_IF_MATCH=tag
    )
    second = meeting_api.send(
        "put", f"{url}/draft", {"values": {"date": "2026-11-04"}}, HTTP_IF_MATCH=tag
    )
    assert (first.status_code, second.status_code) == (200, 412)
    assert Meeting.objects.get(pk=made.json()["id"]).typed == {"date": "2026-11-03"}


def test_a_draft_refuses_a_field_the_record_lacks_and_a_control_character(meeting_api):
    got = meeting_api.send(
        "post", "/meetings/drafts", {"kind": "strategy", "values": {"colour": "blue"}}
    )
    assert got.json()["errors"][0]["loc"] == ["body", "values", "colour"]
    control = meeting_api.send(
        "post", "/meetings/drafts", {"kind": "strategy", "values": {"decisions": "a\u0007"}}
    )
    assert ["body", "values", "decisions"] in [e["loc"] for e in control.json()["errors"]]
    assert not Meeting.objects.filter(child=meeting_api.child).exists()


def test_an_amendment_with_a_reason_moves_the_records_events_and_deadlines(meeting_api):
    made = meeting_api.send(
        "post",
        "/meetings",
        {"kind": "strategy", "values": {"meeting_type": "s47", "date": "2026-11-02"}},
    )
    assert made.status_code == 201, made.content
    url = f"/meetings/{made.json()['id']}"
    tag = made_tag = meeting_api.get(url)["ETag"]
    values = {"meeting_type": "s47", "date": "2026-11-03"}
    no_reason = meeting_api.send("patch", url, {"values": values}, HTTP_IF_MATCH=tag)
    assert no_reason.json()["errors"][0]["loc"] == ["body", "reason"]
    future = meeting_api.send(
        "patch",
        url,
        {"values": {**values, "date": "2026-11-23"}, "reason": "Typo"},
        HTTP_IF_MATCH=tag,
    )
    assert ["body", "values", "date"] in [e["loc"] for e in future.json()["errors"]]
    amended = meeting_api.send(
        "patch", url, {"values": values, "reason": "Held on the Tuesday"}, HTTP_IF_MATCH=tag
    )
    assert amended.status_code == 200, amended.content
    assert amended.json()["date"] == "2026-11-03"
    assert meeting_api.icpc_due() == "2026-11-24"  # 15 working days after Tuesday 3 November
    row = AuditEntry.objects.get(what="meeting.amended")
    assert row.reason == "Held on the Tuesday"
    stale = meeting_api.send(
        "patch", url, {"values": values, "reason": "Again"}, HTTP_IF_MATCH=made_tag
    )
    assert stale.status_code == 412


def test_a_draft_is_not_amended(meeting_api):
    made = meeting_api.send("post", "/meetings/drafts", {"kind": "strategy", "values": {}})
    url = f"/meetings/{made.json()['id']}"
    got = meeting_api.send(
        "patch", url, {"values": {}, "reason": "x"}, HTTP_IF_MATCH=meeting_api.get(url)["ETag"]
    )
    assert got.status_code == 409
