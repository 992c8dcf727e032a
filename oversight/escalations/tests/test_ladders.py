"""A full ladder per seed pack: each stage's exact recipients as the pack lists them, skipping
stages where the pack allows it, resolution, and the engine's deadlines on literal dates.

Stockport's pack has no ladder of its own (seed 001 has none): it extends `england`, so a
concern raised under Stockport climbs the national baseline ladder (IRO Handbook ch. 6)."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.cases.models import Obligation
from oversight.escalations import actions

pytestmark = pytest.mark.django_db

monday_1_march_2027 = dt.date(2027, 3, 1)
tuesday_9_march_2027 = dt.date(2027, 3, 9)


def names(notice) -> list[str]:
    return [f"{p['role']}: {p['name']}" for p in notice.recipients]


def raise_on(c, ladder=None, on=monday_1_march_2027):
    return actions.raise_concern(
        c.child, issue="Plan not updated", impact="Drift for Poppy", ladder=ladder,
        on=on, acting_user=c.iro.user,
    )  # fmt: skip


def climb(concern, c, expected, start, **kw):
    day = start
    for stage, people in expected.items():
        notice = actions.issue_notice(concern, stage=stage, on=day, acting_user=c.iro.user, **kw)
        assert names(notice) == people, f"stage {stage}"
        day += dt.timedelta(days=7)
    return day


@pytest.mark.parametrize("pack", ["england", "stockport"])
def test_it_climbs_the_national_baseline_ladder(line, use_pack, pack):
    use_pack(pack)
    c = line.council
    concern = raise_on(c)
    informal = Obligation.objects.get(code="esc.informal.response", child=c.child)
    assert informal.due == dt.date(2027, 3, 8)  # Mon 2027-03-08: 5 working days
    first = actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.iro.user)
    assert first.respond_by == dt.date(2027, 3, 16)  # Tue 2027-03-16
    total = Obligation.objects.get(code="esc.total", child=c.child)
    # 20 working days from Tue 9 March, skipping Good Friday (26 Mar) and Easter Monday (29 Mar)
    assert total.due == dt.date(2027, 4, 8)  # Thu 2027-04-08
    assert names(first) == ["team_manager: Tara Elsworth"]
    climb(
        concern,
        c,
        {
            2: ["service_manager: Sol Ibbotson", "team_manager: Tara Elsworth"],
            3: ["head_of_service: Hana Juniper", "service_manager: Sol Ibbotson"],
            4: ["director: Dora Mallory", "head_of_service: Hana Juniper"],
        },
        dt.date(2027, 3, 17),
    )
    actions.resolve(concern, outcome="Plan updated", on=dt.date(2027, 4, 7), acting_user=c.iro.user)
    total = Obligation.objects.get(code="esc.total", child=c.child)
    assert total.status == "met"
    assert total.met_on == dt.date(2027, 4, 7)  # Wed: within the 20 working days


def test_it_lets_the_england_chair_bypass_with_a_reason(line, use_pack):
    use_pack("england")
    c = line.council
    concern = raise_on(c)
    with pytest.raises(actions.Refused, match="reason") as refused:
        actions.issue_notice(concern, stage=3, on=tuesday_9_march_2027, acting_user=c.iro.user)
    assert refused.value.field == "bypass_reason"
    notice = actions.issue_notice(
        concern, stage=3, bypass_reason="Child at immediate risk",
        on=tuesday_9_march_2027, acting_user=c.iro.user,
    )  # fmt: skip
    assert notice.stage == 3
    assert names(notice) == ["head_of_service: Hana Juniper", "service_manager: Sol Ibbotson"]


def test_it_refuses_a_stage_the_ladder_lacks(line, use_pack):
    use_pack("england")
    c = line.council
    concern = raise_on(c)
    with pytest.raises(actions.Refused, match="has no stage 5: its stages are 1 to 4"):
        actions.issue_notice(concern, stage=5, on=tuesday_9_march_2027, acting_user=c.iro.user)


def test_it_follows_walsalls_child_protection_ladder(line, use_pack):
    use_pack("walsall")
    c = line.council
    concern = raise_on(c, ladder="cp")
    assert [p.name for p in actions.addressees(concern, as_of=monday_1_march_2027)] == [
        "Tara Elsworth"  # "the manager" only
    ]
    actions.respond(
        concern, accepted=False, reasons="Visits are on track", on=dt.date(2027, 3, 3),
        acting_user=c.team_manager.user,
    )  # fmt: skip
    first = actions.issue_notice(concern, stage=1, on=dt.date(2027, 3, 4), acting_user=c.iro.user)
    assert names(first) == [
        "service_manager: Sol Ibbotson",
        "safeguarding_service_manager: Greta Holloway",
        "head_of_service: Hana Juniper",
    ]
    with pytest.raises(actions.Refused, match="agreement of the Group Manager, Safeguarding"):
        actions.issue_notice(concern, stage=2, on=dt.date(2027, 3, 12), acting_user=c.iro.user)
    second = actions.issue_notice(
        concern, stage=2, agreed_by=line.safeguarding_service_manager,
        on=dt.date(2027, 3, 12), acting_user=c.iro.user,
    )  # fmt: skip
    assert second.respond_by is None  # the Head of Service stage has no response time
    assert names(second) == ["head_of_service: Hana Juniper"]
    actions.resolve(
        concern, outcome="RCPC brought forward", on=dt.date(2027, 3, 15), acting_user=c.iro.user
    )


def test_it_follows_walsalls_iro_ladder_to_cafcass(line, use_pack):
    use_pack("walsall")
    c = line.council
    record_event(c.child, EventType.LAC_START, dt.date(2027, 1, 4))
    concern = raise_on(c)  # the default ladder: the IROs' formal resolution process
    assert concern.ladder == "iro"
    day = climb(
        concern,
        c,
        {
            1: ["team_manager: Tara Elsworth"],
            2: [
                "service_manager: Sol Ibbotson",
                "safeguarding_service_manager: Greta Holloway",
                "head_of_service: Hana Juniper",
            ],
            3: [
                "head_of_service: Hana Juniper",
                "service_manager: Sol Ibbotson",
                "safeguarding_service_manager: Greta Holloway",
            ],
            4: ["assistant_director: Ari Kestrel"],
            5: ["director: Dora Mallory"],
        },
        tuesday_9_march_2027,
    )
    with pytest.raises(actions.Refused, match="referral"):
        actions.issue_notice(concern, stage=6, on=day, acting_user=c.iro.user)
    actions.refer_to_cafcass(
        concern, grounds="Care plan not implemented", on=day, acting_user=c.iro.user
    )
    actions.seek_legal_advice(concern, grounds="Human rights", on=day, acting_user=c.iro.user)
    concern.refresh_from_db()
    assert concern.stage == 6
    types = set(
        c.child.events.filter(data__concern=concern.engine_id).values_list("type", flat=True)
    )
    assert {"cafcass_referral", "legal_advice_sought"} <= types


def test_it_follows_manchesters_ladder_with_the_iro_team_manager_at_stage_two(line, use_pack):
    use_pack("manchester")
    c = line.council
    concern = raise_on(c)
    assert [p.role for p in actions.addressees(concern, as_of=monday_1_march_2027)] == [
        "social_worker"
    ]
    first = actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.iro.user)
    assert names(first) == ["team_manager: Tara Elsworth"]
    with pytest.raises(actions.Refused, match="issued by the IRO Team Manager") as refused:
        actions.issue_notice(concern, stage=2, on=dt.date(2027, 3, 17), acting_user=c.iro.user)
    assert refused.value.forbidden
    second = actions.issue_notice(
        concern, stage=2, agreed_by=c.iro_team_manager, on=dt.date(2027, 3, 17),
        acting_user=c.iro_team_manager.user,
    )  # fmt: skip
    # the chair is told when someone else issues the notice
    # (the stage 2 heading's Safeguarding and Quality Assurance Manager copied)
    assert names(second) == [
        "service_manager: Sol Ibbotson",
        "safeguarding_service_manager: Greta Holloway",
        "iro: Isla Brightwell",
    ]
    third = actions.issue_notice(concern, stage=3, on=dt.date(2027, 3, 24), acting_user=c.iro.user)
    assert names(third) == [
        "head_of_service: Hana Juniper",
        "safeguarding_service_manager: Greta Holloway",
        "iro_team_manager: Wren Ashdown",  # the IRO Team Manager who escalated, copied
    ]
    with pytest.raises(actions.Refused, match="agreement of the Service Lead, Safeguarding"):
        actions.issue_notice(
            concern,
            stage=5,
            bypass_reason="delayed",
            on=dt.date(2027, 3, 31),
            acting_user=c.iro.user,
        )
    fifth = actions.issue_notice(
        concern, stage=5, bypass_reason="Responses delayed", agreed_by=line.safeguarding_service_manager,
        on=dt.date(2027, 3, 31), acting_user=c.iro.user,
    )  # fmt: skip
    assert names(fifth) == ["director: Dora Mallory"]
    assert fifth.respond_by is None  # exceptional: no timescale


def test_it_sends_a_partner_agency_dispute_to_the_named_contact(line, use_pack):
    from oversight.notifications.models import Message

    use_pack("manchester")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="Health assessment overdue", impact="Unmet health needs",
        themes=["partner_agency", "health"], partner_agency="Health",
        partner_contact="Dr Pat Quill", partner_email="pat.quill@health.invalid",
        copied_emails=["legal.team@council.invalid"],
        on=monday_1_march_2027, acting_user=c.iro.user,
    )  # fmt: skip
    assert concern.is_partner_dispute
    told = sorted(Message.objects.values_list("to_email", flat=True))
    assert told == ["legal.team@council.invalid", "pat.quill@health.invalid"]
    # the chair records the agency's reply
    actions.respond(
        concern, accepted=True, plan=[{"text": "Book assessment", "due": dt.date(2027, 3, 19)}],
        on=dt.date(2027, 3, 5), acting_user=c.iro.user,
    )  # fmt: skip
    action = Obligation.objects.get(code="action.due", child=c.child)
    assert action.due == dt.date(2027, 3, 19)  # Fri


def test_it_follows_leicestershires_ladder_with_every_recipient(line, use_pack):
    use_pack("leicestershire")
    c = line.council
    concern = raise_on(c)
    climb(
        concern,
        c,
        {
            # the IRO's team manager (Wren) is kept informed at every formal stage
            1: [
                "team_manager: Tara Elsworth",
                "social_worker: Sami Fairholm",
                "iro_team_manager: Wren Ashdown",
            ],
            2: [
                "service_manager: Sol Ibbotson",
                "team_manager: Tara Elsworth",
                "iro_team_manager: Wren Ashdown",
            ],
            3: [
                "head_of_service: Hana Juniper",
                "service_manager: Sol Ibbotson",
                "team_manager: Tara Elsworth",
                "safeguarding_service_manager: Greta Holloway",
                "iro_team_manager: Wren Ashdown",
            ],
            4: [
                "assistant_director: Ari Kestrel",
                "head_of_service: Hana Juniper",
                "service_manager: Sol Ibbotson",
                "team_manager: Tara Elsworth",
                "safeguarding_service_manager: Greta Holloway",
                "iro_team_manager: Wren Ashdown",
            ],
        },
        tuesday_9_march_2027,
    )
    actions.resolve(
        concern,
        outcome="AD directed a legal planning meeting",
        on=dt.date(2027, 4, 6),
        acting_user=c.iro.user,
    )


@pytest.mark.parametrize("stage", [0, 1, 2, 3, 4])
def test_it_resolves_at_each_stage(line, use_pack, stage):
    use_pack("leicestershire")
    c = line.council
    concern = raise_on(c)
    if stage:
        actions.issue_notice(
            concern, stage=stage, bypass_reason="Serious" if stage > 1 else "",
            on=tuesday_9_march_2027, acting_user=c.iro.user,
        )  # fmt: skip
    actions.resolve(concern, outcome="Agreed", on=dt.date(2027, 3, 10), acting_user=c.iro.user)
    concern.refresh_from_db()
    assert (concern.status, concern.stage, concern.resolved_on) == (
        "resolved",
        stage,
        dt.date(2027, 3, 10),
    )
    code = "esc.stage.response" if stage else "esc.informal.response"
    assert Obligation.objects.get(code=code, child=c.child).status == "met"


def test_it_refers_to_cafcass_in_leicestershire_only_after_the_meeting(line, use_pack):
    use_pack("leicestershire")
    c = line.council
    record_event(c.child, EventType.LAC_START, dt.date(2027, 1, 4))
    concern = raise_on(c)
    with pytest.raises(actions.Refused, match="First hold the meeting") as refused:
        actions.refer_to_cafcass(
            concern, grounds="g", consulted=[c.iro_team_manager], on=tuesday_9_march_2027,
            acting_user=c.iro.user,
        )  # fmt: skip
    assert refused.value.field == "meeting_on"
    with pytest.raises(actions.Refused, match="consulted the Assistant Service Manager"):
        actions.refer_to_cafcass(
            concern, grounds="g", meeting_on=monday_1_march_2027, on=tuesday_9_march_2027,
            acting_user=c.iro.user,
        )  # fmt: skip
    actions.refer_to_cafcass(
        concern, grounds="g", consulted=[c.iro_team_manager], meeting_on=monday_1_march_2027,
        on=tuesday_9_march_2027, acting_user=c.iro.user,
    )  # fmt: skip
    assert c.child.events.filter(type="cafcass_referral").count() == 1
