"""The foster carer figures for December 2026, counted on Sun 10 January 2027: households, not
children, each review owed from the engine's `carer.review.*` rows (12 months from approval, then
from the last review), so that held early, held late, never held and held after the period differ.

    FC1 approved Tue 1 Dec 2025: due Tue 1 Dec 2026, held Mon 30 Nov        in time
    FC2 approved Tue 15 Dec 2025: due Tue 15 Dec 2026, held Fri 18 Dec      late; not to continue,
                                                                            new terms
    FC3 approved Thu 10 Dec 2025: due Thu 10 Dec 2026, never held           late, overdue on 31 Dec
    FC4 reviewed Fri 19 Dec 2025: due Sat 19 Dec 2026, held Thu 17 Dec      in time; continue
    FC5 approved Sat 5 Dec 2025, deregistered without a review              owes none
    FC6 approved Mon 2 Nov 2025: due Mon 2 Nov 2026, held Tue 5 Jan 2027    overdue on 31 Dec
    FC7 approved Fri 1 Jan 2026: due Fri 1 Jan 2027                         not in December

Concerns: raised Tue 1 Dec and resolved Sun 20 Dec; raised Fri 20 Nov, open; raised Tue 15 Dec,
open; raised Thu 1 Oct and resolved Wed 25 Nov (not open in December); raised Tue 5 Jan 2027."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oversight.fostering.constants import CarerStatus
from oversight.fostering.factories import make_carer, make_carer_concern
from oversight.fostering.models import CarerReview
from oversight.fostering.tests.conftest import corporate_iro  # noqa: F401 - a fixture
from oversight.meetings.tests.conftest import freeze
from oversight.reports.documents import document
from oversight.reports.figures import Period, Scope, figures
from oversight.reports.tests.test_pages import DECEMBER, figure_text

pytestmark = pytest.mark.django_db

DECEMBER_2026 = Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
SUNDAY_10_JANUARY_2027 = dt.date(2027, 1, 10)

CARERS = {
    "carer_reviews_in_time": (2, 4),  # FC1, FC4 of FC1, FC2, FC3, FC4
    "carer_reviews_overdue": (2, None),  # FC3, FC6
    "carer_reviews_held": (2, None),  # FC2, FC4
    "carer_reviews_continue": (1, 2),  # FC4
    "carer_reviews_new_terms": (1, 2),  # FC2
    "carer_concerns_raised": (2, None),  # 1 Dec, 15 Dec
    "carer_concerns_resolved": (1, 3),  # 1 Dec's, of 1 Dec's, 20 Nov's, 15 Dec's
}


def _review(carer, chair, held_on, *, continue_to_foster=True, terms_appropriate=True):
    CarerReview.objects.create(
        carer=carer,
        held_on=held_on,
        chaired_by=chair,
        continue_to_foster=continue_to_foster,
        household_appropriate=True,
        terms_appropriate=terms_appropriate,
        new_terms="" if terms_appropriate else "1 child aged 0 to 4, short-term",
        created_at=timezone.now(),
    )


@pytest.fixture
def households(council, corporate_iro):  # noqa: F811
    d = dt.date
    one = make_carer(reference="FC1", approved_on=d(2025, 12, 1))
    _review(one, corporate_iro, d(2026, 11, 30))
    two = make_carer(reference="FC2", approved_on=d(2025, 12, 15))
    _review(two, corporate_iro, d(2026, 12, 18), continue_to_foster=False, terms_appropriate=False)
    make_carer(reference="FC3", approved_on=d(2025, 12, 10))
    four = make_carer(reference="FC4", approved_on=d(2024, 12, 20))
    _review(four, corporate_iro, d(2025, 12, 19))
    _review(four, corporate_iro, d(2026, 12, 17))
    make_carer(reference="FC5", approved_on=d(2025, 12, 5), status=CarerStatus.DEREGISTERED)
    six = make_carer(reference="FC6", approved_on=d(2025, 11, 2))
    _review(six, corporate_iro, d(2027, 1, 5))
    make_carer(reference="FC7", approved_on=d(2026, 1, 1))
    for raised, resolved in (
        (d(2026, 12, 1), d(2026, 12, 20)),
        (d(2026, 11, 20), None),
        (d(2026, 12, 15), None),
        (d(2026, 10, 1), d(2026, 11, 25)),
        (d(2027, 1, 5), None),
    ):
        make_carer_concern(
            one, corporate_iro, raised_on=raised, stage_since=raised, resolved_on=resolved
        )


def carer_numbers(period: Period) -> dict[str, tuple[int, int | None]]:
    with freeze(SUNDAY_10_JANUARY_2027):
        found = figures(Scope(), period, list(CARERS))
    return {f.key: (f.numerator, f.denominator) for f in found}


def test_it_counts_the_carers_reviews_and_concerns(households):
    assert carer_numbers(DECEMBER_2026) == CARERS


def test_a_review_still_to_come_is_not_yet_counted(council):
    make_carer(reference="FC3", approved_on=dt.date(2025, 12, 10))  # due Thu 10 Dec 2026
    for today, expected in ((dt.date(2026, 12, 10), (0, 0)), (dt.date(2026, 12, 11), (0, 1))):
        with freeze(today):  # on its due day still in time; the day after, late
            found = figures(Scope(), DECEMBER_2026, ["carer_reviews_in_time"])
        assert (found[0].numerator, found[0].denominator) == expected
    assert found[0].children() == []  # a household's figure: no child is behind it


def test_the_dashboard_and_the_annual_report_show_them(client, council, households):
    client.force_login(council.iro_team_manager.user)
    with freeze(SUNDAY_10_JANUARY_2027):
        dashboard = client.get(f"/reports/?{DECEMBER}")
        annual = client.get(f"/reports/documents/annual/?{DECEMBER}")
        found = document("annual", Scope(), DECEMBER_2026)
    assert 'id="figures-foster-carers"' in dashboard.text
    for page in (dashboard, annual):
        assert figure_text(page, "carer_reviews_in_time") == "2 of 4 (50%)"
        assert figure_text(page, "carer_reviews_overdue") == "2"
        assert figure_text(page, "carer_concerns_resolved") == "1 of 3 (33.3%)"
    section = next(s for s in found.sections if s.heading == "Foster carer reviews and concerns")
    assert [f.key for f in section.figures] == list(CARERS)
