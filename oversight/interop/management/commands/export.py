"""`oversight export cin|903 --year YYYY [--output FILE] [--user NAME]`.

The CIN census's child protection modules (XML) or the SSDA903 reviews table (CSV) of the
collection year ending 31 March YYYY, from Oversight's data (`oversight.interop.export`), to
`FILE` or standard output; one audit row for each child in it. A summary on standard error."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from oversight.cases.formatting import sentence_day
from oversight.cases.obligations import active_pack
from oversight.interop.export import RETURNS, Year, write_return


class Command(BaseCommand):
    help = (
        "Export the CIN census's child protection modules, or the SSDA903 reviews or episodes "
        "table, for a year."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind", choices=sorted(RETURNS), help="cin, 903 (reviews) or 903-episodes"
        )
        parser.add_argument(
            "--year", required=True, help="the collection year, by the year it ends in"
        )
        parser.add_argument("--output", default=None, help="the file to write (else stdout)")
        parser.add_argument("--user", default=None, help="the username the audit log names")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = Year.parse(str(options["year"]))
        except ValueError as exc:
            raise CommandError(f"--year: {exc}, not {options['year']!r}", returncode=2) from None
        user = None
        if options["user"] is not None:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"--user: no user {options['user']!r}", returncode=2)
        output = Path(options["output"]) if options["output"] else None
        if output is not None and not output.parent.is_dir():
            raise CommandError(f"--output: no folder {output.parent}", returncode=2)
        with output.open("wb") if output else io.BytesIO() as out:
            children = write_return(
                options["kind"],
                year,
                out,
                policy=active_pack().policy,
                made_at=timezone.localtime(),
                user=user,
            )
            if isinstance(out, io.BytesIO):
                self.stdout.write(out.getvalue().decode(), ending="")
        where = str(output) if output else "standard output"
        self.stderr.write(
            f"{len(children):,} {'child' if len(children) == 1 else 'children'} in the "
            f"{options['kind'].upper()} return for {sentence_day(year.first)} to {sentence_day(year.last)}, "
            f"written to {where}."
        )
