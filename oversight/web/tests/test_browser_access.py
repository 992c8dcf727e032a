"""Part B in a real browser: the IRO team manager allocates a waiting child and the IRO then
sees it; the duty IRO opens a child not theirs by giving a reason and the page shows that access."""

from __future__ import annotations

import pytest
from django.utils import timezone

from oversight.cases.constants import EventType
from oversight.cases.factories import make_child, record_event
from oversight.cases.models import DutyRota
from oversight.cases.obligations import recompute_child
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_lets_the_iro_team_manager_allocate_a_waiting_child(page, council):
    from playwright.sync_api import expect

    waiting = make_child(reference="C3000001", first_name="Rosa", last_name="Penhale")
    record_event(waiting, EventType.LAC_START, timezone.localdate())
    recompute_child(waiting, as_of=timezone.localdate())  # as the recording action does
    sign_in(page, council.iro_team_manager.user.username, council.password)
    page.get_by_role("link", name="Allocation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocation")
    page.get_by_role("link", name="Allocate an IRO to Rosa Penhale").click()
    page.get_by_label("IRO / conference chair").select_option(label="Isla Brightwell (IRO team A)")
    page.get_by_label("Reason for the allocation").fill("Capacity in team A")
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocation")
    expect(page.get_by_text("Rosa Penhale (C3000001)")).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, council.iro.user.username, council.password)
    page.goto("/children/")
    expect(page.get_by_role("link", name="Rosa Penhale")).to_be_visible()


def test_it_lets_the_duty_iro_open_a_child_with_a_reason(page, council):
    from playwright.sync_api import expect

    DutyRota.objects.create(date=timezone.localdate(), staff=council.duty_iro)
    sign_in(page, council.duty_iro.user.username, council.password)
    page.get_by_role("link", name="Open a record").click()
    page.get_by_label("Child's council reference").fill("C1000001")
    page.get_by_label("Duty IRO").check()
    page.get_by_label("Reason").fill("Stockport consultation: reading the chronology")
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Poppy Larkfield")
    banner = page.locator("#record-access")
    expect(banner).to_contain_text("You opened this record today as the duty IRO")
    expect(banner).to_contain_text("Stockport consultation: reading the chronology")
