"""The corporate IRO's journey in a real browser (chromium through Playwright; see
oversight/web/tests/test_browser.py) on Thu 3 December 2026: she lands on the foster carers, sees
the Okafor household's review overdue (approved Fri 28 November 2025, first review due Sat 28
November 2026) and first, records its review, and reads it back with the next one due a year on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from oversight.fostering.factories import make_carer
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THU_3_DECEMBER_2026 = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def test_the_corporate_iro_records_a_review_and_reads_it_back(
    page: Any,
    council: Any,
    corporate_iro: Any,
) -> None:
    from playwright.sync_api import expect

    make_carer(reference="FC1001", names="Maya and Tom Ashdown", approved_on=dt.date(2026, 3, 2))
    make_carer(reference="FC1002", names="Priya Okafor", approved_on=dt.date(2025, 11, 28))
    iro = page
    iro.goto("/sign-in/")  # the cold server's first page (and its assets) on the real clock
    with time_machine.travel(THU_3_DECEMBER_2026, tick=True):
        sign_in(iro, corporate_iro.user.username, council.password)
        expect(iro.get_by_role("heading", level=1)).to_have_text("Foster carers")
        expect(iro.locator("main")).to_contain_text("1 review overdue")
        first = iro.locator("table tbody tr").first
        expect(first).to_contain_text("Priya Okafor")
        expect(first).to_contain_text("Sat 28 Nov 2026")
        expect(first).to_contain_text("Overdue")

        iro.get_by_role("link", name="Priya Okafor").click()
        expect(iro.get_by_role("heading", level=1)).to_have_text("Priya Okafor")
        iro.get_by_role("link", name="Record a review").click()
        iro.get_by_label("Date of the review").fill("1 12 2026")
        expect(iro.get_by_label("Chaired by")).to_have_value(str(corporate_iro.pk))
        iro.get_by_role("group", name="Should the carers continue to foster?").get_by_label(
            "Yes"
        ).check()
        iro.get_by_role("group", name="Does their household remain appropriate?").get_by_label(
            "Yes"
        ).check()
        iro.get_by_role(
            "group", name="Are their terms of approval still appropriate?"
        ).get_by_label("No").check()
        iro.get_by_role("button", name="Save the review").click()
        # Refused, naming the field: new terms are needed when the terms are not appropriate.
        expect(iro.locator(".govuk-error-summary")).to_contain_text(
            "Enter the terms of approval the review recommends"
        )
        iro.get_by_label("New terms of approval recommended").fill(
            "2 children aged 0 to 4, short-term"
        )
        iro.get_by_label("The carers' views").fill("We feel ready for a second child")
        iro.get_by_role("button", name="Save the review").click()

        expect(iro.get_by_role("heading", level=1)).to_have_text("Priya Okafor")
        main = iro.locator("main")
        expect(main).to_contain_text("Review of Tuesday 1 December 2026")
        expect(main).to_contain_text("Recommended: 2 children aged 0 to 4, short-term")
        expect(main).to_contain_text("We feel ready for a second child")
        expect(iro.locator("#review-due")).to_contain_text("Wednesday 1 December 2027")
        iro.get_by_role("link", name="Back to the foster carers").click()
        expect(iro.locator("main")).not_to_contain_text("review overdue")


def test_the_corporate_iro_adds_a_household_and_puts_it_on_hold(
    page: Any,
    council: Any,
    corporate_iro: Any,
) -> None:
    from playwright.sync_api import expect

    iro = page
    iro.goto("/sign-in/")
    with time_machine.travel(THU_3_DECEMBER_2026, tick=True):
        sign_in(iro, corporate_iro.user.username, council.password)
        iro.get_by_role("link", name="Add a foster household").click()
        expect(iro.get_by_role("heading", level=1)).to_have_text("Add a foster household")
        iro.get_by_label("Reference").fill("FC1003")
        iro.get_by_label("Carers' names").fill("Lena and Joe Marsh")
        iro.get_by_label("Date of approval").fill("1 6 2026")
        iro.get_by_label("Number of children approved for").fill("2")
        iro.get_by_label("Youngest age approved for").fill("12")
        iro.get_by_label("Oldest age approved for").fill("5")
        iro.get_by_label("Kind of fostering").select_option(label="Short-term")
        iro.get_by_label("Supervising social worker").select_option(label="Sami Fairholm")
        iro.get_by_role("button", name="Add the household").click()
        # Refused, naming the field, and what was typed kept.
        expect(iro.locator(".govuk-error-summary")).to_contain_text(
            "The oldest age cannot be below the youngest"
        )
        expect(iro.get_by_label("Carers' names")).to_have_value("Lena and Joe Marsh")
        iro.get_by_label("Youngest age approved for").fill("5")
        iro.get_by_label("Oldest age approved for").fill("15")
        iro.get_by_role("button", name="Add the household").click()

        expect(iro.get_by_role("heading", level=1)).to_have_text("Lena and Joe Marsh")
        main = iro.locator("main")
        expect(main).to_contain_text("2 children aged 5 to 15, short-term")
        expect(main).to_contain_text("Sami Fairholm")
        # First review a year from approval: Tue 1 June 2027.
        expect(iro.locator("#review-due")).to_contain_text("Tuesday 1 June 2027")

        iro.get_by_role("link", name="Change the carers' details").click()
        iro.get_by_label("Status").select_option(label="On hold")
        iro.get_by_role("button", name="Save the changes").click()
        expect(iro.get_by_role("heading", level=1)).to_have_text("Lena and Joe Marsh")
        expect(iro.locator("main")).to_contain_text("On hold")
