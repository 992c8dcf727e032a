"""`oversight nightly [--as-of YYYY-MM-DD]`: every child's obligations recomputed for the day,
the children whose records are due for their retention review flagged
(`oversight.cases.retention`), and the safeguarding service managers told of the policy pack's
documents past their review date (`oversight.notifications.past_review`).

An obligation that was pending yesterday may be overdue today with no event recorded, so the
stored rows are refreshed once a night (cron or a systemd timer; see the README) and when the
service starts (`make run`). Without `--as-of`, today in Europe/London. The command lives in
`notifications`, the part above `cases`, so that it may queue the managers' messages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from oversight.cases import formatting
from oversight.cases.obligations import recompute_all
from oversight.cases.retention import flag_due, review_years
from oversight.notifications.past_review import tell_past_review
from oversight.policies import load_pack
from oversight.policies.checks import active_policy


class Command(BaseCommand):
    help = (
        "Recompute every child's obligations and flags as of a date (default today), and tell"
        " the safeguarding service managers of policy documents past their review date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", dest="as_of", default=None, help="the date, YYYY-MM-DD (default today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options["as_of"]
        if raw is None:
            as_of = timezone.localdate()
        else:
            try:
                as_of = date.fromisoformat(raw.strip())
            except ValueError:
                raise CommandError(
                    f"--as-of must be a real date as YYYY-MM-DD, not {raw!r}", returncode=2
                ) from None
        summary = recompute_all(as_of=as_of)
        self.stdout.write(
            f"Obligations as of {formatting.short_day(as_of)}: {summary.children:,} children, "
            f"{summary.obligations:,} obligations in {summary.seconds:.1f}s."
        )
        years = review_years()
        flagged = flag_due(as_of=as_of, years=years)
        self.stdout.write(
            f"Records due for review ({years} years after the last event): {flagged:,} more "
            "children flagged."
        )
        told = tell_past_review(load_pack(active_policy()), today=as_of)
        self.stdout.write(f"Policy documents past their review date: {told:,} messages queued.")
        for child_id, problem in summary.failed:
            self.stderr.write(f"child {child_id}: {problem}")
        if summary.failed:
            raise CommandError(
                f"{len(summary.failed)} children's chronologies could not be read", returncode=1
            )
