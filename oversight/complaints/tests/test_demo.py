"""The demo council's complaints log (`build_demo_complaints`, run by `oversight demo`): a
parent's complaint about a review conference, naming it, on its chair's caseload (not the child's
IRO's: the chair is no longer the IRO) with the pack's dates, a child's complaint answered.

The demo's today is Mon 23 November 2026: the parent's complaint was received Thu 19 November."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from oversight.cases.models import Allocation, Obligation
from oversight.complaints.models import Complaint
from oversight.demo import Command

pytestmark = pytest.mark.django_db


def test_the_demo_builds_a_complaint_awaiting_its_chair_and_one_answered(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command(Command(), "--children", "200", "--seed", "1", "--as-of", "2026-11-23", stdout=out)
    assert "Complaints: 2 in the log." in out.getvalue()
    waiting, answered = Complaint.objects.order_by("-received_on")
    assert waiting.complainant_is == "parent" and waiting.received_on == dt.date(2026, 11, 19)
    assert waiting.chair is not None and waiting.answered_on is None
    assert waiting.meeting is not None and waiting.meeting.kind == "rcpc"
    assert waiting.meeting.chair == waiting.chair
    iro = Allocation.objects.get(child=waiting.child, role="iro", ends__isnull=True).staff
    assert iro != waiting.chair
    due = {
        o.code: (o.due, o.status, o.owner_staff)
        for o in Obligation.objects.filter(child=waiting.child, code__startswith="complaint.")
    }
    assert due == {
        # Thu 19 November + 3 working days: Fri 20, Mon 23, Tue 24; the chair's, not the IRO's
        "complaint.acknowledge": (dt.date(2026, 11, 24), "pending", waiting.chair),
        # + 10 working days: Thu 3 December
        "complaint.response": (dt.date(2026, 12, 3), "pending", waiting.chair),
    }
    assert answered.complainant_is == "child" and answered.outcome == "upheld"
    assert set(
        Obligation.objects.filter(child=answered.child, code__startswith="complaint.").values_list(
            "status", flat=True
        )
    ) == {"met"}
