"""Signing out everywhere in a real browser: the person on their office computer uses the footer
link, and the laptop they left signed in at home is signed out at its next page; the page runs
under the strict Content-Security-Policy with GOV.UK Frontend's scripts working."""

from __future__ import annotations

import pytest

from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_signs_out_the_other_computer_too(page, browser, live_server, council):
    from playwright.sync_api import expect

    laptop = browser.new_context(base_url=live_server.url).new_page()
    sign_in(laptop, council.iro.user.username, council.password)
    expect(laptop.get_by_role("heading", level=1)).to_have_text("My caseload")

    sign_in(page, council.iro.user.username, council.password)
    # GOV.UK Frontend ran: its scripts are the app's own files, allowed by the policy.
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    page.get_by_role("link", name="Sign out everywhere").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign out everywhere")
    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have been signed out everywhere")

    laptop.get_by_role("link", name="Children").click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Sign in to Oversight")
    laptop.context.close()
