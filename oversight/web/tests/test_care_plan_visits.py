"""The social worker's visits as the care plan sets them, a visit the child asked for (Walsall,
seed 002, 5.2) and a child's own application to the court (Manchester, seed 003), recorded from
the child's page on a frozen day: Wed 20 January 2027. The child became looked after and was
placed on Mon 4 January 2027."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.audit.models import AuditEntry
from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.models import Event, Obligation
from oversight.cases.obligations import recompute_child

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def placed(council):
    child = make_child(reference="C5000002", first_name="Wren", date_of_birth=dt.date(2014, 3, 9))
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    record_event(child, EventType.LAC_START, dt.date(2027, 1, 4))
    record_event(
        child, EventType.PLACEMENT_START, dt.date(2027, 1, 4), placement_type="foster", area="in"
    )
    record_event(child, EventType.LAC_VISIT, dt.date(2027, 1, 8))  # Fri
    recompute_child(child, as_of=dt.date(2027, 1, 20))
    return child


def next_visit(child) -> tuple[str, str]:
    row = Obligation.objects.get(child=child, code="lac.sw_visit", status="pending")
    return row.due.isoformat(), row.status


def test_a_care_plan_visiting_every_28_days_brings_the_next_visit_forward(
    client, council, frozen, placed
):
    # reg 28 alone: Fri 8 January + 42 days, Fri 19 February
    assert next_visit(placed) == ("2027-02-19", "pending")
    client.force_login(council.social_worker.user)
    new = f"/children/{placed.pk}/events/new/"
    answer = client.post(
        new, {"type": "care_plan_visits", "date": "4 1 2027", "visit_interval": "28 days"}
    )
    assert answer.status_code == 302
    assert Event.objects.get(child=placed, type="care_plan_visits").data == {
        "visit_interval": "28 days"
    }
    # the plan's 28 days from Fri 8 January: Fri 5 February
    assert next_visit(placed) == ("2027-02-05", "pending")


def test_a_care_plan_less_often_than_the_minimum_is_refused_and_nothing_recorded(
    client, council, frozen, placed
):
    client.force_login(council.social_worker.user)
    new = f"/children/{placed.pk}/events/new/"
    answer = client.post(
        new, {"type": "care_plan_visits", "date": "4 1 2027", "visit_interval": "2 months"}
    )
    assert answer.status_code == 200
    assert (
        "A care plan cannot set visits less often than the law&#x27;s minimum: at least every "
        "42 days for this child&#x27;s placement on this date"
    ) in answer.text
    answer = client.post(
        new, {"type": "care_plan_visits", "date": "4 1 2027", "visit_interval": "4 weeks"}
    )
    assert "Write how often in days or months" in answer.text
    assert not Event.objects.filter(type="care_plan_visits").exists()
    assert next_visit(placed) == ("2027-02-19", "pending")


def test_the_review_form_shows_the_care_plan_and_the_visit_the_child_asked_for(
    client, council, frozen, placed
):
    client.force_login(council.social_worker.user)
    new = f"/children/{placed.pk}/events/new/"
    client.post(new, {"type": "care_plan_visits", "date": "4 1 2027", "visit_interval": "28 days"})
    assert client.post(new, {"type": "visit_requested", "date": "18 1 2027"}).status_code == 302
    # no source gives the requested visit a time: no obligation of its own under England's pack
    assert not Obligation.objects.filter(child=placed).exclude(code__startswith="lac.").exists()
    assert not Obligation.objects.filter(child=placed, code="lac.sw_visit.requested").exists()
    client.force_login(council.iro.user)
    form = f"/children/{placed.pk}/meetings/lac-review/new/"
    sections = [client.get(form, {"section": n}).text for n in range(1, 9)]
    schedule_7 = next(page for page in sections if 'name="s7_sw_visits"' in page)
    assert (
        "the care plan: visits every 28 days (since Mon 4 Jan 2027); visits the child asked "
        "for: 1, 0 made, not yet the one asked for Mon 18 Jan 2027"
    ) in schedule_7


def test_a_visit_asked_for_needs_the_child_looked_after(client, council, frozen, placed):
    client.force_login(council.social_worker.user)
    answer = client.post(
        f"/children/{placed.pk}/events/new/", {"type": "visit_requested", "date": "1 1 2027"}
    )
    assert "The child was not looked after on this date" in answer.text
    assert not Event.objects.filter(type="visit_requested").exists()


def test_the_childs_own_court_application_is_on_the_care_proceedings_tab(
    client, council, frozen, placed
):
    client.force_login(council.iro.user)
    new = f"/children/{placed.pk}/events/new/"
    refused = client.post(new, {"type": "court_application", "date": "11 1 2027"})
    assert "Say who applied to the court: the child or an adult for them" in refused.text
    assert "Choose the order sought from the list" in refused.text
    assert not Event.objects.filter(type="court_application").exists()
    answer = client.post(
        new,
        {
            "type": "court_application",
            "date": "11 1 2027",
            "applicant": "child",
            "order": "contact_in_care",
        },
    )
    assert answer.status_code == 302
    assert Event.objects.get(child=placed, type="court_application").data == {
        "applicant": "child",
        "order": "contact_in_care",
    }
    before = AuditEntry.objects.filter(child_id=placed.pk).count()
    page = client.get(f"/children/{placed.pk}/").text
    assert AuditEntry.objects.filter(child_id=placed.pk).count() == before + 1
    tab = page[page.index('id="proceedings"') :]
    assert "Applications to the court by the child or an adult for them" in tab
    assert (
        '<td class="govuk-table__cell">Monday 11 January 2027</td><td class="govuk-table__cell">The '
        'child</td><td class="govuk-table__cell">Contact with the child in care</td>'
    ) in tab
