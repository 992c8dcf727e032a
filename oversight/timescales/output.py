"""The engine's results as the contract's JSON (docs/spec/timescales.md, "Output").

`Obligation` and `Flag` are written field by field in their declared order; a date as
`YYYY-MM-DD`, an hours rule's due moment as `YYYY-MM-DDTHH:MM` (Europe/London wall clock, no
seconds, no offset), which orjson's own datetime format is not: every date and datetime is handed
to `_text`, formatted once per distinct value."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

import orjson


# Bounded: a national run holds a few thousand days, and hours rules' moments vary by the minute.
@lru_cache(maxsize=1 << 16)
def _text(value: date) -> str:
    """A date as `YYYY-MM-DD`, a datetime as `YYYY-MM-DDTHH:MM` (orjson's `default`: anything
    else is refused as not JSON)."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%dT%H:%M}"
    return value.isoformat()


def dumps(value: Any, option: int = 0) -> bytes:
    """JSON bytes of `value`: any JSON value holding obligations, flags and dates."""
    return orjson.dumps(value, default=_text, option=option | orjson.OPT_PASSTHROUGH_DATETIME)
