"""The active pack's ladder for concerns about a foster carer household (`fostering.
concern_ladder`): its stages, when each stage's response falls due, and who answers it.

Not `oversight.escalations.ladders`: that module's ladders are a child's (an informal stage,
a total, statuses that choose a ladder, agreements to bypass), typed on the pack's `Ladder`; this
one is a list of stages, each answered within a time. Its one shared need, a ladder's time from
a day, is `oversight.timescales.dates.due_date` itself, called here as there."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from oversight.cases.models import StaffMember
from oversight.policies import load_pack, resolve_policy
from oversight.policies.checks import active_policy
from oversight.policies.schema import CarerConcernStage
from oversight.timescales.dates import due_date

if TYPE_CHECKING:
    from oversight.fostering.models import Carer


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


def answerers(carer: Carer, number: int) -> list[StaffMember]:
    """Who answers stage `number` of a concern about `carer`: the nearest active holder of the
    stage's role above the household's supervising social worker (the fostering team manager
    above the social worker, the service lead above them), else the one active holder of the
    role council-wide, when exactly one holds it; else nobody (the page still shows the stage)."""
    found = stage(number)
    if found is None:
        return []
    seen: set[int] = set()
    current = carer.supervising_social_worker
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        current = current.line_manager
        if current is not None and found.role in current.roles and current.user.is_active:
            return [current]
    council_wide = list(
        StaffMember.objects.filter(role_set__role=found.role, user__is_active=True)
        .select_related("user")
        .distinct()[:2]
    )
    return council_wide if len(council_wide) == 1 else []
