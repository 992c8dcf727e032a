"""Uploads checked and never confirmed are removed after `OVERSIGHT_IMPORT_ABANDONED_HOURS`
(`oversight discard_uploads`), each audited; an upload touched since is kept."""

from __future__ import annotations

import datetime as dt
import io
import os
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from oversight.audit.models import AuditEntry
from oversight.interop import uploads
from oversight.interop.tests.helpers import DATA

pytestmark = pytest.mark.django_db

# Thu 3 December 2026, 2am: the night's run.
THURSDAY_2AM = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)


def kept_at(when: dt.datetime, *names: str) -> str:
    """An upload of `names`, its files last written at `when`."""
    token = uploads.store(SimpleUploadedFile(n, (DATA / n).read_bytes()) for n in names)
    for source in uploads.kept(token):
        os.utime(source.path, (when.timestamp(), when.timestamp()))
    return token


def test_an_upload_untouched_for_a_day_is_removed_and_audited(settings: Any) -> None:
    settings.OVERSIGHT_IMPORT_ABANDONED_HOURS = 24
    # Checked on Tue 1 December at 1am, never confirmed: 49 hours before the run.
    abandoned = kept_at(THURSDAY_2AM - dt.timedelta(hours=49), "903-header.csv", "903-reviews.csv")
    # Checked on Wed 2 December at 3am: 23 hours before, still waiting for its confirmation.
    waiting = kept_at(THURSDAY_2AM - dt.timedelta(hours=23), "cin-2026.xml")
    assert uploads.discard_abandoned(now=THURSDAY_2AM) == 1
    assert uploads.kept(abandoned) == []
    assert not default_storage.exists(f"imports/{abandoned}")
    assert [s.name for s in uploads.kept(waiting)] == ["cin-2026.xml"]
    entry = AuditEntry.objects.get(what="import.upload_discarded")
    assert entry.before is not None
    assert entry.before["files"] == ["903-header.csv", "903-reviews.csv"]
    assert entry.before["last_written"].startswith("2026-12-01T01:00:00")
    assert entry.reason == "not used for 24 hours"


def test_the_command_removes_them(settings: Any) -> None:
    settings.OVERSIGHT_IMPORT_ABANDONED_HOURS = 2
    old = kept_at(dt.datetime.now(dt.UTC) - dt.timedelta(hours=3), "cin-2026.xml")
    out = io.StringIO()
    call_command("discard_uploads", stdout=out)
    assert out.getvalue().strip() == "Abandoned uploads removed: 1."
    assert uploads.kept(old) == []


def test_a_folder_that_is_not_an_uploads_is_left_alone(settings: Any) -> None:
    default_storage.save("imports/README/notes.txt", io.BytesIO(b"kept by hand"))
    past = (THURSDAY_2AM - dt.timedelta(days=30)).timestamp()
    os.utime(default_storage.path("imports/README/notes.txt"), (past, past))
    assert uploads.discard_abandoned(now=THURSDAY_2AM) == 0
    assert default_storage.exists("imports/README/notes.txt")
