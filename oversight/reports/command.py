"""`oversight report NAME --from DATE --to DATE [--team ID] [--iro USERNAME]
--format json|csv|xlsx|pdf|docx [--output FILE]`, for scripts and schedulers, over the whole
council (the command has no viewer, so no one's access narrows it; restricted records count too).

NAME is a document of `documents.DOCUMENTS` (`dashboard`, `monthly`, `quarterly`, `annual`,
`partnership`, `supervision`, which needs `--iro`) or an Ofsted Annex A list (`annex-a-5`,
`annex-a-7`, `annex-a-8`: the six months before `--to`, so no `--from`; a list is the council's,
so no `--team` or `--iro`).

    --format json   a document: {"name", "title", "from", "to", "figures": [{"key", "label",
                    "numerator", "denominator", "value"}, …], "sections": […]} (a count's
                    denominator and value are null); a list: {"list", "from", "to", "columns",
                    "rows"}
    --format csv    the figures, then each table; a list's columns and rows
    --format xlsx   a sheet of figures and one per table; a list's sheet "List N"
    --format docx   Word; --format pdf   PDF (a list as one table in each)

Bad input (an unknown report, a date that is not YYYY-MM-DD, `--to` before `--from`, an unknown
team or IRO, an option the report does not take) is one line on stderr and exit status 2, and no
file is written. Text formats go to stdout without `--output`; xlsx, docx and pdf need it."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
from typing import TextIO

from oversight.cases.constants import Role
from oversight.cases.models import StaffMember, Team
from oversight.reports import render
from oversight.reports.annex_a import TITLES, annex_list
from oversight.reports.documents import DOCUMENTS, Document, NeedsIro, Section, Table, document
from oversight.reports.export import write_table
from oversight.reports.figures import Period, Scope
from oversight.reports.replica import reading_replica

LISTS = {f"annex-a-{n}": n for n in TITLES}
NAMES = (*DOCUMENTS, *LISTS)
FORMATS = ("json", "csv", "xlsx", "pdf", "docx")
BINARY = ("xlsx", "pdf", "docx")


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
    parser.add_argument("--from", dest="first")
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
    if options.format in BINARY and not options.output:
        raise Refused(f"--format {options.format} needs --output FILE")
    options.last = _day("--to", options.last)
    if options.name in LISTS:
        for given, option in ((options.first, "--from"), (options.team, "--team"),
                              (options.iro, "--iro")):  # fmt: skip
            if given is not None:
                raise Refused(f"{option}: an Annex A list is the six months before --to")
        return options
    if options.first is None:
        raise Refused("the following arguments are required: --from")
    options.first = _day("--from", options.first)
    if options.last < options.first:
        raise Refused("--to is before --from")
    if options.name == "supervision" and options.iro is None:
        raise Refused("supervision: --iro USERNAME names the IRO")
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


def _list(options: argparse.Namespace) -> bytes:
    """An Annex A list in the format asked for."""
    number = LISTS[options.name]
    found = annex_list(number, Scope(), options.last)
    if options.format in ("csv", "xlsx"):
        out = io.BytesIO()
        write_table(out, options.format, f"List {number}", found.columns, found.lines)
        return out.getvalue()
    rows = [cells for _child, cells in found.lines]
    if options.format == "json":
        listed = {
            "list": number,
            "from": found.period.first.isoformat(),
            "to": found.period.last.isoformat(),
            "columns": list(found.columns),
            "rows": [[render.value_of(c) for c in row] for row in rows],
        }
        return (json.dumps(listed, indent=2) + "\n").encode()
    table = Table(found.title, found.columns, [tuple(row) for row in rows])
    return _document(
        Document(options.name, found.title, found.period, [Section(found.title, tables=[table])]),
        options.format,
    )


def _document(found: Document, fmt: str) -> bytes:
    if fmt == "json":
        return (json.dumps(render.as_json(found), indent=2) + "\n").encode()
    if fmt == "csv":
        text = io.StringIO(newline="")
        render.write_csv(text, found)
        return text.getvalue().encode()
    out = io.BytesIO()
    {"xlsx": render.write_xlsx, "docx": render.write_docx, "pdf": render.write_pdf}[fmt](out, found)
    return out.getvalue()


def _render(options: argparse.Namespace) -> bytes:
    """The report in full before anything is written (a refusal leaves no file)."""
    if options.name in LISTS:
        return _list(options)
    try:
        found = document(options.name, _scope(options), Period(options.first, options.last))
    except NeedsIro:
        raise Refused("supervision: --iro USERNAME names the IRO") from None
    return _document(found, options.format)


def main(argv: list[str], *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command; its exit status."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        options = _parse(argv)
        with reading_replica():
            data = _render(options)
    except Refused as exc:
        print(f"oversight report: {exc}", file=stderr)
        return 2
    if options.output:
        with open(options.output, "wb") as out:
            out.write(data)
    else:
        stdout.write(data.decode())
    return 0
