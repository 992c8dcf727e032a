"""ICPC and RCPC records: the refusals of issue 7 (nothing saved) and what the engine then sets,
with literal dates and weekdays."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.constants import Role
from oversight.cases.models import Event, Obligation
from oversight.meetings.models import Meeting
from oversight.meetings.tests.conftest import freeze, icpc_post

pytestmark = pytest.mark.django_db


def due(child, code: str) -> tuple[str, str]:
    row = Obligation.objects.get(child=child, code=code)
    return row.due.strftime("%a %Y-%m-%d"), row.status


def post_icpc(client, council, child, **overrides):
    client.force_login(council.iro.user)
    return client.post(f"/children/{child.pk}/meetings/icpc/new/", icpc_post(council, **overrides))


def assert_refused(response, child, field: str, message: str) -> None:
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors.get(field, [])), form.errors
    assert not Meeting.objects.filter(child=child).exists()  # nothing saved
    assert not Event.objects.filter(child=child).exclude(type="strategy_discussion").exists()


def test_it_sets_the_first_core_group_and_review_from_an_icpc_with_a_plan(
    client, council, new_child, frozen
):
    response = post_icpc(client, council, new_child)
    assert response.status_code == 302
    # ICPC Fri 2027-01-08 + 10 working days: the first core group is due Fri 2027-01-22
    assert due(new_child, "cp.core_group.first") == ("Fri 2027-01-22", "pending")
    # + 3 months: the first review conference is due Thu 2027-04-08
    assert due(new_child, "cp.rcpc.first") == ("Thu 2027-04-08", "pending")
    # the first visit, 10 working days: Fri 2027-01-22
    assert due(new_child, "cp.visit") == ("Fri 2027-01-22", "pending")
    # the bookings made at the conference are due on their dates
    assert due(new_child, "booked.core_group") == ("Fri 2027-01-22", "pending")
    assert due(new_child, "booked.rcpc") == ("Thu 2027-04-08", "pending")
    assert due(new_child, "booked.midway_review") == ("Fri 2027-02-19", "pending")
    # reports for the review 3 working days before Thu 8 April: Mon 2027-04-05 (after Easter)
    assert due(new_child, "cp.conference.reports") == ("Mon 2027-04-05", "pending")
    # the outline plan's action, owned by the social worker
    assert due(new_child, "action.due") == ("Fri 2027-02-05", "pending")
    # the ICPC met the strategy discussion's deadline (Thu 2027-01-07 + the ICPC a day late)
    assert due(new_child, "cp.icpc") == ("Thu 2027-01-07", "met")
    icpc = Event.objects.get(child=new_child, type="icpc")
    assert icpc.data == {"outcome": "plan", "categories": ["neglect"]}
    assert icpc.time == dt.time(10, 0)


def test_it_shows_what_happens_next_with_literal_dates(client, council, new_child, frozen):
    response = post_icpc(client, council, new_child)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "What happens next" in page.text
    assert "First core group meeting due" in page.text
    assert "Fri 22 Jan 2027" in page.text
    assert "Thu 8 Apr 2027" in page.text


def test_it_writes_the_visiting_frequency_set_for_the_plan(client, council, new_child, frozen):
    post_icpc(client, council, new_child, visit_interval="14 days")
    assert Event.objects.get(child=new_child, type="icpc").data["visit_interval"] == "14 days"
    # Fri 2027-01-08 + 14 days: Fri 2027-01-22 (the same day here, by calendar days)
    assert due(new_child, "cp.visit") == ("Fri 2027-01-22", "pending")


def test_it_refuses_a_plan_without_categories_of_harm(client, council, new_child, frozen):
    response = post_icpc(client, council, new_child, categories=[])
    assert_refused(response, new_child, "categories", "Choose at least one category of harm")


def test_it_refuses_a_booked_date_in_the_past(client, council, new_child, frozen):
    response = post_icpc(client, council, new_child, first_core_group="7 1 2027")
    assert_refused(response, new_child, "first_core_group", "must be today or later")


def test_it_refuses_a_lead_social_worker_who_is_not_a_social_worker(
    client, council, new_child, frozen
):
    response = post_icpc(
        client, council, new_child, lead_social_worker=str(council.team_manager.pk)
    )
    assert_refused(response, new_child, "lead_social_worker", "is not a qualified social worker")


def test_it_refuses_an_exclusion_without_rationale(client, council, new_child, frozen):
    response = post_icpc(client, council, new_child, excluded_1_who="Father")
    assert_refused(response, new_child, "excluded_1_rationale", "rationale for excluding Father")


def test_walsall_asks_for_the_mdr_supporting_an_exclusion(
    client, council, new_child, frozen, use_pack
):
    use_pack("walsall")
    excluded = {"excluded_1_who": "Father", "excluded_1_rationale": "Threats to the chair"}
    response = post_icpc(client, council, new_child, **excluded)
    assert_refused(
        response,
        new_child,
        "excluded_1_record",
        "Give the reference of the manager's Management Decision Record (MDR) supporting the "
        "exclusion of Father",
    )
    # with the MDR's reference the ICPC of Fri 8 January 2027 is recorded
    response = post_icpc(client, council, new_child, **excluded, excluded_1_record="MDR 4411")
    assert response.status_code == 302


def test_it_asks_for_no_mdr_under_a_council_without_one(client, council, new_child, frozen):
    # england names no manager's decision record: the rationale is enough
    excluded = {"excluded_1_who": "Father", "excluded_1_rationale": "Threats to the chair"}
    assert post_icpc(client, council, new_child, **excluded).status_code == 302


def test_it_refuses_a_chairs_decision_without_the_dissent(client, council, new_child, frozen):
    response = post_icpc(client, council, new_child, decided_by="chair")
    assert_refused(response, new_child, "dissent", "Record the dissent")


def test_it_refuses_a_new_plan_outside_a_review_conference(client, council, frozen):
    # Poppy's plan has been open since Fri 2025-09-19
    child = council.child
    before = Event.objects.filter(child=child).count()
    response = post_icpc(client, council, child)
    assert response.status_code == 200
    assert "change only at a review conference" in " ".join(
        response.context["form"].errors["outcome"]
    )
    assert Event.objects.filter(child=child).count() == before
    assert not Meeting.objects.filter(child=child).exists()


def test_it_refuses_an_rcpc_before_the_plans_icpc(client, council, new_child, frozen):
    client.force_login(council.iro.user)
    data = icpc_post(council, outcome="continue")
    response = client.post(f"/children/{new_child.pk}/meetings/rcpc/new/", data)
    assert_refused(response, new_child, "date", "record the ICPC first")


def test_it_records_an_rcpc_that_continues_the_plan(client, council, new_child, frozen):
    post_icpc(client, council, new_child)
    with freeze(dt.date(2027, 4, 8)):
        client.force_login(council.iro.user)  # the session of January has expired
        data = icpc_post(
            council,
            date="8 4 2027",
            outcome="continue",
            categories=["neglect", "emotional"],
            next_review="7 10 2027",
            midway_review="",
            midway_not_needed="Progress is steady",
            action_1_due="6 5 2027",
        )
        response = client.post(f"/children/{new_child.pk}/meetings/rcpc/new/", data)
        assert response.status_code == 302, response.context["form"].errors
    # the first review met on its due date; the next is due 6 months on: Fri 2027-10-08
    assert due(new_child, "cp.rcpc.first") == ("Thu 2027-04-08", "met")
    assert due(new_child, "cp.rcpc.next") == ("Fri 2027-10-08", "pending")
    rcpc = Event.objects.get(child=new_child, type="rcpc")
    assert rcpc.data["categories"] == ["neglect", "emotional"]


def test_it_asks_how_needs_are_met_when_there_is_no_plan(client, council, new_child, frozen):
    response = post_icpc(client, council, new_child, outcome="no_plan")
    assert_refused(response, new_child, "cin_plan", "child in need plan or a step-down")
    response = post_icpc(client, council, new_child, outcome="no_plan", step_down="tac")
    assert response.status_code == 302
    # no plan: nothing booked, no core group or review due
    assert not Obligation.objects.filter(child=new_child, code__startswith="booked.").exists()
    assert not Obligation.objects.filter(child=new_child, code="cp.core_group.first").exists()


def test_it_keeps_a_draft_without_writing_events_and_completes_it_later(
    client, council, new_child, frozen
):
    client.force_login(council.iro.user)
    data = icpc_post(council, categories=[], draft="1")
    response = client.post(f"/children/{new_child.pk}/meetings/icpc/new/", data)
    assert response.status_code == 302
    meeting = Meeting.objects.get(child=new_child)
    assert meeting.status == "draft"
    assert not Event.objects.filter(child=new_child, type="icpc").exists()
    page = client.get(f"/children/{new_child.pk}/meetings/{meeting.pk}/change/")
    # the long form in sections: what was typed comes back in its own section
    [risk] = [s for s in page.context["steps"] if s["heading"] == "Risk analysis"]
    assert risk["status"] == "started"
    page = client.get(risk["url"])
    assert "Neglect of basic care" in page.text
    response = client.post(
        f"/children/{new_child.pk}/meetings/{meeting.pk}/change/", icpc_post(council)
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "completed"
    assert due(new_child, "cp.rcpc.first") == ("Thu 2027-04-08", "pending")


def test_it_changes_a_completed_record_only_by_an_audited_amendment(
    client, council, new_child, frozen
):
    from oversight.audit.models import AuditEntry

    post_icpc(client, council, new_child)
    meeting = Meeting.objects.get(child=new_child)
    url = f"/children/{new_child.pk}/meetings/{meeting.pk}/change/"
    response = client.post(url, icpc_post(council, next_review="1 4 2027"))
    assert response.status_code == 200  # no reason given: refused
    assert "Give the reason" in response.text
    assert due(new_child, "booked.rcpc") == ("Thu 2027-04-08", "pending")
    response = client.post(
        url, icpc_post(council, next_review="1 4 2027", reason="Chair's diary: a week earlier")
    )
    assert response.status_code == 302
    # the booking moved: Thu 2027-04-01
    assert due(new_child, "booked.rcpc") == ("Thu 2027-04-01", "pending")
    entry = AuditEntry.objects.filter(child_id=new_child.pk, what="meeting.amended").get()
    assert entry.reason == "Chair's diary: a week earlier"
    assert AuditEntry.objects.filter(child_id=new_child.pk, what="event.amended").exists()


def test_it_refuses_read_only_colleagues(client, council, new_child, frozen):
    from oversight.cases.factories import make_staff

    colleague = make_staff([Role.IRO], council.iro.team)
    client.force_login(colleague.user)
    assert client.get(f"/children/{new_child.pk}/meetings/").status_code == 200
    assert client.get(f"/children/{new_child.pk}/meetings/icpc/new/").status_code == 403
