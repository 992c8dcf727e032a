"""The ladder keys of a pack that drive what the escalation actions do: `informal.skip_when`
(going straight to a formal stage), `records.*` and `informal.record` (the council's record
names on the messages), a referral's `lac_only`, a stage's `on_accepted` (Manchester's plan within
5 working days of the recommendation) and the ladder's `others_may_alert` (Manchester's Legal
Team, Head of Virtual School and Designated LAC Nurse)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.cases.models import Event
from oversight.escalations import actions, ladders
from oversight.escalations.models import Concern
from oversight.notifications.models import Message
from oversight.policies import load_pack
from oversight.policies.schema import Ladder

pytestmark = pytest.mark.django_db

monday_1_march_2027 = dt.date(2027, 3, 1)
tuesday_9_march_2027 = dt.date(2027, 3, 9)
friday_12_march_2027 = dt.date(2027, 3, 12)


def raise_on(c, **kw):
    return actions.raise_concern(
        c.child, issue="Plan not updated", impact="Drift", on=monday_1_march_2027,
        acting_user=c.iro.user, **kw,
    )  # fmt: skip


def messages() -> list[tuple[str, str, str]]:
    rows = [(m.to_email, m.subject, m.body) for m in Message.objects.order_by("pk")]
    Message.objects.all().delete()
    return rows


# --- informal.skip_when: "immediately formal" ------------------------------------------------


def test_a_ladder_without_skip_when_raises_every_concern_informally_first(line, use_pack):
    use_pack("england")
    c = line.council
    with pytest.raises(actions.Refused, match="starts every concern at its informal stage") as no:
        raise_on(c, formal_reason="Unexplained bruising")
    assert no.value.field == "formal_reason"
    assert not Concern.objects.exists()
    assert not Event.objects.filter(type=EventType.CONCERN_RAISED).exists()


def test_manchester_sends_an_immediate_concern_straight_to_stage_1(line, use_pack):
    use_pack("manchester")
    c = line.council
    concern = raise_on(c, formal_reason="Child left alone overnight")
    assert concern.stage == 1
    notice = concern.steps.get(kind="notice")
    # the pack's rule for going straight to a formal stage is on the notice
    assert notice.text == (
        "Immediately formal: a safeguarding concern has been identified. "
        "Child left alone overnight\n"
        "Where there are immediate concerns, an urgent phone call to the appropriate manager to "
        "discuss urgent actions, and escalation through the protocol as appropriate."
    )


# --- records.*: the council's record names -----------------------------------------------------


def test_camdens_messages_name_its_records(line, use_pack):
    use_pack("camden")
    c = line.council
    concern = raise_on(c)
    (_, _, body), *_ = messages()
    assert "Recorded in: Consultation section of the MOSAIC record" in body
    actions.issue_notice(
        concern, stage=1, agreed_by=line.safeguarding_service_manager, on=tuesday_9_march_2027,
        acting_user=c.iro.user,
    )  # fmt: skip
    (_, subject, body), *_ = messages()
    assert subject == f"Notice of Concern (MOSAIC alert): Stage 1: {c.child.reference}"
    assert "Recorded in: CP Alert form" in body
    # the same names, for the escalation pages
    assert ladders.records_for(concern) == {
        "informal": "Consultation section of the MOSAIC record",
        "notice": "Notice of Concern (MOSAIC alert)",
        "formal": "CP Alert form",
        "case_system": "MOSAIC",
    }


def test_manchesters_partner_dispute_is_recorded_in_its_dispute_resolution_episode(line, use_pack):
    use_pack("manchester")
    c = line.council
    concern = raise_on(c, partner_agency="Health", partner_email="pat.quill@health.invalid")
    assert ladders.records_for(concern)["informal"] == "MiCare Dispute Resolution episode"
    (_, _, body), *_ = messages()
    assert "Recorded in: MiCare Dispute Resolution episode" in body
    assert ladders.records_for(concern)["notice"] == "Recommendation / starred recommendation"


def test_walsalls_chairs_protocol_names_the_managers_record(line, use_pack):
    use_pack("walsall")
    c = line.council
    concern = raise_on(c)
    assert concern.ladder == "cp"
    (_, _, body), *_ = messages()
    # the ladder's own informal.record, over the council's records.informal
    assert "Recorded in: Management Decision Record (MDR) and a written response" in body


# --- lac_only ------------------------------------------------------------------------------------

FERNLEY = """
name = "fernley"
council = "Fernley (a test council)"
extends = "england"

[ladders.default]
label = "Fernley dispute resolution"
applies_to = ["cp", "lac"]
source = "test"

[ladders.default.informal]
name = "Informal"
addressees = ["social_worker"]
response = "5 working days"
source = "test"

[[ladders.default.stages]]
number = 1
label = "Stage 1"
addressees = ["team_manager"]
response = "5 working days"
source = "test"

[ladders.default.total]
rule = "none"
reason = "test"
source = "test"

[ladders.default.legal_advice]
lac_only = true
source = "test: legal advice for looked-after children only"
"""


def test_a_packs_lac_only_keeps_legal_advice_to_looked_after_children(
    line, use_pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / "fernley.toml").write_text(FERNLEY, encoding="utf-8")
    monkeypatch.setenv("OVERSIGHT_POLICY_DIRS", str(tmp_path))
    use_pack("fernley")
    c = line.council
    concern = raise_on(c)  # Poppy: on a plan, not looked after
    with pytest.raises(actions.Refused, match="Only a looked-after child's case can have"):
        actions.seek_legal_advice(
            concern, grounds="x", on=dt.date(2027, 3, 2), acting_user=c.iro.user
        )
    record_event(c.child, EventType.LAC_START, dt.date(2027, 3, 2))  # Tue 2027-03-02
    step = actions.seek_legal_advice(
        concern, grounds="Plan drift", on=dt.date(2027, 3, 3), acting_user=c.iro.user
    )
    assert step.kind == "legal_advice"


def test_englands_legal_advice_is_not_lac_only(line, use_pack):
    use_pack("england")
    c = line.council
    concern = raise_on(c)
    step = actions.seek_legal_advice(
        concern, grounds="Plan drift", on=dt.date(2027, 3, 3), acting_user=c.iro.user
    )
    assert step.kind == "legal_advice"


def test_a_pack_cannot_open_cafcass_to_a_child_who_is_not_looked_after() -> None:
    england = load_pack("england").ladders["default"].model_dump()
    england["cafcass"]["lac_only"] = False
    with pytest.raises(ValidationError, match="reg 45"):
        Ladder.model_validate(england)


# --- on_accepted ---------------------------------------------------------------------------------


def test_manchesters_accepted_recommendation_wants_a_plan_within_5_working_days_of_the_notice(
    line, use_pack
):
    use_pack("manchester")
    c = line.council
    concern = raise_on(c)
    actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.iro.user)
    messages()
    actions.respond(
        concern, accepted=True, reasons="Agreed", on=friday_12_march_2027,
        acting_user=c.team_manager.user,
    )  # fmt: skip
    step = concern.steps.get(kind="response")
    # 5 working days from the recommendation (Tue 9 March), not from the acceptance (Fri 12)
    assert step.data["plan_by"] == "2027-03-16"  # Tue 2027-03-16
    (_, _, body), *_ = messages()
    assert "A plan to resolve the matter agreed: by Tuesday 16 March 2027." in body


def test_a_stage_without_on_accepted_sets_no_plan_date(line, use_pack):
    use_pack("england")
    c = line.council
    concern = raise_on(c)
    actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.iro.user)
    actions.respond(
        concern, accepted=True, reasons="Agreed", on=friday_12_march_2027,
        acting_user=c.team_manager.user,
    )  # fmt: skip
    assert concern.steps.get(kind="response").data["plan_by"] is None


# --- others_may_alert ----------------------------------------------------------------------------


def test_manchester_lets_the_chair_alert_the_others_its_protocol_names(line, use_pack):
    use_pack("manchester")
    c = line.council
    concern = raise_on(c)
    actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.iro.user)
    messages()
    with pytest.raises(actions.Refused, match="Legal Team, Head of Virtual School") as no:
        actions.alert(
            concern, party="Police", email="duty@police.invalid", on=dt.date(2027, 3, 10),
            acting_user=c.iro.user,
        )  # fmt: skip
    assert no.value.field == "party"
    actions.alert(
        concern, party="Head of Virtual School", email="virtual.school@council.invalid",
        on=dt.date(2027, 3, 10), acting_user=c.iro.user,
    )  # fmt: skip
    [(to, subject, body)] = messages()
    assert to == "virtual.school@council.invalid"
    assert subject.startswith("Alert to the Head of Virtual School")
    assert "Plan not updated" not in body  # a link, not the case
    assert f"/concerns/{concern.pk}/" in body
    # and copied into the next step
    actions.respond(
        concern, accepted=False, reasons="Disagree", on=dt.date(2027, 3, 11),
        acting_user=c.team_manager.user,
    )  # fmt: skip
    assert "virtual.school@council.invalid" in [to for to, _, _ in messages()]


def test_a_ladder_that_names_nobody_else_refuses_an_alert(line, use_pack):
    use_pack("england")
    c = line.council
    concern = raise_on(c)
    with pytest.raises(actions.Refused, match="nobody else"):
        actions.alert(
            concern, party="Legal Team", email="legal@council.invalid", acting_user=c.iro.user
        )


# --- the texts and people a ladder names -------------------------------------------------------


def test_a_refused_bypass_gives_the_packs_own_words(line, use_pack):
    use_pack("camden")
    c = line.council
    concern = raise_on(c)
    with pytest.raises(actions.Refused) as no:
        actions.issue_notice(
            concern, stage=3, agreed_by=line.safeguarding_service_manager,
            bypass_reason="serious", on=tuesday_9_march_2027, acting_user=c.iro.user,
        )  # fmt: skip
    # Camden's enter_any_stage.when
    assert no.value.message.endswith(
        "issue stage 1 next (Serious concerns may start at Stage 1 without the informal stage.)"
    )


def test_walsalls_stage_3_notice_says_who_meets(line, use_pack):
    use_pack("walsall")
    c = line.council
    record_event(c.child, EventType.LAC_START, dt.date(2027, 1, 4))  # Mon 2027-01-04
    concern = raise_on(c, ladder="iro")
    messages()
    actions.issue_notice(
        concern, stage=3, bypass_reason="Drift", on=tuesday_9_march_2027, acting_user=c.iro.user
    )
    (_, _, body), *_ = messages()
    # the meeting's attendees by Walsall's role names
    assert (
        "Meeting of: Head of Safeguarding and Quality Assurance, Practice Manager, Social worker."
        in body
    )
    due = actions.stage_meeting_due(concern)
    assert due is not None
    assert due["attendees"] == [
        "Head of Safeguarding and Quality Assurance",
        "Practice Manager",
        "Social worker",
    ]


def test_manchesters_referrals_name_its_arrangement_and_the_strategic_lead(line, use_pack):
    use_pack("manchester")
    c = line.council
    record_event(c.child, EventType.LAC_START, dt.date(2027, 1, 4))  # Mon 2027-01-04
    concern = raise_on(c)
    messages()
    actions.seek_legal_advice(
        concern, grounds="Drift", consulted=[c.iro_team_manager], on=dt.date(2027, 3, 2),
        acting_user=c.iro.user,
    )  # fmt: skip
    (_, _, body), *_ = messages()
    assert "Arrangement: Reciprocal arrangements between Manchester City Council and Wigan" in body
    actions.refer_to_cafcass(
        concern, grounds="Plan not implemented", consulted=[c.iro_team_manager],
        on=dt.date(2027, 3, 3), acting_user=c.iro.user,
    )  # fmt: skip
    (_, _, body), *_ = messages()
    assert "Also to be consulted: Strategic Lead for Safeguarding and Practice Improvement" in body
