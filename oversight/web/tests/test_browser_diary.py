"""The chair's diary in a real browser, as the IRO uses it the Tuesday before Christmas: the
booking form shows the ICPC's statutory latest date and the chair's free slots; choosing one
books it, the invitations arrive by email with their calendar event, and the diary's next week
shows the booking with its latest date beside it; the team manager sees it in the team's diary."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from oversight.cases.constants import EventType, Role
from oversight.meetings.tests.conftest import freeze
from oversight.notifications.tests.conftest import run_tasks, smtp_server  # noqa: F401
from oversight.web.tests.test_browser import sign_in
from tests.waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_iro_books_a_free_slot_and_finds_it_in_the_diary(
    page,
    council,
    smtp_server,  # noqa: F811 - the fixture
):
    from playwright.sync_api import expect

    from oversight.cases.factories import allocate, make_child
    from oversight.cases.factories import record_event as event
    from oversight.cases.obligations import recompute_child

    child = make_child(
        reference="C3200001",
        first_name="Rosa",
        last_name="Penhale",
        date_of_birth=dt.date(2020, 5, 1),
    )
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    # Mon 14 Dec 2026: a strategy discussion, so the ICPC is due by Thu 7 Jan 2027
    event(child, EventType.STRATEGY_DISCUSSION, dt.date(2026, 12, 14))
    # Poppy's review conference already takes the IRO's 10am slot on Tue 29 Dec
    event(
        council.child,
        EventType.MEETING_BOOKED,
        dt.date(2026, 12, 1),
        meeting="rcpc",
        on="2026-12-29",
        at="10:00",
    )
    tuesday_22_december = dt.date(2026, 12, 22)
    with freeze(tuesday_22_december):
        recompute_child(child, as_of=tuesday_22_december)
        recompute_child(council.child, as_of=tuesday_22_december)
        sign_in(page, council.iro.user.username, council.password)
        page.goto(f"/children/{child.pk}/meetings/")
        page.get_by_role("link", name="Record a meeting booked").click()
        latest = page.locator("#latest-dates")
        expect(latest).to_contain_text(
            "Initial child protection conference: by Thursday 7 January 2027"
        )
        slots = page.get_by_role("group", name="Isla Brightwell's free slots")
        expect(slots.get_by_label("Tuesday 29 December 2026 at 10am")).to_have_count(0)  # taken
        expect(slots.get_by_label("Friday 25 December 2026 at 10am")).to_have_count(0)  # Christmas
        page.get_by_label("Initial child protection conference").check()
        slots.get_by_label("Tuesday 29 December 2026 at 2pm").check()
        page.get_by_label("Date the booking was made").fill("22 12 2026")
        page.get_by_label("Venue").fill("Civic Centre, room 4")
        # the core group's professionals are invited unless unticked
        expect(page.get_by_label("Sami Fairholm (Social worker)")).to_be_checked()
        page.get_by_role("button", name="Complete the record").click()
        expect(page.locator("#diary-entry")).to_contain_text(
            "2 invited by email with a calendar attachment"
        )

        def delivered() -> bool:
            run_tasks()
            return len(smtp_server.messages) == 2

        wait_until(delivered, what="the two invitations")
        [to_social_worker] = [
            m for m in smtp_server.messages if m["To"] == council.social_worker.user.email
        ]
        assert to_social_worker["Subject"] == (
            "Invitation: Initial child protection conference, Tuesday 29 December 2026 at 2pm: "
            "C3200001"
        )
        [ics] = [p for p in to_social_worker.iter_attachments() if p.get_filename() == "invite.ics"]
        [vevent] = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")
        assert vevent.decoded("DTSTART") == dt.datetime(2026, 12, 29, 14, 0, tzinfo=dt.UTC)

        page.get_by_role("link", name="Diary", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("My diary")
        page.get_by_role("link", name="Next week").click()
        expect(page.locator("#diary-period")).to_contain_text(
            "The week from Monday 28 December 2026 to Sunday 3 January 2027: 2 meetings booked"
        )
        rows = page.locator("#diary tbody tr[data-day='2026-12-29']")
        expect(rows).to_have_count(2)
        rosa = rows.filter(has_text="Rosa Penhale")
        expect(rosa).to_contain_text("2pm")
        expect(rosa).to_contain_text("Initial child protection conference")
        expect(rosa).to_contain_text("Civic Centre, room 4")
        expect(rosa).to_contain_text("Thu 7 Jan 2027")  # the statutory latest date beside it
        page.get_by_role("link", name="Month view").click()
        expect(page.locator("#diary-period")).to_contain_text("The month from Tuesday 1 December")

        sign_in(page, council.iro_team_manager.user.username, council.password)
        page.get_by_role("link", name="Diary", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("The team's diary")
        page.get_by_role("link", name="Next week").click()
        row = page.locator("#diary tbody tr").filter(has_text="Rosa Penhale")
        expect(row).to_contain_text("Isla Brightwell")  # the chair
