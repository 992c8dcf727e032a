"""In the browser: the child page says who the child is at a glance (age, IRO, social worker,
plan and category, episode, placement and legal status, next meeting, what is overdue), and the
rest is in tabs that a person clicks; without JavaScript every tab is a section of the page.

A fixed clock: Tuesday 29 December 2026, between Christmas (Friday 25) and the Boxing Day
substitute (Monday 28), and the day before Nell Ashcombe's tenth birthday."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.obligations import recompute_all
from oversight.meetings.constants import Kind, Status
from oversight.meetings.models import Document, Meeting
from oversight.meetings.tests.conftest import freeze
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TUESDAY_29_DECEMBER_2026 = dt.date(2026, 12, 29)


def on_a_plan(council: Any) -> Any:
    """Nell: a plan from the ICPC of Monday 16 November 2026 (neglect), no visit since, the
    review conference booked for Wednesday 10 February 2027."""
    nell = make_child(
        reference="C7000001",
        first_name="Nell",
        last_name="Ashcombe",
        date_of_birth=dt.date(2016, 12, 30),  # ten tomorrow
        nhs_number="9990000026",
    )
    allocate(nell, council.iro, Role.IRO, dt.date(2026, 11, 2))
    allocate(nell, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 11, 2))
    record_event(nell, EventType.STRATEGY_DISCUSSION, dt.date(2026, 11, 2))
    record_event(
        nell, EventType.ICPC, dt.date(2026, 11, 16), outcome="plan", categories=["neglect"]
    )
    record_event(
        nell, EventType.MEETING_BOOKED, dt.date(2026, 12, 1), meeting="rcpc", on="2027-02-10"
    )
    return nell


def looked_after(council: Any) -> Any:
    """Jude: looked after since Monday 7 September 2026 under police protection, an interim care
    order from Monday 14 September, a placement order on Monday 2 November, the first review on
    Monday 5 October, its minutes attached."""
    jude = make_child(
        reference="C7000002",
        first_name="Jude",
        last_name="Penrose",
        date_of_birth=dt.date(2026, 5, 20),  # seven months old
    )
    allocate(jude, council.iro, Role.IRO, dt.date(2026, 9, 7))
    record_event(jude, EventType.LAC_START, dt.date(2026, 9, 7))
    record_event(jude, EventType.IRO_ALLOCATED, dt.date(2026, 9, 8))
    record_event(jude, EventType.LEGAL_STATUS, dt.date(2026, 9, 7), legal_status="L1")
    record_event(jude, EventType.LEGAL_STATUS, dt.date(2026, 9, 14), legal_status="C1")
    record_event(jude, EventType.LAC_REVIEW, dt.date(2026, 10, 5))
    record_event(jude, EventType.PLACEMENT_ORDER, dt.date(2026, 11, 2), plan="adoption")
    review = Meeting.objects.create(
        child=jude,
        kind=Kind.LAC_REVIEW,
        status=Status.COMPLETED,
        date=dt.date(2026, 10, 5),
        details={"s7_legal_status": "The interim care order remains appropriate"},
        created_at=timezone.now(),
    )
    Document.objects.create(
        meeting=review,
        type=Document.Type.MINUTES,
        name="first-review-minutes.pdf",
        file="meetings/2026/10/first-review-minutes.pdf",
        size=1200,
        content_type="application/pdf",
        uploaded_at=dt.datetime(2026, 10, 6, 10, 0, tzinfo=dt.UTC),
    )
    return jude


def glance(tab: Any, key: str) -> Any:
    """The header's value for `key` ("IRO", "Next meeting", ...)."""
    return tab.locator("#at-a-glance .govuk-summary-list__row", has_text=key).locator("dd")


def test_it_says_who_the_child_is_and_opens_each_tab(page, council):
    from playwright.sync_api import expect

    with freeze(TUESDAY_29_DECEMBER_2026):
        on_a_plan(council)
        recompute_all(as_of=TUESDAY_29_DECEMBER_2026)
        sign_in(page, council.iro.user.username, council.password)
        page.get_by_role("link", name="Children", exact=True).click()
        page.get_by_role("link", name="Nell Ashcombe").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Nell Ashcombe")
        expect(page.locator("main")).to_contain_text("C7000001 · NHS number 999 000 0026")
        # nine today: her birthday is tomorrow
        expect(page.locator("main")).to_contain_text("9 years old, born Friday 30 December 2016")
        expect(glance(page, "IRO")).to_have_text("Isla Brightwell")
        expect(glance(page, "Social worker")).to_have_text("Sami Fairholm (Social work team 1)")
        expect(glance(page, "Child protection plan")).to_contain_text(
            "Since Monday 16 November 2026 (1 month)"
        )
        expect(glance(page, "Child protection plan")).to_contain_text("Category of harm: Neglect")
        expect(glance(page, "Looked after")).to_have_text("Not looked after")
        expect(glance(page, "Next meeting")).to_have_text(
            "Booked review conference: Wednesday 10 February 2027"
        )
        overdue = glance(page, "Overdue")
        # the first visit was due 10 working days after the ICPC, Monday 30 November; late by
        # 19 working days today (Christmas Day and the Boxing Day substitute not counted)
        expect(overdue).to_contain_text("Child protection visit due: 19 working days late")

        # the obligations tab is open; the others are a click away
        expect(page.locator("#open-obligations")).to_be_visible()
        expect(page.locator("#chronology")).to_be_hidden()
        page.get_by_role("tab", name="Chronology").click()
        chronology = page.locator("table[aria-labelledby=chronology-heading] tbody tr")
        expect(chronology).to_have_count(3)
        expect(chronology.first).to_contain_text("Meeting booked")
        expect(page.locator("#open-obligations")).to_be_hidden()
        page.get_by_role("tab", name="People").click()
        people = page.locator("#people")
        expect(people.locator("table[aria-labelledby=allocated]")).to_contain_text("Sami Fairholm")
        expect(people).to_contain_text("Council reference")
        page.get_by_role("tab", name="Concerns").click()
        expect(page.locator("#concerns")).to_contain_text("No concern has been raised")
        page.get_by_role("tab", name="Meetings").click()
        expect(page.locator("#meetings")).to_contain_text("No meetings recorded here yet.")


def test_it_gives_a_looked_after_childs_legal_status_placement_and_documents(
    page,
    council,
):
    from playwright.sync_api import expect

    with freeze(TUESDAY_29_DECEMBER_2026):
        jude = looked_after(council)
        recompute_all(as_of=TUESDAY_29_DECEMBER_2026)
        sign_in(page, council.iro.user.username, council.password)
        page.goto(f"/children/{jude.pk}/")
        expect(page.locator("main")).to_contain_text("7 months old, born Wednesday 20 May 2026")
        looked = glance(page, "Looked after")
        expect(looked).to_contain_text("Since Monday 7 September 2026 (3 months)")
        expect(looked).to_contain_text("Placement order made Monday 2 November 2026")
        # the latest legal status, with the day it began (not the police protection before it)
        expect(glance(page, "Legal status")).to_have_text(
            "C1: Interim care order (since Monday 14 September 2026)"
        )
        expect(glance(page, "Social worker")).to_have_text("None allocated")
        page.get_by_role("tab", name="Meetings").click()
        expect(page.locator("#meetings tbody tr")).to_contain_text("Looked-after child review")
        page.get_by_role("tab", name="Documents").click()
        documents = page.locator("#documents tbody tr")
        expect(documents).to_have_count(1)
        expect(documents).to_contain_text("first-review-minutes.pdf")
        expect(documents).to_contain_text("Looked-after child review, Mon 5 Oct 2026")


def test_without_javascript_every_tab_is_a_section_of_the_page(
    browser,
    live_server,
    council,
):
    from playwright.sync_api import expect

    with freeze(TUESDAY_29_DECEMBER_2026):
        nell = on_a_plan(council)
        recompute_all(as_of=TUESDAY_29_DECEMBER_2026)
        context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
        page = context.new_page()
        sign_in(page, council.iro.user.username, council.password)
        page.goto(f"/children/{nell.pk}/")
        for section in ("obligations", "meetings", "concerns", "chronology", "people", "documents"):
            expect(page.locator(f"#{section}")).to_be_visible()
        page.get_by_role("link", name="Chronology").click()  # a link to the section's anchor
        assert page.url.endswith("#chronology")
        expect(page.locator("table[aria-labelledby=chronology-heading]")).to_be_in_viewport()
        context.close()


def test_it_finds_a_child_by_nhs_number_and_says_when_the_number_is_wrong(
    page,
    council,
):
    from playwright.sync_api import expect

    with freeze(TUESDAY_29_DECEMBER_2026):
        on_a_plan(council)
        sign_in(page, council.iro.user.username, council.password)
        page.get_by_role("link", name="Children", exact=True).click()
        search = page.get_by_label("Search by name, reference or NHS number")
        # the hint gives a reference as this council writes them (the IRO's first child's)
        expect(page.locator("#q-hint")).to_contain_text("a reference such as C1000001")
        # Nell's number with its last digit mistyped (6 is right)
        search.fill("999 000 0027")
        page.get_by_role("button", name="Search").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_focused()
        expect(summary).to_contain_text("999 000 0027 is not an NHS number")
        summary.get_by_role("link").click()
        expect(search).to_be_focused()
        expect(page.locator("#result-count")).to_have_text("No search was made")
        search.fill("999 000 0026")
        page.get_by_role("button", name="Search").click()
        expect(page.locator("#result-count")).to_contain_text("1 child matching")
        page.get_by_role("link", name="Nell Ashcombe").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Nell Ashcombe")
