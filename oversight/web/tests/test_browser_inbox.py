"""In the browser: the IRO raises a concern about Poppy; her social worker finds it in the inbox
(the navigation counting it unread), reads it, marks it read and responds; the response is then
in the IRO's inbox. Everything the inbox holds came through the outbox: who is told is decided
once, by the concern's own addressees."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.meetings.tests.conftest import freeze
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Thursday 31 December 2026: a working day between the Christmas bank holidays and New Year's Day.
THURSDAY_31_DECEMBER_2026 = dt.date(2026, 12, 31)


def test_a_concern_and_its_response_reach_each_persons_inbox(page, council):
    from playwright.sync_api import expect

    with freeze(THURSDAY_31_DECEMBER_2026):
        sign_in(page, council.iro.user.username, council.password)
        page.get_by_role("link", name="Children", exact=True).click()
        page.get_by_role("link", name="Poppy Larkfield").click()
        page.get_by_role("link", name="Raise a concern").click()
        page.get_by_label("What is the issue").fill("No core group since the review conference")
        page.get_by_label("What is the impact on the child").fill("Nobody is checking the plan")
        page.get_by_role("button", name="Raise the concern").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Escalation record")
        expect(page.get_by_role("link", name="Inbox", exact=True)).to_be_visible()  # none unread

        sign_in(page, council.social_worker.user.username, council.password)
        inbox = page.get_by_role("link", name="Inbox 1 unread")
        expect(inbox).to_be_visible()
        inbox.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
        expect(page.locator("#unread-count")).to_have_text("1 unread of 1 message")
        row = page.locator("#inbox tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Thu 31 Dec 2026")
        expect(row).to_contain_text("Poppy Larkfield")
        expect(row).to_contain_text("Isla Brightwell")  # who raised it
        expect(row).to_contain_text("a concern needs your response: C1000001")
        row.locator("summary").click()
        # the email carries a link and the least words, never the issue itself (issue 18)
        expect(row).to_contain_text(
            "The issue and its impact on the child are on the escalation record"
        )
        expect(row).not_to_contain_text("No core group since the review conference")
        row.get_by_role("button", name="Mark as read").click()
        expect(page.locator("#unread-count")).to_have_text("0 unread of 1 message")
        expect(page.locator("#inbox tbody tr")).to_contain_text("Read Thu 31 Dec 2026")
        expect(page.get_by_role("link", name="Inbox", exact=True)).to_be_visible()

        # the social worker answers from the record the message links to
        page.locator("#inbox tbody tr").get_by_role("link", name="Poppy Larkfield").click()
        page.get_by_role("tab", name="Concerns").click()
        page.get_by_role("link", name="Concern raised Thursday 31 December 2026").click()
        page.get_by_role("link", name="Respond").click()
        page.get_by_label("Accepted", exact=True).check()
        page.get_by_label("Reasons, or what will be done").fill("The core group meets on Monday")
        page.get_by_role("button", name="Send the response").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Escalation record")

        sign_in(page, council.iro.user.username, council.password)
        page.get_by_role("link", name="Inbox 1 unread").click()
        row = page.locator("#inbox tbody tr")
        expect(row).to_contain_text("response, accepted: C1000001")
        expect(row).to_contain_text("Sami Fairholm")
