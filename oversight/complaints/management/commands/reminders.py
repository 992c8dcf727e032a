"""`oversight reminders [--date YYYY-MM-DD]`: reminders of concerns' response deadlines and of
complaints' deadlines.

Two working days before a concern's response is due, and on the first working day after it, the
addressee and the chair are emailed (through the outbox); on that first working day after, the
ladder's no-response rule is applied too (a prompt, or the next stage issued automatically where
the pack says so: `oversight.escalations.reminders`). A complaint's acknowledgement and response
are reminded on the same days to the complaint's first point of contact
(`oversight.complaints.reminders`), and a stage's response to a concern about a foster carer
household to its answerers and the corporate IRO (`oversight.fostering.messages`). The command
lives in `complaints`, the part above `escalations` and `fostering` on the floors, so that it may
call them all. Safe to run any number of times a day: each
reminder is sent once. Where the deployment has a webhook (`OVERSIGHT_WEBHOOK_URL`), each
obligation the nightly recompute found overdue is announced to it, once
(`oversight.notifications.webhooks.announce_overdue`). Run it daily from cron or a systemd timer
after `oversight nightly` (see the README). Without `--date`, today in Europe/London."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from oversight.cases import formatting
from oversight.complaints import reminders as complaints
from oversight.escalations import reminders as concerns
from oversight.fostering import messages as carers
from oversight.notifications.webhooks import announce_overdue


class Command(BaseCommand):
    help = (
        "Send the day's reminders of concerns', complaints' and carer concerns' deadlines"
        " (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default=None, help="the day, YYYY-MM-DD (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options["date"]
        try:
            today = date.fromisoformat(raw.strip()) if raw else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {raw!r}", returncode=2) from None
        queued = (
            concerns.send_reminders(today=today)
            + complaints.send_reminders(today=today)
            + carers.send_reminders(today=today)
        )
        self.stdout.write(f"Reminders for {formatting.short_day(today)}: {queued} messages queued.")
        announced = announce_overdue(today=today)
        if announced:
            self.stdout.write(f"Webhook: {announced} overdue obligations announced.")
