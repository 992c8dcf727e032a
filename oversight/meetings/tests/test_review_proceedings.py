"""The looked-after review and care proceedings (Walsall, seed 002, 5.2): the review form shows
the IRO the recorded legal status, the liaison with the guardian and the papers seen since the
last review; under Walsall's pack a review held while proceedings are open is completed only
with the IRO's confirmation of the papers seen (`proceedings.confirm_papers_at_review`); under
England's it asks nothing. Finn became looked after on Mon 4 January 2027; proceedings were
issued on Thu 7 January; the first review is on Mon 1 February 2027."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.constants import EventType
from oversight.cases.factories import record_event as event
from oversight.cases.models import Event
from oversight.meetings.tests.conftest import freeze
from oversight.meetings.tests.test_other_meetings import lac_child, review_post  # noqa: F401
from oversight.meetings.tests.test_validation_gaps import errors, held_review

pytestmark = pytest.mark.django_db
CONFIRM = "Care proceedings are open: confirm you have had sight of the legal papers"


@pytest.fixture
def in_proceedings(lac_child):  # noqa: F811
    event(lac_child, EventType.LEGAL_STATUS, dt.date(2027, 1, 7), legal_status="C1")
    event(lac_child, EventType.PROCEEDINGS_START, dt.date(2027, 1, 7), court="Walsall")
    event(lac_child, EventType.GUARDIAN_APPOINTED, dt.date(2027, 1, 8), guardian="Rowan Ashdown")
    event(lac_child, EventType.GUARDIAN_LIAISON, dt.date(2027, 1, 11), how="phone")
    event(lac_child, EventType.LEGAL_PAPERS_SEEN, dt.date(2027, 1, 12), papers=["swet"])
    return lac_child


def test_walsalls_review_in_proceedings_needs_the_papers_confirmed(
    client, council, in_proceedings, use_pack
):
    use_pack("walsall")
    url = f"/children/{in_proceedings.pk}/meetings/lac-review/new/"
    with freeze(dt.date(2027, 2, 1)):
        client.force_login(council.iro.user)
        response = client.post(url, review_post())
        assert CONFIRM in errors(response, "legal_papers_confirmed")
        assert not Event.objects.filter(child=in_proceedings, type="lac_review").exists()
        response = client.post(url, review_post(legal_papers_confirmed="on"))
        assert response.status_code == 302, response.context["form"].errors


def test_walsalls_review_after_the_proceedings_ended_asks_nothing(
    client, council, in_proceedings, use_pack
):
    use_pack("walsall")
    # ended on Fri 29 January, the working day before the review
    event(in_proceedings, EventType.PROCEEDINGS_END, dt.date(2027, 1, 29), outcome="care_order")
    with freeze(dt.date(2027, 2, 1)):
        client.force_login(council.iro.user)
        url = f"/children/{in_proceedings.pk}/meetings/lac-review/new/"
        response = client.post(url, review_post())
        assert response.status_code == 302, response.context["form"].errors


def test_englands_review_in_proceedings_asks_nothing(client, council, in_proceedings, use_pack):
    use_pack("england")
    with freeze(dt.date(2027, 2, 1)):
        client.force_login(council.iro.user)
        url = f"/children/{in_proceedings.pk}/meetings/lac-review/new/"
        response = client.post(url, review_post())
        assert response.status_code == 302, response.context["form"].errors


def test_the_form_shows_the_liaison_and_papers_since_the_last_review(
    client, council, in_proceedings
):
    # the first review on Mon 1 February; after it, a liaison by video on Wed 10 February
    held_review(in_proceedings, dt.date(2027, 2, 1))
    event(in_proceedings, EventType.GUARDIAN_LIAISON, dt.date(2027, 2, 10), how="video")
    url = f"/children/{in_proceedings.pk}/meetings/lac-review/new/"
    with freeze(dt.date(2027, 4, 29)):
        client.force_login(council.iro.user)
        pages = [client.get(url, {"section": n}).text for n in range(1, 10)]
    shown = next(p for p in pages if 'name="legal_papers_confirmed"' in p)
    # only what came after the last review: not the phone call of Mon 11 January
    assert (
        "Since the last review (Mon 1 Feb 2027), liaison with the guardian: Wed 10 Feb 2027 by "
        "video call; papers seen: none recorded"
    ) in shown.replace("&#x27;", "'")
    schedule_7 = next(p for p in pages if 'name="s7_legal_status"' in p)
    assert "Recorded: C1: Interim care order since Thu 7 Jan 2027" in schedule_7
