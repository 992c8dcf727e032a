"""The record page shows the form's own labels and choices, not the stored keys and values."""

from __future__ import annotations

import pytest

from oversight.meetings.models import Meeting
from oversight.meetings.tests.conftest import icpc_post

pytestmark = pytest.mark.django_db


def test_it_shows_the_record_under_the_forms_labels(client, council, new_child, frozen):
    client.force_login(council.iro.user)
    response = client.post(f"/children/{new_child.pk}/meetings/icpc/new/", icpc_post(council))
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    meeting = Meeting.objects.get(child=new_child)
    rows = dict(
        (label, value) for label, value in client.get(response["Location"]).context["record_rows"]
    )
    assert rows["Decision"] == "Child protection plan"
    assert rows["Was the conference quorate?"] == "Yes"
    assert rows["Categories of harm"] == "Neglect"
    assert rows["How the child's views were given (\u201cNothing about me without me\u201d)"] == (
        "Met the chair; Written in the social worker's report"
    )
    assert rows["Lead social worker"] == str(council.social_worker)
    assert rows["First core group booked for"] == "Fri 22 Jan 2027"
    assert (
        rows["Action 1"] == "Referral to the health visitor, due Fri 5 Feb 2027 (The social worker)"
    )
    assert ">quorate<" not in page and ">lead_social_worker<" not in page
    assert meeting.details["quorate"] == "yes"  # stored as typed; shown as labelled
