"""The looked-after journey and a strategy discussion that ends in no ICPC, in a real browser.

Looked after: the social worker records the start of care -> the IRO team manager allocates the
IRO -> the IRO books the first review -> the social worker consultation and the documents ->
the first review -> its decisions and record issued -> the second review. After each step every
affected obligation's status and literal due date is asserted (weekday in a comment), on the
record's "what happens next" or, for an event recorded outside a meeting form, on the child page.
The dates are counted by hand: Good Friday (Fri 26 Mar 2027), Easter Monday (Mon 29 Mar), the
early May (Mon 3 May) and spring (Mon 31 May) bank holidays fall inside them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from oversight.cases.constants import Role
from oversight.meetings.tests.conftest import freeze
from oversight.meetings.tests.test_browser_journeys import expect_row, record
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHEDULE_7_NOTES = {
    "s7_change_of_circumstances": "Settled with the foster carers",
    "s7_previous_decisions": "First review",
    "s7_legal_status": "Section 20",
    "s7_contact": "Weekly with mother",
    "s7_placement_needs": "Yes",
    "s7_education": "PEP up to date",
    "s7_leisure": "Football club",
    "s7_health": "Health assessment done",
    "s7_identity": "Life story work started",
    "s7_advice_support": "Through the social worker",
    "s7_leaving_care": "Not yet",
    "s7_wishes_feelings": "Wants to stay",
    "s7_sw_visits": "In timescale",
    "s7_plans_timely": "Care plan on time",
}


def open_row(tab: Any, label: str, due: str, text: str) -> None:
    """A row of the child page's open obligations."""
    from playwright.sync_api import expect

    row = tab.locator("#open-obligations tr").filter(has_text=label).filter(has_text=due)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(text)


def met_row(tab: Any, label: str, due: str, met: str) -> None:
    """A row of the child page's met obligations (the met date and On time / Late)."""
    from playwright.sync_api import expect

    row = tab.locator("#met-obligations tr").filter(has_text=label).filter(has_text=due)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(met)


def record_event(tab: Any, child_id: int, type_: str, date: str) -> None:
    from playwright.sync_api import expect

    tab.goto(f"/children/{child_id}/")
    tab.get_by_role("link", name="Record an event").click()
    tab.get_by_label("What happened").select_option(type_)
    tab.get_by_label("Date", exact=True).fill(date)
    tab.get_by_role("button", name="Record the event").click()
    expect(tab.locator(".govuk-error-summary")).to_have_count(0)
    tab.goto(f"/children/{child_id}/")


def as_user(tab: Any, username: str, password: str) -> None:
    """Sign in afresh (the session of the last step's user dropped)."""
    tab.context.clear_cookies()
    sign_in(tab, username, password)


@pytest.mark.slow
def test_it_runs_the_looked_after_journey(page, council):
    from playwright.sync_api import expect

    from oversight.cases.factories import allocate, make_child

    child = make_child(
        reference="C5000002",
        first_name="Milo",
        last_name="Tresco",
        date_of_birth=dt.date(2015, 4, 1),
    )
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2027, 1, 4))
    sw, iro = council.social_worker.user.username, council.iro.user.username

    # Mon 2027-02-01: the child becomes looked after
    with freeze(dt.date(2027, 2, 1)):
        sign_in(page, sw, council.password)
        record_event(page, child.pk, "lac_start", "1 2 2027")
        open_row(page, "IRO to be allocated", "Mon 8 Feb 2027", "5 working days left")
        open_row(page, "First looked-after review due", "Mon 1 Mar 2027", "20 working days left")

    # Wed 2027-02-03: the IRO team manager allocates the IRO
    with freeze(dt.date(2027, 2, 3)):
        as_user(page, council.iro_team_manager.user.username, council.password)
        page.goto("/allocation/")
        page.get_by_role("link", name="Allocate an IRO to Milo Tresco").click()
        page.get_by_label("IRO / conference chair").select_option(
            label="Isla Brightwell (IRO team A)"
        )
        page.get_by_label("Reason for the allocation").fill("Became looked after")
        if page.locator("#id_confirm").count():
            page.locator("#id_confirm").check()
        page.get_by_role("button", name="Allocate").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Allocation")
        as_user(page, iro, council.password)
        page.goto(f"/children/{child.pk}/")
        met_row(page, "IRO to be allocated", "Mon 8 Feb 2027", "Wed 3 Feb 2027 On time")
        open_row(page, "First looked-after review due", "Mon 1 Mar 2027", "18 working days left")

        # the IRO books the first review for Mon 1 Mar 2027
        record(
            page,
            child.pk,
            "meeting booked",
            {"date": "3 2 2027", "meeting": ("lac_review",), "on": "1 3 2027", "at": "10:00"},
        )
        expect_row(page, "booked.lac_review", "Mon 1 Mar 2027", "Due")
        # 15 working days before Mon 1 Mar: Mon 8 Feb; 3 working days before: Wed 24 Feb
        expect_row(page, "lac.review.sw_consultation", "Mon 8 Feb 2027", "Due")
        expect_row(page, "lac.review.documents", "Wed 24 Feb 2027", "Due")
        expect_row(page, "lac.review.first", "Mon 1 Mar 2027", "Due")

    # Mon 2027-02-08: the IRO consults the social worker, on the day it is due
    with freeze(dt.date(2027, 2, 8)):
        as_user(page, iro, council.password)
        record_event(page, child.pk, "sw_consulted", "8 2 2027")
        met_row(
            page,
            "Consult the social worker before the review",
            "Mon 8 Feb 2027",
            "Mon 8 Feb 2027 On time",
        )
        open_row(page, "Review documents due to the IRO", "Wed 24 Feb 2027", "12 working days left")

    # Thu 2027-02-25: the documents arrive a day late
    with freeze(dt.date(2027, 2, 25)):
        as_user(page, iro, council.password)
        record_event(page, child.pk, "review_documents_received", "25 2 2027")
        met_row(page, "Review documents due to the IRO", "Wed 24 Feb 2027", "Thu 25 Feb 2027 Late")
        open_row(page, "Booked looked-after review", "Mon 1 Mar 2027", "2 working days left")

    # Mon 2027-03-01: the first review, with a decision and the second review booked
    with freeze(dt.date(2027, 3, 1)):
        as_user(page, iro, council.password)
        record(
            page,
            child.pk,
            "looked-after child review",
            {
                "date": "1 3 2027",
                "time": "16:00",
                "venue": ("placement",),
                "outside_school_hours": True,
                "seen_privately": "26 2 2027",
                "seen_privately_recorded": "1 3 2027",
                "advocacy_offered": True,
                "rights_explained": True,
                **SCHEDULE_7_NOTES,
                "action_1_text": "Update the PEP",
                "action_1_owner": "social_worker",
                "action_1_due": "31 3 2027",
                "next_review": "25 5 2027",
            },
        )
        expect_row(page, "lac.review.first", "Mon 1 Mar 2027", "Met")
        expect_row(page, "booked.lac_review", "Mon 1 Mar 2027", "Met")
        # the private conversation on Fri 26 Feb, recorded on Mon 1 Mar (due Fri 5 Mar)
        expect_row(page, "cp.child_discussion.record", "Fri 5 Mar 2027", "Met")
        expect_row(page, "lac.review.second", "Tue 1 Jun 2027", "Due")  # 3 months
        expect_row(page, "lac.review.decisions", "Mon 8 Mar 2027", "Due")  # 5 working days
        # 20 working days over Good Friday and Easter Monday: Wed 31 Mar
        expect_row(page, "lac.review.record", "Wed 31 Mar 2027", "Due")
        expect_row(page, "action.due", "Wed 31 Mar 2027", "Due")
        expect_row(page, "booked.lac_review", "Tue 25 May 2027", "Due")
        # 15 working days before Tue 25 May (Mon 3 May not counted): Tue 4 May
        expect_row(page, "lac.review.sw_consultation", "Tue 4 May 2027", "Due")
        expect_row(page, "lac.review.documents", "Thu 20 May 2027", "Due")

    # Fri 2027-03-05: the decisions issued
    with freeze(dt.date(2027, 3, 5)):
        as_user(page, iro, council.password)
        record(
            page,
            child.pk,
            "review decisions and record issued",
            {"date": "1 3 2027", "decisions_issued": "5 3 2027"},
        )
        expect_row(page, "lac.review.decisions", "Mon 8 Mar 2027", "Met")
        expect_row(page, "lac.review.record", "Wed 31 Mar 2027", "Due")

    # Wed 2027-03-31: the full record issued on the day it is due
    with freeze(dt.date(2027, 3, 31)):
        as_user(page, iro, council.password)
        record(
            page,
            child.pk,
            "review decisions and record issued",
            {"date": "1 3 2027", "record_issued": "31 3 2027"},
        )
        expect_row(page, "lac.review.record", "Wed 31 Mar 2027", "Met")
        expect_row(page, "action.due", "Wed 31 Mar 2027", "Due")  # due today

    # Tue 2027-05-25: the second review; the PEP decision carried out (late)
    with freeze(dt.date(2027, 5, 25)):
        as_user(page, iro, council.password)
        record(
            page,
            child.pk,
            "looked-after child review",
            {
                "date": "25 5 2027",
                "time": "16:00",
                "venue": ("placement",),
                "outside_school_hours": True,
                "sw_consulted": "4 5 2027",
                "documents_received": "20 5 2027",
                "documents": ("care_plan", "health", "placement_plan", "pep"),
                **SCHEDULE_7_NOTES,
                "s7_permanence": "Long-term fostering",
                "previous_done": True,
            },
        )
        expect_row(page, "lac.review.second", "Tue 1 Jun 2027", "Met")
        expect_row(page, "booked.lac_review", "Tue 25 May 2027", "Met")
        expect_row(page, "lac.review.sw_consultation", "Tue 4 May 2027", "Met")
        expect_row(page, "lac.review.documents", "Thu 20 May 2027", "Met")
        expect_row(page, "action.due", "Wed 31 Mar 2027", "Met")
        expect_row(page, "lac.review.next", "Thu 25 Nov 2027", "Due")  # 6 months
        # 5 working days, the spring bank holiday Mon 31 May not counted: Wed 2 Jun
        expect_row(page, "lac.review.decisions", "Wed 2 Jun 2027", "Due")
        expect_row(page, "lac.review.record", "Wed 23 Jun 2027", "Due")  # 20 working days


def test_it_ends_a_strategy_discussion_with_no_icpc(page, council):
    from playwright.sync_api import expect

    from oversight.cases.factories import allocate, make_child

    child = make_child(reference="C5000003", first_name="Ava", date_of_birth=dt.date(2018, 2, 1))
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    iro = council.iro.user.username

    # Mon 2026-12-14: a strategy discussion starts section 47 enquiries
    with freeze(dt.date(2026, 12, 14)):
        as_user(page, iro, council.password)
        record(page, child.pk, "strategy meeting", {"date": "14 12 2026", "meeting_type": ("s47",)})
        # 15 working days over Christmas and the New Year: Thu 7 Jan 2027
        expect_row(page, "cp.icpc", "Thu 7 Jan 2027", "Due")

    # Mon 2026-12-21: the enquiries find no conference is needed
    with freeze(dt.date(2026, 12, 21)):
        as_user(page, iro, council.password)
        record(
            page,
            child.pk,
            "outcome of section 47 enquiries",
            {
                "date": "21 12 2026",
                "outcome": ("not_required",),
                "reason": "Concerns not substantiated; child in need plan",
            },
        )
        expect(page.locator("tr[data-code='cp.icpc']")).to_have_count(0)
        expect(page.get_by_text("Nothing else is due.")).to_be_visible()
        page.goto(f"/children/{child.pk}/")
        expect(page.get_by_text("Nothing is open.")).to_be_visible()

    # Thu 2027-01-07, the day the ICPC would have been due: still nothing due or overdue
    with freeze(dt.date(2027, 1, 7)):
        as_user(page, iro, council.password)
        page.goto(f"/children/{child.pk}/")
        expect(page.get_by_text("Nothing is open.")).to_be_visible()
