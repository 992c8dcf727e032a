"""A looked-after child's legal status and care proceedings, recorded from the child's page
(Walsall, seed 002, 5.2: "close liaison with the child's guardian and the IRO should have sight
of all legal papers"), on a frozen day: Wed 20 January 2027. Ivy became looked after on Mon 4
January 2027 under police protection; proceedings were issued on Thu 7 January."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from oversight.audit.models import AuditEntry
from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.models import Event

pytestmark = pytest.mark.django_db

BEGUN = {
    "type": "proceedings_start",
    "date": "7 1 2027",
    "court": "Walsall Family Court",
    "case_number": "BM27C00012",
}


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def looked_after(council):
    child = make_child(reference="C5100001", first_name="Ivy", date_of_birth=dt.date(2015, 6, 1))
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    record_event(child, EventType.LAC_START, dt.date(2027, 1, 4))
    return child


def test_it_records_the_legal_status_and_the_page_shows_it_with_its_start(
    client, council, frozen, looked_after
):
    client.force_login(council.iro.user)
    new = f"/children/{looked_after.pk}/events/new/"
    l1 = {"type": "legal_status", "date": "4 1 2027", "legal_status": "L1"}
    assert client.post(new, l1).status_code == 302
    c1 = {"type": "legal_status", "date": "8 1 2027", "legal_status": "C1"}
    assert client.post(new, c1).status_code == 302
    page = client.get(f"/children/{looked_after.pk}/").text
    # the latest status (Fri 8 January) is the one in force
    assert "C1: Interim care order</dd>" not in page  # the header shows its start beside it
    assert "C1: Interim care order, since Friday 8 January 2027" in page
    assert "L1: Under police protection" not in page.split('id="chronology"')[0]


def test_it_records_proceedings_a_guardian_a_liaison_and_papers_and_shows_them(
    client, council, frozen, looked_after
):
    client.force_login(council.iro.user)
    new = f"/children/{looked_after.pk}/events/new/"
    assert client.post(new, BEGUN).status_code == 302
    guardian = {"type": "guardian_appointed", "date": "8 1 2027", "guardian": "Rowan Ashdown"}
    assert client.post(new, guardian).status_code == 302
    liaison = {
        "type": "guardian_liaison",
        "date": "11 1 2027",
        "how": "phone",
        "notes": "Agreed contact plan",
    }
    assert client.post(new, liaison).status_code == 302
    papers = {"type": "legal_papers_seen", "date": "12 1 2027", "papers": ["swet", "care_plan"]}
    assert client.post(new, papers).status_code == 302
    stored = {e.type: e.data for e in Event.objects.filter(child=looked_after)}
    assert stored["proceedings_start"] == {
        "court": "Walsall Family Court",
        "case_number": "BM27C00012",
    }
    # the papers in the list's order, whatever order they were ticked in
    assert stored["legal_papers_seen"] == {"papers": ["swet", "care_plan"]}
    assert stored["guardian_liaison"] == {"how": "phone", "notes": "Agreed contact plan"}
    page = client.get(f"/children/{looked_after.pk}/").text
    assert "Proceedings begun Thursday 7 January 2027 (open)" in page
    assert "Walsall Family Court, case number BM27C00012" in page
    assert "Rowan Ashdown (since Friday 8 January 2027)" in page
    assert 'Monday 11 January 2027</td><td class="govuk-table__cell">By phone' in page
    assert "Social work evidence template (SWET), Interim or final care plan" in page


def test_it_ends_the_proceedings_with_their_outcome(client, council, frozen, looked_after):
    client.force_login(council.iro.user)
    new = f"/children/{looked_after.pk}/events/new/"
    assert client.post(new, BEGUN).status_code == 302
    end = {"type": "proceedings_end", "date": "19 1 2027", "outcome": "care_order"}
    assert client.post(new, end).status_code == 302
    page = client.get(f"/children/{looked_after.pk}/").text
    assert "Tuesday 19 January 2027: Care order" in page
    assert "(open)" not in page


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        (
            {"type": "legal_status", "date": "8 1 2027", "legal_status": "C9"},
            "legal_status",
            "Choose the legal status from the list (the 903 codes)",
        ),
        (
            # before Ivy became looked after (Mon 4 January)
            {"type": "legal_status", "date": "1 1 2027", "legal_status": "C1"},
            "date",
            "The child was not looked after on this date",
        ),
        (
            # the proceedings began Thu 7 January
            {"type": "proceedings_end", "date": "6 1 2027", "outcome": "care_order"},
            "date",
            "The end must be on or after the day the proceedings began (7 January 2027)",
        ),
        (
            {"type": "proceedings_end", "date": "8 1 2027", "outcome": "adopted"},
            "outcome",
            "Choose how the proceedings ended from the list",
        ),
        (
            {"type": "proceedings_start", "date": "9 1 2027", "court": "Walsall"},
            "date",
            "Care proceedings are already open on this date (since 7 January 2027)",
        ),
        (
            {"type": "guardian_appointed", "date": "8 1 2027", "guardian": "Rowan\x07 Ashdown"},
            "guardian",
            "control",
        ),
        (
            {"type": "guardian_appointed", "date": "8 1 2027", "guardian": " "},
            "guardian",
            "Enter the children&#x27;s guardian&#x27;s name",
        ),
        (
            {"type": "legal_papers_seen", "date": "8 1 2027"},
            "papers",
            "Choose the papers seen from the list",
        ),
        (
            {"type": "guardian_liaison", "date": "8 1 2027", "how": "pigeon"},
            "how",
            "Choose how you were in touch with the guardian",
        ),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(
    client, council, frozen, looked_after, posted, field, message
):
    client.force_login(council.iro.user)
    new = f"/children/{looked_after.pk}/events/new/"
    assert client.post(new, BEGUN).status_code == 302
    before = Event.objects.count()
    response = client.post(new, posted)
    assert response.status_code == 200
    # the message by the field
    assert re.search(f'id="id_{field}(_1)?_error"', response.text), field
    assert message in response.text
    assert Event.objects.count() == before


def test_a_liaison_with_no_proceedings_open_is_refused(client, council, frozen, looked_after):
    client.force_login(council.iro.user)
    posted = {"type": "guardian_liaison", "date": "8 1 2027", "how": "phone"}
    response = client.post(f"/children/{looked_after.pk}/events/new/", posted)
    assert response.status_code == 200
    assert "No care proceedings are open on this date" in response.text
    assert not Event.objects.filter(type="guardian_liaison").exists()


def test_an_iro_of_another_team_cannot_see_or_record_them(client, council, frozen, looked_after):
    client.force_login(council.other_iro.user)
    assert client.get(f"/children/{looked_after.pk}/").status_code == 404
    new = f"/children/{looked_after.pk}/events/new/"
    assert client.post(new, BEGUN).status_code == 404
    assert not Event.objects.filter(type="proceedings_start").exists()


def test_the_page_showing_them_is_audited_naming_the_child(client, council, frozen, looked_after):
    record_event(looked_after, EventType.PROCEEDINGS_START, dt.date(2027, 1, 7), court="Walsall")
    client.force_login(council.iro.user)
    before = AuditEntry.objects.filter(child_id=looked_after.pk).count()
    assert "Proceedings begun" in client.get(f"/children/{looked_after.pk}/").text
    assert AuditEntry.objects.filter(child_id=looked_after.pk).count() == before + 1
