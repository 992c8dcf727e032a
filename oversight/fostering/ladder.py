"""The active pack's ladder for concerns about a foster carer household (`fostering.
concern_ladder`): its stages and when each stage's response falls due.

Not `oversight.escalations.ladders`: that module's ladders are a child's (an informal stage,
a total, statuses that choose a ladder, agreements to bypass), typed on the pack's `Ladder`; this
one is a list of stages, each answered within a time. Its one shared need, a ladder's time from
a day, is `oversight.timescales.dates.due_date` itself, called here as there."""

from __future__ import annotations

import datetime as dt

from oversight.policies import load_pack, resolve_policy
from oversight.policies.checks import active_policy
from oversight.policies.schema import CarerConcernStage
from oversight.timescales.dates import due_date


def stages() -> list[CarerConcernStage]:
    """The stages of the active pack's ladder, stage 1 first; empty where the pack has none (the
    council offers no page to raise such a concern)."""
    fostering = load_pack(active_policy()).fostering
    return list(fostering.concern_ladder) if fostering is not None else []


def stage(number: int) -> CarerConcernStage | None:
    """Stage `number` (from 1), or None past the last."""
    found = stages()
    return found[number - 1] if 1 <= number <= len(found) else None


def response_due(number: int, since: dt.date) -> dt.date | None:
    """The day stage `number`'s response falls due, the concern having reached it on `since`:
    working days after `since`, which itself never counts, on the active pack's calendar."""
    found = stage(number)
    if found is None:
        return None
    return due_date(found.response, since, resolve_policy(active_policy()))
