"""Ofsted's Annex A lists 5, 7 and 8 on the December council for the six months before Thu 31
Dec 2026: from Tue 30 Jun 2026 (a month end: 31 Dec less six months), in the columns and order of
the liia-tools sample workbook, as the page, the XLSX and the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from oversight.audit.models import AuditEntry
from oversight.cases.constants import Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.obligations import recompute_child
from oversight.reports.annex_a import COLUMNS, NOT_HELD, annex_list, window
from oversight.reports.figures import Period, Scope, figure
from oversight.reports.tests.conftest import MONDAY_11_JANUARY_2027, d
from oversight.reports.tests.test_pages import downloaded

pytestmark = pytest.mark.django_db

# Ofsted's columns, as liia-tools' sample workbook heads each list (its `source` says where from).
SAMPLE_COLUMNS = json.loads(Path(__file__).with_name("annex_a_columns.json").read_text("utf-8"))
THURSDAY_31_DECEMBER_2026 = d("Thu 2026-12-31")


def by_column(number: int, day: dt.date = THURSDAY_31_DECEMBER_2026) -> dict[str, dict[str, Any]]:
    """Each line of the list as {column: value} without the empty cells, by council reference."""
    found = annex_list(number, Scope(), day)
    lines: dict[str, dict[str, Any]] = {}
    for _child, cells in found.lines:
        named = dict(zip(found.columns, cells, strict=True))
        lines[str(named["Child Unique ID"])] = {
            k: v for k, v in named.items() if v not in (None, "")
        }
    return lines


@pytest.mark.parametrize("number", [5, 7, 8])
def test_its_columns_are_ofsteds_in_their_order(number):
    assert COLUMNS[number] == tuple(SAMPLE_COLUMNS[f"List {number}"])


def test_its_window_is_the_six_months_before_the_day():
    assert window(THURSDAY_31_DECEMBER_2026) == Period(d("Tue 2026-06-30"), d("Thu 2026-12-31"))
    assert window(d("Mon 2026-08-31")) == Period(d("Sat 2026-02-28"), d("Mon 2026-08-31"))


def test_list_5_has_each_strategy_discussion_and_its_icpc(december):
    lines = by_column(5)
    # Every strategy discussion since Tue 30 Jun: Eve's Mon 2 Nov is in, and each child's one
    assert list(lines) == ["R-Ava", "R-Ben", "R-Cara", "R-Dan", "R-Gus", "R-Eve", "R-Finn"]
    assert lines["R-Cara"] == {
        "Child Unique ID": "R-Cara",
        "Date of Birth": d("Mon 2016-08-15"),
        "Age": 10,
        "Strategy discussion initiating Section 47 Enquiry Start Date": d("Tue 2026-11-10"),
        "Was an Initial Child Protection Conference deemed unnecessary?": "No",
        "Date of Initial Child Protection Conference": d("Thu 2026-12-03"),
        "Did the Initial Child Protection Conference Result in a Child Protection Plan": "Yes",
        "Number of Section 47 Enquiries in the last 12 months": 1,
        "Number of ICPCs in the last 12 months": 1,
        "Allocated Team": "Social work team 2",  # she moved to Nia on Fri 11 Dec
        "Allocated Worker": "Nia Greyling",
    }
    # Finn's ICPC was on Mon 4 Jan 2027, after the day; born Tue 10 Jan 2017, so still 9
    assert "Date of Initial Child Protection Conference" not in lines["R-Finn"]
    assert lines["R-Finn"]["Age"] == 9
    assert lines["R-Finn"]["Number of ICPCs in the last 12 months"] == 0


def test_list_5_says_when_an_icpc_was_not_needed(council, december):
    zara = make_child(first_name="Zara", last_name="Reportson", reference="R-Zara")
    allocate(zara, council.social_worker, Role.SOCIAL_WORKER, d("Tue 2026-09-01"))
    record_event(zara, "strategy_discussion", d("Mon 2026-10-05"))
    record_event(zara, "icpc_not_required", d("Fri 2026-10-16"))
    recompute_child(zara, as_of=MONDAY_11_JANUARY_2027)
    line = by_column(5)["R-Zara"]
    assert line["Was an Initial Child Protection Conference deemed unnecessary?"] == "Yes"
    assert "Date of Initial Child Protection Conference" not in line


def test_list_7_has_each_plan_open_in_the_six_months(council, december):
    # Yusuf: a plan from Mon 3 Mar 2025 to Mon 1 Sep 2025, and another from Mon 5 Oct 2026
    # (neglect), reviewed on Mon 14 Dec with emotional abuse added.
    yusuf = make_child(first_name="Yusuf", last_name="Reportson", reference="R-Yusuf",
                       date_of_birth=d("Sun 2017-07-02"))  # fmt: skip
    allocate(yusuf, council.other_social_worker, Role.SOCIAL_WORKER, d("Mon 2025-03-03"))
    record_event(yusuf, "icpc", d("Mon 2025-03-03"), outcome="plan")
    record_event(yusuf, "rcpc", d("Mon 2025-09-01"), outcome="end")
    record_event(yusuf, "icpc", d("Mon 2026-10-05"), outcome="plan", categories=["neglect"])
    record_event(yusuf, "rcpc", d("Mon 2026-12-14"), outcome="continue",
                 categories=["neglect", "emotional"])  # fmt: skip
    recompute_child(yusuf, as_of=MONDAY_11_JANUARY_2027)
    lines = by_column(7)
    # The plans open at some time from Tue 30 Jun (Finn's began on Mon 4 Jan 2027: not in)
    assert sorted(lines) == ["C1000001", "R-Ava", "R-Ben", "R-Cara", "R-Dan", "R-Eve", "R-Gus",
                             "R-Hana", "R-Ivo", "R-Jude", "R-Yusuf"]  # fmt: skip
    assert lines["R-Yusuf"] == {
        "Child Unique ID": "R-Yusuf",
        "Date of Birth": lines["R-Yusuf"]["Date of Birth"],
        "Age": lines["R-Yusuf"]["Age"],
        "Child Protection Plan Start Date": d("Mon 2026-10-05"),
        "Initial Category of Abuse": "Neglect",
        "Latest Category of Abuse": "Neglect, Emotional abuse",
        "Date of latest review conference": d("Mon 2026-12-14"),
        "Number of Previous Child Protection Plans": 1,
        "Allocated Team": "Social work team 2",
        "Allocated Worker": "Nia Greyling",
    }
    # Jude's plan ended at his RCPC on Wed 16 Dec; Gus was last visited on Wed 30 Dec
    assert lines["R-Jude"]["Child Protection Plan End Date"] == d("Wed 2026-12-16")
    assert lines["R-Jude"]["Date of latest review conference"] == d("Wed 2026-12-16")
    assert lines["R-Gus"]["Date of the Last Statutory Visit"] == d("Wed 2026-12-30")
    assert "Date of the Last Statutory Visit" not in lines["R-Eve"]  # never visited


def test_list_8_has_each_episode_open_in_the_six_months(council, december):
    # Zoe: looked after from Mon 5 Jan to Tue 31 Mar 2026, and again from Tue 1 Sep 2026
    zoe = make_child(first_name="Zoe", last_name="Reportson", reference="R-Zoe")
    allocate(zoe, council.social_worker, Role.SOCIAL_WORKER, d("Mon 2026-01-05"))
    record_event(zoe, "lac_start", d("Mon 2026-01-05"))
    record_event(zoe, "lac_end", d("Tue 2026-03-31"))
    record_event(zoe, "lac_start", d("Tue 2026-09-01"))
    recompute_child(zoe, as_of=MONDAY_11_JANUARY_2027)
    lines = by_column(8)
    assert sorted(lines) == ["C2000001", "R-Kit", "R-Lily", "R-Mo", "R-Ned", "R-Zoe"]
    second = "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)"
    assert lines["R-Zoe"][second] == "Y"  # the first ended five months before
    assert lines["R-Zoe"]["Date Started to be Looked After"] == d("Tue 2026-09-01")
    assert lines["R-Kit"][second] == "N"
    assert lines["R-Lily"]["Date of Latest Statutory Review"] == d("Thu 2026-12-31")
    assert lines["R-Mo"]["Date Started to be Looked After"] == d("Mon 2026-06-01")


def test_list_8_has_the_placements_and_the_last_social_work_visit(council, december):
    # Ava: looked after and placed from Fri 5 Dec 2025 (more than 12 months before Thu 31 Dec
    # 2026), moved on Mon 5 Jan 2026 and again on Tue 1 Dec 2026; visited Tue 8 and Mon 14 Dec
    child = make_child(first_name="Ada", last_name="Placeworth", reference="R-Placed")
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, d("Fri 2025-12-05"))
    record_event(child, "lac_start", d("Fri 2025-12-05"))
    record_event(child, "placement_start", d("Fri 2025-12-05"), placement_type="foster",
                 provider="Oak Lane", area="in", until_18=False)  # fmt: skip
    record_event(child, "placement_change", d("Mon 2026-01-05"), placement_type="foster",
                 provider="Elm Court", area="in", until_18=False)  # fmt: skip
    # the last as an SSDA903 import keeps it: the home's postcode, URN and local authority
    record_event(child, "placement_change", d("Tue 2026-12-01"), placement_type="residential",
                 provider="Riverside House", area="out", until_18=False, place="K2",
                 postcode="T28 2", urn="SC123456", la="E09000033")  # fmt: skip
    record_event(child, "lac_visit", d("Tue 2026-12-08"))
    record_event(child, "lac_visit", d("Mon 2026-12-14"))
    line = by_column(8)["R-Placed"]
    assert line["Date of Last Social Work Visit"] == d("Mon 2026-12-14")
    # open at some time from Wed 31 Dec 2025: the first placement (begun before the 12 months,
    # left on 5 January) and the moves of 5 January and 1 December; begun in them, only 2
    assert line["Number of Placements in the Last 12 months"] == 3
    assert line["Start Date of Most Recent Placement"] == d("Tue 2026-12-01")
    assert line["Placement Type"] == "Children's home"
    assert line["Placement Provider"] == "Riverside House"
    assert line["Placement postcode"] == "T28 2"
    assert line["URN of Placement"] == "SC123456"
    assert line["Placement Location"] == "Out of the council's area"
    assert line["LA of Placement"] == "E09000033"


def test_list_8_has_the_legal_status_in_force_and_its_start(council, december):
    # Bea: looked after from Sat 31 Oct 2026 under police protection (L1), an interim care order
    # (C1) from Mon 2 Nov, a care order (C2) on Fri 1 Jan 2027, after the list's day; Cal:
    # accommodated under section 20 (V2) from Mon 1 Jun 2026 until the episode ended on Mon 30
    # Nov (a month end)
    bea = make_child(first_name="Bea", last_name="Lawson", reference="R-Bea")
    allocate(bea, council.social_worker, Role.SOCIAL_WORKER, d("Sat 2026-10-31"))
    record_event(bea, "lac_start", d("Sat 2026-10-31"))
    record_event(bea, "legal_status", d("Sat 2026-10-31"), legal_status="L1")
    record_event(bea, "legal_status", d("Mon 2026-11-02"), legal_status="C1")
    record_event(bea, "legal_status", d("Fri 2027-01-01"), legal_status="C2")  # after the day
    cal = make_child(first_name="Cal", last_name="Lawson", reference="R-Cal")
    allocate(cal, council.social_worker, Role.SOCIAL_WORKER, d("Mon 2026-06-01"))
    record_event(cal, "lac_start", d("Mon 2026-06-01"))
    record_event(cal, "legal_status", d("Mon 2026-06-01"), legal_status="V2")
    record_event(cal, "lac_end", d("Mon 2026-11-30"))
    found = annex_list(8, Scope(), THURSDAY_31_DECEMBER_2026)
    lines = [dict(zip(found.columns, cells, strict=True)) for _c, cells in found.lines]
    status = {
        str(line["Child Unique ID"]): (
            line["Start date of current legal status"],
            line["Child's Legal Status"],
        )
        for line in lines
        if str(line["Child Unique ID"]).startswith("R-")
    }
    # the interim care order of Mon 2 Nov, not the care order of New Year's Day
    assert status["R-Bea"] == (d("Mon 2026-11-02"), "C1")
    # section 20 until the episode ended at the end of November
    assert status["R-Cal"] == (d("Mon 2026-06-01"), "V2")
    # a looked-after child with no legal status recorded: both columns empty
    assert status["R-Kit"] == (None, "")
    assert "Child's Legal Status" not in NOT_HELD[8]


def test_it_downloads_list_7_as_xlsx_and_csv_alike_and_audits_each(client, december):
    client.force_login(december.service_manager.user)
    xlsx = client.get("/reports/annex-a/list-7.xlsx?date=2026-12-31")
    assert xlsx.status_code == 200
    assert "no-store" in xlsx["Cache-Control"]
    assert "annex_a_list_7_2026-12-31.xlsx" in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(downloaded(xlsx)))["List 7"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(rows[0]) == COLUMNS[7]
    jude = next(r for r in rows if r[0] == "R-Jude")
    assert jude[COLUMNS[7].index("Child Protection Plan End Date")] == dt.datetime(2026, 12, 16)
    assert jude[COLUMNS[7].index("Gender")] is None  # not held: present and empty
    entry = AuditEntry.objects.latest("id")
    assert (entry.what, entry.reason) == (
        "reports.annex_a_7.xlsx",
        "10 rows, 2026-06-30 to 2026-12-31",
    )
    assert entry.children.count() == 10

    text = client.get("/reports/annex-a/list-7.csv?date=2026-12-31")
    lines = list(csv.reader(io.StringIO(downloaded(text).decode())))
    assert tuple(lines[0]) == COLUMNS[7]
    assert [line[0] for line in lines[1:]] == [r[0] for r in rows[1:]]  # the same children
    jude_csv = next(line for line in lines if line[0] == "R-Jude")
    assert jude_csv[COLUMNS[7].index("Child Protection Plan End Date")] == "2026-12-16"
    assert AuditEntry.objects.latest("id").what == "reports.annex_a_7.csv"


def test_its_page_lists_the_columns_oversight_does_not_hold(client, december):
    client.force_login(december.service_manager.user)
    response = client.get("/reports/annex-a/?date=2026-12-31")
    assert response.status_code == 200
    assert "From Tuesday 30 June 2026 to Thursday 31 December 2026" in response.text
    html = response.text
    for number in (5, 7, 8):
        listed = html[html.index(f'id="list-{number}-not-held"') :]
        listed = listed[: listed.index("</ul>")]
        assert listed.count("<li>") == len(NOT_HELD[number])
    assert NOT_HELD[7] == (
        "Gender",
        "Ethnicity",
        "Does the Child have a Disability",
        "Was the Child Seen Alone?",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
    )
    assert 'href="/reports/annex-a/list-8.xlsx?date=2026-12-31"' in html


def test_it_refuses_a_bad_day_on_its_field_and_anyone_but_a_manager(client, council, december):
    client.force_login(december.service_manager.user)
    for path in ("/reports/annex-a/", "/reports/annex-a/list-5.csv"):
        response = client.get(f"{path}?date=2026-02-30")
        assert response.status_code == 200
        assert 'id="id_date_1_error"' in response.text  # the message by the field
    assert client.get("/reports/annex-a/list-6.csv").status_code == 404
    client.force_login(council.iro.user)
    assert client.get("/reports/annex-a/list-7.xlsx").status_code == 403


def test_list_8_and_the_stability_figure_count_a_childs_placements_alike(council, december):
    """DfE's measure: the children who "had 3 or more placements during the year", each
    placement open at any point in it. Hal's first placement began before the 12 months to Thu
    31 Dec 2026 (from Wed 31 Dec 2025) and ended in them: 3 placements open in the year, 2
    begun in it; both Annex A and `placement_moves` say 3, and the figure counts Hal."""
    child = make_child(first_name="Hal", last_name="Placeworth", reference="R-Hal")
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, d("Mon 2025-06-02"))
    record_event(child, "lac_start", d("Mon 2025-06-02"))
    for kind, day in (("placement_start", "Mon 2025-06-02"), ("placement_change", "Fri 2026-02-06"),
                      ("placement_change", "Mon 2026-09-07")):  # fmt: skip
        record_event(child, kind, d(day), placement_type="foster", provider="Carer", area="in",
                     until_18=False)  # fmt: skip
    recompute_child(child, as_of=MONDAY_11_JANUARY_2027)  # the figure reads what the engine placed
    assert by_column(8)["R-Hal"]["Number of Placements in the Last 12 months"] == 3
    december_2026 = Period(d("Tue 2026-12-01"), THURSDAY_31_DECEMBER_2026)
    rows = figure("placement_moves", Scope(), december_2026).children()
    assert [(r.name, r.what, r.counted) for r in rows if r.name == "Hal Placeworth"] == [
        ("Hal Placeworth", "3 placements in 12 months; Foster care, in the area", True)
    ]
