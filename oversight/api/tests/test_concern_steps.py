"""Every step the escalation record's pages offer, through the API, with the same refusals:
the warning, an extension, Cafcass and legal advice, the stage meeting, the challenge meeting's
agenda and outcome; the record and its history read."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.api.tests.steps import if_match
from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.cases.models import Obligation
from oversight.escalations.models import Concern, Step

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def thursday_3_december_2026():
    """Today, unless a test travels on (time_machine nests)."""
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False):
        yield


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json", **if_match(client, url))


def raised(client, c, **body):
    client.force_login(c.iro.user)
    got = post(
        client,
        f"/api/v1/children/{c.child.pk}/concerns",
        {"issue": "Report not shared", "impact": "Parents unprepared", **body},
    )
    assert got.status_code == 201, got.content
    return got.json()["id"]


def test_camdens_warning_once_then_refused(client, line, use_pack):
    use_pack("camden")
    c = line.council
    with time_machine.travel(dt.datetime(2027, 6, 7, 10, tzinfo=dt.UTC), tick=False):
        concern = raised(client, c)
        warned = post(client, f"/api/v1/concerns/{concern}/warning")
        assert warned.status_code == 201, warned.content
        final = next(d for d in warned.json()["deadlines"] if d["code"] == "esc.informal.final")
        assert final["due"] == "2027-06-21"  # Monday 7 June + 10 working days: Monday 21 June
        again = post(client, f"/api/v1/concerns/{concern}/warning")
        assert again.status_code == 422
        assert "already been given" in again.json()["errors"][0]["msg"]
    assert Step.objects.filter(concern_id=concern, kind="warning").count() == 1


def test_a_social_worker_may_not_warn_and_england_has_no_warning(client, line, use_pack):
    use_pack("england")
    c = line.council
    concern = raised(client, c)
    none = post(client, f"/api/v1/concerns/{concern}/warning")
    assert none.status_code == 422  # the england ladder has no warning step
    client.force_login(c.social_worker.user)
    assert post(client, f"/api/v1/concerns/{concern}/warning").status_code == 403


def test_an_extension_needs_a_later_date_and_moves_the_deadline(client, line, use_pack):
    use_pack("england")
    c = line.council
    with time_machine.travel(dt.datetime(2027, 3, 9, 10, tzinfo=dt.UTC), tick=False):
        concern = raised(client, c)
        notice = post(client, f"/api/v1/concerns/{concern}/notices", {"stage": 1})
        assert notice.status_code == 201, notice.content
    url = f"/api/v1/concerns/{concern}/extension"
    with time_machine.travel(dt.datetime(2027, 3, 12, 10, tzinfo=dt.UTC), tick=False):
        earlier = post(client, url, {"respond_by": "2027-03-15", "reason": "Leave"})
        assert earlier.status_code == 422
        assert earlier.json()["errors"][0]["loc"] == ["body", "respond_by"]
        client.force_login(c.team_manager.user)  # the addressee may not move their own deadline
        refused = post(client, url, {"respond_by": "2027-03-23", "reason": "Leave"})
        assert refused.status_code == 403
        client.force_login(c.iro.user)
        moved = post(client, url, {"respond_by": "2027-03-23", "reason": "Manager on leave"})
        assert moved.status_code == 200, moved.content
    due = Obligation.objects.get(code="esc.stage.response", child=c.child).due
    assert due == dt.date(2027, 3, 23)  # Tuesday 23 March, not Tuesday 16 March


def test_cafcass_only_for_a_looked_after_child_and_legal_advice(client, line, use_pack):
    use_pack("england")
    c = line.council
    concern = raised(client, c)
    url = f"/api/v1/concerns/{concern}/referrals"
    refused = post(client, url, {"kind": "cafcass", "grounds": "Plan drifting"})
    assert refused.status_code in (403, 422)
    assert "Only a looked-after child" in refused.content.decode()
    record_event(c.child, EventType.LAC_START, dt.date(2026, 11, 2))
    unknown = post(client, url, {"kind": "cafcass", "grounds": "g", "consulted": 999999})
    assert unknown.json()["errors"][0]["loc"] == ["body", "consulted"]
    referred = post(client, url, {"kind": "cafcass", "grounds": "Plan drifting"})
    assert referred.status_code == 201, referred.content
    kinds = [s["kind"] for s in client.get(f"/api/v1/concerns/{concern}/history").json()["items"]]
    assert kinds == ["raised", "cafcass"]


def test_walsalls_stage_meeting_is_recorded_with_its_attendees(client, line, use_pack):
    use_pack("walsall")
    c = line.council
    record_event(c.child, EventType.LAC_START, dt.date(2027, 1, 4))
    with time_machine.travel(dt.datetime(2027, 3, 17, 10, tzinfo=dt.UTC), tick=False):
        concern = raised(client, c, ladder="iro")
        for stage in (1, 2):
            notice = post(client, f"/api/v1/concerns/{concern}/notices", {"stage": stage})
            assert notice.status_code == 201, notice.content
    url = f"/api/v1/concerns/{concern}/stage-meeting"
    body = {"held_on": "2027-03-22", "attendees": ["Sol Ibbotson"], "outcome": "Plan by Friday"}
    with time_machine.travel(dt.datetime(2027, 3, 23, 10, tzinfo=dt.UTC), tick=False):
        empty = post(client, url, {**body, "attendees": [""]})
        assert empty.json()["errors"][0]["loc"] == ["body", "attendees", 0]
        held = post(client, url, body)
        assert held.status_code == 201, held.content
        history = client.get(f"/api/v1/concerns/{concern}/history").json()["items"]
    meeting = history[-1]
    assert (meeting["kind"], meeting["on"], meeting["stage"]) == ("stage_meeting", "2027-03-22", 2)
    assert meeting["stage_name"].startswith("Stage 2")
    assert meeting["data"]["attendees"] == ["Sol Ibbotson"]


def test_the_challenge_meetings_agenda_and_outcome(client, line, use_pack):
    use_pack("england")
    c = line.council
    concern = raised(client, c)
    url = f"/api/v1/concerns/{concern}/agenda"
    put = client.put(
        url, {"on_agenda": True}, content_type="application/json", **if_match(client, url)
    )
    assert put.status_code == 200 and put.json()["on_agenda"] is True
    blank = post(client, f"/api/v1/concerns/{concern}/meeting-outcome", {"outcome": ""})
    assert blank.json()["errors"][0]["loc"] == ["body", "outcome"]
    decided = post(client, f"/api/v1/concerns/{concern}/meeting-outcome", {"outcome": "Escalate"})
    assert decided.status_code == 201
    assert decided.json()["on_agenda"] is False
    client.force_login(c.social_worker.user)
    refused = client.put(
        url, {"on_agenda": True}, content_type="application/json", **if_match(client, url)
    )
    assert refused.status_code == 403
    assert not Concern.objects.get(pk=concern).on_agenda


def test_the_record_and_the_childs_concerns_read_and_audited(client, line, use_pack):
    use_pack("england")
    c = line.council
    concern = raised(client, c)
    got = client.get(f"/api/v1/concerns/{concern}")
    assert got.status_code == 200 and got["ETag"]
    assert got.json()["stage_label"]
    listed = client.get(f"/api/v1/children/{c.child.pk}/concerns").json()["items"]
    assert [x["id"] for x in listed] == [concern]
    client.force_login(c.other_iro.user)
    assert client.get(f"/api/v1/concerns/{concern}/history").status_code == 404
