"""`Idempotency-Key` on every POST that is a step of a concern (raise, respond, notice, resolve,
the warning, an extension, a referral, the stage meeting, the challenge meeting's outcome) and on
completing a meeting's draft: the same key and body twice make one step and answer the first
answer again; the same key with another body is refused (422) and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.api.tests.steps import if_match
from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.escalations.models import Concern, Step
from oversight.meetings.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def thursday_3_december_2026():
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False):
        yield


def post(client, url, body, key="", **headers):
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(
        url, body, content_type="application/json", **if_match(client, url, **headers), **headers
    )


def once(client, url, body, other, *, key):
    """`body` sent twice with `key`, then `other` with it: the first answer twice, then 422."""
    first = post(client, url, body, key)
    assert first.status_code in (200, 201), first.content
    again = post(client, url, body, key)
    assert again.status_code == first.status_code
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    reused = post(client, url, other, key)
    assert reused.status_code == 422
    assert "Idempotency-Key" in reused.json()["detail"]
    return first.json()


def raised(client, c, **body):
    client.force_login(c.iro.user)
    url = f"/api/v1/children/{c.child.pk}/concerns"
    got = post(client, url, {"issue": "Report not shared", "impact": "Parents unprepared", **body})
    assert got.status_code == 201, got.content
    return got.json()["id"]


def steps(concern, kind):
    return Step.objects.filter(concern_id=concern, kind=kind).count()


def test_a_concern_raised_twice_with_one_key_is_one_concern(client, line, use_pack):
    use_pack("england")
    c = line.council
    client.force_login(c.iro.user)
    url = f"/api/v1/children/{c.child.pk}/concerns"
    body = {"issue": "Core group not held", "impact": "No plan"}
    made = once(client, url, body, {**body, "issue": "Visits missed"}, key="mosaic-concern-1")
    assert list(Concern.objects.filter(child=c.child).values_list("pk", flat=True)) == [made["id"]]
    assert not Concern.objects.filter(issue="Visits missed").exists()


def test_a_response_a_notice_and_the_resolution_each_once(client, line, use_pack):
    use_pack("england")
    c = line.council
    concern = raised(client, c)
    client.force_login(c.team_manager.user)
    once(
        client,
        f"/api/v1/concerns/{concern}/responses",
        {"accepted": False, "reasons": "Held"},
        {"accepted": True},
        key="response-1",
    )
    assert steps(concern, "response") == 1
    client.force_login(c.iro.user)
    noticed = once(
        client, f"/api/v1/concerns/{concern}/notices", {"stage": 1}, {"stage": 2}, key="notice-1"
    )
    assert noticed["stage"] == 1
    assert steps(concern, "notice") == 1
    resolved = once(
        client,
        f"/api/v1/concerns/{concern}/resolution",
        {"outcome": "Agreed"},
        {"outcome": "Withdrawn"},
        key="resolution-1",
    )
    assert resolved["status"] == "resolved"
    assert steps(concern, "resolved") == 1
    assert Concern.objects.get(pk=concern).outcome == "Agreed"


def test_camdens_warning_retried_is_not_refused_as_already_given(client, line, use_pack):
    use_pack("camden")
    c = line.council
    with time_machine.travel(dt.datetime(2027, 6, 7, 10, tzinfo=dt.UTC), tick=False):
        concern = raised(client, c)
        # without the key the second warning is refused (422); with it, the first answer again
        once(client, f"/api/v1/concerns/{concern}/warning", {}, {"again": True}, key="warn-1")
    assert steps(concern, "warning") == 1


def test_an_extension_retried_moves_the_deadline_once(client, line, use_pack):
    use_pack("england")
    c = line.council
    with time_machine.travel(dt.datetime(2027, 3, 9, 10, tzinfo=dt.UTC), tick=False):
        concern = raised(client, c)
        assert post(client, f"/api/v1/concerns/{concern}/notices", {"stage": 1}).status_code == 201
    with time_machine.travel(dt.datetime(2027, 3, 12, 10, tzinfo=dt.UTC), tick=False):
        once(
            client,
            f"/api/v1/concerns/{concern}/extension",
            {"respond_by": "2027-03-23", "reason": "Manager on leave"},
            {"respond_by": "2027-03-24", "reason": "Manager on leave"},
            key="extend-1",
        )
    assert steps(concern, "extended") == 1
    due = c.child.obligations.get(code="esc.stage.response").due
    assert due == dt.date(2027, 3, 23)  # not Wednesday 24 March, the refused second body


def test_a_referral_retried_is_one_referral(client, line, use_pack):
    use_pack("england")
    c = line.council
    concern = raised(client, c)
    record_event(c.child, EventType.LAC_START, dt.date(2026, 11, 2))
    url = f"/api/v1/concerns/{concern}/referrals"
    cafcass = {"kind": "cafcass", "grounds": "Plan drifting"}
    once(client, url, cafcass, {**cafcass, "kind": "legal_advice"}, key="refer-1")
    assert (steps(concern, "cafcass"), steps(concern, "legal_advice")) == (1, 0)


def test_walsalls_stage_meeting_retried_is_one_meeting(client, line, use_pack):
    use_pack("walsall")
    c = line.council
    record_event(c.child, EventType.LAC_START, dt.date(2027, 1, 4))
    with time_machine.travel(dt.datetime(2027, 3, 17, 10, tzinfo=dt.UTC), tick=False):
        concern = raised(client, c, ladder="iro")
        for stage in (1, 2):
            notice = post(client, f"/api/v1/concerns/{concern}/notices", {"stage": stage})
            assert notice.status_code == 201, notice.content
    body = {"held_on": "2027-03-22", "attendees": ["Sol Ibbotson"], "outcome": "Plan by Friday"}
    with time_machine.travel(dt.datetime(2027, 3, 23, 10, tzinfo=dt.UTC), tick=False):
        url = f"/api/v1/concerns/{concern}/stage-meeting"
        once(client, url, body, {**body, "held_on": "2027-03-19"}, key="stage-meeting-1")
    held = Step.objects.get(concern_id=concern, kind="stage_meeting")
    assert held.on == dt.date(2027, 3, 22)


def test_the_challenge_meetings_outcome_retried_is_one_outcome(client, line, use_pack):
    use_pack("england")
    c = line.council
    concern = raised(client, c)
    url = f"/api/v1/concerns/{concern}/meeting-outcome"
    once(client, url, {"outcome": "Escalate"}, {"outcome": "Close"}, key="outcome-1")
    assert list(Step.objects.filter(concern_id=concern, kind="meeting").values_list("text")) == [
        ("Escalate",)
    ]


def test_a_key_is_the_callers_own_and_the_paths(client, line, use_pack):
    """The same key on another concern's step is another request: refused, nothing made."""
    use_pack("england")
    c = line.council
    first, second = raised(client, c), raised(client, c, issue="Visits missed")
    body = {"outcome": "Escalate"}
    assert post(client, f"/api/v1/concerns/{first}/meeting-outcome", body, "k").status_code == 201
    assert post(client, f"/api/v1/concerns/{second}/meeting-outcome", body, "k").status_code == 422
    assert steps(second, "meeting") == 0


def test_a_drafts_completion_retried_gets_its_first_answer_not_412(client, council):
    child = make_child(
        reference="C3000002", first_name="Wren", last_name="Hollins",
        date_of_birth=dt.date(2017, 6, 9),
    )  # fmt: skip
    allocate(child, council.iro, Role.IRO, dt.date(2026, 11, 1))
    client.force_login(council.iro.user)
    base = f"/api/v1/children/{child.pk}/meetings"
    draft = post(client, f"{base}/drafts", {"kind": "strategy", "values": {"date": "2026-11-02"}})
    assert draft.status_code == 201, draft.content
    url = f"{base}/{draft.json()['id']}"
    tag = client.get(url)["ETag"]
    values = {"values": {"meeting_type": "s47", "date": "2026-11-02"}}
    done = post(client, f"{url}/completion", values, "complete-1", HTTP_IF_MATCH=tag)
    assert done.status_code == 200, done.content
    assert done["ETag"] == client.get(url)["ETag"]  # the completed record's, to amend it by
    again = post(client, f"{url}/completion", values, "complete-1", HTTP_IF_MATCH=tag)
    assert (again.status_code, again.json(), again["ETag"]) == (200, done.json(), done["ETag"])
    # without the key, the same retry is refused: the draft's ETag is no longer the record's
    assert post(client, f"{url}/completion", values, HTTP_IF_MATCH=tag).status_code == 412
    other = {"values": {"meeting_type": "s47", "date": "2026-11-03"}}
    assert (
        post(client, f"{url}/completion", other, "complete-1", HTTP_IF_MATCH=tag).status_code == 422
    )
    kept = Meeting.objects.get(pk=draft.json()["id"])
    assert (kept.status, kept.typed["date"]) == ("completed", "2026-11-02")
