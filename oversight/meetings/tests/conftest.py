"""A child with no plan yet, allocated to the council's IRO and social worker, and time frozen on
Fri 2027-01-08 (the day of the ICPC in the issue's example)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from oversight.cases.constants import EventType, Role


def freeze(day: dt.date) -> Any:
    """Noon in London on `day` (12:00 UTC in winter, 11:00 UTC in summer: both the same date)."""
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.UTC), tick=False
    )


@pytest.fixture
def frozen() -> Iterator[None]:
    with freeze(dt.date(2027, 1, 8)):
        yield


@pytest.fixture
def new_child(council: Any) -> Any:
    from oversight.cases.factories import allocate, make_child
    from oversight.cases.factories import record_event as event

    child = make_child(
        reference="C3000001",
        first_name="Rosa",
        last_name="Penhale",
        date_of_birth=dt.date(2020, 5, 1),
    )
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    event(child, EventType.STRATEGY_DISCUSSION, dt.date(2026, 12, 14))
    return child


def icpc_post(council: Any, **overrides: Any) -> dict[str, Any]:
    """A complete ICPC with a plan on Fri 8 Jan 2027."""
    data: dict[str, Any] = {
        "date": "8 1 2027",
        "time": "10:00",
        "quorate": "yes",
        "attended": "Health: school nurse\nPolice: PC 101",
        "apologies": "Education: head teacher",
        "child_views_how": ["met_chair", "report"],
        "child_views": "Wants to stay with her nan",
        "worries": "Neglect of basic care",
        "working_well": "Nan visits daily",
        "needs_to_happen": "Regular meals and school attendance",
        "scale": "4",
        "outcome": "plan",
        "decided_by": "consensus",
        "categories": ["neglect"],
        "risks": "Poor home conditions",
        "what_needs_to_change": "Home conditions and school attendance",
        "lead_social_worker": str(council.social_worker.pk),
        "core_group_members": "Mother, nan, school nurse, social worker",
        "first_core_group": "22 1 2027",
        "next_review": "8 4 2027",
        "midway_review": "19 2 2027",
        "action_1_text": "Referral to the health visitor",
        "action_1_owner": "social_worker",
        "action_1_due": "5 2 2027",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


# -- plain values for the rules' own tests (no database) ------------------------------------

# Fri 2027-01-08, the day of the ICPC in the example.
FRI_8_JAN_2027 = dt.date(2027, 1, 8)


def policy(*closures: dt.date) -> Any:
    """A pack with no obligations: its working calendar is bank holidays and `closures`."""
    from oversight.timescales.rules import Policy

    return Policy(
        name="rules-test",
        obligations=(),
        ladders={},
        default_ladder="",
        closure_days=frozenset(closures),
    )


def staff(id: int, name: str, *roles: str) -> Any:
    from oversight.meetings.rules import Person

    return Person(id=id, username=name.split()[0].lower(), name=name, roles=frozenset(roles))


def plan(start: dt.date, end: dt.date | None = None) -> Any:
    from oversight.cases.chronology import Period

    return Period(kind="plan", start=start, end=end)


def episode(start: dt.date, end: dt.date | None = None) -> Any:
    from oversight.cases.chronology import Period

    return Period(kind="episode", start=start, end=end)


def numbers(pack: str) -> Any:
    """The meeting rules' numbers of a real pack (`oversight/policies/packs/NAME.toml`)."""
    from oversight.meetings.facts import council_numbers

    return council_numbers(pack)


@pytest.fixture
def use_pack(settings: Any) -> Any:
    """use_pack("walsall"): make a pack the active one for this test."""

    def use(name: str) -> None:
        settings.OVERSIGHT_POLICY = name

    return use


def facts(**overrides: Any) -> Any:
    """The child's facts on Fri 2027-01-08: born Fri 2020-05-01, no plan, no IRO, under a pack
    with none of the council numbers (`numbers`) of the meeting rules."""
    from oversight.meetings.rules import Facts

    values: dict[str, Any] = {
        "today": FRI_8_JAN_2027,
        "policy": policy(),
        "date_of_birth": dt.date(2020, 5, 1),
    }
    values.update(overrides)
    return Facts(**values)


def refusals(kind: str, known: Any = None, **values: Any) -> dict[str | None, list[str]]:
    """The rules' refusals of a `kind` record of `values`, by field."""
    from oversight.meetings import rules

    record = rules.Record(kind=kind, values=values)
    return rules.check(record, known if known is not None else facts()).as_dict()
