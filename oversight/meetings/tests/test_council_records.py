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
