"""In the browser: a looked-after child's placement, the social worker's visits and a change of
placement (CPPCR 2010 reg 28). Ivy became looked after on Mon 4 January 2027. The dates are
counted by hand in calendar days (reg 28 counts weeks): a week after the placement, then six
weeks after each visit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from oversight.cases.constants import EventType, Role
from oversight.meetings.tests.conftest import freeze
from oversight.meetings.tests.test_browser_lac_journey import as_user, met_row, open_row
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISIT_DUE = "Social worker's visit to the looked-after child due"


def record_placement(tab: Any, child_id: int, type_: str, day: str, **details: str) -> None:
    from playwright.sync_api import expect

    tab.goto(f"/children/{child_id}/")
    tab.get_by_role("link", name="Record an event").click()
    tab.get_by_label("What happened").select_option(label=type_)
    tab.get_by_label("Date", exact=True).fill(day)
    if details:
        tab.get_by_label("Type of placement").select_option(label=details["kind"])
        tab.get_by_label("Provider").fill(details["provider"])
        tab.get_by_label(details["area"]).check()
        tab.locator("fieldset", has_text="intended to last until the child is 18").get_by_label(
            details["until_18"], exact=True
        ).check()
    tab.get_by_role("button", name="Record the event").click()
    expect(tab.locator(".govuk-error-summary")).to_have_count(0)
    tab.goto(f"/children/{child_id}/")


def test_the_social_worker_records_a_placement_its_visits_and_a_change(page, council, settings):
    from playwright.sync_api import expect

    settings.OVERSIGHT_POLICY = "camden"  # numbers.change_decision: 1 working day

    from oversight.cases.factories import allocate, make_child, record_event

    child = make_child(reference="C5000003", first_name="Ivy", last_name="Marlow",
                       date_of_birth=dt.date(2015, 6, 1))  # fmt: skip
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    record_event(child, EventType.LAC_START, dt.date(2027, 1, 4))
    sw, iro = council.social_worker.user.username, council.iro.user.username

    # Mon 4 January 2027: placed with foster carers meant to keep her until 18
    with freeze(dt.date(2027, 1, 4)):
        sign_in(page, sw, council.password)
        record_placement(page, child.pk, "Placement began", "4 1 2027", kind="Foster care",
                         provider="Oak Lane foster carers", area="In the council's area",
                         until_18="Yes")  # fmt: skip
        # a week on: Mon 11 January
        open_row(page, VISIT_DUE, "Mon 11 Jan 2027", "5 working days left")

    # Fri 8 January: the social worker visits
    with freeze(dt.date(2027, 1, 8)):
        as_user(page, sw, council.password)
        record_placement(
            page, child.pk, "Social worker's visit to the looked-after child", "8 1 2027"
        )
        met_row(page, VISIT_DUE, "Mon 11 Jan 2027", "Fri 8 Jan 2027 On time")
        # six weeks after the visit: Fri 19 February
        open_row(page, VISIT_DUE, "Fri 19 Feb 2027", "30 working days left")

    # Tue 19 January: she moves to a children's home out of the area
    with freeze(dt.date(2027, 1, 19)):
        as_user(page, sw, council.password)
        record_placement(page, child.pk, "Placement changed", "19 1 2027", kind="Children's home",
                         provider="Riverside House", area="Out of the council's area",
                         until_18="No")  # fmt: skip
        # the new placement's first visit a week on, Tue 26 January; the old one's is dropped
        open_row(page, VISIT_DUE, "Tue 26 Jan 2027", "5 working days left")
        expect(
            page.locator("#open-obligations tr").filter(has_text="Fri 19 Feb 2027")
        ).to_have_count(0)

        # the IRO is told, and decides on the review by the next working day
        as_user(page, iro, council.password)
        page.get_by_role("link", name="Inbox 1 unread").click()
        row = page.locator("#inbox tbody tr")
        expect(row).to_contain_text("Significant change for C5000003: decide on the review")
        page.goto(f"/children/{child.pk}/")
        open_row(page, "Action due", "Wed 20 Jan 2027", "1 working day left")


ADOPTION_REVIEW_DUE = "Review after the placement order due"


def test_the_social_worker_records_a_placement_order_and_the_placement_for_adoption(
    page,
    council,
):
    """Rowan, looked after from Mon 4 January 2027: a placement order on Mon 18 January calls for
    a review within 3 months (Sun 18 April, calendar months: CPPCR 2010 reg 36), and her
    placement for adoption on Wed 20 January ends the call (the spec's `lac.adoption.review`)."""
    from playwright.sync_api import expect

    from oversight.cases.factories import allocate, make_child, record_event

    child = make_child(reference="C5000004", first_name="Rowan", last_name="Ashby",
                       date_of_birth=dt.date(2024, 3, 1))  # fmt: skip
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    record_event(child, EventType.LAC_START, dt.date(2027, 1, 4))
    with freeze(dt.date(2027, 1, 18)):
        sign_in(page, council.social_worker.user.username, council.password)
        record_placement(page, child.pk, "Placement order made", "18 1 2027")
        expect(page.get_by_text("Placement order made Monday 18 January 2027")).to_be_visible()
        open_row(page, ADOPTION_REVIEW_DUE, "Sun 18 Apr 2027", "Sun 18 Apr 2027")
    with freeze(dt.date(2027, 1, 20)):
        as_user(page, council.social_worker.user.username, council.password)
        record_placement(page, child.pk, "Placed for adoption", "20 1 2027")
        expect(
            page.locator("#open-obligations tr").filter(has_text=ADOPTION_REVIEW_DUE)
        ).to_have_count(0)
