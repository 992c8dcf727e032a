"""`oversight import cin|903 FILE… [--dry-run] [--format json]`: a summary, exit 0; or the report
on standard error and exit 2."""

from __future__ import annotations

import getpass
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.audit.models import AuditEntry
from oversight.cases.models import Child, Event
from oversight.cli import USAGE
from oversight.interop.tests.helpers import DATA

pytestmark = pytest.mark.django_db
AS_OF = ["--as-of", "2026-12-03"]  # Thu 3 December 2026


def run(*args: str) -> tuple[int, str, str]:
    """The command in this process (`oversight import` runs it through `manage`, which would
    close the test's database connection when done)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, *AS_OF, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


def test_the_oversight_command_lists_it() -> None:
    assert "import cin|903|ssd|events FILE... [--dry-run]" in USAGE
    assert "export cin|903 --year YYYY [--output FILE]" in USAGE


def test_it_imports_and_prints_a_summary() -> None:
    status, out, err = run("cin", str(DATA / "cin-2026.xml"))
    assert status == 0
    assert "3 children and 6 events in cin-2026.xml" in out
    assert "Added 3 children and 6 events (0 already held)." in out
    # The late ICPC is a warning: reported, and imported.
    assert "warning: cin-2026.xml" in err and "This child's ICPC was late" in err
    assert Child.objects.count() == 3
    # No --user: the audit row names the account that ran the command on the server.
    audited = AuditEntry.objects.get(what="import.cin")
    assert (audited.user, audited.after and audited.after["run_by"]) == (None, getpass.getuser())


def test_it_exits_2_with_the_report_on_standard_error() -> None:
    status, out, err = run("cin", str(DATA / "liiatools_cin-2022.xml"))
    assert (status, out) == (2, "")
    assert (
        "error: liiatools_cin-2022.xml, Message/Children/Child[1]/ChildIdentifiers[1]/UPN, UPN: "
        "This UPN's check letter is wrong: A, where its digits give P"
    ) in err
    assert "Nothing was imported: correct the errors and try again." in err
    assert Child.objects.count() == 0


def test_it_reports_as_json() -> None:
    status, out, err = run("903", str(DATA / "903-reviews.csv"), "--format", "json", "--dry-run")
    assert (status, err) == (0, "")
    report = json.loads(out)
    assert report["summary"]["dry_run"] is True
    assert (report["summary"]["children_added"], report["summary"]["events_added"]) == (2, 3)
    assert report["problems"] == []
    assert Event.objects.count() == 0


def test_json_errors_go_to_standard_error() -> None:
    status, out, err = run(
        "903", str(DATA / "csc-validator-be-903_reviews.csv"), "--format", "json"
    )
    assert (status, out) == (2, "")
    problems = json.loads(err)["problems"]
    assert problems[0] == {
        "file": "csc-validator-be-903_reviews.csv",
        "where": "line 17",
        "field": "REVIEW_CODE",
        "reason": "PN0 is for a child under 4 at the review; this child was 7 on Wed 26 "
        "February 2020",
        "severity": "error",
    }


def test_it_refuses_a_missing_file() -> None:
    with pytest.raises(CommandError, match=r"no-such\.xml: no such file") as refused:
        run("cin", str(DATA / "no-such.xml"))
    assert refused.value.returncode == 2


def test_it_imports_the_dataset_and_events_files() -> None:
    tables = sorted(str(p) for p in (DATA / "ssd").glob("*.csv"))
    status, out, _ = run("ssd", *tables)
    assert status == 0
    assert "2 children and 8 events in" in out and "Added 2 children and 8 events" in out
    status, _, err = run("events", str(DATA / "ssd" / "ssd_person.csv"))
    assert status == 2
    assert (
        "error: ssd_person.csv, line 1, columns: An events file needs the columns child_ref, "
        "type, date; this one has no child_ref, type, date" in err
    )
    assert Child.objects.count() == 2


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_progress_bar_shows_the_reading_then_the_writing() -> None:
    out, err = Terminal(), Terminal()
    call_command("import", "cin", str(DATA / "cin-2026.xml"), *AS_OF, stdout=out, stderr=err)
    shown = err.getvalue()
    assert "Checking the files" in shown and "Importing the children" in shown
    assert "100%" in shown
    assert "Added 3 children and 6 events (0 already held)." in out.getvalue()


def test_off_a_terminal_there_is_no_bar() -> None:
    status, _, err = run("cin", str(DATA / "cin-2026.xml"))
    assert status == 0 and "Checking the files" not in err
