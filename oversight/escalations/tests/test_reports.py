"""The monthly count of concerns for the report: by stage, team and theme."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.escalations import actions
from oversight.escalations.reports import monthly_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(line, use_pack):
    use_pack("england")
    c = line.council

    def raise_(child, by, on, **kw):
        return actions.raise_concern(child, issue="x", impact="y", on=on, acting_user=by.user, **kw)

    stage_1 = raise_(c.child, c.iro, dt.date(2027, 3, 1), themes=["visits", "drift_delay"])
    actions.issue_notice(stage_1, stage=1, on=dt.date(2027, 3, 9), acting_user=c.iro.user)
    actions.issue_notice(stage_1, stage=2, on=dt.date(2027, 4, 6), acting_user=c.iro.user)
    resolved = raise_(c.child, c.iro, dt.date(2027, 2, 19), themes=["visits"])
    actions.resolve(resolved, outcome="Done", on=dt.date(2027, 3, 3), acting_user=c.iro.user)
    february = raise_(c.child, c.iro, dt.date(2027, 2, 1))
    actions.resolve(february, outcome="Done", on=dt.date(2027, 2, 10), acting_user=c.iro.user)
    raise_(c.child, c.iro, dt.date(2027, 4, 1))  # April
    raise_(
        c.other_child, c.other_iro, dt.date(2027, 3, 15), partner_agency="Police",
        partner_contact="DS Reed", partner_email="reed@police.invalid",
    )  # fmt: skip
    raise_(c.child, c.iro, dt.date(2027, 3, 10), good_practice=True)
    return line


def test_it_counts_march_by_stage_team_and_theme(month, django_assert_num_queries):
    with django_assert_num_queries(5):
        march = monthly_counts(2027, 3)
    assert (march.first, march.last) == (dt.date(2027, 3, 1), dt.date(2027, 3, 31))
    assert (march.open, march.raised, march.resolved, march.open_at_end) == (3, 2, 1, 2)
    assert (march.partner_disputes, march.good_practice) == (1, 1)
    assert march.by_stage == {"Team manager": 1, "Informal resolution": 2}
    assert march.by_team == {"Social work team 1": 2, "Social work team 2": 1}
    assert march.by_theme == {"Visits not done": 2, "Drift and delay": 1, "No theme": 1}


def test_the_stage_is_the_one_reached_by_the_months_end(month):
    april = monthly_counts(2027, 4)
    assert april.by_stage == {"Service manager": 1, "Informal resolution": 2}
    assert (april.open, april.raised, april.resolved) == (3, 1, 0)


def test_an_empty_month_counts_nothing(month):
    january = monthly_counts(2027, 1)
    assert (january.open, january.good_practice, dict(january.by_stage)) == (0, 0, {})
