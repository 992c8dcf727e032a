"""Which ladder a concern goes on: chosen from the ladders' `applies_to` and what the child is on
the day the concern is raised (on a child protection plan, looked after, both or neither); the
choice is on every event of the concern, a ladder that does not apply is refused on the field
`ladder`, and the raise page offers the same default.

Camden (seed 000) has two ladders: its issue resolution system for children on a plan, and the
IRO Handbook's dispute resolution for looked-after children (its 5 looked-after IROs, section
2.1), with the 20-working-day limit, Cafcass and independent legal advice.

The shared council's Poppy is on a plan from Fri 19 Sep 2025; Milo looked after from Mon 6 Oct
2025."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.cases.models import Event, Obligation
from oversight.escalations import actions, ladders
from oversight.policies import load_pack

pytestmark = pytest.mark.django_db

monday_1_march_2027 = dt.date(2027, 3, 1)
tuesday_9_march_2027 = dt.date(2027, 3, 9)


def raise_for(child, user, ladder=None, on=monday_1_march_2027):
    return actions.raise_concern(
        child, issue="Plan not updated", impact="Drift", ladder=ladder, on=on, acting_user=user
    )


@pytest.fixture
def milo(line):
    """Milo (looked after) with a team manager over his social worker, so his ladders' informal
    stages have someone to address."""
    c = line.council
    c.other_social_worker.line_manager = c.team_manager
    c.other_social_worker.save()
    return c.other_child


def test_walsall_puts_a_child_on_a_plan_on_the_chairs_protocol(line, use_pack):
    use_pack("walsall")
    c = line.council
    concern = raise_for(c.child, c.iro.user)
    # Poppy is on a plan (not looked after) on Mon 1 March 2027: the conference chairs' protocol
    assert concern.ladder == "cp"
    raised = Event.objects.get(child=c.child, type=EventType.CONCERN_RAISED)
    assert raised.data["ladder"] == "cp"  # the choice is written on the concern's events


def test_walsall_refuses_the_looked_after_ladder_for_a_child_on_a_plan(line, use_pack):
    use_pack("walsall")
    c = line.council
    with pytest.raises(
        actions.Refused, match="is on a child protection plan on Mon 1 Mar 2027"
    ) as caught:
        raise_for(c.child, c.iro.user, ladder="iro")
    assert caught.value.field == "ladder"
    assert not Event.objects.filter(child=c.child, type=EventType.CONCERN_RAISED).exists()


def test_walsall_puts_a_looked_after_child_on_the_iros_formal_resolution(line, use_pack, milo):
    use_pack("walsall")
    c = line.council
    concern = raise_for(milo, c.other_iro.user)
    assert concern.ladder == "iro"
    with pytest.raises(actions.Refused) as caught:
        raise_for(milo, c.other_iro.user, ladder="cp")
    assert caught.value.field == "ladder"


def test_walsall_lets_the_chair_choose_for_a_child_both_on_a_plan_and_looked_after(line, use_pack):
    use_pack("walsall")
    c = line.council
    record_event(c.child, EventType.LAC_START, dt.date(2027, 1, 4))  # Mon 2027-01-04
    # Both apply from Mon 4 January 2027; the pack's default_ladder (iro) comes first
    assert ladders.ladders_for(c.child, on=monday_1_march_2027) == ["iro", "cp"]
    assert raise_for(c.child, c.iro.user).ladder == "iro"
    assert raise_for(c.child, c.iro.user, ladder="cp").ladder == "cp"


def test_the_day_the_concern_is_raised_decides(line, use_pack):
    use_pack("walsall")
    c = line.council
    record_event(c.child, EventType.LAC_START, dt.date(2027, 1, 4))  # Mon 2027-01-04
    # On Thu 31 December 2026 Poppy was not yet looked after
    assert ladders.ladders_for(c.child, on=dt.date(2026, 12, 31)) == ["cp"]
    assert ladders.ladders_for(c.child, on=dt.date(2027, 1, 4)) == ["iro", "cp"]


def test_a_child_neither_on_a_plan_nor_looked_after_may_go_on_any_ladder(council, use_pack):
    from oversight.cases.factories import make_child

    use_pack("walsall")
    child_in_need = make_child(reference="C3000001", first_name="Ivy", last_name="Moss")
    assert ladders.ladders_for(child_in_need, on=monday_1_march_2027) == ["iro", "cp"]


def test_the_raise_page_defaults_to_the_childs_ladder(client, line, use_pack):
    use_pack("walsall")
    c = line.council
    client.force_login(c.iro.user)
    response = client.get(f"/children/{c.child.pk}/concerns/new/")
    assert response.status_code == 200
    assert response.context["form"].initial["ladder"] == "cp"  # not the pack's default, iro


def test_camden_keeps_its_child_protection_ladder_for_a_child_on_a_plan(line, use_pack):
    use_pack("camden")
    c = line.council
    concern = raise_for(c.child, c.iro.user)
    assert concern.ladder == "default"  # the issue resolution system
    assert ladders.ladder_of("default").applies_to == ["cp"]


def test_camden_puts_a_looked_after_child_on_the_iro_handbooks_ladder(line, use_pack, milo):
    use_pack("camden")
    c = line.council
    concern = raise_for(milo, c.other_iro.user)
    assert concern.ladder == "iro"
    raised = Event.objects.get(child=milo, type=EventType.CONCERN_RAISED)
    assert raised.data["ladder"] == "iro"
    with pytest.raises(actions.Refused) as caught:
        raise_for(milo, c.other_iro.user, ladder="default")
    assert caught.value.field == "ladder"


def test_camden_gives_a_looked_after_childs_dispute_20_working_days(line, use_pack, milo):
    use_pack("camden")
    c = line.council
    concern = raise_for(milo, c.other_iro.user)
    actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.other_iro.user)
    total = Obligation.objects.get(child=milo, code="esc.total")
    # 20 working days from Tue 9 March 2027, skipping Good Friday (26 Mar) and Easter Monday
    # (29 Mar)
    assert total.due == dt.date(2027, 4, 8)  # Thu 2027-04-08


def test_camden_lets_a_looked_after_childs_iro_refer_to_cafcass_and_seek_legal_advice(
    line, use_pack, milo
):
    use_pack("camden")
    c = line.council
    concern = raise_for(milo, c.other_iro.user)
    wednesday_3_march_2027 = dt.date(2027, 3, 3)
    cafcass = actions.refer_to_cafcass(
        concern, grounds="Care plan not implemented", on=wednesday_3_march_2027,
        acting_user=c.other_iro.user,
    )  # fmt: skip
    advice = actions.seek_legal_advice(
        concern, grounds="Whether the plan meets Milo's needs", on=wednesday_3_march_2027,
        acting_user=c.other_iro.user,
    )  # fmt: skip
    assert (cafcass.kind, advice.kind) == ("cafcass", "legal_advice")


def test_camdens_child_protection_ladder_still_makes_no_provision_for_cafcass(line, use_pack):
    use_pack("camden")
    c = line.council
    concern = raise_for(c.child, c.iro.user)
    with pytest.raises(actions.Refused, match="makes no provision for a referral to Cafcass"):
        actions.refer_to_cafcass(
            concern, grounds="x", on=dt.date(2027, 3, 3), acting_user=c.iro.user
        )


def test_camdens_looked_after_ladder_is_englands_baseline_ladder() -> None:
    camden = load_pack("camden").ladders["iro"]
    england = load_pack("england").ladders["default"]
    # The same ladder, written out in Camden's pack for looked-after children only
    assert camden.applies_to == ["lac"]
    ignore = {"label", "applies_to", "source"}
    assert camden.model_dump(exclude=ignore) == england.model_dump(exclude=ignore)
