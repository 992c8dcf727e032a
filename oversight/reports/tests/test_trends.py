"""The dashboard's trends on the December council: the 12 months to December 2026, as bars
and as the table beside them, with the same numbers."""

from __future__ import annotations

import pytest

from oversight.reports.figures import Period, Scope
from oversight.reports.tests.conftest import d
from oversight.reports.tests.test_pages import DECEMBER
from oversight.reports.trends import months, trends

pytestmark = pytest.mark.django_db


def test_its_months_are_the_twelve_whole_months_to_the_last_day():
    found = months(d("Thu 2026-12-31"))
    assert found[0] == Period(d("Thu 2026-01-01"), d("Sat 2026-01-31"))
    assert found[1] == Period(d("Sun 2026-02-01"), d("Sat 2026-02-28"))  # no 29th in 2026
    assert found[-1] == Period(d("Tue 2026-12-01"), d("Thu 2026-12-31"))
    assert len(found) == 12
    assert months(d("Mon 2027-03-15"))[0] == Period(d("Wed 2026-04-01"), d("Thu 2026-04-30"))


def test_it_gives_each_months_numbers_and_bars(december):
    found = {t.key: t for t in trends(Scope(), d("Thu 2026-12-31"))}
    icpcs = found["icpc_within_15_wd"]
    assert icpcs.percentage and icpcs.top == 100
    texts = [b.figure.text for b in icpcs.bars]
    assert texts[-2:] == [
        "0 of 1 (0%)",
        "3 of 5 (60%)",
    ]  # Eve's on Mon 30 Nov, 20 working days: late
    assert texts[:10] == ["0 of 0"] * 10
    assert icpcs.bars[-1].height == 108.0  # 60% of the 180 units of the drawing
    assert icpcs.bars[-2].height == 0.0 and not icpcs.bars[-2].empty
    assert icpcs.bars[0].empty
    raised = found["escalations_raised"]
    assert not raised.percentage
    assert [b.figure.numerator for b in raised.bars][-2:] == [
        3,
        3,
    ]  # Ivo's, Jude's, Hana's; December's
    assert raised.top == 3
    assert raised.bars[-1].height == 180.0


def test_the_dashboard_draws_each_trend_beside_its_table(client, december):
    client.force_login(december.service_manager.user)
    html = client.get(f"/reports/?{DECEMBER}").text
    assert "Trends: the 12 months to December 2026" in html
    chart = html[html.index('id="trend-icpc_within_15_wd"') :]
    chart = chart[: chart.index("</figure>")]
    assert 'role="img"' in chart and "<title" in chart
    assert chart.count("<rect") == 2  # November's 0 of 1 and December's; none for 0 of 0
    assert 'height="108.0"' in chart
    table = chart[chart.index('id="trend-icpc_within_15_wd-table"') :]
    assert "December 2026</th>" in table and "3 of 5 (60%)" in table
    assert "November 2026</th>" in table and "0 of 1 (0%)" in table


def test_its_monthly_counts_are_the_figures_of_each_month(council, december):
    from oversight.reports.figures import by_month, figures
    from oversight.reports.trends import TREND_KEYS

    for scope in (Scope(), Scope(team=december.team_2), Scope(iro=council.iro)):
        periods = months(d("Thu 2026-12-31"))
        counted = by_month(TREND_KEYS, scope, periods)
        for period, row in zip(periods, counted, strict=True):
            expected = figures(scope, period, TREND_KEYS)
            assert [(f.numerator, f.denominator) for f in row] == [
                (f.numerator, f.denominator) for f in expected
            ], period
