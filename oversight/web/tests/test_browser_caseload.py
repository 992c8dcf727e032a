"""In the browser: an IRO signs in, sees an overdue visit first on My caseload, opens the child,
records the visit, and the obligation turns to met."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, make_staff, record_event
from oversight.cases.obligations import recompute_all
from oversight.web.tests.test_browser import browser, page, sign_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_lets_an_iro_record_an_overdue_visit(page, council):  # noqa: F811
    from playwright.sync_api import expect

    today = timezone.localdate()
    # An IRO who is also the visiting worker of a child whose plan began 30 days ago: the
    # first visit (10 working days after the ICPC) is overdue today.
    iro = make_staff([Role.IRO], first_name="Rhea", last_name="Penhale", password=council.password)
    child = make_child(first_name="Wren", last_name="Kettlewell")
    allocate(child, iro, Role.IRO, today - dt.timedelta(days=60))
    allocate(child, iro, Role.SOCIAL_WORKER, today - dt.timedelta(days=60))
    record_event(
        child,
        EventType.ICPC,
        today - dt.timedelta(days=30),
        outcome="plan",
        visit_interval="5 working days",  # so the visit falls due before the first core group
    )
    recompute_all(as_of=today)

    sign_in(page, iro.user.username, council.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    first = page.locator("#caseload tbody tr").first
    expect(first).to_contain_text("Child protection visit due")
    expect(first).to_contain_text("late")
    first.get_by_role("link", name="Wren Kettlewell", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wren Kettlewell")
    page.get_by_role("link", name="Record an event").click()
    page.get_by_label("What happened").select_option("cp_visit")
    page.get_by_label("Date", exact=True).fill(f"{today.day} {today.month} {today.year}")
    page.get_by_role("button", name="Record the event").click()
    met = page.locator("#met-obligations")
    met.locator("summary").click()
    expect(met).to_contain_text("Child protection visit due")
    # the next visit is due 5 working days after this one: open, not late
    next_visit = page.locator("#open-obligations tr", has_text="Child protection visit due")
    expect(next_visit).to_contain_text("5 working days left")
