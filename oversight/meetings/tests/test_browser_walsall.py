"""Walsall's looked-after review rules in a real browser (seed 002, 5.2), each as the IRO meets
them: the full written record "within 20 days of review meeting or 15 days after the decisions
are produced" (whichever is later: the council's reading), and a review without a meeting once a
child has been in a long-term placement for more than a year, with "a meeting at least once a
year".

The IRO fills the forms by their labels, section by section as the page offers them, and reads the
dates their caseload and the record's page show. The dates are counted by hand, in days as the
seed writes them: Christmas Day (Fri 25 Dec 2026), Boxing Day's substitute (Mon 28 Dec) and New
Year's Day (Fri 1 Jan 2027) count as any other day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from oversight.cases.constants import EventType, Role
from oversight.meetings.constants import SCHEDULE_7, SCHEDULE_7_OPTIONAL
from oversight.meetings.tests.conftest import freeze
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_ROW = "Review record to be issued"
# A note on every item of the Schedule 7 checklist a review needs (all but two), by its label as
# the form shows it.
SCHEDULE_7_NOTES = {
    f"{label} (required unless adjourned)": "Discussed; see the care plan"
    for key, label in SCHEDULE_7
    if key not in SCHEDULE_7_OPTIONAL
}


def fill_review(tab: Any, child_id: int, fields: dict[str, Any]) -> Any:
    """Follow "Record a looked-after child review" and fill each field by its label on the
    section that holds it ("Save and continue" to the next), then "Complete the record". A value
    True ticks a box; a tuple chooses a radio by its label. The page's error summary (none when
    the record was completed)."""
    from playwright.sync_api import expect

    tab.goto(f"/children/{child_id}/meetings/")
    with tab.expect_navigation():
        tab.get_by_role("link", name="Record a looked-after child review").click()
    pending = dict(fields)
    while True:
        for label, value in list(pending.items()):
            if isinstance(value, tuple):
                target = tab.get_by_label(value[0], exact=True)
            else:
                target = tab.get_by_label(label, exact=True)
            if not target.count():
                continue  # on another section
            del pending[label]
            if value is True or isinstance(value, tuple):
                target.check()
            else:
                target.fill(value)
        following = tab.get_by_role("button", name="Save and continue")
        if not pending or not following.count():
            break
        with tab.expect_navigation():
            following.click()
    assert not pending, f"no section of the form holds {sorted(pending)}"
    with tab.expect_navigation():
        tab.get_by_role("button", name="Complete the record").click()
    summary = tab.locator(".govuk-error-summary")
    if not summary.count():
        expect(tab.get_by_role("heading", level=1)).to_contain_text("Looked-after child review on")
    return summary


def caseload_row(tab: Any, label: str, name: str) -> Any:
    """The row of `label` for the child `name` on the signed-in person's My caseload."""
    tab.get_by_role("link", name="My caseload").first.click()
    return tab.locator("tr").filter(has_text=label).filter(has_text=name)


@pytest.fixture
def walsall(use_pack: Any) -> None:
    use_pack("walsall")


def test_decisions_issued_on_christmas_eve_move_the_full_record_on_the_iros_caseload(
    page,
    council,
    walsall,
):
    from playwright.sync_api import expect

    from oversight.cases.factories import allocate, make_child, record_event

    child = make_child(
        reference="C4100011",
        first_name="Remy",
        last_name="Alder",
        date_of_birth=dt.date(2013, 5, 9),
    )
    allocate(child, council.iro, Role.IRO, dt.date(2026, 11, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 11, 1))
    record_event(child, EventType.LAC_START, dt.date(2026, 11, 19))

    # Thu 17 December 2026: the first review (due 20 working days after Thu 19 November)
    with freeze(dt.date(2026, 12, 17)):
        sign_in(page, council.iro.user.username, council.password)
        completed = fill_review(
            page,
            child.pk,
            {
                "Date held (required)": "17 12 2026",
                "Venue (required)": ("The child's placement",),
                "Advocacy explained and offered": True,
                "Rights as a looked-after child and how to complain explained": True,
                **SCHEDULE_7_NOTES,
            },
        )
        expect(completed).to_have_count(0)
        # 20 days on, Christmas and New Year's Day counted: Wed 6 January 2027
        row = caseload_row(page, RECORD_ROW, "Remy Alder")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Wed 6 Jan 2027")

    # Thu 24 December: the decisions issued on the last of their 5 working days (Fri 18, Mon 21,
    # Tue 22, Wed 23, Thu 24): the full record is now due 15 days after them, Fri 8 January 2027
    with freeze(dt.date(2026, 12, 24)):
        sign_in(page, council.iro.user.username, council.password)
        page.goto(f"/children/{child.pk}/meetings/")
        page.get_by_role("link", name="Record a review decisions and record issued").click()
        page.get_by_label("Date of the review").fill("17 12 2026")
        page.get_by_label("Date the record of decisions was issued").fill("24 12 2026")
        page.get_by_role("button", name="Complete the record").click()
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
        row = caseload_row(page, RECORD_ROW, "Remy Alder")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Fri 8 Jan 2027")


def looked_after(council: Any, reference: str, name: str, since: dt.date) -> Any:
    """A child of the IRO looked after since `since`, placed that day in a foster placement
    intended to last until 18, with a review held with a meeting on Mon 3 August 2026 (its
    record and its chronology event: the reviews before it leave the rule unchanged)."""
    from oversight.cases.factories import allocate, make_child, record_event
    from oversight.meetings.constants import Kind
    from oversight.meetings.factories import make_meeting

    first, last = name.split()
    child = make_child(
        reference=reference, first_name=first, last_name=last, date_of_birth=dt.date(2013, 5, 5)
    )
    allocate(child, council.iro, Role.IRO, since)
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, since)
    record_event(child, EventType.LAC_START, since)
    record_event(child, EventType.PLACEMENT_START, since, placement_type="foster",
                 provider="Oak Lane", area="in", until_18=True)  # fmt: skip
    review = record_event(child, EventType.LAC_REVIEW, dt.date(2026, 8, 3))
    make_meeting(child, kind=Kind.LAC_REVIEW, date=dt.date(2026, 8, 3), event_ids=[review.pk])
    return child


WITHOUT_A_MEETING = {
    "Long-term placement over a year: review without a meeting": True,
    "Without a meeting: the decision and who was consulted": (
        "Nell, her carers and the social worker agreed; recorded in the care plan"
    ),
}


def test_a_review_without_a_meeting_after_a_year_in_a_long_term_placement_and_one_refused(
    page,
    council,
    walsall,
):
    from playwright.sync_api import expect

    from oversight.cases.models import Event

    # Thu 7 January 2027: Nell has been placed until 18 since Mon 5 January 2026 (more than a
    # year from Wed 6 January 2027); Kit only since Mon 2 March 2026
    with freeze(dt.date(2027, 1, 7)):
        nell = looked_after(council, "C4100012", "Nell Hadley", dt.date(2026, 1, 5))
        kit = looked_after(council, "C4100013", "Kit Hadley", dt.date(2026, 3, 2))
        sign_in(page, council.iro.user.username, council.password)
        review = {
            "Date held (required)": "7 1 2027",
            "Venue (required)": ("The child's placement",),
            **SCHEDULE_7_NOTES,
            "Permanence plan (from the second review)": "Long-term fostering to 18",
            **WITHOUT_A_MEETING,
        }
        expect(fill_review(page, nell.pk, review)).to_have_count(0)
        # the next review 183 days on, Fri 9 July 2027; a meeting at least once a year: 12
        # months after the review with one on Mon 3 August 2026, Tue 3 August 2027
        set_here = page.get_by_role("table", name="Set by this record")
        expect(set_here.locator("tr").filter(has_text="Looked-after review due")).to_contain_text(
            "Fri 9 Jul 2027"
        )
        expect(page.locator("#meeting-needed")).to_contain_text(
            "there must be a meeting at least once a year, so the next review needs one, held "
            "by Tue 3 Aug 2027 at the latest"
        )

        # Kit's, the same, is refused, the page saying why; nothing recorded
        refused = fill_review(page, kit.pk, review)
        expect(refused.get_by_role("listitem")).to_have_text(
            [
                "A review without a meeting needs the child in a long-term placement (intended "
                "to last until they are 18) for more than 12 months: this review needs a meeting"
            ]
        )
        assert Event.objects.filter(child=kit, type=EventType.LAC_REVIEW).count() == 1
