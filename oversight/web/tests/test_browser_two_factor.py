"""Two-factor sign-in in a real browser: an administrator signs in with their password, is sent to
set up an authenticator app, types the code the app would show (computed here from the key the
page shows), keeps the recovery codes, signs out, and at the next sign-in gives a code again."""

from __future__ import annotations

import pytest

from oversight.web.tests.test_browser import sign_in
from oversight.web.tests.test_two_factor import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.two_factor]


def test_an_administrator_sets_up_an_app_then_signs_in_with_its_code(page, council):
    from playwright.sync_api import expect

    sign_in(page, council.administrator.user.username, council.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("#secret").inner_text()

    page.get_by_label("Code").fill(code_for(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in is on")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Oversight")
    sign_in(page, council.administrator.user.username, council.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    # The next period's code: this period's was spent setting up, and is never taken twice.
    page.get_by_label("Code").fill(code_for(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
