"""My caseload and the team page as CSV and XLSX (issue 15, item 4), through HTTP, on a frozen day
(Wed 20 Jan 2027): every row the page's filters and sort list, all pages; cells a spreadsheet
would run neutralised; each download audited naming each child."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from oversight.audit.models import AuditEntry
from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.obligations import recompute_all
from oversight.web.tests.test_caseload import frozen, three_children  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def downloaded(response) -> bytes:
    """The whole body of a download (sent from a file, in parts)."""
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # never kept by a browser or a proxy
    return b"".join(response.streaming_content)


def csv_lines(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(downloaded(response).decode())))


def reviews(lines: list[list[str]], child: int = 1) -> list[str]:
    """The children's surnames of the "First review conference due" lines, in order."""
    return [line[child].split(" ")[1] for line in lines[1:] if "First review" in line[child + 2]]


def test_it_exports_my_caseload_with_its_filters_and_sort(client, council, frozen):  # noqa: F811
    three_children(council)  # Zara Abbot, Ada Young, Nell Moss: reviews due in that order
    client.force_login(council.iro.user)
    page = client.get("/caseload/", {"sort": "child", "type": "cp"})
    assert 'href="/caseload/obligations.csv?mine=1&amp;type=cp&amp;status=open&amp;sort=child"' in (
        page.text
    )
    lines = csv_lines(client.get("/caseload/obligations.csv", {"sort": "child", "type": "cp"}))
    assert lines[0] == [
        "Council reference", "Child", "Age", "Obligation", "For", "Due", "Working days",
        "Shared with",
    ]  # fmt: skip
    assert reviews(lines) == ["Abbot", "Moss", "Young"]  # by the child's name, as the page sorts
    zara = next(line for line in lines if "Zara Abbot" in line[1] and "First review" in line[3])
    # the ICPC on Mon 14 Dec 2026: the first review within 3 months, by Sun 14 Mar 2027
    assert zara[5] == "2027-03-14"
    # Thu 21 Jan to Fri 12 Mar: 7 working days of January, 20 of February, 10 of March
    assert zara[6] == "37 working days left"
    entry = AuditEntry.objects.latest("id")
    assert (entry.what, entry.reason) == ("caseload.csv", f"{len(lines) - 1} rows")
    assert {shown.child_reference for shown in entry.children.all()} == {
        line[0] for line in lines[1:]
    }
    # the default order in XLSX: the first due first
    sheet = load_workbook(io.BytesIO(downloaded(client.get("/caseload/obligations.xlsx"))))
    cells = list(sheet["My caseload"].iter_rows(values_only=True))
    assert [row[1].split(" ")[1] for row in cells[1:] if "First review" in row[3]] == [
        "Abbot", "Young", "Moss"]  # fmt: skip
    assert AuditEntry.objects.latest("id").what == "caseload.xlsx"


def test_it_neutralises_a_cell_a_spreadsheet_would_run(client, council, frozen):  # noqa: F811
    child = make_child(first_name="=HYPERLINK(1)", last_name="Crane", reference="C7700001")
    allocate(child, council.iro, Role.IRO, dt.date(2026, 1, 5))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 1, 5))
    record_event(child, EventType.ICPC, dt.date(2027, 1, 5), outcome="plan")
    recompute_all(as_of=dt.date(2027, 1, 20))
    client.force_login(council.iro.user)
    lines = csv_lines(client.get("/caseload/obligations.csv"))
    assert {line[1] for line in lines if line[0] == "C7700001"} == {"'=HYPERLINK(1) Crane"}
    book = load_workbook(io.BytesIO(downloaded(client.get("/caseload/obligations.xlsx"))))
    cell = next(r[1] for r in book["My caseload"].iter_rows(min_row=2) if r[0].value == "C7700001")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=HYPERLINK(1) Crane", "s", True)


def test_it_exports_the_team_page_by_social_worker(client, council, frozen):  # noqa: F811
    record_event(council.child, EventType.ICPC, dt.date(2027, 1, 5), outcome="plan")
    record_event(council.other_child, EventType.ICPC, dt.date(2027, 1, 5), outcome="plan")
    recompute_all(as_of=dt.date(2027, 1, 20))
    client.force_login(council.team_manager.user)
    assert 'href="/team/obligations.xlsx"' in client.get("/team/").text
    lines = csv_lines(client.get("/team/obligations.csv"))
    assert lines[0][:3] == ["Social worker", "Council reference", "Child"]
    assert {line[0] for line in lines[1:]} == {"Sami Fairholm"}  # reports to the team manager
    assert {line[2] for line in lines[1:]} == {"Poppy Larkfield"}  # Milo is not in this line
    entry = AuditEntry.objects.latest("id")
    assert (entry.what, entry.reason) == ("team.csv", f"{len(lines) - 1} rows")
    assert {shown.child_reference for shown in entry.children.all()} == {council.child.reference}
    sheet = load_workbook(io.BytesIO(downloaded(client.get("/team/obligations.xlsx"))))["Team"]
    assert sheet.max_row == len(lines)


def test_it_refuses_the_downloads_to_whom_the_pages_refuse(client, council):
    client.force_login(council.social_worker.user)
    assert client.get("/team/obligations.csv").status_code == 403  # no line of their own
    client.force_login(council.auditor.user)  # holds no child: no caseload to download
    assert client.get("/caseload/obligations.xlsx").status_code == 403
