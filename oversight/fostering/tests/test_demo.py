"""The demo council's foster carers (`build_demo_carers`, run by `oversight demo`): a corporate
IRO, four households counted back from the demo's today (Mon 23 November 2026), one overdue, and
children placed with two of them."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from oversight.cases.constants import Role
from oversight.cases.models import StaffMember
from oversight.demo import Command
from oversight.fostering.models import Carer
from oversight.fostering.placements import placed_with
from oversight.fostering.reviews import carers_by_review

pytestmark = pytest.mark.django_db


def test_the_demo_builds_carers_with_one_review_overdue(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command(Command(), "--children", "200", "--seed", "1", "--as-of", "2026-11-23", stdout=out)
    assert "Foster carers: 4 households, and their corporate IRO." in out.getvalue()
    chair = StaffMember.objects.get(user__username="cora.lindqvist")
    assert chair.roles == {Role.CORPORATE_IRO}
    monday_23_november_2026 = dt.date(2026, 11, 23)
    rows = carers_by_review(monday_23_november_2026)
    assert [(r.carer.reference, r.due.due if r.due else None, r.overdue) for r in rows] == [
        ("FC1002", dt.date(2026, 9, 23), True),  # approved Tue 23 Sep 2025, never reviewed
        ("FC1001", dt.date(2027, 5, 23), False),  # last reviewed Sat 23 May 2026
        ("FC1003", dt.date(2027, 6, 23), False),  # approved Tue 23 Jun 2026
        ("FC1004", dt.date(2027, 7, 23), False),  # last reviewed Thu 23 Jul 2026
    ]
    placed = {
        c.reference: len(placed_with(c.reference, as_of=monday_23_november_2026, seen_by=chair))
        for c in Carer.objects.all()
    }
    assert placed == {"FC1001": 2, "FC1002": 0, "FC1003": 0, "FC1004": 1}
    # Each household supervised by a social worker whose line manager answers stage 1.
    supervisors = {c.supervising_social_worker for c in Carer.objects.all()}
    assert len(supervisors) == 1
    (supervisor,) = supervisors
    assert supervisor is not None and Role.SOCIAL_WORKER in supervisor.roles
    assert supervisor.line_manager is not None
