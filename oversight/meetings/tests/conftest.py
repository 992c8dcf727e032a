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
