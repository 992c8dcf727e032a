"""When a household's next review falls due: within a year of approval, then within a year of
each review (Fostering Services (England) Regulations 2011, reg 28), months counted as the engine
counts them (the same day, else the month's last day)."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.fostering.constants import CarerStatus
from oversight.fostering.factories import make_carer
from oversight.fostering.reviews import carers_by_review, next_review, review_due

pytestmark = pytest.mark.django_db


def test_it_wants_the_first_review_within_a_year_of_approval_on_a_leap_day():
    thursday_29_february_2024 = dt.date(2024, 2, 29)
    due = next_review(thursday_29_february_2024, None)
    assert due.code == "carer.review.first"
    assert due.due == dt.date(2025, 2, 28)  # Fri 28 Feb 2025: 2025 has no 29 February
    assert "reg 28" in due.source


def test_it_counts_the_next_review_from_the_last_one_at_a_month_end():
    saturday_31_january_2026 = dt.date(2026, 1, 31)
    due = next_review(dt.date(2024, 2, 29), saturday_31_january_2026)
    assert due.code == "carer.review.next"
    assert due.due == dt.date(2027, 1, 31)  # Sun 31 Jan 2027: calendar months, no working days


def test_it_counts_from_the_latest_review_stored(council, corporate_iro):
    from django.utils import timezone

    from oversight.fostering.models import CarerReview

    carer = make_carer(approved_on=dt.date(2023, 6, 5))
    for held_on in (dt.date(2024, 5, 20), dt.date(2025, 5, 19)):
        CarerReview.objects.create(
            carer=carer,
            held_on=held_on,
            chaired_by=corporate_iro,
            continue_to_foster=True,
            household_appropriate=True,
            terms_appropriate=True,
            created_at=timezone.now(),
        )
    due = review_due(carer)
    assert due is not None
    assert due.due == dt.date(2026, 5, 19)  # Tue 19 May 2026, a year after the later review


def test_a_deregistered_household_is_owed_no_review():
    carer = make_carer(status=CarerStatus.DEREGISTERED)
    assert review_due(carer) is None


def test_it_lists_the_overdue_first(council):
    make_carer(reference="FC1003", names="Due later", approved_on=dt.date(2026, 6, 1))
    make_carer(reference="FC1002", names="Overdue", approved_on=dt.date(2025, 10, 1))
    make_carer(reference="FC1001", names="Gone", status=CarerStatus.DEREGISTERED)
    thursday_3_december_2026 = dt.date(2026, 12, 3)
    rows = carers_by_review(thursday_3_december_2026)
    assert [(r.carer.reference, r.overdue) for r in rows] == [
        ("FC1002", True),  # due Thu 1 Oct 2026, before today
        ("FC1003", False),  # due Tue 1 Jun 2027
        ("FC1001", False),  # deregistered: none owed, last
    ]
