"""What the engine's tests share: the baseline policy, the result in the contract's words (as
the command prints it) and small ways to pick out obligations."""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson

from oversight.timescales.catalogue import baseline_policy
from oversight.timescales.engine import Result, evaluate
from oversight.timescales.output import dumps

POLICY = baseline_policy()


def as_contract(result: Result) -> dict[str, list[dict]]:
    """`{"obligations": [...], "flags": [...]}` exactly as `oversight timescales` writes them."""
    return orjson.loads(dumps({}, result))


def obligations(events: list[Any], as_of: str, policy: Any = POLICY) -> list[dict]:
    return as_contract(evaluate(events, policy, date.fromisoformat(as_of)))["obligations"]


def flags(events: list[Any], as_of: str) -> list[dict]:
    return as_contract(evaluate(events, POLICY, date.fromisoformat(as_of)))["flags"]


def of(found: list[dict], code: str) -> list[dict]:
    return [o for o in found if o["code"] == code]


def one(found: list[dict], code: str) -> dict:
    matching = of(found, code)
    assert len(matching) == 1, f"expected one {code}, got {matching}"
    return matching[0]


def state(obligation: dict) -> tuple:
    return (obligation["due"], obligation["status"], obligation["met_on"], obligation["on_time"])


def by_trigger(found: list[dict], code: str) -> dict[str, dict]:
    return {o["trigger"]["date"]: o for o in of(found, code)}
