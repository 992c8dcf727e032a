"""The complaints log through the API, as its pages take it: recorded, listed with its filters,
read with its ETag, acknowledged and answered once each, a concern raised from a child's
complaint where the pack allows; the same refusals as the pages, naming the field; every view
audited naming the child; a retry with the same Idempotency-Key one complaint.

Today is Wed 13 January 2027. A complaint received Wed 23 December 2026 is to be acknowledged by
Wed 30 December and answered by Mon 11 January (Christmas Day, Boxing Day's substitute Mon 28
December and New Year's Day skipped)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.api.tests.steps import if_match
from oversight.audit.models import AuditEntry, ChildShown
from oversight.cases.constants import Role
from oversight.cases.factories import allocate, make_child
from oversight.complaints.models import Complaint
from oversight.escalations.models import Concern
from oversight.meetings.constants import Kind
from oversight.meetings.factories import make_meeting

pytestmark = pytest.mark.django_db

WED_13_JANUARY_2027 = dt.datetime(2027, 1, 13, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(WED_13_JANUARY_2027, tick=False):
        yield


def post(client, url, body, **headers):
    return client.post(
        url, body, content_type="application/json", **if_match(client, url, **headers), **headers
    )


def recorded(client, child, **overrides):
    body = {
        "complainant": "Jo Larkfield",
        "complainant_is": "parent",
        "received_on": "2026-12-23",
        "summary": "The chair did not let me speak",
        **overrides,
    }
    return post(client, f"/api/v1/children/{child.pk}/complaints", body)


def fields(got):
    return {tuple(e["loc"]): e["msg"] for e in got.json()["errors"]}


def test_recorded_acknowledged_and_answered_with_camdens_dates(client, line, use_pack):
    use_pack("camden")
    c = line.council
    client.force_login(c.iro.user)
    got = recorded(client, c.child)
    assert got.status_code == 201, got.content
    made = got.json()
    assert made["status"] == "received" and made["chair"] == c.iro.pk
    assert made["deadlines"] == [
        # Wed 23 Dec + 3 working days, Christmas Day and Mon 28 December skipped
        {"code": "complaint.acknowledge", "due": "2026-12-30", "status": "overdue", "met_on": None},
        # + 10 working days, New Year's Day skipped too
        {"code": "complaint.response", "due": "2027-01-11", "status": "overdue", "met_on": None},
    ]
    url = f"/api/v1/complaints/{made['id']}"
    read = client.get(url)
    assert read.status_code == 200 and read.json() == made
    assert client.get(url, HTTP_IF_NONE_MATCH=read["ETag"]).status_code == 304

    acknowledged = post(client, f"{url}/acknowledgement", {"on": "2027-01-04"})
    assert acknowledged.status_code == 200, acknowledged.content
    assert acknowledged.json()["status"] == "acknowledged"
    assert acknowledged.json()["deadlines"][0]["met_on"] == "2027-01-04"  # late: Mon 4 January
    assert client.get(url)["ETag"] != read["ETag"]  # a new version
    again = post(client, f"{url}/acknowledgement", {"on": "2027-01-05"})
    assert again.status_code == 422
    assert fields(again) == {("body", "on"): "This complaint has already been acknowledged"}

    answered = post(
        client,
        f"{url}/response",
        {"on": "2027-01-12", "outcome": "partly_upheld", "response": "An apology"},
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "answered"
    assert answered.json()["outcome"] == "partly_upheld"
    assert answered.json()["deadlines"][1] == {
        "code": "complaint.response",
        "due": "2027-01-11",
        "status": "met",
        "met_on": "2027-01-12",  # a day late
    }
    assert Complaint.objects.get().answered_on == dt.date(2027, 1, 12)


def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(client, line, use_pack):
    use_pack("england")
    c = line.council
    client.force_login(c.iro.user)
    future = recorded(client, c.child, received_on="2027-01-14")
    assert future.status_code == 422
    assert fields(future) == {("body", "received_on"): "The date cannot be in the future"}
    who = recorded(client, c.child, complainant_is="neighbour")
    assert fields(who) == {("body", "complainant_is"): "Choose who complained"}
    missing = post(client, f"/api/v1/children/{c.child.pk}/complaints", {"complainant": "Jo"})
    assert {("body", "received_on"), ("body", "summary")} <= set(fields(missing))
    elsewhere = recorded(client, c.child, meeting=999999)
    assert fields(elsewhere) == {("body", "meeting"): "Choose a conference of this child"}
    strategy = make_meeting(c.child, kind=Kind.STRATEGY, date=dt.date(2026, 12, 17))
    not_a_conference = recorded(client, c.child, meeting=strategy.pk)
    assert fields(not_a_conference) == {("body", "meeting"): "Choose a conference of this child"}
    assert not Complaint.objects.exists()
    assert not c.child.events.filter(type="complaint_received").exists()

    complaint = recorded(client, c.child).json()["id"]
    wrong = post(
        client,
        f"/api/v1/complaints/{complaint}/response",
        {"on": "2026-12-22", "outcome": "maybe", "response": " "},
    )
    assert fields(wrong) == {("body", "on"): "The response cannot be before the complaint"}
    wrong = post(
        client,
        f"/api/v1/complaints/{complaint}/response",
        {"on": "2027-01-12", "outcome": "maybe", "response": " "},
    )
    assert fields(wrong) == {
        ("body", "outcome"): "Choose whether the complaint was upheld",
        ("body", "response"): "Enter the response",
    }
    assert Complaint.objects.get().answered_on is None


def test_the_same_access_as_the_pages_and_each_view_audited(client, line, use_pack):
    use_pack("england")
    c = line.council
    client.force_login(c.iro.user)
    complaint = recorded(client, c.child).json()["id"]

    client.force_login(c.other_iro.user)  # another IRO team's: no such complaint
    assert client.get(f"/api/v1/complaints/{complaint}").status_code == 404
    ack = post(client, f"/api/v1/complaints/{complaint}/acknowledgement", {"on": "2027-01-04"})
    assert ack.status_code == 404
    assert client.get("/api/v1/complaints").json() == {"items": [], "next": None}
    assert recorded(client, c.child).status_code == 404

    client.force_login(c.auditor.user)  # reads every record, changes none
    assert client.get(f"/api/v1/complaints/{complaint}").status_code == 200
    ack = post(client, f"/api/v1/complaints/{complaint}/acknowledgement", {"on": "2027-01-04"})
    assert ack.status_code == 403
    assert Complaint.objects.get().acknowledged_on is None

    client.force_login(c.social_worker.user)
    before = AuditEntry.objects.count()
    listed = client.get("/api/v1/complaints")
    assert [row["id"] for row in listed.json()["items"]] == [complaint]
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-id")[0]
    assert entry.what == "api.complaints.listed"
    assert list(ChildShown.objects.filter(entry=entry).values_list("child_id", flat=True)) == [
        c.child.pk
    ]


def test_the_filters_child_status_and_due_window(client, line, use_pack):
    use_pack("england")
    c = line.council
    alfie = make_child(reference="C1000009", first_name="Alfie", last_name="Larkfield")
    allocate(alfie, c.iro, Role.IRO, dt.date(2025, 9, 1))
    client.force_login(c.iro.user)
    december = recorded(client, c.child).json()["id"]  # ack by Wed 30 Dec, answer Mon 11 Jan
    # received Mon 11 Jan: acknowledge by Thu 14 Jan, answer by Mon 25 Jan
    january = recorded(client, c.child, received_on="2027-01-11").json()["id"]
    sibling = recorded(client, alfie, received_on="2027-01-11").json()["id"]
    post(client, f"/api/v1/complaints/{december}/acknowledgement", {"on": "2026-12-29"})

    def ids(query):
        got = client.get(f"/api/v1/complaints?{query}")
        assert got.status_code == 200, got.content
        return [row["id"] for row in got.json()["items"]]

    assert ids(f"child={c.child.pk}") == [december, january]
    assert ids("status=acknowledged") == [december]
    assert ids("status=received") == [january, sibling]
    # an open deadline from Tue 12 to Fri 15 January: the acknowledgements due Thu 14 January
    assert ids("due_from=2027-01-12&due_to=2027-01-15") == [january, sibling]
    # the December complaint's answer, due Mon 11 January, is still open (its acknowledgement met)
    assert ids("due_to=2027-01-11") == [december]
    assert ids("limit=2")[:2] == [december, january]
    page = client.get("/api/v1/complaints?limit=2").json()
    assert [r["id"] for r in client.get(f"/api/v1/complaints?cursor={page['next']}").json()[
        "items"
    ]] == [sibling]  # fmt: skip
    assert client.get("/api/v1/complaints?status=lost").status_code == 400
    bad = client.get("/api/v1/complaints?due_from=2027-01-15&due_to=2027-01-12")
    assert bad.status_code == 400


def test_manchester_raises_a_concern_from_the_childs_complaint_once(client, line, use_pack):
    use_pack("manchester")
    c = line.council
    client.force_login(c.iro.user)
    childs = recorded(client, c.child, complainant="Poppy Larkfield", complainant_is="child")
    parents = recorded(client, c.child).json()["id"]
    refused = post(client, f"/api/v1/complaints/{parents}/concern", {"issue": "Not heard"})
    assert fields(refused) == {
        ("body", "issue"): "This council does not escalate from such a complaint"
    }
    url = f"/api/v1/complaints/{childs.json()['id']}/concern"
    raised = post(client, url, {"issue": "School move not discussed", "impact": "Upset"})
    assert raised.status_code == 201, raised.content
    concern = Concern.objects.get()
    assert raised.json()["concern"] == concern.pk and concern.issue == "School move not discussed"
    again = post(client, url, {"issue": "Again"})
    assert fields(again) == {
        ("body", "issue"): "A concern has already been raised from this complaint"
    }
    assert Concern.objects.count() == 1


def test_a_retry_with_the_same_idempotency_key_is_one_complaint(client, line, use_pack):
    use_pack("england")
    c = line.council
    client.force_login(c.iro.user)
    body = {
        "complainant": "Jo Larkfield",
        "complainant_is": "parent",
        "received_on": "2026-12-23",
        "summary": "Not heard",
    }
    url = f"/api/v1/children/{c.child.pk}/complaints"
    first = post(client, url, body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(client, url, body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Complaint.objects.count() == 1
    ack = f"/api/v1/complaints/{first.json()['id']}/acknowledgement"
    assert post(client, ack, {"on": "2026-12-24"}, HTTP_IDEMPOTENCY_KEY="k-2").status_code == 200
    replay = post(client, ack, {"on": "2026-12-24"}, HTTP_IDEMPOTENCY_KEY="k-2")
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"


def test_a_tokens_complaint_is_audited_by_the_actions_own_rows_naming_the_token(client, line):
    from oversight.api.tests.test_tokens import bearer, make

    c = line.council
    secret = make(c).secret
    before = max(AuditEntry.objects.values_list("pk", flat=True), default=0)
    url = f"/api/v1/children/{c.child.pk}/complaints"
    body = {
        "complainant": "Jo Larkfield",
        "complainant_is": "parent",
        "received_on": "2026-12-23",
        "summary": "Not heard",
    }
    got = client.post(url, body, content_type="application/json", **bearer(secret))
    assert got.status_code == 201, got.content
    rows = AuditEntry.objects.filter(pk__gt=before).order_by("pk")
    # the chronology's event and the complaint's own row; no third row for the call
    assert [(r.what, r.via, r.path, r.child_id) for r in rows] == [
        ("event.recorded", "API token: Mosaic bridge", url, c.child.pk),
        ("complaint.recorded", "API token: Mosaic bridge", url, c.child.pk),
    ]
