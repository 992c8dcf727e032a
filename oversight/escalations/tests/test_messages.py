"""The exact text of every escalation message (subject and body), one ladder walk per pack.

The texts are templates (`templates/escalations/messages/`); these literal snapshots pin what each
party is sent, so that a change to a template is a change seen here. What leaves the building is
the least that brings the right person to the record (the stage, dates, who acted, the link),
never what the concern says: its issue, impact, reasons, grounds and outcome stay in Oversight."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.escalations import actions
from oversight.escalations.reminders import send_reminders
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.OVERSIGHT_BASE_URL = BASE


BASE = "https://oversight.council.example"


def sent() -> list[tuple[str, str, str]]:
    """The messages queued since the last call, (addressee, subject, body), then forgotten."""
    rows = [(m.to_email.split("@")[0], m.subject, m.body) for m in Message.objects.order_by("pk")]
    Message.objects.all().delete()
    return rows


def first(rows: list[tuple[str, str, str]]) -> tuple[str, str]:
    """One message's subject and body, after checking every copy says the same."""
    assert len({(subject, body) for _, subject, body in rows}) == 1
    return rows[0][1], rows[0][2]


def test_the_england_ladder_from_good_practice_to_resolution(line, use_pack):
    use_pack("england")
    c = line.council
    ref = c.child.reference
    link = "See the escalation record in Oversight: " + BASE + "/concerns/{}/"
    noted = actions.raise_concern(
        c.child, issue="Thorough visit notes", good_practice=True,
        on=dt.date(2027, 3, 1), acting_user=c.iro.user,
    )  # fmt: skip
    rows = sent()
    assert [r[0] for r in rows] == ["sami.fairholm", "tara.elsworth"]
    assert first(rows) == (
        f"Good practice noted: {ref}",
        "Isla Brightwell has noted good practice on this child's case. The escalation record "
        f"has the details.\n\nChild: {ref}\n" + link.format(noted.pk) + "\n",
    )
    concern = actions.raise_concern(
        c.child, issue="Core group not held", impact="No plan in force",
        on=dt.date(2027, 3, 1), acting_user=c.iro.user,
    )  # fmt: skip
    pk = concern.pk
    rows = sent()  # Mon 1 March 2027 + 5 working days: Mon 8 March
    assert [r[0] for r in rows] == ["sami.fairholm", "tara.elsworth"]
    assert first(rows) == (
        f"Informal resolution: a concern needs your response: {ref}",
        "Isla Brightwell has raised a concern (Informal resolution). The issue and its impact on "
        "the child are on the escalation record.\n\n"
        "Please respond in Oversight by Monday 8 March 2027.\n"
        "Recorded in: Informal resolution\n\n"  # the council's record (records.informal)
        f"Child: {ref}\n" + link.format(pk) + "\n",
    )
    actions.respond(
        concern, accepted=False, reasons="Held on 2 March", on=dt.date(2027, 3, 3),
        acting_user=c.team_manager.user,
    )  # fmt: skip
    rows = sent()
    assert [r[0] for r in rows] == ["isla.brightwell"]
    assert first(rows) == (
        f"Informal resolution: response, not accepted: {ref}",
        "Tara Elsworth has responded: not accepted. The reasons are on the escalation record.\n\n"
        f"Child: {ref}\n" + link.format(pk) + "\n",
    )
    actions.issue_notice(
        concern, stage=1, text="Please convene it.", on=dt.date(2027, 3, 9),
        acting_user=c.iro.user,
    )  # fmt: skip
    rows = sent()  # Tue 9 March 2027 + 5 working days: Tue 16 March
    assert first(rows) == (
        f"Notice of concern: Team manager: {ref}",
        "Isla Brightwell has issued a notice of concern at Team manager. The notice, the issue "
        "and its impact on the child are on the escalation record.\n\n"
        "Please respond in Oversight by Tuesday 16 March 2027.\n"
        "Recorded in: Formal dispute resolution\n\n"  # records.formal
        f"Child: {ref}\n" + link.format(pk) + "\n",
    )
    actions.extend(
        concern, respond_by=dt.date(2027, 3, 23), reason="Manager on leave",
        on=dt.date(2027, 3, 12), acting_user=c.iro.user,
    )  # fmt: skip
    rows = sent()
    assert first(rows) == (
        f"Team manager: deadline extended: {ref}",
        "The response is now due by Tuesday 23 March 2027. The reason is on the escalation "
        "record.\n\n"
        f"Child: {ref}\n" + link.format(pk) + "\n",
    )
    assert send_reminders(today=dt.date(2027, 3, 19)) == 2  # Fri 19: 2 working days before Tue 23
    rows = sent()
    assert [r[0] for r in rows] == ["tara.elsworth", "isla.brightwell"]
    assert first(rows) == (
        f"Reminder: Team manager response due Tue 23 Mar 2027: {ref}",
        "A response to this concern is due by Tuesday 23 March 2027.\n\n"
        f"Child: {ref}\n" + link.format(pk) + "\n",
    )
    assert send_reminders(today=dt.date(2027, 3, 24)) == 2  # Wed 24: 1 working day after
    assert first(sent()) == (
        f"Overdue: Team manager response was due Tue 23 Mar 2027: {ref}",
        "The response was due by Tuesday 23 March 2027 and has not been recorded. "
        "Chair: escalate or extend.\n\n"
        f"Child: {ref}\n" + link.format(pk) + "\n",
    )
    actions.seek_legal_advice(
        concern, grounds="Drift in planning", consulted=[c.iro_team_manager],
        on=dt.date(2027, 3, 25), acting_user=c.iro.user,
    )  # fmt: skip
    rows = sent()
    assert [r[0] for r in rows] == ["wren.ashdown"]
    assert first(rows) == (
        f"Formal dispute resolution (national baseline): independent legal advice: {ref}",
        "Isla Brightwell has recorded independent legal advice. The grounds are on the escalation "
        "record.\n\n"
        f"Child: {ref}\n" + link.format(pk) + "\n",
    )
    actions.resolve(concern, outcome="Core group held", on=dt.date(2027, 3, 26),
                    acting_user=c.iro.user)  # fmt: skip
    rows = sent()
    assert [r[0] for r in rows] == ["sami.fairholm", "tara.elsworth"]
    assert first(rows) == (
        f"Formal dispute resolution (national baseline): concern resolved: {ref}",
        "The concern has been resolved. The outcome is on the escalation record.\n"
        "Recorded in: Formal dispute resolution\n\n"
        f"Child: {ref}\n" + link.format(pk) + "\n",
    )


def test_camdens_warning(line, use_pack):
    use_pack("camden")
    c = line.council
    ref = c.child.reference
    concern = actions.raise_concern(
        c.child, issue="Report not shared", impact="Parents unprepared",
        on=dt.date(2027, 5, 20), acting_user=c.iro.user,
    )  # fmt: skip
    sent()
    actions.warn(concern, on=dt.date(2027, 6, 7), acting_user=c.iro.user)
    rows = sent()
    assert first(rows) == (
        f"Notification of possible formal notification to the service manager: {ref}",
        "Isla Brightwell: Notification of possible formal notification to the service manager. "
        "Please respond by Monday 21 June 2027."
        f"\n\nChild: {ref}\nSee the escalation record in Oversight: {BASE}/concerns/{concern.pk}/\n",
    )


def test_walsalls_stage_meeting_and_recording(line, use_pack):
    use_pack("walsall")
    c = line.council
    ref = c.child.reference
    record_event(c.child, EventType.LAC_START, dt.date(2027, 1, 4))
    concern = actions.raise_concern(
        c.child, issue="Plan not updated", impact="Drift", ladder="iro",
        on=dt.date(2027, 3, 1), acting_user=c.iro.user,
    )  # fmt: skip
    actions.issue_notice(concern, stage=1, on=dt.date(2027, 3, 9), acting_user=c.iro.user)
    sent()
    actions.issue_notice(concern, stage=2, on=dt.date(2027, 3, 17), acting_user=c.iro.user)
    footer = (
        f"\n\nChild: {ref}\nSee the escalation record in Oversight: {BASE}/concerns/{concern.pk}/\n"
    )
    assert first(sent()) == (
        f"Notice of concern: Stage 2: {ref}",
        "Isla Brightwell has issued a notice of concern at Stage 2. The notice, the issue and its "
        "impact on the child are on the escalation record.\n\n"
        "Please respond in Oversight by Wednesday 24 March 2027.\n"
        "A meeting must be held by Wednesday 24 March 2027.\n"
        "Recorded in: Formal Resolution (set format)" + footer,  # Walsall's records.formal
    )
    actions.record_stage_meeting(
        concern, held_on=dt.date(2027, 3, 22), attendees=["Sol Ibbotson", "Tara Elsworth"],
        outcome="Plan to be updated", on=dt.date(2027, 3, 23), acting_user=c.iro.user,
    )  # fmt: skip
    assert first(sent()) == (
        f"Stage 2: meeting recorded: {ref}",
        "Isla Brightwell has recorded the meeting of Monday 22 March 2027. Who attended and the "
        "outcome are on the escalation record." + footer,
    )
    actions.resolve(concern, outcome="Plan updated", on=dt.date(2027, 3, 24),
                    acting_user=c.iro.user)  # fmt: skip
    assert first(sent()) == (
        f"Escalation and Formal Resolution Process (IROs): concern resolved: {ref}",
        "The concern has been resolved. The outcome is on the escalation record.\n\n"
        "The use of Formal Resolution at any stage, and its outcome, "
        "recorded by the IRO on the child's file: by Friday 2 April 2027.\n"
        "Recorded in: Formal Resolution (set format)" + footer,
    )


def test_manchesters_prompt_to_the_iro_team_manager(line, use_pack):
    use_pack("manchester")
    c = line.council
    ref = c.child.reference
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", on=dt.date(2027, 3, 1), acting_user=c.iro.user
    )
    actions.issue_notice(concern, stage=1, on=dt.date(2027, 3, 9), acting_user=c.iro.user)
    sent()
    send_reminders(today=dt.date(2027, 3, 17))  # Wed 17: the first working day after Tue 16
    footer = (
        f"\n\nChild: {ref}\nSee the escalation record in Oversight: {BASE}/concerns/{concern.pk}/\n"
    )
    prompt = [r for r in sent() if r[1].startswith("No response")]
    assert prompt == [
        (
            "wren.ashdown",
            f"No response at Stage 1 \N{EN DASH} Recommendation / Starred Recommendation: {ref}",
            "No response by Tuesday 16 March 2027. An unresolved concern is discussed with the "
            "IRO Team Manager, who decides on stage 2." + footer,
        )
    ]
