"""`oversight reminders` for complaints: two working days before a complaint is to be
acknowledged or answered, and on the first working day after while it is not, its first point of
contact is emailed a link and no case content, once per deadline and kind however often it runs.

A complaint received Wed 23 December 2026 is to be acknowledged by Wed 30 December (Christmas Day
Fri 25 and Boxing Day's substitute Mon 28 December skipped) and answered by Mon 11 January 2027
(New Year's Day skipped too)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from oversight.cases.models import Cover
from oversight.complaints import actions
from oversight.complaints.constants import Complainant
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db


def at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC), tick=False)


def run(day: dt.date) -> str:
    out = io.StringIO()
    with at(day):
        call_command("reminders", stdout=out)
    return out.getvalue()


def reminders() -> list[tuple[str, str]]:
    return [
        (m.to_email.split("@")[0], m.subject)
        for m in Message.objects.filter(subject__contains="complaint").order_by("pk")
    ]


def test_the_chair_is_reminded_of_each_deadline_once_across_christmas(line, use_pack):
    use_pack("england")
    c = line.council
    wednesday_23_december = dt.date(2026, 12, 23)
    with at(wednesday_23_december):
        complaint = actions.record_complaint(
            c.child,
            complainant="Jo Larkfield",
            complainant_is=Complainant.PARENT,
            received_on=wednesday_23_december,
            summary="The chair did not let me speak",
            acting_user=c.iro.user,
        )
    assert "0 messages queued" in run(wednesday_23_december)
    # Thu 24 December: two working days before Wed 30 December (Fri 25 and Mon 28 are holidays)
    assert "1 messages queued" in run(dt.date(2026, 12, 24))
    assert "0 messages queued" in run(dt.date(2026, 12, 24))  # the same day again: nothing twice
    assert reminders() == [
        ("isla.brightwell", "Reminder: complaint acknowledgement due Wed 30 Dec 2026: C1000001")
    ]
    run(dt.date(2026, 12, 28))  # Mon 28 December, the bank holiday: nothing
    run(dt.date(2026, 12, 30))  # Wed 30 December, the due day: nothing
    assert len(reminders()) == 1
    # Thu 31 December: the first working day after, not yet acknowledged
    assert "1 messages queued" in run(dt.date(2026, 12, 31))
    overdue = Message.objects.order_by("-pk")[0]
    assert overdue.subject == (
        "Overdue: complaint acknowledgement was due Wed 30 Dec 2026: C1000001"
    )
    assert f"/complaints/{complaint.pk}/" in overdue.body  # the link
    for content in ("Jo Larkfield", "did not let me speak", "Poppy"):  # no case content
        assert content not in overdue.body and content not in overdue.subject
    assert "0 messages queued" in run(dt.date(2026, 12, 31))

    with at(dt.date(2026, 12, 31)):
        actions.acknowledge(complaint, on=dt.date(2026, 12, 31), acting_user=c.iro.user)
    # Thu 7 January: two working days before Mon 11 January
    run(dt.date(2027, 1, 7))
    assert reminders()[-1] == (
        "isla.brightwell",
        "Reminder: complaint response due Mon 11 Jan 2027: C1000001",
    )
    with at(dt.date(2027, 1, 8)):
        actions.record_response(
            complaint,
            on=dt.date(2027, 1, 8),
            outcome="not_upheld",
            response="The chair heard you",
            acting_user=c.iro.user,
        )
    assert "0 messages queued" in run(dt.date(2027, 1, 12))  # answered: no overdue reminder
    assert len(reminders()) == 3


def test_an_unanswered_complaint_is_overdue_to_the_chair_covering(line, use_pack):
    use_pack("england")
    c = line.council
    with at(dt.date(2026, 12, 23)):
        actions.record_complaint(
            c.child,
            complainant="Jo Larkfield",
            complainant_is=Complainant.PARENT,
            received_on=dt.date(2026, 12, 23),
            summary="Not heard",
            acting_user=c.iro.user,
        )
        before = Message.objects.count()
    Cover.objects.create(
        absent=c.iro,
        covering=c.other_iro,
        starts=dt.date(2027, 1, 11),
        ends=dt.date(2027, 1, 15),
        reason="Annual leave",
        granted_by=c.iro_team_manager.user,
        granted_at=dt.datetime(2027, 1, 8, 9, tzinfo=dt.UTC),
    )
    # Tue 12 January: the first working day after Mon 11 January, Isla away, Owen covering
    run(dt.date(2027, 1, 12))
    assert Message.objects.count() == before + 1
    assert reminders()[-1] == (
        "owen.carrow",
        "Overdue: complaint response was due Mon 11 Jan 2027: C1000001",
    )
