"""`oversight discard_uploads`: the import page's uploads nobody has touched for
`OVERSIGHT_IMPORT_ABANDONED_HOURS` (checked and never confirmed) removed, each audited
(`oversight.interop.uploads.discard_abandoned`). Run it daily from cron or a systemd timer,
beside `oversight nightly`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.interop.uploads import discard_abandoned


class Command(BaseCommand):
    help = "Remove the import page's uploads that were never confirmed, after a set time."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = discard_abandoned(now=timezone.now())
        self.stdout.write(f"Abandoned uploads removed: {removed}.")
