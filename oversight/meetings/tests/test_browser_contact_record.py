"""Camden (seed 000 section 3): the chair records a phone call with Poppy's advocate from her
meetings page, on what the council calls its IRO contact record, and reads it back."""

from __future__ import annotations

import pytest

from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_records_a_contact_with_an_advocate(page, council, use_pack):
    from playwright.sync_api import expect

    use_pack("camden")
    sign_in(page, council.iro.user.username, council.password)
    page.goto(f"/children/{council.child.pk}/meetings/")
    page.get_by_role(
        "link", name="Record a contact with a parent, the child, an advocate or a member of staff"
    ).click()
    expect(page.locator("#council-record")).to_have_text(
        "The council keeps this as the IRO contact record."
    )
    page.get_by_label("Date of the contact").fill("1 12 2026")  # Tue 1 December 2026
    page.get_by_label("An advocate").check()
    page.get_by_label("Name and role").fill("Remi Vale, advocate")
    page.get_by_label("Phone").check()
    page.get_by_label("What was discussed, and what follows").fill(
        "Poppy wants to attend her review conference; her advocate will come with her"
    )
    page.get_by_role("button", name="Complete the record").click()
    main = page.locator("main")
    expect(main).to_contain_text("Tuesday 1 December 2026")
    expect(main).to_contain_text("Remi Vale, advocate")
    expect(main).to_contain_text("An advocate")  # the choice as the form said it
    expect(page.locator("#council-record")).to_have_text(
        "The council keeps this as the IRO contact record."
    )
