"""Meetings booked on an ICPC, RCPC or looked-after review record reach the chair's diary and
send their invitations with a calendar event, as a booking made on the booking form does (one
function, `actions._book`): the child's allocated staff invited, one UID for as long as the
meeting is re-booked, nothing sent again when the record is amended in another field."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from oversight.meetings.models import DiaryEntry, Meeting
from oversight.meetings.tests.conftest import freeze, icpc_post
from oversight.meetings.tests.test_other_meetings import lac_child, review_post  # noqa: F401
from oversight.notifications.models import Message
from oversight.notifications.tests.conftest import run_tasks, smtp_server  # noqa: F401

pytestmark = pytest.mark.django_db

FRIDAY_8_JANUARY = dt.date(2027, 1, 8)


def calendar_of(message) -> icalendar.Calendar:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_content())


def test_an_icpc_books_its_meetings_and_invites_the_childs_staff(
    client,
    council,
    new_child,
    smtp_server,  # noqa: F811 - the fixture
    django_capture_on_commit_callbacks,
):
    with freeze(FRIDAY_8_JANUARY), django_capture_on_commit_callbacks(execute=True):
        client.force_login(council.iro.user)
        response = client.post(f"/children/{new_child.pk}/meetings/icpc/new/", icpc_post(council))
        assert response.status_code == 302, response.context["form"].errors
    icpc = Meeting.objects.get(child=new_child, kind="icpc")
    entries = {e.meeting: e for e in DiaryEntry.objects.filter(child=new_child)}
    # the first core group Fri 22 Jan, the midway review Fri 19 Feb, the review Thu 8 Apr 2027
    assert {m: e.on for m, e in entries.items()} == {
        "core_group": dt.date(2027, 1, 22),
        "midway_review": dt.date(2027, 2, 19),
        "rcpc": dt.date(2027, 4, 8),
    }
    assert {e.booking_id for e in entries.values()} == {icpc.pk}  # the booking's link: the ICPC
    # Rosa's IRO and social worker are her allocated staff: each asked to each meeting
    for entry in entries.values():
        assert set(entry.invited.all()) == {council.iro, council.social_worker}
    with freeze(FRIDAY_8_JANUARY):
        assert run_tasks() == 6  # three meetings, two people
    review = [
        m
        for m in smtp_server.messages
        if m["To"] == council.social_worker.user.email and "Review child protection" in m["Subject"]
    ]
    assert [m["Subject"] for m in review] == [
        "Invitation: Review child protection conference, Thursday 8 April 2027: C3000001"
    ]
    [vevent] = calendar_of(review[0]).walk("VEVENT")
    assert str(vevent["UID"]) == entries["rcpc"].uid
    assert (
        f"/children/{new_child.pk}/meetings/{icpc.pk}/"
        in review[0].get_body(("plain",)).get_content()
    )


def test_the_booking_form_rebooks_what_a_conference_booked_under_the_same_uid(
    client,
    council,
    new_child,
    django_capture_on_commit_callbacks,
):
    with freeze(FRIDAY_8_JANUARY), django_capture_on_commit_callbacks(execute=True):
        client.force_login(council.iro.user)
        client.post(f"/children/{new_child.pk}/meetings/icpc/new/", icpc_post(council))
    first = DiaryEntry.objects.get(child=new_child, meeting="rcpc")
    with freeze(dt.date(2027, 1, 11)), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/children/{new_child.pk}/meetings/booking/new/",
            {
                "date": "11 1 2027",
                "meeting": "rcpc",
                "on": "6 4 2027",  # Tue 6 Apr 2027, two days earlier
                "at": "10:00",
                "venue": "Civic Centre, room 4",
                "invite": [council.social_worker.user.username],
            },
        )
        assert response.status_code == 302, response.context["form"].errors
    again = DiaryEntry.objects.get(pk=first.pk)  # the same calendar event, moved
    assert (again.uid, again.sequence, again.on) == (first.uid, 1, dt.date(2027, 4, 6))
    updated = Message.objects.filter(subject__startswith="Updated: Review child protection")
    assert [m.to_email for m in updated] == [council.social_worker.user.email]
    cancelled = Message.objects.filter(subject__startswith="Cancelled: Review child protection")
    assert [m.to_email for m in cancelled] == [council.iro.user.email]  # no longer invited


def test_an_amended_record_sends_nothing_for_a_booking_unchanged(
    client,
    council,
    new_child,
    django_capture_on_commit_callbacks,
):
    with freeze(FRIDAY_8_JANUARY), django_capture_on_commit_callbacks(execute=True):
        client.force_login(council.iro.user)
        client.post(f"/children/{new_child.pk}/meetings/icpc/new/", icpc_post(council))
    icpc = Meeting.objects.get(child=new_child, kind="icpc")
    sent = Message.objects.count()
    with freeze(FRIDAY_8_JANUARY), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/children/{new_child.pk}/meetings/{icpc.pk}/change/",
            {**icpc_post(council, risks="Poor home conditions; no heating"), "reason": "Typo"},
        )
        assert response.status_code == 302, response.context["form"].errors
    assert Message.objects.count() == sent  # the risks changed, not a booking


def test_a_looked_after_review_books_the_next_and_invites(
    client,
    council,
    lac_child,  # noqa: F811 - the fixture
    django_capture_on_commit_callbacks,
):
    from oversight.cases.obligations import recompute_child

    with freeze(dt.date(2027, 2, 1)), django_capture_on_commit_callbacks(execute=True):
        recompute_child(lac_child, as_of=dt.date(2027, 2, 1))
        client.force_login(council.iro.user)
        response = client.post(f"/children/{lac_child.pk}/meetings/lac-review/new/", review_post())
        assert response.status_code == 302, response.context["form"].errors
    entry = DiaryEntry.objects.get(child=lac_child)
    assert (entry.meeting, entry.on) == ("lac_review", dt.date(2027, 4, 29))  # Thu 29 Apr 2027
    invited = Message.objects.filter(subject__startswith="Invitation: Looked-after")
    assert sorted(m.to_email for m in invited) == sorted(
        [council.iro.user.email, council.social_worker.user.email]
    )
