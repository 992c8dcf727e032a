"""The engine's results as the contract's JSON (docs/spec/timescales.md, "Output").

`Obligation` and `Flag` are written field by field in their declared order, dates as orjson
writes them natively (`YYYY-MM-DD`). An hours rule's due moment is `YYYY-MM-DDTHH:MM` (the
Europe/London wall clock, no seconds, no offset), which orjson's own datetime format is not: a
result that holds one (rare: `consult.threshold`) has every date handed to `_text` instead, so the
common case stays in orjson's native code (bulk mode writes a country's obligations)."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

import orjson

from oversight.timescales.engine import Result


# Bounded: a national run holds a few thousand days, and hours rules' moments vary by the minute.
@lru_cache(maxsize=1 << 16)
def _text(value: date) -> str:
    """A date as `YYYY-MM-DD`, a datetime as `YYYY-MM-DDTHH:MM` (orjson's `default`: anything
    else is refused as not JSON)."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%dT%H:%M}"
    return value.isoformat()


def dumps(head: dict[str, Any], result: Result, option: int = 0) -> bytes:
    """JSON bytes of `head`'s fields followed by the result's `obligations` and `flags`."""
    value = {**head, "obligations": result.obligations, "flags": result.flags}
    if any(type(o.due) is datetime for o in result.obligations):
        option |= orjson.OPT_PASSTHROUGH_DATETIME
        return orjson.dumps(value, default=_text, option=option)
    return orjson.dumps(value, option=option)
