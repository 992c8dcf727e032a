"""Plain factory functions for meeting records (tests and the access convention test)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from oversight.cases.models import Child
from oversight.meetings.constants import Kind, Status
from oversight.meetings.models import DiaryEntry, Document, Meeting


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


def make_diary_entry(child: Child, **overrides: Any) -> DiaryEntry:
    """A review conference booked for Thu 8 April 2027 at 10:00 in the child's diary, on a
    booking record that wrote no events, unless overridden."""
    fields: dict[str, Any] = {
        "uid": f"test-{child.pk}-{DiaryEntry.objects.count()}@oversight.invalid",
        "meeting": "rcpc",
        "on": dt.date(2027, 4, 8),
        "at": dt.time(10, 0),
    }
    fields.update(overrides)
    fields.setdefault("booking", make_meeting(child, kind=Kind.BOOKING))
    return DiaryEntry.objects.create(child=child, **fields)
