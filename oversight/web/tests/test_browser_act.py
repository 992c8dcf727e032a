"""In the browser, on Wed 20 Jan 2027: an IRO clicks "Act" on an overdue visit on My caseload
and lands on the visit form for that child, the date filled in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, make_staff, record_event
from oversight.cases.obligations import recompute_all
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEDNESDAY_20_JANUARY_2027 = dt.datetime(2027, 1, 20, 10, 0, tzinfo=dt.UTC)


def test_it_opens_the_visit_form_from_act_on_an_overdue_visit(page, council):
    from playwright.sync_api import expect

    with time_machine.travel(WEDNESDAY_20_JANUARY_2027, tick=True):
        iro = make_staff(
            [Role.IRO], first_name="Rhea", last_name="Penhale", password=council.password
        )
        child = make_child(reference="C3000006", first_name="Wren", last_name="Kettlewell")
        allocate(child, iro, Role.IRO, dt.date(2026, 11, 2))
        allocate(child, iro, Role.SOCIAL_WORKER, dt.date(2026, 11, 2))
        # ICPC Thu 7 Jan 2027, visits every 5 working days: the first was due Thu 14 Jan
        record_event(
            child,
            EventType.ICPC,
            dt.date(2027, 1, 7),
            outcome="plan",
            visit_interval="5 working days",
        )
        recompute_all(as_of=dt.date(2027, 1, 20))

        sign_in(page, iro.user.username, council.password)
        visit = page.locator("#caseload tbody tr", has_text="Child protection visit due")
        expect(visit).to_contain_text("late")
        visit.get_by_role("link", name="Act").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Child protection visit")
        expect(page.get_by_text("Wren Kettlewell (C3000006)")).to_be_visible()  # the child
        expect(page.get_by_label("Date held")).to_have_value("20 1 2027")  # today
