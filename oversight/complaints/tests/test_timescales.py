"""A complaint's deadlines through the engine, with literal dates across Christmas 2026.

Christmas Day is Fri 25 December 2026 and Boxing Day falls on Sat 26, so Mon 28 December is its
substitute bank holiday; New Year's Day is Fri 1 January 2027."""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson

from oversight.policies import resolve_policy
from oversight.timescales.engine import evaluate
from oversight.timescales.output import dumps


def run(pack: str, events: list[dict[str, Any]], as_of: str) -> list[dict[str, Any]]:
    result = evaluate(events, resolve_policy(pack), date.fromisoformat(as_of))
    return [
        o
        for o in orjson.loads(dumps({}, result))["obligations"]
        if o["code"].startswith("complaint.")
    ]


def brief(o: dict[str, Any]) -> tuple[str, str, str, str | None]:
    return o["code"], o["trigger"].get("complaint", ""), o["due"], o["status"]


wednesday_23_december = "2026-12-23"
thursday_24_december = "2026-12-24"


def test_camden_answers_a_complaint_about_a_conference_across_christmas() -> None:
    found = run(
        "camden",
        [{"type": "complaint_received", "date": wednesday_23_december, "complaint": "a"}],
        as_of="2027-01-12",
    )
    assert [brief(o) for o in found] == [
        # Thu 24, Tue 29, Wed 30: Christmas Day and Mon 28 (Boxing Day's substitute) skipped
        ("complaint.acknowledge", "a", "2026-12-30", "overdue"),
        # ... Thu 31, then Mon 4 to Fri 8 and Mon 11 January: New Year's Day skipped
        ("complaint.response", "a", "2027-01-11", "overdue"),
    ]


def test_one_complaints_response_never_meets_anothers() -> None:
    events = [
        {"type": "complaint_received", "date": wednesday_23_december, "complaint": "a"},
        {"type": "complaint_received", "date": thursday_24_december, "complaint": "b"},
        {"type": "complaint_acknowledged", "date": "2026-12-29", "complaint": "b"},
        {"type": "complaint_response", "date": "2027-01-08", "complaint": "a"},
    ]
    found = run("england", events, as_of="2027-01-13")
    assert [(*brief(o), o["met_on"]) for o in found] == [
        # a: answered Fri 8 January, which acknowledges it too (late: due Wed 30 December)
        ("complaint.acknowledge", "a", "2026-12-30", "met", "2027-01-08"),
        # b: received on Christmas Eve (a working day), acknowledged Tue 29: on time
        ("complaint.acknowledge", "b", "2026-12-31", "met", "2026-12-29"),
        ("complaint.response", "a", "2027-01-11", "met", "2027-01-08"),
        # b's acknowledgement is not a response, and a's response is not b's: overdue on Wed 13
        ("complaint.response", "b", "2027-01-12", "overdue", None),
    ]
    assert [o["on_time"] for o in found] == [False, True, True, None]


def test_manchester_keeps_the_baseline_numbers_the_seed_does_not_give() -> None:
    found = run(
        "manchester",
        [{"type": "complaint_received", "date": "2027-05-27", "complaint": "m"}],
        as_of="2027-05-27",
    )
    # Thu 27 May 2027 + 3 working days: Fri 28, Tue 1, Wed 2 June (Mon 31 May, the spring bank
    # holiday, skipped); + 10 working days: Fri 11 June
    assert [brief(o) for o in found] == [
        ("complaint.acknowledge", "m", "2027-06-02", "pending"),
        ("complaint.response", "m", "2027-06-11", "pending"),
    ]
