"""Plain factory functions for tests and the demo: rows only (no chronology event, no audit row,
no email). Real concerns are raised through `oversight.escalations.actions`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from oversight.cases.models import Child, StaffMember
from oversight.escalations.models import Concern


def make_concern(child: Child, raised_by: StaffMember, **overrides: Any) -> Concern:
    fields: dict[str, Any] = {
        "ladder": "default",
        "raised_on": dt.date(2026, 3, 2),
        "issue": "Visits out of timescale",
        "impact": "The child has not been seen",
        "created_at": timezone.now(),
    }
    fields.update(overrides)
    return Concern.objects.create(child=child, raised_by=raised_by, **fields)
