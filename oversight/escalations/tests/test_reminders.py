"""`oversight reminders`: two working days before a response is due and the first working day
after it, to the addressee and the chair, once per (obligation, kind, day)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from oversight.escalations import actions
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db

LONDON = dt.timezone(dt.timedelta(hours=1))  # BST


def run() -> str:
    out = io.StringIO()
    call_command("reminders", stdout=out)
    return out.getvalue()


def reminders() -> list[tuple[str, str]]:
    return sorted(
        (m.to_email.split("@")[0], m.subject.split(":")[0])
        for m in Message.objects.filter(subject__regex=r"^(Reminder|Overdue)")
    )


def test_it_reminds_before_and_after_the_camden_informal_deadline(line, use_pack):
    use_pack("camden")
    c = line.council
    with time_machine.travel(dt.datetime(2027, 5, 20, 10, 0, tzinfo=LONDON), tick=False):
        actions.raise_concern(c.child, issue="x", impact="y", acting_user=c.iro.user)
    # due Fri 2027-06-04 (10 working days, skipping the bank holiday Mon 31 May)
    with time_machine.travel(dt.datetime(2027, 6, 1, 7, 0, tzinfo=LONDON), tick=False):
        run()
    assert reminders() == []  # Tue 1 June: three working days before, nothing yet
    with time_machine.travel(dt.datetime(2027, 6, 2, 7, 0, tzinfo=LONDON), tick=False):
        assert "3 messages queued" in run()  # Wed 2 June: two working days before
        assert "0 messages queued" in run()  # the same day again: nothing twice
    assert reminders() == [
        ("isla.brightwell", "Reminder"),  # the chair
        ("sami.fairholm", "Reminder"),  # the addressees: social worker and team manager
        ("tara.elsworth", "Reminder"),
    ]
    with time_machine.travel(dt.datetime(2027, 6, 5, 7, 0, tzinfo=LONDON), tick=False):
        run()  # Sat 5 June: not a working day
    with time_machine.travel(dt.datetime(2027, 6, 7, 7, 0, tzinfo=LONDON), tick=False):
        run()  # Mon 7 June: the first working day after the due date
    assert [k for _, k in reminders()].count("Overdue") == 3


def test_it_reminds_the_stage_addressee_across_christmas(line, use_pack):
    use_pack("camden")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", on=dt.date(2027, 12, 1), acting_user=c.iro.user
    )
    actions.issue_notice(
        concern, stage=1, agreed_by=line.safeguarding_service_manager,
        on=dt.date(2027, 12, 22), acting_user=c.iro.user,
    )  # fmt: skip
    Message.objects.all().delete()
    # due Fri 2027-12-31: two working days before is Wed 29 (Mon 27, Tue 28 are bank holidays)
    with time_machine.travel(dt.datetime(2027, 12, 29, 7, 0, tzinfo=dt.UTC), tick=False):
        run()
    assert reminders() == [
        ("isla.brightwell", "Reminder"),
        ("tara.elsworth", "Reminder"),
        ("wren.ashdown", "Reminder"),
    ]
    # the first working day after Fri 31 Dec is Tue 4 Jan 2028 (Mon 3 Jan: New Year substitute)
    with time_machine.travel(dt.datetime(2028, 1, 3, 7, 0, tzinfo=dt.UTC), tick=False):
        run()
    assert [k for _, k in reminders()].count("Overdue") == 0
    with time_machine.travel(dt.datetime(2028, 1, 4, 7, 0, tzinfo=dt.UTC), tick=False):
        run()
    assert [k for _, k in reminders()].count("Overdue") == 3


def test_it_sends_nothing_once_the_response_is_in(line, use_pack):
    use_pack("england")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", on=dt.date(2027, 3, 1), acting_user=c.iro.user
    )
    actions.respond(
        concern,
        accepted=False,
        reasons="No",
        on=dt.date(2027, 3, 2),
        acting_user=c.team_manager.user,
    )
    # due Mon 2027-03-08; two working days before: Thu 4 March
    with time_machine.travel(dt.datetime(2027, 3, 4, 7, 0, tzinfo=dt.UTC), tick=False):
        assert "0 messages queued" in run()


def test_it_issues_walsalls_formal_protocol_when_the_manager_does_not_answer(line, use_pack):
    use_pack("walsall")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", ladder="cp", on=dt.date(2027, 3, 1), acting_user=c.iro.user
    )  # informal response due Mon 2027-03-08 (5 working days)
    with time_machine.travel(dt.datetime(2027, 3, 8, 7, 0, tzinfo=dt.UTC), tick=False):
        run()
    concern.refresh_from_db()
    assert concern.stage == 0  # the due day itself: not yet
    with time_machine.travel(dt.datetime(2027, 3, 9, 7, 0, tzinfo=dt.UTC), tick=False):
        run()  # Tue 9 March: the first working day after, "no response in 5 days"
    concern.refresh_from_db()
    assert concern.stage == 1  # Walsall: the chair triggers the formal protocol
    notice = concern.notices.get()
    assert notice.issued_on == dt.date(2027, 3, 9)
    assert notice.respond_by == dt.date(2027, 3, 16)  # Tue
    assert concern.steps.get(kind="notice").data["automatic"] is True
    assert [p["name"] for p in notice.recipients] == [
        "Sol Ibbotson",
        "Greta Holloway",
        "Hana Juniper",
        "Isla Brightwell",  # the chair is told the notice went out
    ]


def test_it_prompts_manchesters_iro_team_manager_after_stage_one(line, use_pack):
    use_pack("manchester")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", on=dt.date(2027, 3, 1), acting_user=c.iro.user
    )
    actions.issue_notice(concern, stage=1, on=dt.date(2027, 3, 9), acting_user=c.iro.user)
    # stage 1 due Tue 2027-03-16; the first working day after: Wed 17 March
    with time_machine.travel(dt.datetime(2027, 3, 17, 7, 0, tzinfo=dt.UTC), tick=False):
        run()
    prompts = Message.objects.filter(subject__startswith="No response at Stage 1")
    assert [m.to_email.split("@")[0] for m in prompts] == ["wren.ashdown"]
    concern.refresh_from_db()
    assert concern.stage == 1  # a prompt, not an escalation: the IRO team manager decides
