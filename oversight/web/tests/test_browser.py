"""The pages in a real browser: Debian's chromium driven by Playwright against a live server.

Playwright's sync API runs an event loop in this thread, so Django's guard against database
access from async code is switched off for these tests only (DJANGO_ALLOW_ASYNC_UNSAFE). The
`browser` and `page` fixtures are the root conftest's: one chromium for a whole browser suite."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, username: str, password: str) -> None:
    """Sign in afresh, as a person who has closed the browser: a session still open in this one
    (the tests give sessions a year) would skip the form."""
    page.context.clear_cookies()
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_it_lets_an_iro_find_a_child_and_read_the_chronology(page, council):
    from playwright.sync_api import expect

    sign_in(page, council.iro.user.username, council.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    page.get_by_role("link", name="Children", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children")
    page.get_by_label("Search by name, reference or NHS number").fill("Poppy")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#result-count")).to_contain_text("1 child matching \u2018Poppy\u2019")
    page.get_by_role("link", name="Poppy Larkfield").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Poppy Larkfield")
    page.get_by_role("tab", name="Chronology").click()
    expect(page.get_by_role("heading", name="Chronology")).to_be_visible()
    rows = page.locator("table[aria-labelledby=chronology-heading] tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("Thu 12 Mar 2026")  # the newest event first
    expect(rows.first).to_contain_text("Review child protection conference")
    expect(rows.last).to_contain_text("Strategy discussion")


def test_it_shows_an_error_for_a_wrong_password(page, council):
    sign_in(page, council.iro.user.username, "not-the-password")
    from playwright.sync_api import expect

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    expect(page).to_have_title(re.compile(r"^Error: Sign in \u2013 Oversight \u2013 "))


def test_it_gives_a_social_worker_the_not_found_page_for_a_child_not_theirs(page, council):
    from playwright.sync_api import expect

    sign_in(page, council.other_social_worker.user.username, council.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    response = page.goto(f"/children/{council.child.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("body")).not_to_contain_text("Poppy")


def test_it_offers_a_skip_link_to_the_main_content(page, council):
    from playwright.sync_api import expect

    page.goto("/sign-in/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
