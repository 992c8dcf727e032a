"""Walsall's full written record of a looked-after review (seed 002, 5.2: "a full written record
within 20 days of review meeting or 15 days after the decisions are produced"), from the pages to
the IRO's caseload: the rule's two triggers, in days as the seed writes them (its other limits
say "working days"), whichever is later (the council's reading: the IRO who meets either limit has
met the rule, so the record is late only once both have passed).

The review is on Thu 17 December 2026; Christmas Day (Fri 25th), Boxing Day's substitute (Mon
28th) and New Year's Day (Fri 1 January 2027) are counted as any other day."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.models import Obligation
from oversight.cases.obligations import recompute_child

pytestmark = pytest.mark.django_db

THU_17_DECEMBER_2026 = dt.date(2026, 12, 17)
ROW = "Review record to be issued"


@pytest.fixture
def reviewed(council, use_pack):
    use_pack("walsall")
    child = make_child(reference="C4100001", first_name="Remy", date_of_birth=dt.date(2013, 5, 9))
    allocate(child, council.iro, Role.IRO, dt.date(2026, 11, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 11, 1))
    record_event(child, EventType.LAC_START, dt.date(2026, 11, 19))
    with time_machine.travel(dt.datetime(2026, 12, 24, 9, 0, tzinfo=dt.UTC), tick=False):
        record_event(child, EventType.LAC_REVIEW, THU_17_DECEMBER_2026)
        recompute_child(child, as_of=dt.date(2026, 12, 24))
        yield child


def record_due(child) -> tuple[str, str]:
    row = Obligation.objects.get(child=child, code="lac.review.record")
    return row.due.strftime("%a %Y-%m-%d"), row.status


def caseload_due(client, staff, child) -> list[str]:
    """The due days of the child's record rows on `staff`'s My caseload."""
    client.force_login(staff.user)
    page = client.get("/caseload/")
    assert page.status_code == 200
    rows = page.text.split('<tr class="govuk-table__row">')
    return [
        re.search(r'<time datetime="([0-9-]+)"', row).group(1)  # type: ignore[union-attr]
        for row in rows
        if ROW in row and child.first_name in row
    ]


def test_decisions_issued_late_move_the_record_to_15_days_after_them_on_the_iros_caseload(
    client, council, reviewed
):
    # no decisions yet: Thu 17 December + 20 days, Wed 6 January, on the IRO's caseload
    assert record_due(reviewed) == ("Wed 2027-01-06", "pending")
    assert caseload_due(client, council.iro, reviewed) == ["2027-01-06"]
    # the IRO issues the decisions on Christmas Eve, Thu 24 December (their own 5 working days,
    # met that day): + 15 days, Fri 8 January, later than the 20 days
    response = client.post(
        f"/children/{reviewed.pk}/meetings/review-issued/new/",
        {"date": "17 12 2026", "decisions_issued": "24 12 2026"},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert record_due(reviewed) == ("Fri 2027-01-08", "pending")
    assert Obligation.objects.get(child=reviewed, code="lac.review.decisions").status == "met"
    assert caseload_due(client, council.iro, reviewed) == ["2027-01-08"]
    # the IRO's, not the social worker's
    assert caseload_due(client, council.social_worker, reviewed) == []


def test_decisions_issued_early_leave_the_20_days(client, council, reviewed):
    # decisions on Mon 21 December + 15 days is Tue 5 January: the 20 days (Wed 6th) are later
    client.force_login(council.iro.user)
    response = client.post(
        f"/children/{reviewed.pk}/meetings/review-issued/new/",
        {"date": "17 12 2026", "decisions_issued": "21 12 2026"},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert record_due(reviewed) == ("Wed 2027-01-06", "pending")
    assert caseload_due(client, council.iro, reviewed) == ["2027-01-06"]
