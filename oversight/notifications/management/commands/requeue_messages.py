from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oversight.notifications.actions import requeue_stalled


class Command(BaseCommand):
    help = (
        "Enqueue delivery again for every message still queued or being sent (after a worker "
        "died). Safe to run at any time: each message is claimed by one worker. Run before the "
        "worker starts (ExecStartPre in the systemd unit; `make run` does)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = requeue_stalled()
        self.stdout.write(f"{count} message{'s' if count != 1 else ''} enqueued for delivery")
