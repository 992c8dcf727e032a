"""In the browser: the safeguarding service manager opens "Policy" from the menu and reads that
Stockport's consultation protocol is past its review date (March 2018); after the nightly run
of Sun 1 April 2018 they find it in their inbox, and its link opens the Policy page."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from oversight.cases.constants import Role
from oversight.cases.factories import make_staff
from oversight.meetings.tests.conftest import freeze
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _manager(council):
    return make_staff(
        [Role.SAFEGUARDING_SERVICE_MANAGER],
        council.iro_team_manager.team,
        first_name="Rosa",
        last_name="Penhale",
        password=council.password,
    )


def test_the_service_manager_finds_the_protocol_past_its_review(page, council, settings):
    from playwright.sync_api import expect

    settings.OVERSIGHT_POLICY = "stockport"
    manager = _manager(council)
    with freeze(dt.date(2026, 12, 3)):
        sign_in(page, manager.user.username, council.password)
        page.get_by_role("link", name="Policy", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("The council's policy")
        expect(page.get_by_role("region", name="Important")).to_contain_text(
            "1 source document is past its review date"
        )
        row = page.get_by_role("row").filter(has_text="The role of Independent Reviewing Officers")
        expect(row).to_contain_text("March 2018")
        expect(row).to_contain_text("Past its review date")


def test_the_nightly_run_puts_the_notice_in_the_service_managers_inbox(page, council, settings):
    from playwright.sync_api import expect

    settings.OVERSIGHT_POLICY = "stockport"
    manager = _manager(council)
    call_command("nightly", "--as-of", "2018-04-01", stdout=StringIO())
    with freeze(dt.date(2026, 12, 3)):
        sign_in(page, manager.user.username, council.password)
        expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
        page.get_by_role("link", name="Inbox 1 unread").click()
        row = page.locator("#inbox tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Past its review date (March 2018): The role of Independent")
        row.locator("summary").click()
        expect(row).to_contain_text("To be reviewed: March 2018")
        row.get_by_role("link", name="http://127.0.0.1:8000/policy/").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("The council's policy")
        expect(page.get_by_role("region", name="Important")).to_contain_text(
            "1 source document is past its review date"
        )
