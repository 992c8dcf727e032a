"""A meeting record reads its time, its kind and its stored values in words (issue 14, bug 4):
"2pm", not `14:00:00`; "Neglect", not `['neglect']`; "Yes", not `True`."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.meetings.models import Meeting
from oversight.meetings.tests.conftest import icpc_post
from oversight.web.tests.test_formatted_values import words

pytestmark = pytest.mark.django_db


def test_a_meeting_record_reads_its_time_kind_and_stored_values_in_words(
    client, council, new_child, frozen
):
    client.force_login(council.iro.user)
    response = client.post(
        f"/children/{new_child.pk}/meetings/icpc/new/", icpc_post(council, time="14:00")
    )
    meeting = Meeting.objects.get(child=new_child)
    assert meeting.time == dt.time(14, 0)
    # Values kept under names the form no longer has (older records): shown in words too.
    meeting.details |= {"seen_alone": True, "earlier_categories": ["neglect"], "met_at": "14:00:00"}
    meeting.save(update_fields=["details"])
    text = words(client.get(response["Location"]).text)
    assert "Initial child protection conference on Friday 8 January 2027 at 2pm" in text
    assert "Seen alone Yes" in text
    assert "Earlier categories Neglect" in text
    assert "Met at 2pm" in text
    assert "Meeting booked Friday 8 January 2027 for Friday 22 January 2027" in text
    for raw in ("14:00", "['neglect']", "True", "2027-01-22", " icpc"):
        assert raw not in text
