"""The chair's diary and a booking's invitations: the statutory latest date beside each booking,
the chair's free slots over Christmas, and the invitation, re-booking and cancellation received by
a real SMTP server with their calendar event (one UID, SEQUENCE 0, 1, 2; METHOD:CANCEL)."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from oversight.cases.constants import EventType, Role
from oversight.cases.models import Obligation
from oversight.meetings.models import DiaryEntry, Meeting
from oversight.meetings.tests.conftest import freeze
from oversight.notifications.tests.conftest import run_tasks, smtp_server  # noqa: F401

pytestmark = pytest.mark.django_db

TUESDAY_22_DECEMBER = dt.date(2026, 12, 22)


@pytest.fixture
def rosa(council):
    """A strategy discussion on Mon 14 Dec 2026: the ICPC is due within 15 working days, by Thu 7
    Jan 2027 (Christmas Day, the Boxing Day substitute on Mon 28 Dec and New Year's Day skipped)."""
    from oversight.cases.factories import allocate, make_child
    from oversight.cases.factories import record_event as event

    child = make_child(
        reference="C3100001",
        first_name="Rosa",
        last_name="Penhale",
        date_of_birth=dt.date(2020, 5, 1),
    )
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    event(child, EventType.STRATEGY_DISCUSSION, dt.date(2026, 12, 14))
    return child


def recompute(*children):
    from oversight.cases.obligations import recompute_child

    for child in children:
        recompute_child(child, as_of=TUESDAY_22_DECEMBER)


def book(client, council, child, **fields):
    client.force_login(council.iro.user)
    data = {
        "date": "22 12 2026",
        "meeting": "icpc",
        "venue": "Civic Centre, room 4",
        "invite": [council.iro.user.username, council.social_worker.user.username],
    }
    data.update(fields)
    return client.post(f"/children/{child.pk}/meetings/booking/new/", data)


def calendar_of(message) -> icalendar.Calendar:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "invite.ics"
    return icalendar.Calendar.from_ical(part.get_content())


def test_it_shows_the_latest_date_and_the_chairs_free_slots_on_the_booking_form(
    client, council, rosa
):
    from oversight.cases.factories import record_event as event

    # Poppy's review conference is booked for Tue 29 Dec at 10:00: that slot is not free.
    event(
        council.child,
        EventType.MEETING_BOOKED,
        dt.date(2026, 12, 1),
        meeting="rcpc",
        on="2026-12-29",
        at="10:00",
    )
    recompute(rosa, council.child)
    with freeze(TUESDAY_22_DECEMBER):
        client.force_login(council.iro.user)
        page = client.get(f"/children/{rosa.pk}/meetings/booking/new/?meeting=icpc")
    text = page.content.decode()
    # the ICPC within 15 working days of the strategy discussion: Thursday 7 January 2027
    assert (
        "Initial child protection conference: by <strong>Thursday 7 January 2027</strong>" in text
    )
    slots = [label for _value, label in page.context["form"].fields["slot"].choices]
    # from Wed 23 Dec: Christmas Day (Fri), the Boxing Day substitute (Mon 28) and New Year's Day
    # skipped; Tue 29 Dec at 10am taken by Poppy's review conference
    assert slots[:6] == [
        "Wednesday 23 December 2026 at 10am",
        "Wednesday 23 December 2026 at 2pm",
        "Thursday 24 December 2026 at 10am",
        "Thursday 24 December 2026 at 2pm",
        "Tuesday 29 December 2026 at 2pm",
        "Wednesday 30 December 2026 at 10am",
    ]
    assert "Monday 4 January 2027 at 10am" in slots  # after New Year's Day (Fri 1 Jan)
    assert not any("25 December" in s or "28 December" in s or "1 January" in s for s in slots)
    # the core group of professionals invited by default
    assert page.context["form"].initial["invite"] == [
        council.iro.user.username,
        council.social_worker.user.username,
    ]


def test_it_books_a_free_slot_and_sends_each_invitation_with_its_calendar_event(
    client,
    council,
    rosa,
    smtp_server,  # noqa: F811 - the fixture
    django_capture_on_commit_callbacks,
):
    with freeze(TUESDAY_22_DECEMBER), django_capture_on_commit_callbacks(execute=True):
        response = book(client, council, rosa, slot="2026-12-29T14:00")
    assert response.status_code == 302, response.context["form"].errors
    with freeze(TUESDAY_22_DECEMBER):
        assert run_tasks() == 2
    received = {m["To"]: m for m in smtp_server.messages}
    assert set(received) == {council.iro.user.email, council.social_worker.user.email}
    message = received[council.social_worker.user.email]
    assert message["Subject"] == (
        "Invitation: Initial child protection conference, Tuesday 29 December 2026 at 2pm: C3100001"
    )
    body = message.get_body(("plain",)).get_content()
    assert "Where: Civic Centre, room 4" in body
    assert "Rosa" not in body and "Penhale" not in body  # a link, not the case
    cal = calendar_of(message)
    assert cal["METHOD"] == "REQUEST"
    [vevent] = cal.walk("VEVENT")
    entry = DiaryEntry.objects.get(child=rosa)
    assert str(vevent["UID"]) == entry.uid
    assert vevent["SEQUENCE"] == 0
    # 2pm in London on Tue 29 Dec 2026, two hours
    assert vevent.decoded("DTSTART") == dt.datetime(2026, 12, 29, 14, 0, tzinfo=dt.UTC)
    assert vevent.decoded("DTEND") == dt.datetime(2026, 12, 29, 16, 0, tzinfo=dt.UTC)
    assert str(vevent["LOCATION"]) == "Civic Centre, room 4"
    assert str(vevent["SUMMARY"]) == "Initial child protection conference: child C3100001"
    attendees = sorted(str(a) for a in vevent["ATTENDEE"])  # type: ignore[union-attr]
    assert attendees == sorted(
        f"mailto:{s.user.email}" for s in (council.iro, council.social_worker)
    )
    # the booking is the engine's: due on its day
    booked = Obligation.objects.get(child=rosa, code="booked.icpc")
    assert booked.due == dt.date(2026, 12, 29)


def test_it_rebooks_under_the_same_uid_and_cancels_with_method_cancel(
    client,
    council,
    rosa,
    smtp_server,  # noqa: F811 - the fixture
    django_capture_on_commit_callbacks,
):
    wednesday_23_december = dt.date(2026, 12, 23)
    with freeze(TUESDAY_22_DECEMBER), django_capture_on_commit_callbacks(execute=True):
        book(client, council, rosa, on="29 12 2026", at="14:00")
    with freeze(wednesday_23_december), django_capture_on_commit_callbacks(execute=True):
        # re-booked the next day for Wed 6 Jan 2027 at 10:00, the social worker no longer invited
        book(
            client,
            council,
            rosa,
            date="23 12 2026",
            on="6 1 2027",
            at="10:00",
            invite=[council.iro.user.username],
        )
    with freeze(wednesday_23_december):
        run_tasks()
    entry = DiaryEntry.objects.get(child=rosa)
    assert entry.sequence == 1 and entry.on == dt.date(2027, 1, 6)
    to_iro = [m for m in smtp_server.messages if m["To"] == council.iro.user.email]
    first, second = (calendar_of(m).walk("VEVENT")[0] for m in to_iro)
    assert str(first["UID"]) == str(second["UID"]) == entry.uid
    assert (first["SEQUENCE"], second["SEQUENCE"]) == (0, 1)
    assert to_iro[1]["Subject"].startswith(
        "Updated: Initial child protection conference, Wednesday 6 January 2027 at 10am"
    )
    # the social worker, dropped from the list, is sent the cancellation
    to_sw = [m for m in smtp_server.messages if m["To"] == council.social_worker.user.email]
    assert [calendar_of(m)["METHOD"] for m in to_sw] == ["REQUEST", "CANCEL"]
    # only the latest booking is the engine's
    assert list(
        Obligation.objects.filter(child=rosa, code="booked.icpc").values_list("due", flat=True)
    ) == [dt.date(2027, 1, 6)]

    with freeze(wednesday_23_december), django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/children/{rosa.pk}/bookings/{entry.pk}/cancel/", {"reason": ""})
        assert "Give the reason" in page.content.decode()  # nothing cancelled without a reason
        assert DiaryEntry.objects.get(pk=entry.pk).cancelled_at is None
        client.post(
            f"/children/{rosa.pk}/bookings/{entry.pk}/cancel/",
            {"reason": "The family asked for a later date"},
        )
    with freeze(wednesday_23_december):
        run_tasks()
    last = [m for m in smtp_server.messages if m["To"] == council.iro.user.email][-1]
    assert last["Subject"].startswith("Cancelled: ")
    cal = calendar_of(last)
    [vevent] = cal.walk("VEVENT")
    assert cal["METHOD"] == "CANCEL"
    assert (str(vevent["UID"]), vevent["SEQUENCE"], str(vevent["STATUS"])) == (
        entry.uid,
        2,
        "CANCELLED",
    )
    # the booking is off the chronology: the ICPC is no longer expected on Wed 6 Jan
    assert not Obligation.objects.filter(child=rosa, code="booked.icpc").exists()
    assert Meeting.objects.filter(child=rosa, kind="booking").count() == 2


def test_the_diary_shows_each_booking_by_week_with_its_statutory_latest_date(client, council, rosa):
    from oversight.cases.factories import record_event as event

    # Rosa's ICPC booked for Fri 8 Jan 2027, a day after its latest date (Thu 7 Jan)
    event(
        rosa,
        EventType.MEETING_BOOKED,
        dt.date(2026, 12, 15),
        meeting="icpc",
        on="2027-01-08",
        at="10:00",
    )
    # Milo is the other IRO's: not in this diary
    event(
        council.other_child,
        EventType.MEETING_BOOKED,
        dt.date(2026, 12, 15),
        meeting="lac_review",
        on="2027-01-06",
    )
    recompute(rosa, council.other_child)
    with freeze(TUESDAY_22_DECEMBER):
        client.force_login(council.iro.user)
        week = client.get("/diary/?view=week&start=2027-01-07")
        month = client.get("/diary/?view=month&start=2027-01-01")
        client.force_login(council.iro_team_manager.user)
        team = client.get("/diary/?view=week&start=2027-01-04")
        client.force_login(council.other_iro.user)
        other = client.get("/diary/?view=week&start=2027-01-04")
        client.force_login(council.social_worker.user)
        refused = client.get("/diary/")
    for page in (week, month, team):
        text = page.content.decode()
        assert "Rosa Penhale" in text
        assert "Fri 8 Jan 2027" in text  # the day booked
        assert "Thu 7 Jan 2027" in text  # the statutory latest date beside it
        assert "Booked after it" in text
        assert "Milo" not in text
    assert "The week from Monday 4 January 2027 to Sunday 10 January 2027" in week.content.decode()
    assert "Isla Brightwell" in team.content.decode()  # the chair, in the team's diary
    assert "Rosa" not in other.content.decode() and "Milo Oakridge" in other.content.decode()
    assert refused.status_code == 403
    # audited naming the child
    from oversight.audit.models import AuditEntry

    assert AuditEntry.objects.filter(
        child_id=rosa.pk, reason="listed in the chair's diary"
    ).exists()


def test_a_review_brought_forward_on_a_change_is_rebooked_in_the_diary(
    client,
    council,
    smtp_server,  # noqa: F811 - the fixture
    django_capture_on_commit_callbacks,
):
    child = council.child  # on a plan since Fri 2025-09-19
    friday_8_january = dt.date(2027, 1, 8)
    with freeze(friday_8_january), django_capture_on_commit_callbacks(execute=True):
        # the review conference booked for Wed 3 Mar 2027 at 10am
        booked = book(client, council, child, date="8 1 2027", meeting="rcpc", on="3 3 2027",
                      at="10:00")  # fmt: skip
        assert booked.status_code == 302, booked.context["form"].errors
        client.force_login(council.social_worker.user)
        told = client.post(
            f"/children/{child.pk}/meetings/change-notice/new/",
            {"date": "8 1 2027", "changes": ["new_incident"], "change_details": "Injury",
             "notified_by": "Sami Fairholm"},
        )  # fmt: skip
        assert told.status_code == 302
        notice = Meeting.objects.get(child=child, kind="change_notice")
        client.force_login(council.iro.user)
        decided = client.post(
            f"/children/{child.pk}/meetings/change-decision/new/",
            {"date": "8 1 2027", "notice": str(notice.pk), "outcome": "forward", "review": "rcpc",
             "new_date": "22 1 2027", "reason": "New injury"},
        )  # fmt: skip
        assert decided.status_code == 302, decided.context["form"].errors
    with freeze(friday_8_january):
        run_tasks()
        week = client.get("/diary/?view=week&start=2027-01-18").content.decode()
    entry = DiaryEntry.objects.get(child=child, meeting="rcpc")
    # the same calendar event, re-booked: Fri 22 Jan 2027, SEQUENCE raised
    assert (entry.on, entry.sequence, entry.booking.kind) == (
        dt.date(2027, 1, 22),
        1,
        "change_decision",
    )
    to_iro = [m for m in smtp_server.messages if m["To"] == council.iro.user.email]
    invitations = [calendar_of(m).walk("VEVENT")[0] for m in to_iro if any(m.iter_attachments())]
    assert [(str(v["UID"]), v["SEQUENCE"]) for v in invitations] == [
        (entry.uid, 0),  # booked for Wed 3 Mar 2027
        (entry.uid, 1),  # brought forward to Fri 22 Jan 2027
    ]
    assert "Fri 22 Jan 2027" in week  # the diary's week shows the new day
    assert "Poppy" in week
