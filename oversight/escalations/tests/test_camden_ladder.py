"""Camden's issue resolution system (seed 000, Appendix 2) from positive challenge to stage 5."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.models import Obligation
from oversight.escalations import actions
from oversight.escalations.models import Notice
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db

thursday_20_may_2027 = dt.date(2027, 5, 20)
wednesday_22_december_2027 = dt.date(2027, 12, 22)


def recipients(notice: Notice) -> list[str]:
    return [f"{p['role']}: {p['name']}" for p in notice.recipients]


def test_it_gives_the_informal_stage_ten_working_days(line, use_pack):
    use_pack("camden")
    c = line.council
    concern = actions.raise_concern(
        c.child,
        issue="No visit since the conference",
        impact="Poppy has not been seen for five weeks",
        themes=["visits"],
        on=thursday_20_may_2027,
        acting_user=c.iro.user,
    )
    row = Obligation.objects.get(child=c.child, code="esc.informal.response")
    # 10 working days, skipping the spring bank holiday (Mon 31 May 2027)
    assert row.due == dt.date(2027, 6, 4)  # Fri 2027-06-04
    assert row.trigger["concern"] == concern.engine_id
    told = sorted(Message.objects.values_list("to_email", flat=True))
    assert told == sorted([c.social_worker.user.email, c.team_manager.user.email])
    assert row.owner_roles == "|social_worker|team_manager|"


def test_it_counts_stage_one_across_both_christmas_substitute_days(line, use_pack):
    use_pack("camden")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="Report not shared", impact="Parents unprepared",
        on=dt.date(2027, 12, 1), acting_user=c.iro.user,
    )  # fmt: skip
    notice = actions.issue_notice(
        concern,
        stage=1,
        agreed_by=line.safeguarding_service_manager,
        on=wednesday_22_december_2027,
        acting_user=c.iro.user,
    )
    # Thu 23, Fri 24, (Mon 27 and Tue 28 are the substitutes for Christmas and Boxing Day), Wed
    # 29, Thu 30, Fri 31
    assert notice.respond_by == dt.date(2027, 12, 31)  # Fri 2027-12-31
    assert recipients(notice) == [
        "team_manager: Tara Elsworth",
        "iro_team_manager: Wren Ashdown",
        # "notified to all parties": the agreeing CP service manager and the informal stage's
        # social worker are told too
        "safeguarding_service_manager: Greta Holloway",
        "social_worker: Sami Fairholm",
    ]


def test_it_refuses_stage_one_without_the_child_protection_service_managers_agreement(
    line, use_pack
):
    use_pack("camden")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", on=thursday_20_may_2027, acting_user=c.iro.user
    )
    messages = Message.objects.count()
    with pytest.raises(actions.Refused, match="agreement of the Child Protection Service Manager"):
        actions.issue_notice(concern, stage=1, on=dt.date(2027, 6, 7), acting_user=c.iro.user)
    concern.refresh_from_db()
    assert concern.stage == 0
    assert Message.objects.count() == messages  # nothing sent
    assert not c.child.events.filter(type="escalation_notice").exists()  # nothing recorded


def test_it_refuses_a_bypass_camden_does_not_provide_for(line, use_pack):
    use_pack("camden")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", on=thursday_20_may_2027, acting_user=c.iro.user
    )
    with pytest.raises(actions.Refused, match="does not let the chair enter"):
        actions.issue_notice(
            concern, stage=3, agreed_by=line.safeguarding_service_manager,
            bypass_reason="serious", on=dt.date(2027, 6, 7), acting_user=c.iro.user,
        )  # fmt: skip


def test_it_climbs_to_the_executive_director_and_resolves(line, use_pack):
    use_pack("camden")
    c = line.council
    ssm = line.safeguarding_service_manager
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", on=thursday_20_may_2027, acting_user=c.iro.user
    )
    actions.warn(concern, on=dt.date(2027, 6, 7), acting_user=c.iro.user)
    final = Obligation.objects.get(child=c.child, code="esc.informal.final")
    assert final.due == dt.date(2027, 6, 21)  # Mon 2027-06-21: 10 working days after the warning
    # Each stage's addressees, then "all parties": the CP service manager who agrees each stage
    # and everyone addressed so far (the informal stage's social worker and team manager, each
    # earlier stage's addressees)
    told = [
        "safeguarding_service_manager: Greta Holloway",
        "social_worker: Sami Fairholm",
        "team_manager: Tara Elsworth",
        "iro_team_manager: Wren Ashdown",
    ]
    expected = {
        1: ["team_manager: Tara Elsworth", "iro_team_manager: Wren Ashdown", *told[:2]],
        2: ["service_manager: Sol Ibbotson", *told],
        3: ["head_of_service: Hana Juniper", *told, "service_manager: Sol Ibbotson"],
        4: [
            "assistant_director: Ari Kestrel", *told, "service_manager: Sol Ibbotson",
            "head_of_service: Hana Juniper",
        ],
        5: [
            "director: Dora Mallory", *told, "service_manager: Sol Ibbotson",
            "head_of_service: Hana Juniper", "assistant_director: Ari Kestrel",
        ],
    }  # fmt: skip
    day = dt.date(2027, 6, 22)  # Tue
    for stage, people in expected.items():
        notice = actions.issue_notice(
            concern, stage=stage, agreed_by=ssm, on=day, acting_user=c.iro.user
        )
        assert recipients(notice) == people, stage
        day += dt.timedelta(days=7)
    actions.resolve(concern, outcome="Director agreed a plan", on=day, acting_user=c.iro.user)
    concern.refresh_from_db()
    assert concern.status == "resolved"
    types = list(
        c.child.events.filter(data__concern=concern.engine_id).values_list("type", flat=True)
    )
    assert types.count("escalation_notice") == 5
    assert "concern_resolved" in types


def test_it_lets_the_iro_service_manager_set_a_shorter_deadline(line, use_pack):
    use_pack("camden")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", on=thursday_20_may_2027, acting_user=c.iro.user
    )
    notice = actions.issue_notice(
        concern, stage=1, agreed_by=line.safeguarding_service_manager,
        respond_by=dt.date(2027, 6, 9), shorter_set_by=c.iro_team_manager,
        on=dt.date(2027, 6, 7), acting_user=c.iro.user,
    )  # fmt: skip
    assert notice.respond_by == dt.date(2027, 6, 9)  # Wed 2027-06-09, not the 5 working days
