"""In the browser, on Thu 26 Nov 2026: the IRO team manager finds a child with only a strategy
discussion waiting for a chair, with the ICPC's latest date; opens the child, allocates from
the child's page, and the child leaves the queue."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.obligations import recompute_child
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THURSDAY_26_NOVEMBER_2026 = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)


def test_it_lets_the_iro_team_manager_allocate_a_chair_after_a_strategy_discussion(
    page,
    council,
):
    from playwright.sync_api import expect

    with time_machine.travel(THURSDAY_26_NOVEMBER_2026, tick=True):
        thursday = dt.date(2026, 11, 26)
        child = make_child(reference="C3000004", first_name="Wren", last_name="Kettlewell")
        allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 11, 2))
        record_event(child, EventType.STRATEGY_DISCUSSION, thursday)
        recompute_child(child, as_of=thursday)

        sign_in(page, council.iro_team_manager.user.username, council.password)
        page.get_by_role("link", name="Allocation", exact=True).click()
        row = page.locator("#waiting tbody tr", has_text="Wren Kettlewell (C3000004)")
        expect(row).to_contain_text("Strategy discussion: ICPC due")
        expect(row).to_contain_text("Thursday 17 December 2026")  # 15 working days on
        expect(row).to_contain_text("15 working days left")
        row.get_by_role("link", name="Wren Kettlewell (C3000004)").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Wren Kettlewell")
        page.locator("#allocate-iro").get_by_role("link", name="Allocate").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Allocate an IRO to Wren Kettlewell"
        )
        page.get_by_label("IRO / conference chair").select_option(
            label="Isla Brightwell (IRO team A)"
        )
        page.get_by_label("Reason for the allocation").fill("To chair the ICPC")
        page.get_by_role("button", name="Allocate").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Allocation")
        expect(page.locator("#waiting tbody tr", has_text="Wren Kettlewell")).to_have_count(0)
