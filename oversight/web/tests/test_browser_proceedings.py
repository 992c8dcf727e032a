"""In the browser: the IRO records a looked-after child's care proceedings, the children's
guardian, a liaison with the guardian and the legal papers seen (Walsall, seed 002, 5.2), from
the child's Care proceedings tab, and reads them back there. Ivy became looked after on Mon 4
January 2027; proceedings were issued on Thu 7 January; the IRO records on Wed 13 January."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from oversight.cases.constants import EventType, Role
from oversight.meetings.tests.conftest import freeze
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def from_the_tab(tab: Any, child_id: int, link: str) -> None:
    """Open the child's Care proceedings tab and follow one of its links."""
    tab.goto(f"/children/{child_id}/")
    tab.get_by_role("tab", name="Care proceedings").click()
    tab.locator("#proceedings").get_by_role("link", name=link).click()


def record(tab: Any) -> None:
    from playwright.sync_api import expect

    tab.get_by_role("button", name="Record the event").click()
    expect(tab.locator(".govuk-error-summary")).to_have_count(0)


def test_the_iro_records_proceedings_a_guardian_a_liaison_and_papers(page, council):
    from playwright.sync_api import expect

    from oversight.cases.factories import allocate, make_child, record_event

    child = make_child(reference="C5100003", first_name="Ivy", last_name="Marlow",
                       date_of_birth=dt.date(2015, 6, 1))  # fmt: skip
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    record_event(child, EventType.LAC_START, dt.date(2027, 1, 4))

    with freeze(dt.date(2027, 1, 13)):
        sign_in(page, council.iro.user.username, council.password)
        from_the_tab(page, child.pk, "Record a legal status")
        page.get_by_label("Date", exact=True).fill("7 1 2027")
        page.get_by_label("Legal status").select_option(label="C1: Interim care order")
        record(page)

        from_the_tab(page, child.pk, "Record care proceedings begun")
        page.get_by_label("Date", exact=True).fill("7 1 2027")
        page.get_by_label("Court", exact=True).fill("Walsall Family Court")
        page.get_by_label("Case number (optional)").fill("BM27C00012")
        record(page)

        from_the_tab(page, child.pk, "Record the guardian")
        page.get_by_label("Date", exact=True).fill("8 1 2027")
        page.get_by_label("Children's guardian", exact=True).fill("Rowan Ashdown")
        record(page)

        from_the_tab(page, child.pk, "Record a liaison with the guardian")
        page.get_by_label("Date", exact=True).fill("11 1 2027")
        page.get_by_label("By phone").check()
        page.get_by_label("Notes (optional)").fill("Agreed the contact plan")
        record(page)

        from_the_tab(page, child.pk, "Record legal papers seen")
        page.get_by_label("Date", exact=True).fill("12 1 2027")
        page.get_by_label("Social work evidence template (SWET)").check()
        page.get_by_label("Interim or final care plan").check()
        record(page)

        page.get_by_role("tab", name="Care proceedings").click()
        tab = page.locator("#proceedings")
        expect(tab).to_contain_text("C1: Interim care order, since Thursday 7 January 2027")
        expect(tab).to_contain_text("Proceedings begun Thursday 7 January 2027 (open)")
        expect(tab).to_contain_text("Walsall Family Court, case number BM27C00012")
        expect(tab).to_contain_text("Rowan Ashdown (since Friday 8 January 2027)")
        liaison = tab.get_by_role("table", name="Liaison with the guardian").locator("tbody tr")
        expect(liaison).to_have_count(1)
        expect(liaison).to_contain_text("Monday 11 January 2027")
        expect(liaison).to_contain_text("By phone")
        expect(liaison).to_contain_text("Agreed the contact plan")
        papers = tab.get_by_role("table", name="Legal papers seen by the IRO").locator("tbody tr")
        expect(papers).to_contain_text(
            "Social work evidence template (SWET), Interim or final care plan"
        )
        # the header at a glance shows the same legal status
        expect(
            page.locator("#at-a-glance .govuk-summary-list__row", has_text="Legal status")
        ).to_contain_text("C1: Interim care order (since Thursday 7 January 2027)")
