"""`oversight report NAME --from DATE --to DATE [--team ID] [--iro USERNAME] --format json|csv
[--output FILE]`, for scripts and schedulers: the dashboard's figures for the whole council (the
command has no viewer, so no one's access narrows it; restricted records count too).

    --format json   {"from": …, "to": …, "figures": [{"key", "label", "numerator",
                    "denominator", "value"}, …]}; a count's denominator and value are null
    --format csv    one line per figure, the same five columns

Bad input (an unknown report, a date that is not YYYY-MM-DD, `--to` before `--from`, an
unknown team or IRO) is one line on stderr and exit status 2."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
from typing import TextIO

from oversight.cases.constants import Role
from oversight.cases.models import StaffMember, Team
from oversight.reports.export import write_figures
from oversight.reports.figures import Period, Scope, figures

NAMES = ("dashboard",)
FORMATS = ("json", "csv")


class Refused(Exception):
    """Input the command cannot run with, in one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise Refused(message)


def _day(option: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refused(f"{option}: {text!r} is not a date (YYYY-MM-DD)") from None


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = _Parser(prog="oversight report", add_help=False)
    parser.add_argument("name")
    parser.add_argument("--from", dest="first", required=True)
    parser.add_argument("--to", dest="last", required=True)
    parser.add_argument("--team")
    parser.add_argument("--iro")
    parser.add_argument("--format", default="json")
    parser.add_argument("--output")
    options = parser.parse_args(argv)
    if options.name not in NAMES:
        raise Refused(f"no report {options.name!r} (reports: {', '.join(NAMES)})")
    if options.format not in FORMATS:
        raise Refused(f"--format: {options.format!r} is not one of {', '.join(FORMATS)}")
    options.first = _day("--from", options.first)
    options.last = _day("--to", options.last)
    if options.last < options.first:
        raise Refused("--to is before --from")
    return options


def _scope(options: argparse.Namespace) -> Scope:
    team = None
    if options.team is not None:
        team = Team.objects.filter(pk=int(options.team)).first() if options.team.isdigit() else None
        if team is None:
            raise Refused(f"--team: no team with id {options.team!r}")
    iro = None
    if options.iro is not None:
        iro = StaffMember.objects.filter(
            user__username=options.iro, role_set__role=Role.IRO
        ).first()
        if iro is None:
            raise Refused(f"--iro: no IRO with username {options.iro!r}")
    return Scope(team=team, iro=iro)


def _render(options: argparse.Namespace) -> str:
    """The report as text, in full before anything is written (a refusal leaves no file)."""
    found = figures(_scope(options), Period(options.first, options.last))
    if options.format == "csv":
        out = io.StringIO(newline="")
        write_figures(out, found)
        return out.getvalue()
    document = {
        "from": options.first.isoformat(),
        "to": options.last.isoformat(),
        "figures": [
            {
                "key": f.key,
                "label": f.label,
                "numerator": f.numerator,
                "denominator": f.denominator,
                "value": f.value,
            }
            for f in found
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def main(argv: list[str], *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command; its exit status."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        options = _parse(argv)
        text = _render(options)
    except Refused as exc:
        print(f"oversight report: {exc}", file=stderr)
        return 2
    if options.output:
        with open(options.output, "w", encoding="utf-8", newline="") as out:
            out.write(text)
    else:
        stdout.write(text)
    return 0
