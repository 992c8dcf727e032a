"""`oversight import cin|903|ssd|events FILE… [--dry-run] [--format json] [--as-of DATE] [--user NAME]`.

Reads and checks every file first; with any error nothing is imported, the report goes to
standard error and the exit status is 2. Otherwise the import is written (nothing with
`--dry-run`), warnings go to standard error, and a summary to standard output; exit status 0.
On a terminal, a `rich` progress bar on standard error shows the files being read, then the
children being written."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO, cast

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from oversight.cases.obligations import active_pack
from oversight.interop.actions import READERS, Summary, run_import
from oversight.interop.problems import Report
from oversight.interop.records import Progress as Hears
from oversight.interop.records import Source

# What the bar says of each stage of `actions.run_import`.
STAGES = {"checking": "Checking the files", "importing": "Importing the children"}


class Command(BaseCommand):
    help = (
        "Import a council's CIN census (XML), SSDA903 or Standard Safeguarding Dataset tables, "
        "or a plain CSV of events: checked, all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(READERS), help="cin, 903, ssd or events")
        parser.add_argument(
            "files", nargs="+", help="the files (903 and ssd: every table together)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count; write nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--as-of", dest="as_of", default=None, help="today, YYYY-MM-DD")
        parser.add_argument("--user", default=None, help="the username the audit log names")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = self.as_of(options["as_of"])
        user = self.user(options["user"])
        sources = []
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file", returncode=2)
            sources.append(Source(path.name, path))
        with self.bar(options["format"] == "text") as progress:
            summary, report = run_import(
                options["kind"],
                sources,
                acting_user=user,
                as_of=as_of,
                policy=active_pack().policy,
                dry_run=options["dry_run"],
                run_by=getpass.getuser(),
                progress=progress,
            )
        if options["format"] == "json":
            self.json(summary, report)
        else:
            self.text(summary, report)
        if report.errors:
            raise SystemExit(2)

    @contextmanager
    def bar(self, wanted: bool) -> Iterator[Hears | None]:
        """A progress bar on standard error when it is a terminal (else nothing to hear)."""
        if not (wanted and self.stderr.isatty()):
            yield None
            return
        # The terminal itself, not Django's line wrapper around it.
        stream = cast(TextIO, self.stderr._out)
        console = Console(file=stream, force_terminal=True)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console) as bar:
            task = bar.add_task(STAGES["checking"], total=None)

            def progress(stage: str, done: int, total: int) -> None:
                bar.update(task, description=STAGES[stage], completed=done, total=total)

            yield progress

    def as_of(self, raw: str | None) -> dt.date:
        if raw is None:
            return timezone.localdate()
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise CommandError(
                f"--as-of must be a date, YYYY-MM-DD, not {raw!r}", returncode=2
            ) from None

    def user(self, username: str | None) -> User | None:
        if username is None:
            return None
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"--user: no user {username!r}", returncode=2) from None

    def json(self, summary: Summary, report: Report) -> None:
        out = {"summary": summary.as_json(), "problems": report.as_json()}
        text = json.dumps(out, indent=2)
        (self.stderr if report.errors else self.stdout).write(text)

    def text(self, summary: Summary, report: Report) -> None:
        for problem in report.problems:
            self.stderr.write(str(problem))
        errors, warnings = len(report.errors), len(report.warnings)
        files = ", ".join(f"{f['name']} (SHA-256 {f['sha256'][:12]}…)" for f in summary.files)
        counts = (
            f"{summary.children_in_files:,} children and {summary.events_in_files:,} events in "
            f"{files}; {errors:,} errors, {warnings:,} warnings."
        )
        if errors:
            self.stderr.write(f"{counts} Nothing was imported: correct the errors and try again.")
            return
        verb = "Would add" if summary.dry_run else "Added"
        self.stdout.write(
            f"{counts} {verb} {summary.children_added:,} children and "
            f"{summary.events_added:,} events ({summary.events_already_held:,} already held)"
            + (
                f", and {summary.allocations_added:,} workers' allocations."
                if summary.allocations_added
                else "."
            )
        )
        if summary.imported:
            self.stdout.write(
                f"The imported children have {summary.obligations:,} obligations, "
                f"{summary.overdue:,} of them overdue."
            )
