"""Plain factory functions for foster carers (tests and the demo)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from oversight.cases.models import StaffMember
from oversight.fostering.constants import ApprovalType
from oversight.fostering.models import Carer, CarerConcern


def make_carer(**overrides: Any) -> Carer:
    """The Ashdown household, approved on Mon 2 March 2026 for 2 children aged 0 to 11, long
    term, unless overridden."""
    fields: dict[str, Any] = {
        "reference": "FC1001",
        "names": "Maya and Tom Ashdown",
        "approved_on": dt.date(2026, 3, 2),
        "children": 2,
        "age_from": 0,
        "age_to": 11,
        "approval_type": ApprovalType.LONG_TERM,
        "created_at": timezone.now(),
    }
    fields.update(overrides)
    return Carer.objects.create(**fields)


def make_carer_concern(carer: Carer, raised_by: StaffMember, **overrides: Any) -> CarerConcern:
    """A concern about `carer` raised on Mon 2 November 2026, at stage 1, with no steps, unless
    overridden."""
    fields: dict[str, Any] = {
        "raised_on": dt.date(2026, 11, 2),
        "stage_since": dt.date(2026, 11, 2),
        "issue": "The household's smoke alarms were not working at the last visit",
        "created_at": timezone.now(),
    }
    fields.update(overrides)
    return CarerConcern.objects.create(carer=carer, raised_by=raised_by, **fields)
