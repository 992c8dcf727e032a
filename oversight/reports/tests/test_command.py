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
        (["monthly", "--from", "2026-12-01", "--to", "2026-12-31"], "no report 'monthly'"),
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
            ["dashboard", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "pdf"],
            "--format",
        ),
        (["dashboard", "--to", "2026-12-31"], "--from"),
        (["dashboard", "--from", "2026-12-01", "--to", "2026-12-31", "--colour"], "--colour"),
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
