"""In the browser, on Mon 11 Jan 2027: the safeguarding service manager opens the dashboard from
the navigation, reads December's ICPC figure, follows it to the children behind it and back,
and narrows the dashboard to a team; reads the trend's table, opens the monthly data report and
the Annex A lists, and reads which columns Oversight does not hold."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.reports.tests.conftest import build_december
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY_11_JANUARY_2027 = dt.datetime(2027, 1, 11, 10, 0, tzinfo=dt.UTC)


def test_it_lets_the_service_manager_follow_a_figure_to_its_children(page, council):
    from playwright.sync_api import expect

    with time_machine.travel(MONDAY_11_JANUARY_2027, tick=True):
        december = build_december(council)
        sign_in(page, december.service_manager.user.username, council.password)
        page.get_by_role("link", name="Reports", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Service dashboard")
        expect(page.get_by_label("From")).to_have_value("2026-12-01")  # last full month
        expect(page.get_by_label("To")).to_have_value("2026-12-31")
        icpcs = page.get_by_role(
            "row", name="ICPCs held within 15 working days of the strategy discussion"
        )
        expect(icpcs).to_contain_text("3 of 5 (60%)")
        icpcs.get_by_role("link").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "ICPCs held within 15 working days of the strategy discussion"
        )
        expect(page.locator("#figure-text")).to_have_text("3 of 5 (60%)")
        rows = page.locator("#children tbody tr")
        expect(rows).to_have_count(5)
        ben = rows.filter(has_text="Ben Reportson")
        expect(ben).to_contain_text("Tue 29 Dec 2026")  # held over Christmas
        expect(ben).to_contain_text("Wed 30 Dec 2026")  # due: the bank holidays skipped
        expect(ben.locator("td").last).to_have_text("Yes")
        expect(rows.filter(has_text="Cara Reportson").locator("td").last).to_have_text("No")
        expect(page.get_by_role("link", name="Download as CSV")).to_be_visible()

        page.get_by_role("link", name="Service dashboard").click()
        page.get_by_label("Team").select_option(label="Social work team 2")
        page.get_by_role("button", name="Show figures").click()
        core_groups = page.get_by_role("row", name="First core groups held within")
        expect(core_groups).to_contain_text("1 of 2 (50%)")  # Gus, and Cara after her move


def test_it_lets_the_service_manager_open_the_reports_and_annex_a(page, council):
    from playwright.sync_api import expect

    with time_machine.travel(MONDAY_11_JANUARY_2027, tick=True):
        december = build_december(council)
        sign_in(page, december.service_manager.user.username, council.password)
        page.get_by_role("link", name="Reports", exact=True).click()
        trend = page.get_by_role("table", name="Concerns raised")
        expect(trend.get_by_role("row", name="December 2026")).to_contain_text("3")
        expect(page.get_by_role("img", name="Concerns raised, by month")).to_be_visible()

        page.get_by_role("link", name="Monthly data report").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Monthly data report")
        visits = page.get_by_role("row", name="Child protection visits due in the period")
        expect(visits).to_contain_text("2 of 4 (50%)")  # Cara and Dan; Gus late, Eve not seen
        expect(page.get_by_role("link", name="Download as Word (.docx), to edit")).to_be_visible()
        expect(page.get_by_role("link", name="Download as PDF")).to_be_visible()

        page.get_by_role("link", name="Service dashboard").click()
        page.get_by_role("link", name="Ofsted Annex A lists 5, 7 and 8").click()
        page.get_by_label("The lists' last day").fill("2026-12-31")
        page.get_by_role("button", name="Show the lists").click()
        list_7 = page.locator("#list-7")
        expect(list_7).to_contain_text("From Tuesday 30 June 2026 to Thursday 31 December 2026")
        expect(list_7.locator("#list-7-not-held")).to_contain_text("Was the Child Seen Alone?")
        expect(list_7.get_by_role("link", name="Download list 7 as XLSX (Excel)")).to_be_visible()
