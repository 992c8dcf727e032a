"""The IRO opens a meeting record from the child's meetings and reads its kind, its day and its
time in words (issue 14, bug 4): "Initial child protection conference on Thursday 3 December
2026 at 2pm", never `icpc` or `14:00:00`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oversight.cases.constants import Role
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_iro_reads_a_meeting_records_time_and_kind_in_words(page, council):
    from playwright.sync_api import expect

    from oversight.cases.factories import allocate, make_child
    from oversight.meetings.models import Meeting

    child = make_child(reference="C5000014", first_name="Maisie", last_name="Trelawny")
    allocate(child, council.iro, Role.IRO, dt.date(2026, 11, 2))
    Meeting.objects.create(
        child=child,
        kind="icpc",
        status="completed",
        date=dt.date(2026, 12, 3),  # Thu 3 Dec 2026
        time=dt.time(14, 0),
        outcome="plan",
        chair=council.iro,
        details={"categories": ["neglect"], "quorate": "yes"},
        created_at=timezone.now(),
        completed_at=timezone.now(),
    )
    sign_in(page, council.iro.user.username, council.password)
    page.goto(f"/children/{child.pk}/meetings/")
    page.get_by_role("link", name="Initial child protection conference", exact=True).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(
        "Initial child protection conference on Thursday 3 December 2026 at 2pm"
    )
    record = page.locator("dl.govuk-summary-list").last
    expect(record).to_contain_text("Neglect")
    for raw in ("14:00", "icpc", "['neglect']"):
        expect(page.locator("main")).not_to_contain_text(raw)
