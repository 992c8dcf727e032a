"""The fuzz test's minimal failures (test_fuzz.py), each kept as a literal: bad input is refused
as an InputError naming the event and field, a real date is never a crash."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from oversight.timescales.engine import evaluate
from oversight.timescales.events import InputError
from oversight.timescales.tests.helpers import POLICY, obligations, one

thursday_3_june_2027 = dt.date(2027, 6, 3)


@pytest.mark.parametrize(
    ("chronology", "message"),
    [
        ([{"type": "rcpc", "date": "2000-01-01", "outcome": []}], "events[0].outcome: unknown"),
        ([{"type": "lac_end", "date": "2026-01-30", "ladder": {}}], "events[0].ladder: unknown"),
        ([{"type": ["icpc"], "date": "2027-01-04"}], "events[0].type: unknown"),
        (
            [{"type": "meeting_booked", "date": "2027-01-04", "meeting": ["rcpc"]}],
            "events[0].meeting: unknown",
        ),
        (
            [
                {"type": "lac_start", "date": "2027-01-04"},
                {"type": "placement_start", "date": "2027-01-04", "area": ["in"]},
            ],
            "events[1].area:",
        ),
    ],
)
def test_a_field_that_is_not_a_string_is_refused_naming_it(chronology, message) -> None:
    with pytest.raises(InputError, match="^" + re.escape(message)):
        evaluate(chronology, POLICY, thursday_3_june_2027)


def test_a_deadline_past_9999_12_31_is_refused_naming_the_events_date() -> None:
    with pytest.raises(InputError, match=r"^events\[0\]\.date: 9999-12-31 \+ 5 working days"):
        evaluate([{"type": "concern_raised", "date": "9999-12-31"}], POLICY, thursday_3_june_2027)


def test_a_deadline_that_still_falls_in_9999_is_answered() -> None:
    found = obligations([{"type": "concern_raised", "date": "9999-12-01"}], "2027-06-03")
    assert one(found, "esc.informal.response")["due"] == "9999-12-08"
