"""Refusals added after the first pass (issue 7): an RCPC booked with no plan, restricted
information less than 3 working days before a conference (Walsall, seed 002), and a looked-after
review without a meeting more than once a year (Walsall, seed 002 5.2). Each on its field, nothing
saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oversight.cases.models import Event
from oversight.meetings.models import Meeting
from oversight.meetings.tests.conftest import freeze, icpc_post
from oversight.meetings.tests.test_other_meetings import lac_child, review_post  # noqa: F401

pytestmark = pytest.mark.django_db


def errors(response, field):
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get(field, []))


def book_rcpc(client, child):
    return client.post(
        f"/children/{child.pk}/meetings/booking/new/",
        {"date": "8 1 2027", "meeting": "rcpc", "on": "8 4 2027"},
    )


def test_it_refuses_an_rcpc_booking_with_no_open_plan(client, council, new_child, frozen):
    client.force_login(council.iro.user)
    response = book_rcpc(client, new_child)
    assert "There is no child protection plan open on Fri 8 January 2027" in errors(
        response, "meeting"
    )
    assert not Meeting.objects.filter(child=new_child).exists()
    assert not Event.objects.filter(child=new_child, type="meeting_booked").exists()
    # after the ICPC decides on a plan, the same booking is accepted
    assert (
        client.post(f"/children/{new_child.pk}/meetings/icpc/new/", icpc_post(council)).status_code
        == 302
    )
    assert book_rcpc(client, new_child).status_code == 302


def test_it_flags_restricted_information_less_than_3_days_before(
    client, council, new_child, frozen, use_pack
):
    use_pack("walsall")
    client.force_login(council.iro.user)
    url = f"/children/{new_child.pk}/meetings/icpc/new/"
    # Wed 6 Jan for Fri 8 Jan: 2 working days before -- how the chair managed it is needed
    response = client.post(url, icpc_post(council, restricted_info_received="6 1 2027"))
    assert "after Tue 5 January 2027, 3 working days before the conference" in errors(
        response, "restricted_info_late"
    )
    assert not Meeting.objects.filter(child=new_child).exists()
    # after the conference: refused
    response = client.post(url, icpc_post(council, restricted_info_received="9 1 2027"))
    assert "on or before the conference" in errors(response, "restricted_info_received")
    # with the note: recorded, the note kept
    response = client.post(
        url,
        icpc_post(
            council,
            restricted_info_received="6 1 2027",
            restricted_info_late="Shared with the agencies only, parents' part split",
        ),
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(child=new_child)
    assert meeting.details["restricted_info_late"].startswith("Shared with the agencies")


def test_it_accepts_restricted_information_3_days_before(
    client, council, new_child, frozen, use_pack
):
    use_pack("walsall")
    client.force_login(council.iro.user)
    response = client.post(
        f"/children/{new_child.pk}/meetings/icpc/new/",
        icpc_post(council, restricted_info_received="5 1 2027"),  # Tue 5 Jan: 3 days before
    )
    assert response.status_code == 302


def held_review(child, day: dt.date, **details):
    return Meeting.objects.create(
        child=child,
        kind="lac_review",
        status="completed",
        date=day,
        details=details,
        created_at=timezone.now(),
    )


def without_meeting(day: str):
    return review_post(
        date=day,
        without_meeting="on",
        without_meeting_consultation="Child, carers and social worker agreed; care plan updated",
        action_1_due="",
        action_1_text="",
        next_review="",
    )


@pytest.fixture
def long_term_child(council):
    """Looked after since Mon 5 January 2026, in a placement intended to last until 18 from that
    day: more than a year by the reviews below (Walsall: a review may go without a meeting)."""
    from oversight.cases.constants import EventType, Role
    from oversight.cases.factories import allocate, make_child
    from oversight.cases.factories import record_event as event

    child = make_child(reference="C4000002", first_name="Nell", date_of_birth=dt.date(2013, 5, 5))
    allocate(child, council.iro, Role.IRO, dt.date(2025, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2025, 12, 1))
    event(child, EventType.LAC_START, dt.date(2026, 1, 5))
    event(child, EventType.PLACEMENT_START, dt.date(2026, 1, 5), placement_type="foster",
          provider="Oak Lane", area="in", until_18=True)  # fmt: skip
    return child


def test_it_allows_a_review_without_a_meeting_at_most_once_a_year(
    client,
    council,
    long_term_child,
    use_pack,
):
    use_pack("walsall")
    child = long_term_child
    url = f"/children/{child.pk}/meetings/lac-review/new/"
    # the first review: no review with a meeting in the 12 months before
    with freeze(dt.date(2027, 2, 1)):
        client.force_login(council.iro.user)
        response = client.post(url, without_meeting("1 2 2027"))
        assert "there must be a meeting at least every 12 months" in errors(
            response, "without_meeting"
        )
        assert not Event.objects.filter(child=child, type="lac_review").exists()
    held_review(child, dt.date(2027, 2, 1))
    held_review(child, dt.date(2027, 5, 3))
    # Mon 2027-11-01: the last two reviews had meetings -- this one may go without
    with freeze(dt.date(2027, 11, 1)):
        client.force_login(council.iro.user)
        response = client.post(url, without_meeting("1 11 2027"))
        assert response.status_code == 302, response.context["form"].errors
    # Mon 2028-05-01: the review in November had no meeting -- this one needs a meeting
    with freeze(dt.date(2028, 5, 1)):
        client.force_login(council.iro.user)
        response = client.post(url, without_meeting("1 5 2028"))
        assert "The review on Mon 1 November 2027 was held without a meeting" in errors(
            response, "without_meeting"
        )
    assert Event.objects.filter(child=child, type="lac_review").count() == 1


def test_it_refuses_a_review_without_a_meeting_before_a_year_in_a_long_term_placement(
    client,
    council,
    lac_child,  # noqa: F811
    use_pack,
):
    from oversight.cases.constants import EventType
    from oversight.cases.factories import record_event as event

    use_pack("walsall")
    url = f"/children/{lac_child.pk}/meetings/lac-review/new/"
    # looked after since Mon 4 January 2027, placed (until 18) that day; a review with a
    # meeting in February 2027
    event(lac_child, EventType.PLACEMENT_START, dt.date(2027, 1, 4), placement_type="foster",
          provider="Oak Lane", area="in", until_18=True)  # fmt: skip
    held_review(lac_child, dt.date(2027, 2, 1))
    # Tue 4 January 2028 is a year to the day: not yet "more than a year"
    with freeze(dt.date(2028, 1, 4)):
        client.force_login(council.iro.user)
        response = client.post(url, without_meeting("4 1 2028"))
        assert "needs the child in a long-term placement" in errors(response, "without_meeting")
    # Wed 5 January 2028: more than a year, and a review with a meeting within the last 12 months
    with freeze(dt.date(2028, 1, 5)):
        client.force_login(council.iro.user)
        response = client.post(url, without_meeting("5 1 2028"))
        assert response.status_code == 302, response.context["form"].errors
        # the record says when a review must meet: 12 months after Mon 1 February 2027
        page = client.get(response["Location"]).text
        assert "so the next review needs one, held by <strong>Tue 1 Feb 2028</strong>" in page


def test_a_placement_not_meant_to_last_until_18_is_not_long_term(
    client,
    council,
    lac_child,  # noqa: F811
    use_pack,
):
    from oversight.cases.constants import EventType
    from oversight.cases.factories import record_event as event

    use_pack("walsall")
    event(lac_child, EventType.PLACEMENT_START, dt.date(2027, 1, 4), placement_type="residential",
          provider="Hill House", area="out", until_18=False)  # fmt: skip
    held_review(lac_child, dt.date(2027, 2, 1))
    with freeze(dt.date(2028, 2, 1)):
        client.force_login(council.iro.user)
        response = client.post(
            f"/children/{lac_child.pk}/meetings/lac-review/new/", without_meeting("1 2 2028")
        )
        assert "needs the child in a long-term placement" in errors(response, "without_meeting")
    assert not Event.objects.filter(child=lac_child, type="lac_review").exists()


def test_under_england_a_review_without_a_meeting_needs_no_long_term_placement(
    client,
    council,
    lac_child,  # noqa: F811
):
    held_review(lac_child, dt.date(2027, 2, 1))
    with freeze(dt.date(2027, 5, 3)):
        client.force_login(council.iro.user)
        response = client.post(
            f"/children/{lac_child.pk}/meetings/lac-review/new/", without_meeting("3 5 2027")
        )
        assert response.status_code == 302, response.context["form"].errors
        # no meeting a year under England: the record names no day to meet by
        assert 'id="meeting-needed"' not in client.get(response["Location"]).text


def second_review(**overrides):
    return review_post(
        date="29 4 2027",
        seen_privately="26 4 2027",
        sw_consulted="6 4 2027",
        documents_received="23 4 2027",
        action_1_due="",
        action_1_text="",
        next_review="",
        **overrides,
    )


def test_walsalls_second_review_checks_permanence_and_whether_adoption_is_realistic(
    client,
    council,
    lac_child,  # noqa: F811
    use_pack,
):
    from oversight.cases.constants import EventType
    from oversight.cases.factories import record_event as event

    use_pack("walsall")
    url = f"/children/{lac_child.pk}/meetings/lac-review/new/"
    held_review(lac_child, dt.date(2027, 2, 1))  # the initial review
    event(lac_child, EventType.PLACEMENT_ORDER, dt.date(2027, 2, 15), plan="adoption")
    with freeze(dt.date(2027, 4, 29)):
        client.force_login(council.iro.user)
        response = client.post(url, second_review(s7_permanence="", s7_adoption_realistic=""))
        assert errors(response, "s7_permanence") == "Write a note on the plan for permanence"
        assert "write whether adoption is still realistic" in errors(
            response, "s7_adoption_realistic"
        )
        assert not Event.objects.filter(child=lac_child, type="lac_review").exists()
        # placed with adopters: adoption need not be reconsidered, permanence still must
        event(lac_child, EventType.PLACED_FOR_ADOPTION, dt.date(2027, 4, 1))
        response = client.post(url, second_review(s7_permanence="", s7_adoption_realistic=""))
        assert not errors(response, "s7_adoption_realistic")
        assert errors(response, "s7_permanence") == "Write a note on the plan for permanence"
        response = client.post(url, second_review(s7_adoption_realistic=""))
        assert response.status_code == 302, response.context["form"].errors


def test_the_initial_review_and_englands_reviews_need_no_permanence_note(
    client,
    council,
    lac_child,  # noqa: F811
    use_pack,
):
    url = f"/children/{lac_child.pk}/meetings/lac-review/new/"
    with freeze(dt.date(2027, 2, 1)):
        client.force_login(council.iro.user)
        use_pack("walsall")
        first = client.post(url, review_post(s7_permanence="", s7_adoption_realistic=""))
        assert first.status_code == 302, first.context["form"].errors
    use_pack("england")
    with freeze(dt.date(2027, 4, 29)):
        client.force_login(council.iro.user)
        response = client.post(url, second_review(s7_permanence="", s7_adoption_realistic=""))
        assert response.status_code == 302, response.context["form"].errors
