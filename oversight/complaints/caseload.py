"""The complaints' rows on My caseload: each deadline of a complaint (`complaint.acknowledge`,
`complaint.response`) acts on that complaint's record, where it is acknowledged and answered."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from oversight.cases.models import Obligation

CODES = ("complaint.acknowledge", "complaint.response")
_PREFIX = "complaint-"  # `Complaint.engine_id`


def complaint_pk(row: Obligation) -> int | None:
    """The id of the complaint whose deadline `row` is, or None for a complaint of the
    chronology alone (an import's, with no record in the log)."""
    number = str((row.trigger or {}).get("complaint") or "").removeprefix(_PREFIX)
    return int(number) if number.isdigit() else None


def mark_complaint_rows(rows: Sequence[Obligation]) -> None:
    """After `decorate`: each complaint deadline's "Act" opens the complaint's record."""
    head, tail = reverse("complaint", args=[2147483647]).rsplit("2147483647", 1)  # one reverse
    for row in rows:
        pk = complaint_pk(row) if row.code in CODES else None
        if pk is not None:
            record: Any = row
            record.act_url = f"{head}{pk}{tail}"
