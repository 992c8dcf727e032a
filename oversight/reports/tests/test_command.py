"""`oversight report dashboard`: the same numbers as the dashboard and its CSV, and bad input as
one line and exit status 2."""

from __future__ import annotations

import csv
import io
import json

import pytest

from oversight.cli import main as oversight
from oversight.reports.command import main
from oversight.reports.tests.test_figures import SERVICE
from oversight.reports.tests.test_pages import DECEMBER, downloaded, figure_text

pytestmark = pytest.mark.django_db


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_it_prints_the_figures_as_json(december):
    status, out, err = run("dashboard", "--from", "2026-12-01", "--to", "2026-12-31")
    assert (status, err) == (0, "")
    document = json.loads(out)
    assert (document["from"], document["to"]) == ("2026-12-01", "2026-12-31")
    assert {f["key"]: (f["numerator"], f["denominator"]) for f in document["figures"]} == SERVICE
    first = document["figures"][0]
    assert first == {
        "key": "icpc_within_15_wd",
        "label": "ICPCs held within 15 working days of the strategy discussion",
        "numerator": 3,
        "denominator": 5,
        "value": 60.0,
    }
    raised = next(f for f in document["figures"] if f["key"] == "escalations_raised")
    assert (raised["denominator"], raised["value"]) == (None, None)  # a count


def test_it_narrows_to_a_team_and_an_iro(council, december):
    status, out, _ = run(
        "dashboard", "--from", "2026-12-01", "--to", "2026-12-31",
        "--team", str(december.team_2.pk), "--iro", council.other_iro.user.username,
    )  # fmt: skip
    assert status == 0
    found = {f["key"]: (f["numerator"], f["denominator"]) for f in json.loads(out)["figures"]}
    assert found["core_group_first_in_time"] == (1, 1)  # Gus (Owen's); Cara is Isla's
    assert found["rcpc_in_time"] == (1, 2)  # Jude; Ivo late


def test_it_writes_csv_to_a_file(december, tmp_path):
    target = tmp_path / "december.csv"
    status, out, _ = run(
        "dashboard", "--from", "2026-12-01", "--to", "2026-12-31",
        "--format", "csv", "--output", str(target),
    )  # fmt: skip
    assert (status, out) == (0, "")
    lines = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert lines[0] == ["key", "label", "numerator", "denominator", "value"]
    assert lines[1] == [
        "icpc_within_15_wd",
        "ICPCs held within 15 working days of the strategy discussion",
        "3",
        "5",
        "60.0",
    ]
    assert ["escalations_raised", "Concerns raised", "3", "", ""] in lines


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["weekly", "--from", "2026-12-01", "--to", "2026-12-31"], "no report 'weekly'"),
        (["dashboard", "--from", "2026-12-31", "--to", "2026-12-01"], "--to is before --from"),
        (["dashboard", "--from", "2026-12-01", "--to", "31/12/2026"], "--to: '31/12/2026' is not"),
        (
            ["dashboard", "--from", "2026-02-30", "--to", "2026-12-31"],
            "--from: '2026-02-30' is not",
        ),
        (["dashboard", "--from", "2026-12-01", "--to", "2026-12-31", "--team", "99999"], "--team"),
        (["dashboard", "--from", "2026-12-01", "--to", "2026-12-31", "--team", "x"], "--team"),
        (["dashboard", "--from", "2026-12-01", "--to", "2026-12-31", "--iro", "no.one"], "--iro"),
        (
            ["dashboard", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "html"],
            "--format",
        ),
        (["dashboard", "--to", "2026-12-31"], "--from"),
        (["dashboard", "--from", "2026-12-01", "--to", "2026-12-31", "--colour"], "--colour"),
        (["supervision", "--from", "2026-12-01", "--to", "2026-12-31"], "--iro USERNAME"),
        (["annex-a-7", "--from", "2026-07-01", "--to", "2026-12-31"], "--from: an Annex A"),
        (["annex-a-5", "--to", "2026-12-31", "--team", "1"], "--team: an Annex A"),
        (["annex-a-6", "--to", "2026-12-31"], "no report 'annex-a-6'"),
    ],
)
def test_it_refuses_bad_input_in_one_line_with_status_2(december, tmp_path, argv, said):
    target = tmp_path / "out.json"
    status, out, err = run(*argv, "--output", str(target))
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("oversight report: "), err
    assert said in err
    assert not target.exists()  # nothing written


def test_it_refuses_an_unknown_iro_who_is_not_an_iro(council, december):
    status, _, err = run(
        "dashboard", "--from", "2026-12-01", "--to", "2026-12-31",
        "--iro", council.social_worker.user.username,
    )  # fmt: skip
    assert status == 2
    assert f"--iro: no IRO with username '{council.social_worker.user.username}'" in err


def test_the_oversight_command_runs_it(december, capsys):
    assert oversight(["report", "dashboard", "--from", "2026-12-01", "--to", "2026-12-31"]) == 0
    assert json.loads(capsys.readouterr().out)["figures"][0]["numerator"] == 3
    assert oversight(["report", "dashboard", "--from", "2026-12-31", "--to", "2026-12-01"]) == 2
    assert capsys.readouterr().err == "oversight report: --to is before --from\n"


def test_the_dashboard_the_command_and_the_csv_agree(client, december):
    _, out, _ = run("dashboard", "--from", "2026-12-01", "--to", "2026-12-31")
    client.force_login(december.service_manager.user)
    dashboard = client.get(f"/reports/?{DECEMBER}")
    for found in json.loads(out)["figures"]:
        key, numerator, denominator = found["key"], found["numerator"], found["denominator"]
        shown = figure_text(dashboard, key)
        if denominator is None:
            assert shown == str(numerator), key
        else:
            assert shown.startswith(f"{numerator} of {denominator}"), key
        exported = client.get(f"/reports/children.csv?figure={key}&{DECEMBER}")
        rows = list(csv.reader(io.StringIO(downloaded(exported).decode())))[1:]
        assert sum(row[-1] == "Yes" for row in rows) == numerator, key
        assert len(rows) == (denominator if denominator is not None else numerator), key


def test_a_binary_format_needs_an_output_file(december):
    status, out, err = run(
        "annual", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "pdf"
    )
    assert (status, out) == (2, "")
    assert err == "oversight report: --format pdf needs --output FILE\n"


DOCUMENT_NAMES = ["dashboard", "monthly", "quarterly", "annual", "partnership", "supervision"]


def _argv(name: str, council) -> list[str]:
    if name.startswith("annex-a-"):
        return [name, "--to", "2026-12-31"]
    more = ["--iro", council.other_iro.user.username] if name == "supervision" else []
    return [name, "--from", "2026-12-01", "--to", "2026-12-31", *more]


@pytest.mark.parametrize("name", [*DOCUMENT_NAMES, "annex-a-5", "annex-a-7", "annex-a-8"])
@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "pdf", "docx"])
def test_it_writes_every_report_in_every_format(council, december, tmp_path, name, fmt):
    from docx import Document as Word
    from openpyxl import load_workbook
    from pypdf import PdfReader

    target = tmp_path / f"out.{fmt}"
    status, out, err = run(*_argv(name, council), "--format", fmt, "--output", str(target))
    assert (status, out, err) == (0, "", "")
    data = target.read_bytes()
    if fmt == "json":
        assert json.loads(data)["to"] == "2026-12-31"
    elif fmt == "csv":
        assert len(list(csv.reader(io.StringIO(data.decode())))) > 1
    elif fmt == "xlsx":
        assert load_workbook(io.BytesIO(data)).sheetnames
    elif fmt == "docx":
        assert Word(io.BytesIO(data)).paragraphs[0].text
    else:
        assert len(PdfReader(io.BytesIO(data)).pages) >= 1


def test_the_monthly_reports_numbers_are_the_dashboards_in_every_format(
    council, december, tmp_path
):
    from docx import Document as Word
    from openpyxl import load_workbook
    from pypdf import PdfReader

    argv = ["monthly", "--from", "2026-12-01", "--to", "2026-12-31"]
    files = {}
    for fmt in ("json", "csv", "xlsx", "docx", "pdf"):
        files[fmt] = tmp_path / f"monthly.{fmt}"
        assert run(*argv, "--format", fmt, "--output", str(files[fmt]))[0] == 0
    found = {f["key"]: f for f in json.loads(files["json"].read_text())["figures"]}
    assert {k: (f["numerator"], f["denominator"]) for k, f in found.items()} == SERVICE
    lines = list(csv.reader(io.StringIO(files["csv"].read_text())))
    assert ["cp_visit_in_time", found["cp_visit_in_time"]["label"], "2", "4", "50.0"] in lines
    sheet = load_workbook(files["xlsx"])["Figures"]
    by_key = {row[0]: row[2:4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_key["escalation_responses_in_time"] == (1, 2)
    assert by_key["midway_booked"] == (3, None)
    words = "\n".join(
        c.text for t in Word(str(files["docx"])).tables for r in t.rows for c in r.cells
    )
    assert (
        "Child protection visits due in the period made within 10 working days of the last" in words
    )
    assert "2 of 4" in words and "50%" in words
    pdf = " ".join(page.extract_text() for page in PdfReader(files["pdf"]).pages)
    assert "Monthly data report" in pdf and "2 of 4 (50%)" in pdf
