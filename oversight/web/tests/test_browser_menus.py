"""In the browser, each role signs in and reads its menu: the items its row of `docs/access.md`
lists and no other, each opening a page that works (no empty caseload for the administrator or
the auditor; "Open concerns" for the service manager, who answers a stage of the ladder); and
the auditor reads a child's record with the notice that says it cannot be changed."""

from __future__ import annotations

import pytest

from oversight.cases.constants import Role
from oversight.web.tests.test_access_convention import menus, person_with
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_reads_its_own_menu(page, council, settings, role):
    from playwright.sync_api import expect

    settings.OVERSIGHT_POLICY = "stockport"  # a pack with a dip sample, as the table's menus
    person = person_with(role, council.password)
    sign_in(page, person.user.username, council.password)
    menu = page.get_by_role("navigation", name="Menu")
    expected = menus()[role.label]
    expect(menu.get_by_role("link")).to_have_text(expected)
    for item in expected:
        menu.get_by_role("link", name=item, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(menu.get_by_role("link", name=item, exact=True)).to_have_attribute(
            "aria-current", "true"
        )
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_the_auditor_reads_a_record_and_is_told_it_cannot_change_it(page, council):
    from playwright.sync_api import expect

    sign_in(page, council.auditor.user.username, council.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Children")
    expect(page.locator("#record-access")).to_contain_text(
        "You can read every record and change none"
    )
    page.get_by_role("link", name="Milo Oakridge").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Milo Oakridge")
    expect(page.locator("#record-access")).to_contain_text(
        "You are reading this record as an auditor. You cannot change it."
    )
    expect(page.get_by_role("link", name="Record an event")).to_have_count(0)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(page.locator("table")).to_contain_text("C2000001")  # the view just made, by reference
