"""Stage meetings the pack requires (Walsall's stage 2: a meeting of all parties within 5 working
days) recorded as held on the escalation record; "immediately formal" when a safeguarding concern
is identified: raised and the entry stage issued in one step, with the reason recorded."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.audit.models import AuditEntry
from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.cases.models import Event, Obligation
from oversight.escalations import actions
from oversight.escalations.models import Concern, Step
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db

WED_17_MARCH_2027 = dt.date(2027, 3, 17)


@pytest.fixture
def walsall_stage_2(line, use_pack):
    """A concern on Walsall's IRO ladder at stage 2, issued Wed 17 March 2027."""
    use_pack("walsall")
    c = line.council
    record_event(c.child, EventType.LAC_START, dt.date(2027, 1, 4))
    concern = actions.raise_concern(
        c.child, issue="Plan not updated", impact="Drift", ladder="iro",
        on=dt.date(2027, 3, 1), acting_user=c.iro.user,
    )  # fmt: skip
    actions.issue_notice(concern, stage=1, on=dt.date(2027, 3, 9), acting_user=c.iro.user)
    actions.issue_notice(concern, stage=2, on=WED_17_MARCH_2027, acting_user=c.iro.user)
    return concern


def test_walsalls_stage_2_calls_for_a_meeting_within_5_working_days(walsall_stage_2):
    due = actions.stage_meeting_due(walsall_stage_2)
    assert due == {
        "stage": 2,
        "purpose": "A meeting of all parties.",
        "by": dt.date(2027, 3, 24),
        "attendees": [],  # all parties: the pack names nobody in particular
    }


def test_it_records_the_stage_meeting_as_held(line, walsall_stage_2):
    c = line.council
    concern = walsall_stage_2
    step = actions.record_stage_meeting(
        concern, held_on=dt.date(2027, 3, 22), attendees=["Sol Ibbotson", "Tara Elsworth", ""],
        outcome="Plan to be updated by Friday", on=dt.date(2027, 3, 23), acting_user=c.iro.user,
    )  # fmt: skip
    assert (step.kind, step.stage, step.on, step.text) == (
        "stage_meeting",
        2,
        dt.date(2027, 3, 22),
        "Plan to be updated by Friday",
    )
    assert step.data == {
        "attendees": ["Sol Ibbotson", "Tara Elsworth"],
        "meeting_by": "2027-03-24",
        "late": False,
    }
    assert actions.stage_meeting_due(concern) is None  # held: no longer due
    assert AuditEntry.objects.filter(what="concern.stage_meeting").count() == 1
    told = {p["name"] for p in step.recipients}
    assert told == {"Sol Ibbotson", "Greta Holloway", "Hana Juniper"}  # the chair acted
    assert Message.objects.filter(subject__startswith="Stage 2: meeting recorded").count() == 3


def test_a_late_meeting_is_recorded_as_late(line, walsall_stage_2):
    step = actions.record_stage_meeting(
        walsall_stage_2, held_on=dt.date(2027, 3, 26), attendees=["Sol Ibbotson"],
        outcome="Agreed", on=dt.date(2027, 3, 26), acting_user=line.council.iro.user,
    )  # fmt: skip
    assert step.data["late"] is True


@pytest.mark.parametrize(
    ("held_on", "attendees", "outcome", "field", "message"),
    [
        (dt.date(2027, 3, 16), ["Sol"], "x", "held_on", "follows the notice of Wed 17 Mar 2027"),
        (dt.date(2027, 3, 30), ["Sol"], "x", "held_on", "held already"),
        (dt.date(2027, 3, 22), [" "], "x", "attendees", "who attended"),
        (dt.date(2027, 3, 22), ["Sol"], " ", "outcome", "outcome"),
    ],
)
def test_it_refuses_a_meeting_record_that_does_not_add_up(
    line, walsall_stage_2, held_on, attendees, outcome, field, message
):
    with pytest.raises(actions.Refused, match=message) as refused:
        actions.record_stage_meeting(
            walsall_stage_2, held_on=held_on, attendees=attendees, outcome=outcome,
            on=dt.date(2027, 3, 23), acting_user=line.council.iro.user,
        )  # fmt: skip
    assert refused.value.field == field
    assert not Step.objects.filter(kind="stage_meeting").exists()


def test_it_refuses_a_meeting_at_a_stage_that_calls_for_none(line, use_pack):
    use_pack("walsall")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", ladder="cp", on=dt.date(2027, 3, 1), acting_user=c.iro.user
    )
    actions.issue_notice(concern, stage=1, on=dt.date(2027, 3, 4), acting_user=c.iro.user)
    assert actions.stage_meeting_due(concern) is None
    with pytest.raises(actions.Refused, match="does not call for a meeting"):
        actions.record_stage_meeting(
            concern, held_on=dt.date(2027, 3, 5), attendees=["Sol"], outcome="x",
            on=dt.date(2027, 3, 5), acting_user=c.iro.user,
        )  # fmt: skip


def test_only_the_chair_records_the_meeting(line, walsall_stage_2):
    with pytest.raises(actions.Refused) as refused:
        actions.record_stage_meeting(
            walsall_stage_2, held_on=dt.date(2027, 3, 22), attendees=["Sol"], outcome="x",
            on=dt.date(2027, 3, 23), acting_user=line.council.team_manager.user,
        )  # fmt: skip
    assert refused.value.forbidden


def test_the_record_page_offers_the_meeting_and_shows_it_in_the_history(
    client, line, walsall_stage_2
):
    c = line.council
    concern = walsall_stage_2
    with time_machine.travel(dt.datetime(2027, 3, 23, 10, 0, tzinfo=dt.UTC)):
        client.force_login(c.iro.user)
        page = client.get(f"/concerns/{concern.pk}/").text
        assert "to be held by Wednesday 24 March 2027: A meeting of all parties." in page
        assert f"/concerns/{concern.pk}/stage-meeting/" in page
        got = client.post(
            f"/concerns/{concern.pk}/stage-meeting/",
            {"held_on": "22 3 2027", "attendees": "Sol Ibbotson\nTara Elsworth",
             "outcome": "Plan to be updated"},
        )  # fmt: skip
        assert got.status_code == 302
        page = client.get(f"/concerns/{concern.pk}/").text
        assert "Stage meeting held (Stage 2)" in page  # Walsall's IRO ladder: "Stage 2"
        assert "Attended: Sol Ibbotson, Tara Elsworth" in page
        assert f"/concerns/{concern.pk}/stage-meeting/" not in page
        client.force_login(c.team_manager.user)
        assert client.get(f"/concerns/{concern.pk}/stage-meeting/").status_code == 403


def test_the_form_says_when_the_stage_calls_for_no_meeting(client, line, use_pack):
    use_pack("walsall")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", ladder="cp", on=dt.date(2027, 3, 1), acting_user=c.iro.user
    )
    with time_machine.travel(dt.datetime(2027, 3, 3, 10, 0, tzinfo=dt.UTC)):
        client.force_login(c.iro.user)
        assert client.get(f"/concerns/{concern.pk}/stage-meeting/").status_code == 200
        got = client.post(
            f"/concerns/{concern.pk}/stage-meeting/",
            {"held_on": "2 3 2027", "attendees": "Tara Elsworth", "outcome": "Agreed"},
        )
    assert got.status_code == 200
    assert "Informal escalation protocol does not call for a meeting" in got.text
    assert not Step.objects.filter(kind="stage_meeting").exists()


# --- Immediately formal ------------------------------------------------------------------------


def test_a_safeguarding_concern_is_raised_and_issued_at_stage_1_in_one_step(line, use_pack):
    use_pack("walsall")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="Bruising seen at contact", impact="Poppy may be at risk", ladder="cp",
        formal_reason="Unexplained bruising", on=dt.date(2027, 3, 1), acting_user=c.iro.user,
    )  # fmt: skip
    assert concern.stage == 1
    steps = list(concern.steps.order_by("pk"))
    assert [(s.kind, s.stage) for s in steps] == [("raised", 0), ("notice", 1)]
    assert steps[0].data == {"immediately_formal": True, "formal_reason": "Unexplained bruising"}
    assert steps[1].text.startswith(
        "Immediately formal: a safeguarding concern has been identified"
    )
    types = list(Event.objects.filter(child=c.child, type__in=["concern_raised",
                 "escalation_notice"]).order_by("pk").values_list("type", "date"))  # fmt: skip
    assert types == [
        ("concern_raised", dt.date(2027, 3, 1)),
        ("escalation_notice", dt.date(2027, 3, 1)),
    ]
    informal = Obligation.objects.get(child=c.child, code="esc.informal.response")
    assert (informal.status, informal.met_on) == ("met", dt.date(2027, 3, 1))
    stage = Obligation.objects.get(child=c.child, code="esc.stage.response")
    assert stage.due == dt.date(2027, 3, 8)  # Mon: 5 working days
    subjects = set(Message.objects.values_list("subject", flat=True))
    assert subjects == {f"Notice of concern: Formal escalation protocol: {c.child.reference}"}


def test_immediately_formal_needs_the_entry_stages_agreement_or_nothing_is_raised(line, use_pack):
    use_pack("camden")
    c = line.council
    events = Event.objects.count()
    with pytest.raises(actions.Refused, match="agreement") as refused:
        actions.raise_concern(
            c.child, issue="x", impact="y", formal_reason="Risk of harm",
            on=dt.date(2027, 5, 20), acting_user=c.iro.user,
        )  # fmt: skip
    assert refused.value.field == "agreed_by"
    assert (Concern.objects.count(), Event.objects.count(), Message.objects.count()) == (
        0,
        events,
        0,
    )
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", formal_reason="Risk of harm",
        agreed_by=line.safeguarding_service_manager, on=dt.date(2027, 5, 20),
        acting_user=c.iro.user,
    )  # fmt: skip
    assert concern.stage == 1
    assert concern.notices.get().agreed_by == line.safeguarding_service_manager


def test_good_practice_is_never_immediately_formal(line, use_pack):
    use_pack("walsall")
    c = line.council
    with pytest.raises(actions.Refused, match="not escalated"):
        actions.raise_concern(
            c.child, issue="x", good_practice=True, formal_reason="y", acting_user=c.iro.user
        )


def test_the_raise_form_goes_straight_to_the_formal_process(client, line, use_pack):
    use_pack("walsall")
    c = line.council
    client.force_login(c.iro.user)
    form = client.get(f"/children/{c.child.pk}/concerns/new/")
    assert "A safeguarding concern: go straight to the formal process" in form.text
    base = {"ladder": "cp", "issue": "Bruising", "impact": "At risk", "immediately_formal": "on"}
    refused = client.post(f"/children/{c.child.pk}/concerns/new/", base)
    assert refused.status_code == 200
    assert "Describe the safeguarding concern identified" in refused.text
    assert not Concern.objects.exists()
    got = client.post(
        f"/children/{c.child.pk}/concerns/new/", {**base, "formal_reason": "Unexplained bruising"}
    )
    concern = Concern.objects.get()
    assert got["Location"] == f"/concerns/{concern.pk}/"
    assert concern.stage == 1
    page = client.get(got["Location"]).text
    assert "Immediately formal (a safeguarding concern): Unexplained bruising" in page
