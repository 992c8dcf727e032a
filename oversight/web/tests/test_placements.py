"""A looked-after child's placements and the social worker's visits, recorded from the child's
page (CPPCR 2010 reg 28), on a frozen day: Wed 20 January 2027. The child became looked after
on Mon 4 January 2027."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.models import Event, Obligation
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db

PLACED = {
    "type": "placement_start",
    "date": "4 1 2027",
    "placement_type": "foster",
    "provider": "Oak Lane foster carers",
    "distance": "6",
    "area": "in",
    "until_18": "yes",
}


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def looked_after(council):
    child = make_child(reference="C5000001", first_name="Ivy", date_of_birth=dt.date(2015, 6, 1))
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    record_event(child, EventType.LAC_START, dt.date(2027, 1, 4))
    return child


def visits_due(child) -> list[tuple[str, str, str | None]]:
    return [
        (o.due.isoformat(), o.status, o.met_on.isoformat() if o.met_on else None)
        for o in Obligation.objects.filter(child=child, code="lac.sw_visit").order_by("due")
    ]


def test_it_records_a_placement_and_visits_and_puts_the_next_on_the_caseload(
    client, council, frozen, looked_after
):
    client.force_login(council.social_worker.user)
    new = f"/children/{looked_after.pk}/events/new/"
    assert client.post(new, PLACED).status_code == 302
    placed = Event.objects.get(child=looked_after, type="placement_start")
    assert placed.data == {
        "placement_type": "foster",
        "provider": "Oak Lane foster carers",
        "distance": 6,
        "area": "in",
        "until_18": True,
    }
    # Mon 4 January + 7 days: Mon 11 January, overdue on Wed 20th
    assert visits_due(looked_after) == [("2027-01-11", "overdue", None)]
    assert client.post(new, {"type": "lac_visit", "date": "15 1 2027"}).status_code == 302
    # met late on Fri 15th; the next within six weeks of it: Fri 26 February
    assert visits_due(looked_after) == [
        ("2027-01-11", "met", "2027-01-15"),
        ("2027-02-26", "pending", None),
    ]
    page = client.get("/caseload/").text
    assert "Social worker&#x27;s visit to the looked-after child due" in page


def test_who_provides_a_placement_is_kept_as_the_903_codes_it(
    client, council, frozen, looked_after
):
    client.force_login(council.social_worker.user)
    new = f"/children/{looked_after.pk}/events/new/"
    assert client.post(new, {**PLACED, "place_provider": "PR4"}).status_code == 302
    placed = Event.objects.get(child=looked_after, type="placement_start")
    # The carer by name, and who provides the placement: private provision (PR4)
    assert placed.data["provider"] == "Oak Lane foster carers"
    assert placed.data["place_provider"] == "PR4"
    edit = f"/children/{looked_after.pk}/events/{placed.pk}/change/"
    assert 'value="PR4" selected' in client.get(edit).text


def test_a_change_of_placement_tells_the_iro_and_asks_them_to_decide_on_the_review(
    client, council, frozen, looked_after, settings
):
    settings.OVERSIGHT_POLICY = "camden"  # numbers.change_decision: 1 working day
    client.force_login(council.social_worker.user)
    new = f"/children/{looked_after.pk}/events/new/"
    client.post(new, PLACED)
    moved = {**PLACED, "type": "placement_change", "date": "19 1 2027", "area": "out",
             "provider": "Riverside children's home", "placement_type": "residential"}  # fmt: skip
    assert client.post(new, moved).status_code == 302
    told = Message.objects.get(recipient=council.iro)
    assert told.subject == "Significant change for C5000001: decide on the review"
    assert told.child == looked_after
    decide = Obligation.objects.get(child=looked_after, code="action.due")
    # Tue 19 January + 1 working day: the IRO decides by Wed 20th
    assert (decide.due, decide.trigger["text"]) == (
        dt.date(2027, 1, 20),
        "Decide whether to bring the review forward",
    )
    assert "on your caseload" in told.body
    # the old placement's first visit (due Mon 11th) stays overdue; the new one's: Tue 26th
    assert visits_due(looked_after) == [
        ("2027-01-11", "overdue", None),
        ("2027-01-26", "pending", None),
    ]


def test_a_change_of_placement_under_a_pack_with_no_decision_time_sets_none(
    client, council, frozen, looked_after
):
    # England's pack (the default) gives no time for the decision: the IRO is told, no action due
    client.force_login(council.social_worker.user)
    new = f"/children/{looked_after.pk}/events/new/"
    client.post(new, PLACED)
    moved = {**PLACED, "type": "placement_change", "date": "19 1 2027"}
    assert client.post(new, moved).status_code == 302
    told = Message.objects.get(recipient=council.iro)
    assert told.subject == "Significant change for C5000001: decide on the review"
    assert "on your caseload" not in told.body
    assert not Obligation.objects.filter(child=looked_after, code="action.due").exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"placement_type": ""}, "placement_type", "Choose the type of placement"),
        ({"provider": "  "}, "provider", "Enter the provider"),
        ({"place_provider": "PR9"}, "place_provider", "Choose who provides the placement"),
        ({"area": ""}, "area", "in or out of the council"),
        ({"until_18": ""}, "until_18", "intended to last until the child is 18"),
        ({"distance": "-3"}, "distance", "0 miles or more"),
        ({"distance": "far"}, "distance", "whole number of miles"),
        ({"date": "3 1 2027"}, "date", "not looked after on this date"),  # the day before
    ],
)
def test_it_refuses_a_placement_by_field_and_saves_nothing(
    client, council, frozen, looked_after, fields, field, message
):
    client.force_login(council.social_worker.user)
    before = Event.objects.count()
    response = client.post(f"/children/{looked_after.pk}/events/new/", {**PLACED, **fields})
    assert response.status_code == 200
    assert f'id="id_{field}' in response.text and message in response.text
    assert Event.objects.count() == before
    assert not Message.objects.exists()


def test_a_visit_needs_the_child_looked_after(client, council, frozen):
    client.force_login(council.iro.user)
    response = client.post(
        f"/children/{council.child.pk}/events/new/", {"type": "lac_visit", "date": "15 1 2027"}
    )
    assert "not looked after on this date" in response.text
    assert not Event.objects.filter(type="lac_visit").exists()


def test_a_placement_order_from_the_page_calls_for_the_adoption_review(
    client, council, frozen, looked_after
):
    client.force_login(council.social_worker.user)
    new = f"/children/{looked_after.pk}/events/new/"
    assert client.post(new, {"type": "placement_order", "date": "18 1 2027"}).status_code == 302
    assert Event.objects.get(child=looked_after, type="placement_order").data == {
        "plan": "adoption"
    }
    review = Obligation.objects.get(child=looked_after, code="lac.adoption.review")
    # Mon 18 January + 3 months: Sun 18 April, on the IRO's caseload
    assert (review.due, review.status) == (dt.date(2027, 4, 18), "pending")
    client.post(new, {"type": "placed_for_adoption", "date": "20 1 2027"})
    assert not Obligation.objects.filter(child=looked_after, code="lac.adoption.review").exists()


def test_the_review_form_shows_the_iro_the_social_workers_visits(
    client, council, frozen, looked_after
):
    client.force_login(council.social_worker.user)
    new = f"/children/{looked_after.pk}/events/new/"
    client.post(new, PLACED)
    client.post(new, {"type": "lac_visit", "date": "15 1 2027"})
    client.force_login(council.iro.user)
    # the review is a task list: the note on the visits is in the Schedule 7 section
    form = f"/children/{looked_after.pk}/meetings/lac-review/new/"
    sections = [client.get(form, {"section": n}).text for n in range(1, 9)]
    schedule_7 = [page for page in sections if 'name="s7_sw_visits"' in page]
    assert len(schedule_7) == 1
    # the first visit (due Mon 11 January) made late on Fri 15th; the next due Fri 26 February
    assert (  # the hint escaped, as every value of a page
        "Social worker&#x27;s visits in the last 12 months: 1 made, 1 late, none overdue; "
        "the next due Fri 26 Feb 2027"
    ) in schedule_7[0]
