"""`may_be_open_on`: the SQL filter that keeps every child whose chronology `periods` finds on a
plan or looked after on a day, and leaves out the closed cases, so that a page asks the engine
only of the few (issue 12's benchmark). As of Tue 1 December 2026."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from oversight.cases.chronology import may_be_open_on, period_on, periods
from oversight.cases.constants import EventType
from oversight.cases.factories import make_child, record_event
from oversight.cases.models import Child
from oversight.cases.obligations import active_pack

pytestmark = pytest.mark.django_db

tuesday_1_december_2026 = dt.date(2026, 12, 1)


def _child(name: str, *events: tuple[str, dt.date, dict[str, Any]]) -> Child:
    child = make_child(first_name=name, last_name="Polglase")
    for type_, day, data in events:
        record_event(child, type_, day, **data)
    return child


@pytest.fixture
def chronologies() -> dict[str, Child]:
    plan, end = {"outcome": "plan"}, {"outcome": "end"}
    return {
        # on a plan since Mon 2 November
        "Alys": _child("Alys", (EventType.ICPC, dt.date(2026, 11, 2), plan)),
        # plan ended at the RCPC of Mon 30 November, the day before
        "Bryn": _child(
            "Bryn",
            (EventType.ICPC, dt.date(2026, 6, 1), plan),
            (EventType.RCPC, dt.date(2026, 11, 30), end),
        ),
        # the RCPC that ends it is on Thu 3 December, after the day: still on the plan
        "Cari": _child(
            "Cari",
            (EventType.ICPC, dt.date(2026, 6, 1), plan),
            (EventType.RCPC, dt.date(2026, 12, 3), end),
        ),
        # the plan ends on the day itself: no longer on it (a period ends the day it closes)
        "Dewi": _child(
            "Dewi",
            (EventType.ICPC, dt.date(2026, 6, 1), plan),
            (EventType.RCPC, tuesday_1_december_2026, end),
        ),
        # looked after since Mon 29 February 2016 (a leap day), never ceased
        "Elin": _child("Elin", (EventType.LAC_START, dt.date(2016, 2, 29), {})),
        # looked after, ceased Mon 31 August 2026, looked after again from Mon 30 November
        "Ffion": _child(
            "Ffion",
            (EventType.LAC_START, dt.date(2025, 1, 6), {}),
            (EventType.LAC_END, dt.date(2026, 8, 31), {}),
            (EventType.LAC_START, dt.date(2026, 11, 30), {}),
        ),
        # ceased to be looked after Mon 31 August 2026; a plan of 2024 ended since
        "Gethin": _child(
            "Gethin",
            (EventType.ICPC, dt.date(2024, 3, 1), plan),
            (EventType.RCPC, dt.date(2024, 9, 2), end),
            (EventType.LAC_START, dt.date(2025, 1, 6), {}),
            (EventType.LAC_END, dt.date(2026, 8, 31), {}),
        ),
        # a strategy discussion only; an ICPC that decided no plan
        "Huw": _child(
            "Huw",
            (EventType.STRATEGY_DISCUSSION, dt.date(2026, 10, 5), {}),
            (EventType.ICPC, dt.date(2026, 10, 26), {"outcome": "no_plan"}),
        ),
        # a plan decided after the day (Mon 7 December)
        "Iolo": _child("Iolo", (EventType.ICPC, dt.date(2026, 12, 7), plan)),
    }


def test_it_keeps_the_children_on_a_plan_or_looked_after_and_leaves_out_the_closed_cases(
    chronologies,
):
    kept = Child.objects.filter(may_be_open_on(tuesday_1_december_2026))
    assert sorted(c.first_name for c in kept) == ["Alys", "Cari", "Elin", "Ffion"]


def test_every_child_the_engine_finds_on_a_plan_or_looked_after_is_kept(chronologies):
    policy = active_pack().policy
    day = tuesday_1_december_2026
    kept = set(Child.objects.filter(may_be_open_on(day)).values_list("pk", flat=True))
    for name, child in chronologies.items():
        found = periods(child.events.all(), policy, day)
        held = period_on(found, "plan", day) or period_on(found, "episode", day)
        assert (child.pk in kept) == (held is not None), name
