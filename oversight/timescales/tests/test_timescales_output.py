"""The engine's typed results written as the contract's JSON (`oversight.timescales.output`):
dates as `YYYY-MM-DD`, an hours rule's due as `YYYY-MM-DDTHH:MM`, fields in the contract's order."""

from __future__ import annotations

from datetime import date

import orjson

from oversight.timescales.catalogue import baseline_policy
from oversight.timescales.engine import evaluate
from oversight.timescales.output import dumps

STRATEGY = {"type": "strategy_discussion", "date": "2027-03-01"}  # Mon
CONSULTATION = {
    "type": "consultation",
    "date": "2027-03-01",  # Mon
    "time": "14:30",
    "outcome": "disagree_threshold",
}
DECISION = {"type": "service_leader_decision", "date": "2027-03-02", "time": "09:15"}  # Tue


def test_it_writes_a_moment_and_days_in_one_result() -> None:
    result = evaluate([STRATEGY, CONSULTATION, DECISION], baseline_policy(), date(2027, 3, 3))
    written = dumps({"policy": "england"}, result)
    assert orjson.loads(written) == {
        "policy": "england",  # the head's fields first
        "obligations": [
            {
                "code": "consult.threshold",
                "trigger": CONSULTATION,
                # Mon 14:30 + 24 hours → Tue 14:30, minutes and no offset
                "due": "2027-03-02T14:30",
                "status": "met",
                # the decision's date, a day even for an hours rule
                "met_on": "2027-03-02",
                "on_time": True,
            },
            {
                "code": "cp.icpc",
                "trigger": STRATEGY,
                # 15 working days after Mon 2027-03-01 → Mon 2027-03-22
                "due": "2027-03-22",
                "status": "pending",
                "met_on": None,
                "on_time": None,
            },
        ],
        "flags": [],
    }
    # the contract's field order, byte for byte
    assert written.index(b'"code"') < written.index(b'"trigger"') < written.index(b'"due"')
    assert written.index(b'"due"') < written.index(b'"status"') < written.index(b'"met_on"')


def test_it_writes_days_natively_with_no_moment() -> None:
    result = evaluate([STRATEGY], baseline_policy(), date(2027, 3, 3))
    assert dumps({}, result) == (
        b'{"obligations":[{"code":"cp.icpc","trigger":{"type":"strategy_discussion",'
        b'"date":"2027-03-01"},"due":"2027-03-22","status":"pending","met_on":null,'
        b'"on_time":null}],"flags":[]}'
    )
