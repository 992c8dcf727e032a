"""The council's own names for its records (the pack's `records`) on the meeting pages: Camden
keeps a consultation as its "IRO consultation case note", Leicestershire a midway review as its
"Midway Tracking"; a pack that names none shows no such line."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.meetings.models import Meeting
from oversight.meetings.tests.conftest import freeze
from oversight.meetings.tests.test_other_meetings import consultation_post, lac_child  # noqa: F401

pytestmark = pytest.mark.django_db
CAMDEN = "The council keeps this as the IRO consultation case note."


def test_it_names_camdens_consultation_record_on_its_pages(
    client,
    council,
    lac_child,  # noqa: F811
    use_pack,
):
    use_pack("camden")
    # Mon 2027-03-01: the form, then the record made
    with freeze(dt.date(2027, 3, 1)):
        client.force_login(council.iro.user)
        url = f"/children/{lac_child.pk}/meetings/consultation/new/"
        assert CAMDEN in client.get(url).text
        response = client.post(url, consultation_post())
        assert response.status_code == 302
        meeting = Meeting.objects.get(child=lac_child, kind="consultation")
        assert CAMDEN in client.get(f"/children/{lac_child.pk}/meetings/{meeting.pk}/").text


def test_it_names_leicestershires_midway_tracking(client, council, lac_child, use_pack):  # noqa: F811
    use_pack("leicestershire")
    with freeze(dt.date(2027, 3, 1)):
        client.force_login(council.iro.user)
        page = client.get(f"/children/{lac_child.pk}/meetings/midway-review/new/").text
    assert "The council keeps this as the Midway Tracking." in page


def test_it_names_no_record_under_a_pack_without_one(client, council, lac_child, use_pack):  # noqa: F811
    use_pack("england")
    with freeze(dt.date(2027, 3, 1)):
        client.force_login(council.iro.user)
        page = client.get(f"/children/{lac_child.pk}/meetings/consultation/new/").text
    assert 'id="council-record"' not in page


def test_camden_records_the_chairs_contacts_on_its_iro_contact_record(client, council, use_pack):
    use_pack("camden")
    child = council.child  # Poppy, on a plan
    url = f"/children/{child.pk}/meetings/contact/new/"
    contact = {
        "date": "2 3 2027",  # Tue
        "with_whom": "advocate",
        "who": "Remi Vale, NYAS advocate",
        "how": "phone",
        "about": "Poppy wants to attend her review conference; advocate to support her",
    }
    with freeze(dt.date(2027, 3, 3)):
        client.force_login(council.iro.user)
        assert "The council keeps this as the IRO contact record." in client.get(url).text
        response = client.post(url, {**contact, "about": ""})
        assert "about" in response.context["form"].errors  # nothing said of the contact
        assert not Meeting.objects.filter(child=child, kind="contact").exists()
        response = client.post(url, contact)
        assert response.status_code == 302, response.context["form"].errors
    made = Meeting.objects.get(child=child, kind="contact")
    assert (made.date, made.outcome) == (dt.date(2027, 3, 2), "advocate")


def test_the_chair_is_given_the_minutes_of_a_professionals_meeting(client, council):
    child = council.child
    url = f"/children/{child.pk}/meetings/professionals-meeting/new/"
    meeting = {
        "date": "2 3 2027",  # Tue, the professionals meeting
        "purpose": "School attendance and the mother's health",
        "attended": "School, health visitor, social worker",
    }
    with freeze(dt.date(2027, 3, 3)):
        client.force_login(council.social_worker.user)
        # minutes dated before the meeting, or tomorrow (Thu 4 March), are refused
        for wrong in ("1 3 2027", "4 3 2027"):
            response = client.post(url, {**meeting, "minutes_sent": wrong})
            assert response.context["form"].errors["minutes_sent"] == [
                "This must be on or after the professionals meeting, and not in the future"
            ]
        response = client.post(url, {**meeting, "minutes_sent": "3 3 2027"})
        assert response.status_code == 302, response.context["form"].errors
    made = Meeting.objects.get(child=child, kind="professionals_meeting")
    assert (made.outcome, made.details["minutes_sent"]) == ("minutes_sent", "2027-03-03")
