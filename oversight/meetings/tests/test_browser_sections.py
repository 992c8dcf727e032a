"""The ICPC record in sections, in a real browser, as the chair fills it on the day: one section
at a time from the task list, each kept as a draft; "Complete the record" too early lists every
refusal of the whole record at once, each linked to its section; the lead social worker is
chosen among social workers only; the required fields say so."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from oversight.cases.constants import EventType, Role
from oversight.meetings.tests.conftest import freeze
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def status(tab: Any, heading: str) -> Any:
    """The task list's row of a section."""
    name = re.compile(rf"^\s*\d+\. {re.escape(heading)}(\s|$)")
    return tab.locator(".govuk-task-list__item").filter(has_text=name)


def section(tab: Any, heading: str) -> Any:
    """The task list's link to a section."""
    return tab.get_by_role("link", name=re.compile(rf"^\d+\. {re.escape(heading)}$"))


def test_the_chair_records_an_icpc_section_by_section(page, council):
    from playwright.sync_api import expect

    from oversight.cases.factories import allocate, make_child
    from oversight.cases.factories import record_event as event

    child = make_child(
        reference="C5100001",
        first_name="Ivy",
        last_name="Trescothick",
        date_of_birth=dt.date(2018, 2, 9),
    )
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    event(child, EventType.STRATEGY_DISCUSSION, dt.date(2026, 12, 14))

    with freeze(dt.date(2027, 1, 8)):  # Fri 8 Jan 2027, the day of the conference
        sign_in(page, council.iro.user.username, council.password)
        page.goto(f"/children/{child.pk}/meetings/")
        page.get_by_role("link", name="Record an initial child protection conference").click()
        expect(status(page, "The conference")).to_contain_text("(this section)")
        expect(status(page, "The decision")).to_contain_text("Not yet started")
        page.get_by_label("Date held (required)").fill("8 1 2027")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_role("heading", level=2, name="Before the conference")).to_be_visible()
        expect(status(page, "The conference")).to_contain_text("Started")  # kept as the draft

        # Straight to the decision, then "Complete the record" with most of it still to fill in
        section(page, "The decision").click()
        page.get_by_label("Child protection plan", exact=True).check()
        page.get_by_label("By the chair (no consensus)").check()
        page.get_by_role("button", name="Complete the record").click()
        summary = page.locator(".govuk-error-summary")
        for message in (
            "Choose: was the conference quorate?",  # Attendance and participation
            "Record the dissent: the decision was the chair's",  # The decision
            "Choose at least one category of harm for a plan",
            "State the risks to the child",  # The plan
            "Choose the lead social worker",
            "Book the first core group meeting",
            "Book the review conference",
        ):
            expect(summary).to_contain_text(message)  # every refusal in one round
        expect(status(page, "Attendance and participation")).to_contain_text("There is a problem")
        expect(status(page, "The plan")).to_contain_text("There is a problem")

        summary.get_by_role("link", name="Choose the lead social worker").click()
        expect(page.get_by_role("heading", level=2, name="The plan")).to_be_visible()
        lead = page.get_by_label("Lead social worker")
        offered = lead.locator("option").all_inner_texts()
        assert "Sami Fairholm" in offered and "Nia Greyling" in offered  # social workers
        assert "Tara Elsworth" not in offered  # a team manager
        assert "Wren Ashdown" not in offered  # the IRO team manager
        page.get_by_label("The risks to the child").fill("Poor home conditions")
        page.get_by_label("What needs to change").fill("Home conditions")
        lead.select_option(label="Sami Fairholm")
        page.get_by_label("First core group booked for").fill("22 1 2027")
        page.get_by_label("Review conference booked for").fill("8 4 2027")
        page.get_by_label("Midway review booked for").fill("19 2 2027")
        page.get_by_role("button", name="Save and continue").click()

        section(page, "Attendance and participation").click()
        quorate = page.get_by_role("group", name="Was the conference quorate? (required)")
        quorate.get_by_label("Yes").check()
        page.get_by_role("button", name="Save and continue").click()
        section(page, "The decision").click()
        expect(
            page.get_by_label("Child protection plan", exact=True)
        ).to_be_checked()  # from the draft
        page.get_by_label("Dissent (who disagreed and why)").fill("Father disagreed")
        page.get_by_label("Neglect", exact=True).check()
        page.get_by_role("button", name="Complete the record").click()
        expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_contain_text(
            "Initial child protection conference on Friday 8 January 2027"
        )


def test_the_iro_records_a_looked_after_review_section_by_section(
    page,
    council,
):
    from playwright.sync_api import expect

    from oversight.cases.factories import allocate, make_child
    from oversight.cases.factories import record_event as event
    from oversight.meetings.models import Meeting

    child = make_child(
        reference="C5200001",
        first_name="Finn",
        last_name="Mardle",
        date_of_birth=dt.date(2014, 2, 2),
    )
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    event(child, EventType.LAC_START, dt.date(2027, 1, 4))  # the first review by Mon 1 Feb 2027

    with freeze(dt.date(2027, 2, 1)):  # Mon 1 Feb 2027, the day of the review
        sign_in(page, council.iro.user.username, council.password)
        page.goto(f"/children/{child.pk}/meetings/")
        page.get_by_role("link", name="Record a looked-after child review").click()
        expect(status(page, "The review")).to_contain_text("(this section)")
        expect(status(page, "Schedule 7 checklist")).to_contain_text("Not yet started")
        page.get_by_label("Date held (required)").fill("1 2 2027")
        page.get_by_label("The child's placement").check()
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_role("heading", level=2, name="Before the review")).to_be_visible()
        expect(status(page, "The review")).to_contain_text("Started")  # kept as the draft
        assert Meeting.objects.get(child=child).status == "draft"

        # "Complete the record" with the checklist still empty: every note asked for at once
        section(page, "Records and the next review").click()
        page.get_by_label("Next review booked for").fill("29 4 2027")
        page.get_by_role("button", name="Complete the record").click()
        summary = page.locator(".govuk-error-summary")
        for message in (
            "Write a note on: change of circumstances",
            "Write a note on: contact",
            "Write a note on: health",
        ):
            expect(summary).to_contain_text(message)
        expect(status(page, "Schedule 7 checklist")).to_contain_text("There is a problem")
        summary.get_by_role("link", name="Write a note on: contact").click()
        expect(page.get_by_role("heading", level=2, name="Schedule 7 checklist")).to_be_visible()
        # each note the rules ask for says so by its label
        notes = page.locator("textarea[name^='s7_']")
        labels = [
            page.locator(f"label[for='{notes.nth(i).get_attribute('id')}']").inner_text()
            for i in range(notes.count())
        ]
        assert sum("(required unless adjourned)" in label for label in labels) == len(labels) - 2
        for i in range(notes.count()):
            notes.nth(i).fill("Discussed and recorded")
        page.get_by_role("button", name="Complete the record").click()
        expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    assert Meeting.objects.get(child=child).status == "completed"
