"""People kept informed, as each pack says: Camden's "notified to all parties" (everyone addressed
so far and the CP service manager who agrees each stage, `all_parties_told` and `kept_informed`),
Leicestershire's IRO team manager kept informed throughout the formal process and its Service
Manager told of Cafcass and legal advice (`told`), Manchester's IRO team manager told of a "not
accepted" reply (`not_accepted_copied`), and reminders to the IRO covering an absent chair.

People (all different): Isla the chair, Sami the social worker, Tara his team manager, Sol the
service manager, Wren the IRO team manager, Greta the safeguarding service manager; Owen another
IRO who covers Isla."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.allocations import give_cover
from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.escalations import actions
from oversight.escalations.reminders import send_reminders
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db

monday_1_march_2027 = dt.date(2027, 3, 1)
tuesday_9_march_2027 = dt.date(2027, 3, 9)


def told(step_or_notice) -> list[str]:
    return sorted(p["name"] for p in step_or_notice.recipients)


def emailed() -> list[str]:
    rows = sorted({m.to_email.split("@")[0] for m in Message.objects.all()})
    Message.objects.all().delete()
    return rows


def raise_on(c, ladder=None):
    return actions.raise_concern(
        c.child, issue="Plan not updated", impact="Drift", ladder=ladder,
        on=monday_1_march_2027, acting_user=c.iro.user,
    )  # fmt: skip


def test_camden_notifies_all_parties_of_a_response_at_stage_2(line, use_pack):
    use_pack("camden")
    c = line.council
    ssm = line.safeguarding_service_manager
    concern = raise_on(c)
    actions.issue_notice(concern, stage=1, agreed_by=ssm, on=tuesday_9_march_2027,
                         acting_user=c.iro.user)  # fmt: skip
    actions.issue_notice(concern, stage=2, agreed_by=ssm, on=dt.date(2027, 3, 16),
                         acting_user=c.iro.user)  # fmt: skip
    Message.objects.all().delete()
    actions.respond(
        concern, accepted=False, reasons="Visits are planned", on=dt.date(2027, 3, 18),
        acting_user=line.service_manager.user,
    )  # fmt: skip
    response = concern.steps.get(kind="response", stage=2)
    # the chair; the agreeing CP service manager; everyone addressed so far (the social worker
    # and team manager informally, the team manager and IRO manager at stage 1); not Sol, who
    # answered
    assert told(response) == [
        "Greta Holloway",
        "Isla Brightwell",
        "Sami Fairholm",
        "Tara Elsworth",
        "Wren Ashdown",
    ]
    assert emailed() == [
        "greta.holloway", "isla.brightwell", "sami.fairholm", "tara.elsworth", "wren.ashdown",
    ]  # fmt: skip


def test_camden_tells_nobody_more_while_the_concern_is_informal(line, use_pack):
    use_pack("camden")
    c = line.council
    raise_on(c)
    assert emailed() == ["sami.fairholm", "tara.elsworth"]


def test_leicestershire_keeps_the_iro_team_manager_informed_of_a_response(line, use_pack):
    use_pack("leicestershire")
    c = line.council
    concern = raise_on(c)
    actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.iro.user)
    Message.objects.all().delete()
    actions.respond(
        concern, accepted=False, reasons="Disagree", on=dt.date(2027, 3, 11),
        acting_user=c.team_manager.user,
    )  # fmt: skip
    assert emailed() == ["isla.brightwell", "wren.ashdown"]


def test_leicestershire_tells_the_service_manager_of_legal_advice(line, use_pack):
    use_pack("leicestershire")
    c = line.council
    concern = raise_on(c)
    Message.objects.all().delete()
    step = actions.seek_legal_advice(
        concern, grounds="Drift", consulted=[c.iro_team_manager], on=dt.date(2027, 3, 2),
        acting_user=c.iro.user,
    )  # fmt: skip
    # the line manager consulted, and the Service Manager, Safeguarding and Performance told
    assert told(step) == ["Greta Holloway", "Wren Ashdown"]


def test_leicestershire_tells_the_service_manager_of_a_cafcass_referral(line, use_pack):
    use_pack("leicestershire")
    c = line.council
    record_event(c.child, EventType.LAC_START, dt.date(2027, 1, 4))  # Mon 2027-01-04
    concern = raise_on(c)
    step = actions.refer_to_cafcass(
        concern, grounds="Plan not implemented", consulted=[c.iro_team_manager],
        meeting_on=dt.date(2027, 3, 2), on=dt.date(2027, 3, 3), acting_user=c.iro.user,
    )  # fmt: skip
    assert "Greta Holloway" in told(step)


def test_manchester_tells_the_iro_team_manager_when_stage_1_is_not_accepted(line, use_pack):
    use_pack("manchester")
    c = line.council
    concern = raise_on(c)
    actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.iro.user)
    Message.objects.all().delete()
    actions.respond(
        concern, accepted=False, reasons="Not needed", on=dt.date(2027, 3, 11),
        acting_user=c.team_manager.user,
    )  # fmt: skip
    # the IRO Team Manager, who decides on stage 2, is told; so is the chair
    assert emailed() == ["isla.brightwell", "wren.ashdown"]


def test_manchester_does_not_tell_the_iro_team_manager_of_an_accepted_recommendation(
    line, use_pack
):
    use_pack("manchester")
    c = line.council
    concern = raise_on(c)
    actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.iro.user)
    Message.objects.all().delete()
    actions.respond(
        concern, accepted=True, reasons="Agreed", on=dt.date(2027, 3, 11),
        acting_user=c.team_manager.user,
    )  # fmt: skip
    assert emailed() == ["isla.brightwell"]


def test_reminders_go_to_the_iro_covering_an_absent_chair(line, use_pack):
    use_pack("england")
    c = line.council
    concern = raise_on(c)
    actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.iro.user)
    # due Tue 16 March; Isla is away Fri 12 to Fri 19 March 2027, Owen covers her
    give_cover(
        c.iro, covering=c.other_iro, starts=dt.date(2027, 3, 12), ends=dt.date(2027, 3, 19),
        reason="Annual leave", acting_user=c.iro_team_manager.user,
    )  # fmt: skip
    Message.objects.all().delete()
    send_reminders(today=dt.date(2027, 3, 12))  # Fri 12: 2 working days before Tue 16
    assert emailed() == ["owen.carrow", "tara.elsworth"]  # not Isla, who is away
    send_reminders(today=dt.date(2027, 3, 17))  # Wed 17: the first working day after
    assert emailed() == ["owen.carrow", "tara.elsworth"]


def test_reminders_go_back_to_the_chair_when_the_cover_ends(line, use_pack):
    use_pack("england")
    c = line.council
    concern = raise_on(c)
    actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.iro.user)
    give_cover(
        c.iro, covering=c.other_iro, starts=dt.date(2027, 3, 8), ends=dt.date(2027, 3, 11),
        reason="Training", acting_user=c.iro_team_manager.user,
    )  # fmt: skip  # Mon 8 to Thu 11 March
    Message.objects.all().delete()
    send_reminders(today=dt.date(2027, 3, 12))  # Fri 12: the cover ended on Thu 11
    assert emailed() == ["isla.brightwell", "tara.elsworth"]


def test_those_only_kept_informed_get_the_link_not_the_case(line, use_pack):
    use_pack("leicestershire")
    c = line.council
    concern = raise_on(c)
    Message.objects.all().delete()
    actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.iro.user)
    to_wren = Message.objects.get(to_email=c.iro_team_manager.user.email)
    assert (
        to_wren.subject
        == f"For information: Stage One \N{EN DASH} Team Manager: {c.child.reference}"
    )
    assert "Plan not updated" not in to_wren.body  # the issue stays in the record
    assert "Drift" not in to_wren.body
    assert f"/concerns/{concern.pk}/" in to_wren.body
    # the team manager, who must answer, is sent the notice and its deadline, the issue no more
    # than anyone (what leaves the building is the link and the least words)
    to_tara = Message.objects.get(to_email=c.team_manager.user.email)
    assert "has issued a notice of concern at Stage One" in to_tara.body
    assert "Please respond in Oversight by" in to_tara.body
    assert "Plan not updated" not in to_tara.body


def manchester_at_stage_2(line):
    c = line.council
    concern = raise_on(c)
    actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.iro.user)
    wednesday_17_march_2027 = dt.date(2027, 3, 17)
    actions.issue_notice(
        concern, stage=2, agreed_by=c.iro_team_manager, on=wednesday_17_march_2027,
        acting_user=c.iro_team_manager.user,
    )  # fmt: skip
    return concern


@pytest.mark.parametrize("accepted", [False, True])
def test_manchesters_stage_3_commences_5_working_days_after_a_stage_2_not_accepted(
    line, use_pack, accepted
):
    use_pack("manchester")
    concern = manchester_at_stage_2(line)
    actions.respond(
        concern, accepted=accepted, reasons="The plan stands", on=dt.date(2027, 3, 18),
        acting_user=line.service_manager.user,
    )  # fmt: skip
    # 5 working days from Wed 17 March: Wed 24 March; stage 3 commences after that
    send_reminders(today=dt.date(2027, 3, 24))
    concern.refresh_from_db()
    assert concern.stage == 2
    send_reminders(today=dt.date(2027, 3, 25))  # Thu 2027-03-25
    concern.refresh_from_db()
    if accepted:
        assert concern.stage == 2  # an accepted recommendation starts nothing
        return
    assert concern.stage == 3
    notice = concern.notices.get(stage=3)
    assert notice.issued_on == dt.date(2027, 3, 25)
    assert [p["name"] for p in notice.recipients][:2] == ["Hana Juniper", "Greta Holloway"]
    step = concern.steps.get(kind="notice", stage=3)
    assert step.text == "Issued automatically: not accepted at " + (
        "Stage 2 \N{EN DASH} Formal Resolution \N{EN DASH} Locality Service Lead / Safeguarding and Quality "
        "Assurance Manager by Wednesday 24 March 2027."
    )
    send_reminders(today=dt.date(2027, 3, 26))  # applied once
    assert concern.notices.count() == 3


def test_a_late_not_accepted_reply_starts_the_next_stage_at_the_next_run(line, use_pack):
    use_pack("manchester")
    concern = manchester_at_stage_2(line)
    # the reply comes after the 5 working days (Wed 24 March), with no run in between
    actions.respond(
        concern, accepted=False, reasons="Disagree", on=dt.date(2027, 3, 29),
        acting_user=line.service_manager.user,
    )  # fmt: skip  # Mon 2027-03-29
    send_reminders(today=dt.date(2027, 3, 30))  # Tue 2027-03-30
    concern.refresh_from_db()
    assert concern.stage == 3
