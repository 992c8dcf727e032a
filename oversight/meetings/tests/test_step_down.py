"""Stockport (seed 001 section 2): after a review conference steps a plan down to the Team around
the Child process, the IRO's chairing of a TAC meeting is "systematically considered", with the
factors weighed, and "ordinarily, the IRO will chair the third TAC meeting following the Review
Conference" (`numbers.step_down_tac`): the second books it, the third chaired by someone else
says why. Poppy's plan has been open since Fri 19 September 2025; today is Fri 8 January 2027."""

from __future__ import annotations

import pytest

from oversight.cases.models import Event
from oversight.meetings.models import Meeting
from oversight.meetings.tests.conftest import icpc_post

pytestmark = pytest.mark.django_db


def post(client, council, kind, data):
    client.force_login(council.iro.user)
    return client.post(f"/children/{council.child.pk}/meetings/{kind}/new/", data)


def step_down(council, **overrides):
    return icpc_post(council, outcome="end", step_down="tac", **overrides)


def test_stockport_asks_the_iros_decision_and_its_factors_at_a_step_down(
    client, council, frozen, use_pack
):
    use_pack("stockport")
    response = post(client, council, "rcpc", step_down(council))
    errors = response.context["form"].errors
    assert errors["iro_to_chair_tac"] == [
        "Record whether the IRO will chair a TAC meeting after step-down"
    ]
    assert errors["step_down_factors"] == [
        "Record the factors the IRO weighed: the complexity of the issues, how long the plan "
        "lasted, whether the step-down was unanimous"
    ]
    assert not Event.objects.filter(child=council.child, type="rcpc", data__outcome="end").exists()
    decided = step_down(
        council,
        iro_to_chair_tac="yes",
        step_down_factors="Plan of 15 months; the step-down was not unanimous (health dissented)",
        step_down_consulted=["family", "core_group"],
    )
    response = post(client, council, "rcpc", decided)
    assert response.status_code == 302, response.context["form"].errors
    assert (
        Event.objects.get(child=council.child, type="rcpc", data__outcome="end").date.isoformat()
        == "2027-01-08"
    )


def test_a_step_down_asks_nothing_more_under_a_council_without_the_rule(client, council, frozen):
    # england: the step-down itself is the route for the child's needs
    response = post(client, council, "rcpc", step_down(council))
    assert response.status_code == 302, response.context["form"].errors


def tac(**overrides):
    return {"date": "8 1 2027", "chair": "other", "why_iro": "none", **overrides}


def test_stockport_books_the_third_tac_from_the_second(client, council, frozen, use_pack):
    use_pack("stockport")
    response = post(client, council, "tac-meeting", tac(number_after_review="2"))
    assert response.context["form"].errors["next_tac"] == [
        "Book TAC meeting 3 after the review conference: the IRO ordinarily chairs it"
    ]
    response = post(
        client, council, "tac-meeting", tac(number_after_review="2", next_tac="5 2 2027")
    )
    assert response.status_code == 302, response.context["form"].errors
    booked = Event.objects.get(child=council.child, type="meeting_booked")
    # the third TAC, on Fri 5 February 2027
    assert booked.data == {"meeting": "tac_meeting", "on": "2027-02-05"}


def test_stockport_asks_why_the_iro_does_not_chair_the_third_tac(client, council, frozen, use_pack):
    use_pack("stockport")
    response = post(client, council, "tac-meeting", tac(number_after_review="3"))
    assert response.context["form"].errors["not_iro_reason"] == [
        "Say why the IRO does not chair TAC meeting 3 after the review conference"
    ]
    chaired = tac(number_after_review="3", chair="iro", why_iro="step_down")
    assert post(client, council, "tac-meeting", chaired).status_code == 302
    assert Meeting.objects.get(child=council.child, kind="tac_meeting").outcome == "iro"
