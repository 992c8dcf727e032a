"""Legal status and care proceedings (docs/spec/timescales.md, "Legal status and care
proceedings"): the engine reads them, checks their details' types, and no row of the catalogue
falls due or is met by them. Proceedings issued Thu 7 January 2027, a week after New Year's Day."""

from __future__ import annotations

from datetime import date

import pytest

from oversight.timescales.engine import evaluate
from oversight.timescales.events import InputError
from oversight.timescales.tests.helpers import POLICY, obligations

LOOKED_AFTER = [
    {"type": "lac_start", "date": "2027-01-04"},  # Mon
    {"type": "iro_allocated", "date": "2027-01-05"},
]
PROCEEDINGS = [
    {"type": "legal_status", "date": "2027-01-04", "legal_status": "L1"},
    {"type": "proceedings_start", "date": "2027-01-07", "court": "Walsall Family Court"},
    {"type": "legal_status", "date": "2027-01-07", "legal_status": "C1"},
    {"type": "guardian_appointed", "date": "2027-01-08", "guardian": "Rowan Ashdown"},
    {"type": "guardian_liaison", "date": "2027-01-11", "how": "phone", "notes": "contact"},
    {"type": "legal_papers_seen", "date": "2027-01-12", "papers": ["swet", "care_plan"]},
    {"type": "proceedings_end", "date": "2027-06-30", "outcome": "care_order"},
]


def test_they_change_no_obligation_of_the_looked_after_child() -> None:
    without = obligations(LOOKED_AFTER, "2027-07-01")
    with_them = obligations(LOOKED_AFTER + PROCEEDINGS, "2027-07-01")
    # the same codes due on the same days: proceedings are a record, not a deadline
    assert [(o["code"], o["due"]) for o in with_them] == [(o["code"], o["due"]) for o in without]
    # the first review 20 working days from Mon 4 January: Mon 1 February
    assert ("lac.review.first", "2027-02-01") in [(o["code"], o["due"]) for o in with_them]


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (
            {"type": "legal_status", "date": "2027-01-07", "legal_status": 1},
            "events[2].legal_status: must be a string",
        ),
        (
            {"type": "proceedings_start", "date": "2027-01-07", "court": ["Walsall"]},
            "events[2].court: must be a string",
        ),
        (
            {"type": "legal_papers_seen", "date": "2027-01-12", "papers": "swet"},
            "events[2].papers: must be a list of strings",
        ),
        (
            {"type": "legal_papers_seen", "date": "2027-01-12", "papers": ["swet", 3]},
            "events[2].papers: must be a list of strings",
        ),
    ],
)
def test_it_refuses_a_detail_of_the_wrong_type_naming_it(event: dict, message: str) -> None:
    with pytest.raises(InputError) as raised:
        evaluate([*LOOKED_AFTER, event], POLICY, date(2027, 2, 1))
    assert str(raised.value) == message
