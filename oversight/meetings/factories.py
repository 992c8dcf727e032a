"""Plain factory functions for meeting records (tests and the access convention test)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from oversight.cases.models import Child
from oversight.meetings.constants import Kind, Status
from oversight.meetings.models import Document, Meeting


def make_meeting(child: Child, **overrides: Any) -> Meeting:
    """A completed ICPC record dated 1 March 2026 that wrote no events, unless overridden."""
    fields: dict[str, Any] = {
        "kind": Kind.ICPC,
        "status": Status.COMPLETED,
        "date": dt.date(2026, 3, 1),
        "created_at": timezone.now(),
    }
    fields.update(overrides)
    return Meeting.objects.create(child=child, **fields)


def make_document(
    meeting: Meeting, *, name: str = "minutes.txt", body: bytes = b"Minutes"
) -> Document:
    document = Document(
        meeting=meeting,
        type=Document.Type.MINUTES,
        name=name,
        size=len(body),
        content_type="text/plain",
        uploaded_at=timezone.now(),
    )
    document.file.save(name, ContentFile(body), save=False)
    document.save()
    return document
