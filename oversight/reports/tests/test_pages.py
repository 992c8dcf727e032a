"""The dashboard, the children behind a figure and their CSV, through HTTP, on the December 2026
council (today Mon 11 Jan 2027, so the default period is December)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from oversight.audit.models import AuditEntry
from oversight.cases.constants import Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.obligations import recompute_child
from oversight.reports.tests.conftest import MONDAY_11_JANUARY_2027, d

pytestmark = pytest.mark.django_db

DECEMBER = "date_from=2026-12-01&date_to=2026-12-31"


def downloaded(response) -> bytes:
    """The whole body of a download (sent from a file, in parts)."""
    return b"".join(response.streaming_content)


def children_named(entry: AuditEntry) -> list[str]:
    """The references of the children `entry` names (its `ChildShown` rows), in the order shown."""
    return [shown.child_reference for shown in entry.children.order_by("id")]


def figure_text(response, key: str) -> str:
    """The text of figure `key`'s link on the dashboard (numbers and percentage), or of its cell
    where no child is behind it (a foster carer figure: no link)."""
    html = response.text
    start = html.index(f'id="figure-{key}"')
    cell = html.index('<td class="govuk-table__cell">', start) + len(
        '<td class="govuk-table__cell">'
    )
    if html.startswith("<a ", cell):
        return html[html.index(">", cell) + 1 : html.index("<span", cell)]
    return html[cell : html.index("</td>", cell)]


def test_it_shows_the_service_manager_last_months_figures(client, december):
    client.force_login(december.service_manager.user)
    response = client.get("/reports/")
    assert response.status_code == 200
    assert "Tuesday 1 December 2026 to Thursday 31 December 2026" in response.text
    assert "ICPCs held within 15 working days of the strategy discussion" in response.text
    assert figure_text(response, "icpc_within_15_wd") == "3 of 5 (60%)"
    assert figure_text(response, "icpc_s47_21_plus_wd") == "1 of 5 (20%)"
    assert figure_text(response, "escalations_raised") == "3"
    assert figure_text(response, "escalations_resolved") == "2 of 5 (40%)"
    timeliness = response.text.index('id="figures-timeliness"')
    concerns = response.text.index('id="figures-escalations"')
    assert timeliness < response.text.index('id="figure-rcpc_in_time"') < concerns
    assert concerns < response.text.index('id="figure-escalations_raised"')
    entry = AuditEntry.objects.latest("id")
    assert (entry.what, entry.user_id, entry.path) == (
        "reports.dashboard",
        december.service_manager.user.pk,
        "/reports/",
    )


def test_it_filters_by_team_and_iro(client, council, december):
    client.force_login(december.service_manager.user)
    team_2 = client.get(f"/reports/?{DECEMBER}&team={december.team_2.pk}")
    assert figure_text(team_2, "core_group_first_in_time") == "1 of 2 (50%)"  # Gus; Cara late
    owen = client.get(f"/reports/?{DECEMBER}&iro={council.other_iro.user.username}")
    assert figure_text(owen, "rcpc_in_time") == "1 of 2 (50%)"  # Jude; Ivo late


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("date_from=2026-13-01", "date_from", "Enter a valid date."),
        ("date_from=2026-12-31&date_to=2026-12-01", "date_to", "The end date must be the same"),
        ("date_to=9999-12-31", "date_to", "Enter a date before 2100"),
        ("team=99999", "team", "Select a valid choice."),
        ("iro=nobody.here", "iro", "Select a valid choice."),
    ],
)
def test_it_refuses_bad_filters_by_field(client, december, query, field, message):
    client.force_login(december.service_manager.user)
    for path in (
        "/reports/",
        "/reports/children/",
        "/reports/children.csv",
        "/reports/children.xlsx",
    ):
        response = client.get(f"{path}?figure=rcpc_in_time&{query}")
        assert response.status_code == 200, path
        assert f'id="id_{field}_1_error"' in response.text, path
        assert message in response.text, path
        assert 'id="figures-' not in response.text and 'id="children"' not in response.text


@pytest.mark.parametrize(
    "persona", ["iro", "social_worker", "duty_iro", "auditor", "administrator"]
)
def test_it_refuses_anyone_but_a_manager(client, council, december, persona):
    client.force_login(getattr(council, persona).user)
    before = AuditEntry.objects.count()
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/children/?figure=rcpc_in_time").status_code == 403
    assert client.get("/reports/children.csv?figure=rcpc_in_time").status_code == 403
    assert client.get("/reports/children.xlsx?figure=rcpc_in_time").status_code == 403
    assert AuditEntry.objects.count() == before
    assert 'href="/reports/"' not in client.get("/children/").text  # no link in the navigation


def test_it_links_the_reports_for_the_managers(client, council, december):
    for manager in (december.service_manager, council.iro_team_manager, council.team_manager):
        client.force_login(manager.user)
        assert 'href="/reports/">Reports</a>' in client.get("/children/").text


def test_it_lists_the_children_behind_a_figure_and_audits_the_view(client, december):
    client.force_login(december.service_manager.user)
    response = client.get(f"/reports/children/?figure=icpc_s47_11_15_wd&{DECEMBER}")
    assert response.status_code == 200
    assert (
        "ICPCs held 11 to 15 working days after the section 47 enquiries started" in response.text
    )
    assert "2 of 5 (40%)" in response.text
    table = response.text[response.text.index('id="children"') :]
    names = ["Cara", "Dan", "Gus", "Ava", "Ben"]  # by the day of the ICPC
    assert [n for n in names if f"{n} Reportson" in table] == names
    assert table.index("Cara") < table.index("Dan") < table.index("Ben")
    assert f'href="/children/{december.children["Ben"].pk}/"' in table
    entry = AuditEntry.objects.latest("id")
    assert entry.what == "reports.children icpc_s47_11_15_wd"
    assert "figure=icpc_s47_11_15_wd" in entry.path
    # the row names each child the page shows, in its order
    shown = [december.children[n] for n in names]
    assert [(s.child_id, s.child_reference) for s in entry.children.order_by("id")] == [
        (c.pk, c.reference) for c in shown
    ]


def test_its_audit_row_names_only_the_children_of_the_page_shown(client, december, monkeypatch):
    from oversight.web import views_reports

    monkeypatch.setattr(views_reports, "ROWS_PER_PAGE", 2)
    client.force_login(december.service_manager.user)
    client.get(f"/reports/children/?figure=icpc_within_15_wd&{DECEMBER}&page=2")
    entry = AuditEntry.objects.latest("id")
    assert children_named(entry) == ["R-Gus", "R-Ava"]


def test_it_answers_404_for_a_figure_it_does_not_have(client, december):
    client.force_login(december.service_manager.user)
    assert client.get("/reports/children/?figure=nonsense").status_code == 404
    assert client.get("/reports/children.csv").status_code == 404


def test_it_shows_a_team_manager_only_the_children_of_their_line(client, council, december):
    client.force_login(council.team_manager.user)  # Tara: Sami's children; Cara is Nia's now
    response = client.get(f"/reports/children/?figure=icpc_within_15_wd&{DECEMBER}")
    assert "3 of 3 (100%)" in response.text
    assert "Ava Reportson" in response.text and "Dan Reportson" in response.text
    assert "Cara Reportson" not in response.text and "Gus Reportson" not in response.text


def test_it_exports_the_children_as_csv_with_formulas_neutralised(client, council, december):
    formula = make_child(first_name="=HYPERLINK(1)", last_name="-Smith", reference="@R-X")
    allocate(formula, council.social_worker, Role.SOCIAL_WORKER, d("Tue 2026-09-01"))
    record_event(formula, "lac_start", d("Mon 2026-12-07"))
    record_event(formula, "iro_allocated", d("Mon 2026-12-14"))  # due Mon 14 Dec: in time
    recompute_child(formula, as_of=MONDAY_11_JANUARY_2027)
    client.force_login(december.service_manager.user)
    response = client.get(f"/reports/children.csv?figure=iro_allocated_in_time&{DECEMBER}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "iro_allocated_in_time_2026-12-01_2026-12-31.csv" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    lines = list(csv.reader(io.StringIO(downloaded(response).decode())))
    assert lines == [
        ["Council reference", "Child", "What", "Counted from", "On", "Due", "In time"],
        ["R-Kit", "Kit Reportson", "IRO allocated", "2026-11-23", "2026-12-01", "2026-11-30", "No"],
        ["R-Lily", "Lily Reportson", "IRO allocated", "2026-12-02", "2026-12-09", "2026-12-09", "Yes"],
        ["'@R-X", "'=HYPERLINK(1) -Smith", "IRO allocated", "2026-12-07", "2026-12-14",
         "2026-12-14", "Yes"],
    ]  # fmt: skip
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.what, entry.reason) == (
        "export",
        "reports.iro_allocated_in_time.csv",
        "3 rows, 2026-12-01 to 2026-12-31",
    )
    assert children_named(entry) == ["R-Kit", "R-Lily", "@R-X"]


def test_it_exports_the_children_as_xlsx_with_formulas_kept_as_text(client, council, december):
    from openpyxl import load_workbook

    formula = make_child(first_name="=HYPERLINK(1)", last_name="+Smith", reference="@R-X")
    allocate(formula, council.social_worker, Role.SOCIAL_WORKER, d("Tue 2026-09-01"))
    record_event(formula, "lac_start", d("Mon 2026-12-07"))
    record_event(formula, "iro_allocated", d("Tue 2026-12-15"))  # due Mon 14 Dec: late
    recompute_child(formula, as_of=MONDAY_11_JANUARY_2027)
    client.force_login(december.service_manager.user)
    response = client.get(f"/reports/children.xlsx?figure=iro_allocated_in_time&{DECEMBER}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "iro_allocated_in_time_2026-12-01_2026-12-31.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(downloaded(response)))["iro_allocated_in_time"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Council reference", "Child", "What", "Counted from", "On", "Due", "In time"]
    assert rows[1][:2] == ["R-Kit", "Kit Reportson"]
    assert rows[1][3:] == [dt.datetime(2026, 11, 23), dt.datetime(2026, 12, 1),
                           dt.datetime(2026, 11, 30), "No"]  # fmt: skip
    formula_row = sheet[4]
    assert [c.value for c in formula_row[:2]] == ["@R-X", "=HYPERLINK(1) +Smith"]
    assert [(c.data_type, c.quotePrefix) for c in formula_row[:2]] == [("s", True), ("s", True)]
    assert formula_row[2].quotePrefix is False  # "IRO allocated" needs none
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.what, entry.reason) == (
        "export",
        "reports.iro_allocated_in_time.xlsx",
        "3 rows, 2026-12-01 to 2026-12-31",
    )
    assert children_named(entry) == ["R-Kit", "R-Lily", "@R-X"]


def test_it_answers_404_for_a_format_it_does_not_have(client, december):
    client.force_login(december.service_manager.user)
    assert client.get(f"/reports/children.pdf?figure=rcpc_in_time&{DECEMBER}").status_code == 404


def test_it_pages_the_children_and_keeps_the_filters(client, december, monkeypatch):
    from oversight.web import views_reports

    monkeypatch.setattr(views_reports, "ROWS_PER_PAGE", 2)
    client.force_login(december.service_manager.user)
    first = client.get(f"/reports/children/?figure=icpc_within_15_wd&{DECEMBER}")
    assert "Page 1 of 3" in first.text
    assert "Cara Reportson" in first.text and "Gus Reportson" not in first.text
    assert f"figure=icpc_within_15_wd&amp;{DECEMBER.replace('&', '&amp;')}" in first.text
    last = client.get(f"/reports/children/?figure=icpc_within_15_wd&{DECEMBER}&page=3")
    table = last.text[last.text.index('id="children"') :]
    assert "Ben Reportson" in table and "Ava Reportson" not in table  # the fifth, by ICPC day


def test_its_number_of_queries_does_not_grow_with_the_council(client, council, december):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    client.force_login(december.service_manager.user)
    pages = ("/reports/", f"/reports/children/?figure=icpc_s47_11_15_wd&{DECEMBER}")
    [queries(path) for path in pages]  # the menu's unread count is remembered after the first
    small = [queries(path) for path in pages]
    for n in range(12):  # twelve more ICPCs in December, each on a child of its own
        more = make_child(reference=f"R-More{n}")
        allocate(more, council.social_worker, Role.SOCIAL_WORKER, d("Tue 2026-09-01"))
        record_event(more, "strategy_discussion", d("Mon 2026-11-30"))
        record_event(more, "icpc", d("Tue 2026-12-15"), outcome="plan")  # 11 working days
        recompute_child(more, as_of=MONDAY_11_JANUARY_2027)
    [queries(path) for path in pages]  # what the new allocations' versions made it ask again
    assert [queries(path) for path in pages] == small
    assert "14 of 17 (82.4%)" in client.get(pages[1]).text  # Ava, Ben and the twelve


def test_it_shows_each_iros_caseload_and_links_to_their_children(client, council, december):
    client.force_login(december.service_manager.user)
    response = client.get(f"/reports/?{DECEMBER}")
    html = response.text
    row = html[html.index(f'id="caseload-{council.other_iro.user.username}"') :]
    row = row[: row.index("</tr>")]
    cells = [c.split(">", 1)[1] for c in row.split("<td")[1:]]
    cells = [c[: c.index("</td>")] for c in cells]
    # Owen, half time: five on a plan or none (no number), three looked after against 25 to 35
    assert cells == ["5", "No number in the policy", "3", "25 to 35", "0.50", "16.0"]
    link = re.search(r'href="([^"]+)"', row)
    assert link is not None
    listed = client.get(link.group(1).replace("&amp;", "&"))
    assert "Children held by an IRO on the period&#x27;s last day" in listed.text
    table = listed.text[listed.text.index('id="children"') :]
    assert table.count("<tr") == 9  # the header and Owen's eight
    assert "Milo Oakridge" in table and "Ava Reportson" not in table


def test_it_exports_the_open_concerns_list_with_its_filters(client, council, december):
    from openpyxl import load_workbook

    client.force_login(december.service_manager.user)
    page = client.get("/concerns/?stage=2")
    assert 'href="/concerns/open.xlsx?stage=2"' in page.text
    # Open today (Mon 11 Jan 2027): Gus's (informal) and Ivo's (stage 2); Kit's was resolved
    everything = client.get("/concerns/open.csv")
    lines = list(csv.reader(io.StringIO(downloaded(everything).decode())))
    assert lines[0][:5] == ["Council reference", "Child", "Ladder", "Stage", "Raised"]
    assert [line[0] for line in lines[1:]] == ["R-Ivo", "R-Gus"]  # by the day raised
    assert lines[1][4:6] == ["2026-11-02", "70"]  # Mon 2 Nov to Mon 11 Jan: 70 days
    assert lines[2][8] == "Northbrook Health Trust"
    entry = AuditEntry.objects.latest("id")
    assert (entry.what, entry.reason) == ("concerns.open.csv", "2 rows")
    assert children_named(entry) == ["R-Ivo", "R-Gus"]
    stage_2 = client.get("/concerns/open.xlsx?stage=2")
    sheet = load_workbook(io.BytesIO(downloaded(stage_2)))["Open concerns"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["R-Ivo"]
    client.force_login(council.social_worker.user)  # Sami: Ivo and Gus are Nia's
    listed = client.get("/concerns/open.csv")
    assert len(list(csv.reader(io.StringIO(downloaded(listed).decode())))) == 1  # the header


def test_it_shows_the_complaints_and_lists_the_children_behind_them(client, december):
    client.force_login(december.service_manager.user)
    response = client.get("/reports/")
    complaints = response.text.index('id="figures-complaints"')
    assert response.text.index('id="figures-escalations"') < complaints
    assert complaints < response.text.index('id="figure-complaints_received"')
    assert figure_text(response, "complaints_received") == "4"
    assert figure_text(response, "complaints_acknowledged_in_time") == "2 of 5 (40%)"
    assert figure_text(response, "complaints_answered_in_time") == "2 of 3 (66.7%)"
    assert figure_text(response, "complaints_not_upheld") == "1"
    behind = client.get(f"/reports/children/?figure=complaints_answered_in_time&{DECEMBER}")
    table = behind.text[behind.text.index('id="children"') :]
    names = ["Ava", "Hana", "Kit"]  # by the day each answer was due
    assert [n for n in names if f"{n} Reportson" in table] == names
    assert "Gus Reportson" not in table  # his answer is due in January
    entry = AuditEntry.objects.latest("id")
    assert children_named(entry) == ["R-Ava", "R-Hana", "R-Kit"]
