"""`oversight demo --children N --seed S --as-of YYYY-MM-DD [--if-empty]`: a synthetic council.

The same seed and as-of date give the same database. Without `--as-of`, today (Europe/London).
With `--if-empty` nothing happens when the database already has children; without it, a database
that already has children is refused (a second council would clash with the first's people).

A command of the project, not of one part: it calls each part's demo builder in turn (the
council's people and chronologies from `oversight.cases.demo`, then the escalation records of
its open concerns from `oversight.escalations.demo`, then the records of a looked-after child's
reviews, the latest held without a meeting, from `oversight.meetings.demo`, then the complaints
log's examples from `oversight.complaints.demo` (one about a conference, its record written
there), then the foster carers from `oversight.fostering.demo`), so that
no part has to import one above it. `oversight demo` runs it (`oversight.cli`); tests run it with
`call_command(oversight.demo.Command(), ...)`."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from oversight.cache import data_version
from oversight.cases import formatting
from oversight.cases.demo import create_demo_council
from oversight.cases.models import Child
from oversight.complaints.demo import build_demo_complaints
from oversight.escalations.demo import adopt_demo_concerns
from oversight.fostering.demo import build_demo_carers
from oversight.meetings.demo import build_demo_reviews


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Build a synthetic demo council: staff, teams, children and three years of events."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", default="600", help="how many children (default 600)")
        parser.add_argument(
            "--seed", default="1", help="the random seed, a whole number (default 1)"
        )
        parser.add_argument(
            "--as-of",
            dest="as_of",
            default=None,
            help="the demo's today, YYYY-MM-DD (default today)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has children",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        children = _whole_number("--children", options["children"])
        if children < 1:
            raise _bad(f"--children must be 1 or more, not {options['children']}")
        if children > 2_000_000:
            raise _bad(f"--children must be at most 2000000, not {options['children']}")
        seed = _whole_number("--seed", options["seed"])
        as_of = _as_of(options["as_of"])

        existing = Child.objects.count()
        if existing:
            if options["if_empty"]:
                self.stdout.write(
                    f"The database already has {existing:,} children: no demo created."
                )
                return
            raise _bad(
                f"the database already has {existing:,} children; the demo needs an empty one "
                "(use --if-empty to skip, or `oversight manage flush` to empty it)"
            )

        started = time.perf_counter()
        council = create_demo_council(children, seed, as_of)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Demo council as of {formatting.short_day(as_of)} (seed {seed}): {len(council.children):,} "
            f"children, {len(council.staff):,} staff in {len(council.teams):,} teams, "
            f"{len(council.events):,} events ({council.row_count:,} rows in {seconds:.1f}s)."
        )
        adopted = adopt_demo_concerns()  # escalation records for the demo's open concerns
        self.stdout.write(f"Escalation records for {adopted:,} open concerns.")
        without = build_demo_reviews(as_of)  # a review without a meeting, and the reviews before it
        if without is not None:
            self.stdout.write(
                f"A looked-after review held without a meeting on "
                f"{formatting.short_day(without.date)}, in a long-term placement of over a year."
            )
        complaints = build_demo_complaints(as_of)  # the complaints log's examples
        self.stdout.write(f"Complaints: {complaints:,} in the log.")
        carers = build_demo_carers(as_of)  # the corporate IRO's foster carers
        self.stdout.write(f"Foster carers: {carers:,} households, and their corporate IRO.")
        data_version.bump()  # written in bulk, past the models' signals


def _whole_number(flag: str, raw: str) -> int:
    try:
        return int(str(raw).strip())
    except ValueError:
        raise _bad(f"{flag} must be a whole number, not {raw!r}") from None


def _as_of(raw: str | None) -> date:
    if raw is None:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw.strip()) if len(raw.strip()) == 10 else _not_a_date(raw)
    except ValueError:
        return _not_a_date(raw)


def _not_a_date(raw: str) -> date:
    raise _bad(f"--as-of must be a real date as YYYY-MM-DD, not {raw!r}")
