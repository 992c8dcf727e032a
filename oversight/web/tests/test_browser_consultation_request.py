"""In the browser, under Stockport's pack: a social worker asks for a consultation from the
child's page, and the day's duty IRO finds it on My caseload, due that working day."""

from __future__ import annotations

import pytest
from django.utils import timezone

from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_social_worker_asks_and_the_duty_iro_finds_the_request(page, council, settings):
    from playwright.sync_api import expect

    from oversight.cases.allocations import set_duty_iro
    from oversight.meetings.routing import request_day

    settings.OVERSIGHT_POLICY = "stockport"
    today = timezone.localdate()
    received = request_day(today)  # today, or the next working day at a weekend or bank holiday
    set_duty_iro(received, staff=council.duty_iro, acting_user=None)

    sign_in(page, council.social_worker.user.username, council.password)
    page.goto(f"/children/{council.child.pk}/")
    page.get_by_role("link", name="Request a consultation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request a consultation")
    page.get_by_role("button", name="Send the request").click()
    # nothing sent without the question: the error names the field
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say what you would like advice on"
    )
    page.get_by_label("What you would like advice on").fill("Is this threshold for an ICPC?")
    page.get_by_label("My team leader agreed to the consultation").click()
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Poppy Larkfield")
    expect(page.locator("#open-obligations")).to_contain_text(
        "Consultation requested: discuss it with the social worker"
    )

    sign_in(page, council.duty_iro.user.username, council.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    row = page.locator("#caseload tbody tr", has_text="Consultation requested")
    expect(row).to_contain_text("Poppy Larkfield")
    row.get_by_role("link", name="Poppy Larkfield", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Poppy Larkfield")
