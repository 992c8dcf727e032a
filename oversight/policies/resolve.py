"""A pack resolved through `extends`, as the engine's `Policy`.

Standard library and `oversight.timescales` only (no pydantic): `oversight timescales` calls this
on every run. The baseline catalogue's rows keep their shape; a pack replaces a row's rule and
source (`with_rule`) or adds rows of its own (`plain`, or `booking_before` for a `before` rule).
"""

from __future__ import annotations

from typing import Any

from oversight.timescales.catalogue import BASELINE, CODES, with_rule
from oversight.timescales.rules import (
    Accepted,
    Conditions,
    Ladder,
    ObligationRule,
    OrFrom,
    Policy,
    Stage,
    parse_rule,
)

from .registry import Merged


def _conditions(table: dict[str, list[Any]] | None) -> Conditions:
    # Values keep their TOML type (a stage is 1, `accepted` is true): the engine compares them
    # with the event's own values.
    return tuple((key, tuple(values)) for key, values in (table or {}).items())


def _or_from(raw: dict[str, Any] | None) -> OrFrom | None:
    if raw is None:
        return None
    return OrFrom(raw["event"], parse_rule(raw["rule"]), raw["whichever"])


def obligations(raw: dict[str, Any]) -> tuple[ObligationRule, ...]:
    rows = raw.get("timescales") or {}
    out = []
    for row in BASELINE:
        mine = rows.get(row.code)
        out.append(
            with_rule(
                row,
                parse_rule(mine["rule"]),
                mine["source"],
                mine.get("from_meeting", 1),
                _or_from(mine.get("or_from")),
            )
            if mine
            else row
        )
    for code, mine in rows.items():
        if code in CODES:
            continue
        due = parse_rule(mine["rule"])
        out.append(
            ObligationRule(
                code=code,
                trigger=mine["trigger"],
                due=due,
                met_by=tuple(mine["met_by"]),
                source=mine["source"],
                when=_conditions(mine.get("when")),
                met_when=_conditions(mine.get("met_when")),
                belongs_to=mine.get("belongs_to"),
                none_once=tuple(mine.get("none_once", ())),
                kind="booking_before" if due.before else "plain",
                from_meeting=mine.get("from_meeting", 1),
                or_from=_or_from(mine.get("or_from")),
                same=tuple(mine.get("same", ())),
            )
        )
    return tuple(out)


def _accepted(raw: dict[str, Any] | None) -> Accepted | None:
    if raw is None:
        return None
    return Accepted(parse_rule(raw["within"]), raw["counted_from"])


def ladder(name: str, raw: dict[str, Any]) -> Ladder:
    informal = raw["informal"]
    warning = informal.get("warning")
    total = raw["total"]["rule"]
    return Ladder(
        name=name,
        informal_response=parse_rule(informal["response"]),
        stages=tuple(
            Stage(
                position,
                stage["label"],
                None if stage["response"] == "none" else parse_rule(stage["response"]),
                _accepted(stage.get("on_accepted")),
            )
            for position, stage in enumerate(raw["stages"], start=1)
        ),
        informal_final=parse_rule(warning["further"]) if warning else None,
        total=None if total == "none" else parse_rule(total),
    )


def policy(merged: Merged) -> Policy:
    raw = merged.raw
    closure = raw.get("closure_days") or ()
    panel = raw.get("panel") or {"plan_months": 18, "repeat_months": 24}
    ladders = {name: ladder(name, table) for name, table in (raw.get("ladders") or {}).items()}
    default = raw.get("default_ladder")
    if not isinstance(default, str) or default not in ladders:
        raise KeyError(f"default_ladder {default!r}")
    return Policy(
        name=merged.name,
        obligations=obligations(raw),
        ladders=ladders,
        default_ladder=default,
        closure_days=frozenset(day["date"] for day in closure if "date" in day),
        closure_yearly=frozenset(
            (int(day["yearly"][:2]), int(day["yearly"][3:])) for day in closure if "yearly" in day
        ),
        panel_plan_months=int(panel["plan_months"]),
        panel_repeat_months=int(panel["repeat_months"]),
        extra={
            "council": raw.get("council"),
            "chain": tuple(merged.chain),
            "roles": dict(raw.get("roles") or {}),
            "records": dict(raw.get("records") or {}),
            "owners": {
                code: (
                    tuple(owner["roles"]),
                    tuple(owner.get("watch", ())),
                    tuple(owner.get("otherwise", ())),
                )
                for code, owner in (raw.get("owners") or {}).items()
            },
        },
    )
