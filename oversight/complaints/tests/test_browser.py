"""The complaints journey in a real browser (chromium through Playwright; see
oversight/web/tests/test_browser.py), under Camden's pack on Wed 13 January 2027: the chair
records a parent's complaint about a review conference from the conference's record, sees it on
My caseload and in the complaints log with its dates (acknowledge by Wed 30 December, answer by
Mon 11 January: Christmas, Boxing Day's substitute and New Year's Day skipped), and records the
response."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from oversight.meetings.constants import Kind
from oversight.meetings.factories import make_meeting
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WED_13_JANUARY_2027 = dt.datetime(2027, 1, 13, 9, 0, tzinfo=dt.UTC)


def test_the_chair_logs_and_answers_a_complaint_about_a_conference(
    page: Any,
    line: Any,
    use_pack: Any,
) -> None:
    from playwright.sync_api import expect

    use_pack("camden")
    c = line.council
    chair = page
    chair.goto("/sign-in/")  # the cold server's first page (and its assets) on the real clock
    with time_machine.travel(WED_13_JANUARY_2027, tick=True):
        conference = make_meeting(c.child, kind=Kind.RCPC, date=dt.date(2026, 12, 17), chair=c.iro)
        sign_in(chair, c.iro.user.username, c.password)
        chair.goto(f"/children/{c.child.pk}/meetings/{conference.pk}/")
        chair.get_by_role("link", name="Record a complaint about this conference").click()
        expect(chair.get_by_role("heading", level=1)).to_have_text("Record a complaint")
        chair.get_by_label("Who complained").fill("Jo Larkfield")
        chair.get_by_label("A parent or carer").check()
        expect(chair.get_by_label("The conference complained about")).to_have_value(
            str(conference.pk)
        )
        chair.get_by_label("Date received").fill("23 12 2026")
        chair.get_by_label("What the complaint is about").fill("I was not let speak")
        chair.get_by_role("button", name="Record the complaint").click()
        expect(chair.get_by_role("heading", level=1)).to_have_text(
            "Complaint received Wednesday 23 December 2026"
        )
        expect(chair.locator("main")).to_contain_text("Wed 30 Dec 2026")
        expect(chair.locator("main")).to_contain_text("Mon 11 Jan 2027")

        chair.goto("/caseload/")
        rows = chair.locator("#caseload tbody tr")
        due = rows.filter(has_text="Response to the complaint due")
        expect(due).to_contain_text("Mon 11 Jan 2027")
        due.get_by_role("link", name="Act", exact=False).click()  # the complaint's record
        expect(chair.get_by_role("heading", level=1)).to_have_text(
            "Complaint received Wednesday 23 December 2026"
        )

        chair.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Complaints", exact=True
        ).click()
        log = chair.locator("table tbody tr")
        expect(log).to_have_count(1)
        expect(log).to_contain_text("Jo Larkfield (a parent or carer)")
        expect(log).to_contain_text("Received")
        chair.get_by_role("link", name="Poppy Larkfield").click()
        chair.get_by_role("link", name="Record the response").click()
        chair.get_by_label("Date answered").fill("12 1 2027")
        chair.get_by_label("Partly upheld").check()
        chair.get_by_label("The response").fill("An apology; the chair will hear you first")
        chair.get_by_role("button", name="Save").click()
        expect(chair.locator("main")).to_contain_text("Met Tue 12 Jan 2027")
        chair.goto("/complaints/")
        expect(chair.locator("table tbody tr")).to_contain_text("Answered")


def test_manchesters_iro_raises_a_concern_from_a_complaint_made_for_the_child(
    page: Any,
    line: Any,
    use_pack: Any,
) -> None:
    """Manchester (seed 003, Referral to Cafcass): "the complaints procedure is used by the child
    directly or an adult who is authorised to act on their behalf" is a route of its own; the IRO
    raises a concern from such a complaint and the concern names it."""
    import re

    from playwright.sync_api import expect

    use_pack("manchester")
    c = line.council
    iro = page
    iro.goto("/sign-in/")  # the cold server's first page (and its assets) on the real clock
    with time_machine.travel(WED_13_JANUARY_2027, tick=True):
        sign_in(iro, c.iro.user.username, c.password)
        iro.goto(f"/children/{c.child.pk}/complaints/new/")
        iro.get_by_label("Who complained").fill("Dee Marsh (advocate)")
        iro.get_by_label("An adult authorised to act on the child's behalf").check()
        iro.get_by_label("Date received").fill("11 1 2027")
        iro.get_by_label("What the complaint is about").fill("Contact was cut without asking")
        iro.get_by_role("button", name="Record the complaint").click()
        expect(iro.get_by_role("heading", level=1)).to_have_text(
            "Complaint received Monday 11 January 2027"
        )
        iro.get_by_role("link", name="Raise a concern from this complaint").click()
        iro.get_by_label("Impact on the child").fill("Upset before each contact")
        iro.get_by_role("button", name="Raise the concern").click()
        expect(iro).to_have_url(re.compile(r"/concerns/\d+/$"))
        raised = iro.get_by_role("row").filter(has_text="Concern raised")
        expect(raised).to_contain_text(
            "Complaint by Dee Marsh (advocate), received Monday 11 January 2027"
        )
        # the informal stage's response: Wed 13 January + 5 working days
        expect(raised).to_contain_text("Response due Wednesday 20 January 2027")
