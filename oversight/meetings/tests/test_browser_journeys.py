"""The child protection journey in a real browser, recorded through the meeting forms:
strategy discussion -> ICPC with a plan -> core group and visit -> midway review -> RCPC that
ends the plan. After each step the record's "what happens next" shows every affected
obligation's status and literal due date."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from oversight.cases.constants import Role
from oversight.meetings.tests.conftest import freeze
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_row(tab: Any, code: str, due: str, status: str) -> None:
    from playwright.sync_api import expect

    row = tab.locator(f"tr[data-code='{code}']").filter(has_text=due).first
    expect(row).to_be_visible()
    expect(row).to_contain_text(status)


def record(tab: Any, child_id: int, kind: str, fields: dict[str, Any]) -> None:
    """Open the meetings tab, follow "Record a …", fill the form and complete it: a long form
    section by section ("Save and continue"), each field on the page that holds it. Each click
    waits for the page it leads to: a field looked for on the page being left is not there."""
    from playwright.sync_api import expect

    tab.goto(f"/children/{child_id}/meetings/")
    with tab.expect_navigation():
        tab.get_by_role("link", name=re.compile(rf"^Record an? {re.escape(kind)}$")).click()
    pending = dict(fields)
    while True:
        for name, value in list(pending.items()):
            target = tab.locator(f"[name='{name}']")
            if not target.count():
                continue  # in another section
            del pending[name]
            if isinstance(value, tuple):  # radios and checkboxes by value
                for v in value:
                    tab.locator(f"input[name='{name}'][value='{v}']").check()
            elif value is True:
                target.check()
            elif target.first.evaluate("e => e.tagName") == "SELECT":
                target.select_option(value)
            else:
                target.fill(value)
        following = tab.get_by_role("button", name="Save and continue")
        if not following.count():
            break
        with tab.expect_navigation():
            following.click()
    assert not pending, f"no section of the form holds {sorted(pending)}"
    tab.get_by_role("button", name="Complete the record").click()
    expect(tab.get_by_role("heading", name="What happens next")).to_be_visible()


@pytest.mark.slow
def test_it_runs_the_child_protection_journey(page, council):
    from oversight.cases.factories import allocate, make_child

    child = make_child(reference="C5000001", first_name="Lena", date_of_birth=dt.date(2019, 6, 1))
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    iro = council.iro.user.username

    # Mon 2026-12-14: a strategy discussion starts section 47 enquiries
    with freeze(dt.date(2026, 12, 14)):
        sign_in(page, iro, council.password)
        record(page, child.pk, "strategy meeting", {"date": "14 12 2026", "meeting_type": ("s47",)})
        # 15 working days over Christmas and the New Year: Thu 7 Jan 2027
        expect_row(page, "cp.icpc", "Thu 7 Jan 2027", "Due")

    # Fri 2027-01-08: the ICPC decides on a plan
    with freeze(dt.date(2027, 1, 8)):
        sign_in(page, iro, council.password)
        record(
            page,
            child.pk,
            "initial child protection conference",
            {
                "date": "8 1 2027",
                "time": "10:00",
                "quorate": ("yes",),
                "worries": "Neglect",
                "working_well": "Nan helps",
                "needs_to_happen": "Regular meals",
                "outcome": ("plan",),
                "decided_by": ("consensus",),
                "categories": ("neglect",),
                "risks": "Poor home conditions",
                "what_needs_to_change": "Home conditions",
                "lead_social_worker": str(council.social_worker.pk),
                "first_core_group": "22 1 2027",
                "next_review": "8 4 2027",
                "midway_review": "19 2 2027",
            },
        )
        expect_row(page, "cp.icpc", "Thu 7 Jan 2027", "Met")  # a day late
        expect_row(page, "cp.core_group.first", "Fri 22 Jan 2027", "Due")
        expect_row(page, "cp.visit", "Fri 22 Jan 2027", "Due")
        expect_row(page, "cp.rcpc.first", "Thu 8 Apr 2027", "Due")
        expect_row(page, "booked.midway_review", "Fri 19 Feb 2027", "Due")
        expect_row(page, "cp.conference.reports", "Mon 5 Apr 2027", "Due")

    # Fri 2027-01-22: the first core group, and a visit with the child seen alone
    with freeze(dt.date(2027, 1, 22)):
        sign_in(page, iro, council.password)
        record(
            page,
            child.pk,
            "core group meeting",
            {"date": "22 1 2027", "plan_updated": ("updated",), "next_core_group": "5 3 2027"},
        )
        expect_row(page, "cp.core_group.first", "Fri 22 Jan 2027", "Met")
        expect_row(page, "booked.core_group", "Fri 5 Mar 2027", "Due")
        record(
            page,
            child.pk,
            "child protection visit",
            {"date": "22 1 2027", "seen": ("yes",), "seen_alone": ("yes",), "where": ("home",)},
        )
        expect_row(page, "cp.visit", "Fri 22 Jan 2027", "Met")
        expect_row(page, "cp.visit", "Fri 5 Feb 2027", "Due")  # the next, 10 working days on

    # Fri 2027-02-19: the midway review, on the date the chair chose
    with freeze(dt.date(2027, 2, 19)):
        sign_in(page, iro, council.password)
        record(
            page,
            child.pk,
            "midway review",
            {
                "date": "19 2 2027",
                "outcome": ("held",),
                "worries": "School attendance",
                "working_well": "Meals",
                "needs_to_happen": "Attendance plan",
                "scale": "6",
            },
        )
        expect_row(page, "booked.midway_review", "Fri 19 Feb 2027", "Met")
        expect_row(page, "cp.visit", "Fri 5 Feb 2027", "Overdue")  # no visit since January

    # Thu 2027-04-08: the review conference ends the plan
    with freeze(dt.date(2027, 4, 8)):
        sign_in(page, iro, council.password)
        record(
            page,
            child.pk,
            "review child protection conference",
            {
                "date": "8 4 2027",
                "quorate": ("yes",),
                "outcome": ("end",),
                "decided_by": ("consensus",),
                "step_down": ("tac",),
                "iro_to_chair_tac": ("yes",),
            },
        )
        expect_row(page, "cp.rcpc.first", "Thu 8 Apr 2027", "Met")
        expect_row(page, "booked.rcpc", "Thu 8 Apr 2027", "Met")
        # the plan has ended: no review or visit falls due after it; the visit missed in
        # February (due before the end) stays overdue
        from playwright.sync_api import expect

        expect(page.locator("tr[data-code='cp.rcpc.next']")).to_have_count(0)
        expect(page.locator("tr[data-code='cp.visit']")).to_have_count(1)
        expect_row(page, "cp.visit", "Fri 5 Feb 2027", "Overdue")
