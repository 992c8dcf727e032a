"""Plain factory functions for complaints (tests and the demo)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from oversight.cases.models import Child
from oversight.complaints.constants import Complainant
from oversight.complaints.models import Complaint


def make_complaint(child: Child, **overrides: Any) -> Complaint:
    """A parent's complaint received on 1 March 2026 that wrote no events, unless overridden."""
    fields: dict[str, Any] = {
        "complainant": "Jo Larkfield",
        "complainant_is": Complainant.PARENT,
        "received_on": dt.date(2026, 3, 1),
        "summary": "The conference did not hear me",
        "created_at": timezone.now(),
    }
    fields.update(overrides)
    return Complaint.objects.create(child=child, **fields)
