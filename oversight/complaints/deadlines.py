"""A complaint's deadlines, the engine's obligations `complaint.acknowledge` and
`complaint.response` of its `complaint_received` event (their trigger's `complaint` is
`Complaint.engine_id`): found for a list of complaints (the log, its record, the API), and each
one's row on My caseload acting on the complaint's record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from oversight.cases.models import Obligation
from oversight.complaints.models import Complaint

CODES = ("complaint.acknowledge", "complaint.response")
_PREFIX = "complaint-"  # `Complaint.engine_id`


def complaint_pk(row: Obligation) -> int | None:
    """The id of the complaint whose deadline `row` is, or None for a complaint of the
    chronology alone (an import's, with no record in the log)."""
    number = str((row.trigger or {}).get("complaint") or "").removeprefix(_PREFIX)
    return int(number) if number.isdigit() else None


def deadlines(complaints: Sequence[Complaint]) -> dict[tuple[str, str], Obligation]:
    """The complaints' obligations, by (the complaint's engine id, code): the engine's dates."""
    rows = Obligation.objects.filter(
        child__in={c.child_id for c in complaints}, code__in=CODES
    ).order_by("due", "code")
    return {(str(o.trigger.get("complaint")), o.code): o for o in rows}


def mark_complaint_rows(rows: Sequence[Obligation]) -> None:
    """After `decorate`: each complaint deadline's "Act" opens the complaint's record."""
    head, tail = reverse("complaint", args=[2147483647]).rsplit("2147483647", 1)  # one reverse
    for row in rows:
        pk = complaint_pk(row) if row.code in CODES else None
        if pk is not None:
            record: Any = row
            record.act_url = f"{head}{pk}{tail}"
