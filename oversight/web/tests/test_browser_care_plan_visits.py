"""In the browser: the social worker records how often Wren's care plan has her visited (Walsall,
seed 002, 5.2: "in line with their care plan and at intervals not less frequent than the minimum
statutory requirements"), and the IRO records Wren's own application to the court (Manchester,
seed 003) from her Care proceedings tab. Wren became looked after and was placed on Mon 4
January 2027 and visited on Fri 8 January; they record on Wed 13 January. Dates counted by hand
in calendar days."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.constants import EventType, Role
from oversight.meetings.tests.conftest import freeze
from oversight.meetings.tests.test_browser_lac_journey import as_user, open_row
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISIT_DUE = "Social worker's visit to the looked-after child due"


def test_the_care_plans_visits_and_the_childs_court_application(page, council):
    from playwright.sync_api import expect

    from oversight.cases.factories import allocate, make_child, record_event
    from oversight.cases.obligations import recompute_child

    child = make_child(reference="C5000004", first_name="Wren", last_name="Marlow",
                       date_of_birth=dt.date(2014, 3, 9))  # fmt: skip
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    record_event(child, EventType.LAC_START, dt.date(2027, 1, 4))
    record_event(
        child, EventType.PLACEMENT_START, dt.date(2027, 1, 4), placement_type="foster", area="in"
    )
    record_event(child, EventType.LAC_VISIT, dt.date(2027, 1, 8))
    recompute_child(child, as_of=dt.date(2027, 1, 13))

    with freeze(dt.date(2027, 1, 13)):
        sign_in(page, council.social_worker.user.username, council.password)
        page.goto(f"/children/{child.pk}/")
        # reg 28 alone: six weeks after Fri 8 January, Fri 19 February
        open_row(page, VISIT_DUE, "Fri 19 Feb 2027", "Fri 19 Feb 2027")
        page.get_by_role("link", name="Record an event").click()
        page.get_by_label("What happened").select_option(
            label="Care plan set how often the social worker visits"
        )
        page.get_by_label("Date", exact=True).fill("4 1 2027")
        often = page.get_by_label("How often the care plan says the social worker visits")
        often.fill("2 months")
        page.get_by_role("button", name="Record the event").click()
        # two months is less often than the first year's six weeks: refused, nothing recorded
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "A care plan cannot set visits less often than the law's minimum: at least every "
            "42 days"
        )
        often.fill("28 days")
        page.get_by_role("button", name="Record the event").click()
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
        page.goto(f"/children/{child.pk}/")
        # 28 days after Fri 8 January: Fri 5 February
        open_row(page, VISIT_DUE, "Fri 5 Feb 2027", "Fri 5 Feb 2027")

        as_user(page, council.iro.user.username, council.password)
        page.goto(f"/children/{child.pk}/")
        page.get_by_role("tab", name="Care proceedings").click()
        page.locator("#proceedings").get_by_role(
            "link", name="Record an application to the court"
        ).click()
        page.get_by_label("Date", exact=True).fill("11 1 2027")
        page.get_by_label("The child", exact=True).check()
        page.get_by_label("Order sought").select_option(label="Contact with the child in care")
        page.get_by_role("button", name="Record the event").click()
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
        page.goto(f"/children/{child.pk}/")
        page.get_by_role("tab", name="Care proceedings").click()
        rows = (
            page.locator("#proceedings")
            .get_by_role(
                "table", name="Applications to the court for an order under the Children Act 1989"
            )
            .locator("tbody tr")
        )
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text("Monday 11 January 2027")
        expect(rows).to_contain_text("The child")
        expect(rows).to_contain_text("Contact with the child in care")
