"""The escalation journey in a real browser (chromium through Playwright; see
oversight/web/tests/test_browser.py): the chair raises a concern on Walsall's child protection
ladder, the team manager ("the manager") responds not accepted, the chair issues the formal
notice (stage 1, to the Group Manager: the service manager), and it shows on the service
manager's caseload as theirs to act on."""

from __future__ import annotations

from typing import Any

import pytest

from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(browser: Any, live_server: Any, staff: Any, password: str) -> Any:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, staff.user.username, password)
    return page


def test_it_takes_a_concern_from_the_chair_to_the_service_managers_caseload(
    browser,
    live_server,
    line,
    use_pack,
):
    from playwright.sync_api import expect

    use_pack("walsall")
    c = line.council

    chair = as_user(browser, live_server, c.iro, c.password)
    chair.goto(f"/children/{c.child.pk}/")
    chair.get_by_role("link", name="Raise a concern").click()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Raise a concern")
    chair.get_by_label("Which process").select_option("cp")
    chair.get_by_label("What is the issue").fill("Core group not held since the conference")
    chair.get_by_label("What is the impact on the child").fill("No one is checking the plan")
    chair.get_by_label("Core group not held").check()
    chair.get_by_role("button", name="Raise the concern").click()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Escalation record")
    expect(chair.locator("#stage")).to_have_text("Informal escalation protocol")
    record = chair.url

    manager = as_user(browser, live_server, c.team_manager, c.password)
    manager.goto(record)
    manager.get_by_role("link", name="Respond").click()
    manager.get_by_label("Not accepted").check()
    manager.get_by_label("Reasons, or what will be done").fill("The core group met on Monday")
    manager.get_by_role("button", name="Send the response").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Escalation record")
    expect(manager.locator("table[aria-labelledby=history]")).to_contain_text("not accepted")

    chair.goto(record)
    chair.get_by_role("link", name="Issue a notice").click()
    expect(chair.get_by_label("Stage", exact=True)).to_have_value("1")
    chair.get_by_role("button", name="Issue the notice").click()
    expect(chair.locator("#stage")).to_have_text("Stage 1: Formal escalation protocol")
    expect(chair.locator("table[aria-labelledby=notices]")).to_contain_text("Sol Ibbotson")

    service_manager = as_user(browser, live_server, line.service_manager, c.password)
    service_manager.goto("/caseload/?mine=1")
    rows = service_manager.locator("#caseload tbody tr")
    expect(rows.filter(has_text="Response to the notice of concern due")).to_have_count(1)
    expect(rows.filter(has_text="Poppy Larkfield")).not_to_have_count(0)
    for page in (chair, manager, service_manager):
        page.context.close()
