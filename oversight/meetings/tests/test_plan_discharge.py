"""A child on a plan who becomes looked after prompts the chair to consider the plan's
discharge: an action for the chair, due the next working day."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.models import Event, Obligation
from oversight.meetings.tests.conftest import freeze, icpc_post

pytestmark = pytest.mark.django_db


def test_it_prompts_the_chair_when_a_child_on_a_plan_becomes_looked_after(
    client, council, new_child
):
    with freeze(dt.date(2027, 1, 8)):
        client.force_login(council.iro.user)
        url = f"/children/{new_child.pk}/meetings/icpc/new/"
        assert client.post(url, icpc_post(council)).status_code == 302
    # Fri 2027-01-15: the social worker records that the child became looked after
    with freeze(dt.date(2027, 1, 15)):
        client.force_login(council.social_worker.user)
        response = client.post(
            f"/children/{new_child.pk}/events/new/", {"type": "lac_start", "date": "15 1 2027"}
        )
        assert response.status_code == 302
    prompt = Event.objects.get(child=new_child, type="action_set", data__owner="iro")
    assert prompt.data["text"].startswith("On a child protection plan and now looked after")
    assert prompt.recorded_by == council.social_worker.user
    row = Obligation.objects.get(child=new_child, code="action.due", event=prompt)
    # the next working day: Mon 2027-01-18
    assert (row.due, row.status) == (dt.date(2027, 1, 18), "pending")


def test_it_does_not_prompt_without_a_plan(client, council, new_child):
    with freeze(dt.date(2027, 1, 15)):
        client.force_login(council.social_worker.user)
        response = client.post(
            f"/children/{new_child.pk}/events/new/", {"type": "lac_start", "date": "15 1 2027"}
        )
        assert response.status_code == 302
    assert not Event.objects.filter(child=new_child, type="action_set").exists()
