"""The team manager's decision on a Legal Planning Meeting recommendation, and the IRO's records
for a looked-after child: details sent, visits between reviews (recorded within 5 working
days), the handover to a new IRO."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.models import Event, Obligation
from oversight.meetings.models import Meeting
from oversight.meetings.tests.conftest import freeze, icpc_post
from oversight.meetings.tests.test_other_meetings import lac_child  # noqa: F401

pytestmark = pytest.mark.django_db


def post(client, user, child, kind, data):
    client.force_login(user)
    return client.post(f"/children/{child.pk}/meetings/{kind}/new/", data)


def field_errors(response, field):
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get(field, []))


def test_it_records_the_team_managers_decision_on_a_legal_planning_meeting(
    client, council, new_child
):
    decision = {
        "date": "15 1 2027",
        "team_manager": "Tara Elsworth",
        "outcome": "convene",
        "lpm_date": "22 1 2027",
        "reason": "Threshold for proceedings may be met",
    }
    with freeze(dt.date(2027, 1, 8)):
        # no conference recommended one yet
        response = post(client, council.iro.user, new_child, "lpm-decision", decision)
        assert "No conference of this child recommended a Legal Planning Meeting" in field_errors(
            response, "conference"
        )
        response = post(
            client,
            council.iro.user,
            new_child,
            "icpc",
            icpc_post(
                council,
                lpm_recommended="on",
                lpm_reason="Parents not engaging",
                lpm_decide_by="15 1 2027",
            ),
        )
        assert response.status_code == 302
    conference = Meeting.objects.get(child=new_child, kind="icpc")
    with freeze(dt.date(2027, 1, 15)):
        response = post(
            client,
            council.team_manager.user,
            new_child,
            "lpm-decision",
            {**decision, "conference": conference.pk, "date": "7 1 2027"},
        )
        assert "on or after the conference" in field_errors(response, "date")
        response = post(
            client,
            council.team_manager.user,
            new_child,
            "lpm-decision",
            {**decision, "conference": conference.pk},
        )
        assert response.status_code == 302, response.context["form"].errors
    made = Meeting.objects.get(child=new_child, kind="lpm_decision")
    assert made.outcome == "convene"
    assert made.details["conference"] == str(conference.pk)


def test_it_records_the_iros_details_sent_to_a_looked_after_child(client, council, lac_child):  # noqa: F811
    # looked after from Mon 2027-01-04
    with freeze(dt.date(2027, 1, 6)):
        data = {"date": "3 1 2027", "iro": "Isla Brightwell", "how": "letter"}
        response = post(client, council.iro.user, lac_child, "iro-details-sent", data)
        assert "The child is not looked after on this date" in field_errors(response, "date")
        response = post(
            client, council.iro.user, lac_child, "iro-details-sent", {**data, "date": "5 1 2027"}
        )
        assert response.status_code == 302
    assert Meeting.objects.get(child=lac_child, kind="iro_details_sent").outcome == "letter"


def test_it_asks_for_the_iros_visit_to_be_recorded_within_5_working_days(
    client,
    council,
    lac_child,  # noqa: F811
    use_pack,
):
    use_pack("walsall")  # numbers.iro_visit_record: 5 working days
    visit = {"date": "26 3 2027", "where": "placement", "seen_alone": "yes", "note": "Happy"}
    # Fri 2027-03-26 is Good Friday; visited on Thu 2027-03-25
    with freeze(dt.date(2027, 3, 25)):
        response = post(
            client, council.iro.user, lac_child, "iro-visit", {**visit, "date": "25 3 2027"}
        )
        assert response.status_code == 302
    action = Event.objects.get(child=lac_child, type="action_set")
    # 5 working days after Thu 25 Mar, over Good Friday and Easter Monday: Mon 2027-04-05
    assert action.data["due"] == "2027-04-05"
    row = Obligation.objects.get(child=lac_child, code="action.due")
    assert (row.due, row.status) == (dt.date(2027, 4, 5), "pending")
    # a visit recorded at once meets its action the day it is recorded
    with freeze(dt.date(2027, 4, 14)):
        response = post(
            client,
            council.iro.user,
            lac_child,
            "iro-visit",
            {**visit, "date": "12 4 2027", "recorded_on": "11 4 2027"},
        )
        assert "on or after the visit" in field_errors(response, "recorded_on")
        response = post(
            client,
            council.iro.user,
            lac_child,
            "iro-visit",
            {**visit, "date": "12 4 2027", "recorded_on": "14 4 2027"},
        )
        assert response.status_code == 302
    second = Meeting.objects.filter(child=lac_child, kind="iro_visit").latest("pk")
    # Mon 12 Apr + 5 working days: Mon 2027-04-19
    done = Obligation.objects.get(child=lac_child, code="action.due", due=dt.date(2027, 4, 19))
    assert (done.status, done.met_on, done.on_time) == ("met", dt.date(2027, 4, 14), True)
    assert done.event_id in second.event_ids


def test_it_records_the_handover_to_the_new_iro(client, council, lac_child):  # noqa: F811
    from oversight.cases.allocations import allocate_iro

    handover = {
        "date": "1 2 2027",
        "outgoing": "Isla Brightwell",
        "new_iro": council.other_iro.pk,
        "introduced": "no",
        "handover": "Care plan reviewed; contact decision outstanding",
    }
    with freeze(dt.date(2027, 2, 1)):
        response = post(client, council.iro.user, lac_child, "iro-handover", handover)
        assert "Owen Carrow is not this child's IRO" in field_errors(response, "new_iro")
        allocate_iro(
            lac_child, iro=council.other_iro, reason="Caseload", acting_user=council.iro.user
        )
        response = post(client, council.other_iro.user, lac_child, "iro-handover", handover)
        assert "Say why not" in field_errors(response, "not_introduced_reason")
        assert not Meeting.objects.filter(child=lac_child).exists()
        response = post(
            client,
            council.other_iro.user,
            lac_child,
            "iro-handover",
            {**handover, "not_introduced_reason": "Isla on sick leave; letter sent"},
        )
        assert response.status_code == 302, response.context["form"].errors
    assert Meeting.objects.get(child=lac_child, kind="iro_handover").outcome == "not_introduced"


def test_the_team_manager_is_told_of_a_legal_planning_meeting_recommendation_with_a_date(
    client, council, new_child
):
    """Camden appendix 1: the chair recommends, the team manager decides. The ICPC of Thu 17
    December 2026 recommends one, the team manager to decide by Tue 29 December (after Christmas
    and Boxing Day's substitute Mon 28 December)."""
    from oversight.cases.access import caseload_scope
    from oversight.escalations.caseload import overdue_for_watchers
    from oversight.notifications.models import Message

    recommended = icpc_post(
        council, date="17 12 2026", first_core_group="4 1 2027", next_review="17 3 2027",
        midway_review="5 2 2027", action_1_due="8 1 2027", lpm_recommended="on",
        lpm_reason="Parents not engaging",
    )  # fmt: skip
    with freeze(dt.date(2026, 12, 17)):
        response = post(client, council.iro.user, new_child, "icpc", recommended)
        assert "Give the date by which the team manager decides" in field_errors(
            response, "lpm_decide_by"
        )
        response = post(
            client,
            council.iro.user,
            new_child,
            "icpc",
            {**recommended, "lpm_decide_by": "29 12 2026"},
        )
        assert response.status_code == 302, response.context["form"].errors
    told = Message.objects.get(to_email=council.team_manager.user.email)
    assert told.subject == "Legal Planning Meeting recommended for C3000001"
    assert "by Tuesday 29 December 2026" in told.body
    decision = Obligation.objects.get(
        child=new_child, code="action.due", trigger__owner="team_manager"
    )
    assert decision.due == dt.date(2026, 12, 29)
    _scope, mine = caseload_scope(
        council.team_manager, dt.date(2026, 12, 17), watched_when_overdue=overdue_for_watchers()
    )
    assert Obligation.objects.filter(mine, pk=decision.pk).exists()
    conference = Meeting.objects.get(child=new_child, kind="icpc")
    with freeze(dt.date(2026, 12, 29)):
        response = post(
            client, council.team_manager.user, new_child, "lpm-decision",
            {"date": "29 12 2026", "conference": conference.pk, "team_manager": "Tara Elsworth",
             "outcome": "not_convene", "reason": "Working agreement with the parents"},
        )  # fmt: skip
        assert response.status_code == 302, response.context["form"].errors
    decision = Obligation.objects.get(
        child=new_child, code="action.due", trigger__owner="team_manager"
    )
    assert (decision.status, decision.met_on) == ("met", dt.date(2026, 12, 29))


def test_walsall_prompts_the_new_iros_introduction_when_the_iro_changes(
    client,
    council,
    lac_child,  # noqa: F811
    use_pack,
):
    from oversight.cases.allocations import allocate_iro

    use_pack("walsall")
    # Finn (looked after from Mon 4 January 2027) moves to Owen Carrow on Tue 27 April 2027
    with freeze(dt.date(2027, 4, 27)):
        allocate_iro(
            lac_child, iro=council.other_iro, reason="Caseload", acting_user=council.iro.user
        )
    row = Obligation.objects.get(child=lac_child, code="lac.iro.handover")
    # + 5 working days, the early May bank holiday (Mon 3 May) skipped: Wed 2027-05-05, on the
    # new IRO's caseload
    assert (row.due, row.status, row.owner_roles) == (
        dt.date(2027, 5, 5),
        Obligation.Status.PENDING,
        "|iro|",
    )
    handover = {
        "date": "30 4 2027",
        "outgoing": "Isla Brightwell",
        "new_iro": council.other_iro.pk,
        "introduced": "yes",
        "handover": "Care plan reviewed; contact decision outstanding",
    }
    with freeze(dt.date(2027, 4, 30)):
        response = post(client, council.other_iro.user, lac_child, "iro-handover", handover)
        assert response.status_code == 302, response.context["form"].errors
    row = Obligation.objects.get(child=lac_child, code="lac.iro.handover")
    assert (row.status, row.met_on) == (Obligation.Status.MET, dt.date(2027, 4, 30))


def test_walsall_prompts_the_iros_details_and_the_record_meets_it(
    client,
    council,
    lac_child,  # noqa: F811
    use_pack,
):
    use_pack("walsall")
    with freeze(dt.date(2027, 1, 6)):
        from oversight.cases.obligations import recompute_child

        recompute_child(lac_child, as_of=dt.date(2027, 1, 6))
        row = Obligation.objects.get(child=lac_child, code="lac.iro.details")
        # Mon 4 January + 5 working days: Mon 2027-01-11, for the Safeguarding & Review Service
        assert (row.due, row.owner_roles) == (dt.date(2027, 1, 11), "|iro_team_manager|")
        data = {"date": "6 1 2027", "iro": "Isla Brightwell", "how": "letter"}
        response = post(client, council.iro.user, lac_child, "iro-details-sent", data)
        assert response.status_code == 302, response.context["form"].errors
    row = Obligation.objects.get(child=lac_child, code="lac.iro.details")
    assert (row.status, row.met_on) == (Obligation.Status.MET, dt.date(2027, 1, 6))


def test_walsall_wants_a_parents_refusal_to_meet_on_file_within_5_working_days(
    client,
    council,
    lac_child,  # noqa: F811
    use_pack,
):
    use_pack("walsall")
    # Finn looked after from Mon 4 January 2027; his father, excluded from the reviews, was
    # written to on Mon 26 April and refused to meet on Thu 29 April
    refusal = {
        "date": "29 4 2027",
        "parent": "Father",
        "letter_sent": "26 4 2027",
        "response": "refused",
    }
    with freeze(dt.date(2027, 4, 30)):
        late_letter = {**refusal, "letter_sent": "30 4 2027"}
        response = post(client, council.iro.user, lac_child, "parent-response", late_letter)
        assert "on or before the parent's response" in field_errors(response, "letter_sent")
        response = post(client, council.iro.user, lac_child, "parent-response", refusal)
        assert response.status_code == 302, response.context["form"].errors
    row = Obligation.objects.get(child=lac_child, code="action.due")
    # Thu 29 April + 5 working days, the May bank holiday (Mon 3 May) skipped: Fri 2027-05-07
    assert (row.due, row.status) == (dt.date(2027, 5, 7), Obligation.Status.PENDING)
    assert row.trigger["text"] == "Put the record of Father's refusal to meet on the child's file"
    assert row.trigger["owner"] == "iro"


def test_it_wants_nothing_on_file_when_the_parent_accepts_or_the_pack_sets_no_time(
    client,
    council,
    lac_child,  # noqa: F811
    use_pack,
):
    accepted = {"date": "29 4 2027", "parent": "Father", "response": "met"}
    refused = {**accepted, "response": "refused"}
    with freeze(dt.date(2027, 4, 30)):
        use_pack("walsall")
        assert (
            post(client, council.iro.user, lac_child, "parent-response", accepted).status_code
            == 302
        )
        use_pack("england")  # no numbers.parent_response_record
        assert (
            post(client, council.iro.user, lac_child, "parent-response", refused).status_code == 302
        )
    assert not Obligation.objects.filter(child=lac_child, code="action.due").exists()
    assert Meeting.objects.filter(child=lac_child, kind="parent_response").count() == 2
