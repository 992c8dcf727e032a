"""Looked-after reviews, strategy meetings, consultations, midway reviews and significant
changes: the refusals and the dates the engine then sets (literal, with weekdays)."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from oversight.cases.constants import EventType, Role
from oversight.cases.models import Event, Obligation
from oversight.meetings.forms import SCHEDULE_7
from oversight.meetings.models import Meeting
from oversight.meetings.tests.conftest import freeze

pytestmark = pytest.mark.django_db


def due(child, code: str) -> tuple[str, str]:
    row = Obligation.objects.filter(child=child, code=code).order_by("-trigger_date").first()
    assert row is not None, f"no {code}"
    return (
        row.due.strftime("%a %Y-%m-%d") + (row.due_at.strftime("T%H:%M") if row.due_at else ""),
        row.status,
    )


@pytest.fixture
def lac_child(council):
    from oversight.cases.factories import allocate, make_child
    from oversight.cases.factories import record_event as event

    child = make_child(reference="C4000001", first_name="Finn", date_of_birth=dt.date(2014, 2, 2))
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    event(child, EventType.LAC_START, dt.date(2027, 1, 4))
    return child


def review_post(**overrides):
    data = {
        "date": "1 2 2027",
        "venue": "placement",
        "seen_privately": "28 1 2027",
        "sw_consulted": "11 1 2027",
        "documents_received": "27 1 2027",
        "documents": ["care_plan", "health", "placement_plan", "pep"],
        "attended": "Finn, carer, social worker",
        "advocacy_offered": "on",
        "rights_explained": "on",
        "action_1_text": "Dentist appointment",
        "action_1_owner": "social_worker",
        "action_1_due": "1 3 2027",
        "next_review": "29 4 2027",
    }
    for key, _label in SCHEDULE_7:
        data[f"s7_{key}"] = f"Note on {key}"
    data.update(overrides)
    return data


def test_it_records_a_first_lac_review_and_sets_what_follows(client, council, lac_child):
    # Became looked after Mon 2027-01-04: first review due 20 working days on, Mon 2027-02-01
    with freeze(dt.date(2027, 2, 1)):
        from oversight.cases.obligations import recompute_child

        recompute_child(lac_child, as_of=dt.date(2027, 2, 1))
        client.force_login(council.iro.user)
        response = client.post(f"/children/{lac_child.pk}/meetings/lac-review/new/", review_post())
        assert response.status_code == 302, response.context["form"].errors
    assert due(lac_child, "lac.review.first") == ("Mon 2027-02-01", "met")
    # decisions within 5 working days: Mon 2027-02-08; the full record within 20: Mon 2027-03-01
    assert due(lac_child, "lac.review.decisions") == ("Mon 2027-02-08", "pending")
    assert due(lac_child, "lac.review.record") == ("Mon 2027-03-01", "pending")
    # the second review within 3 months: Sat 2027-05-01
    assert due(lac_child, "lac.review.second") == ("Sat 2027-05-01", "pending")
    # booked for Thu 2027-04-29: the social worker consulted 15 working days before (Thu
    # 2027-04-08), the documents 3 working days before (Mon 2027-04-26)
    assert due(lac_child, "booked.lac_review") == ("Thu 2027-04-29", "pending")
    assert due(lac_child, "lac.review.sw_consultation") == ("Thu 2027-04-08", "pending")
    assert due(lac_child, "lac.review.documents") == ("Mon 2027-04-26", "pending")
    assert due(lac_child, "action.due") == ("Mon 2027-03-01", "pending")


def test_it_needs_a_note_for_each_schedule_7_item(client, council, lac_child):
    with freeze(dt.date(2027, 2, 1)):
        client.force_login(council.iro.user)
        response = client.post(
            f"/children/{lac_child.pk}/meetings/lac-review/new/", review_post(s7_health="")
        )
    assert response.status_code == 200
    assert "Write a note on: health" in response.context["form"].errors["s7_health"][0]
    assert not Event.objects.filter(child=lac_child, type="lac_review").exists()


def test_it_records_an_adjourned_review_that_meets_nothing(client, council, lac_child):
    with freeze(dt.date(2027, 2, 1)):
        client.force_login(council.iro.user)
        response = client.post(
            f"/children/{lac_child.pk}/meetings/lac-review/new/",
            {"date": "1 2 2027", "venue": "placement", "adjourned": "on"},
        )
        assert response.status_code == 200  # no reason
        assert "Say why the review was adjourned" in response.text
        response = client.post(
            f"/children/{lac_child.pk}/meetings/lac-review/new/",
            {
                "date": "1 2 2027",
                "venue": "placement",
                "adjourned": "on",
                "adjourned_reason": "No care plan",
            },
        )
        assert response.status_code == 302
    assert Event.objects.get(child=lac_child, type="lac_review").data == {"adjourned": True}
    # the first review is still due (and now late by the next day)
    assert due(lac_child, "lac.review.first") == ("Mon 2027-02-01", "pending")


def test_it_asks_the_group_managers_agreement_for_a_late_review(client, council, lac_child):
    with freeze(dt.date(2027, 2, 3)):
        from oversight.cases.obligations import recompute_child

        recompute_child(lac_child, as_of=dt.date(2027, 2, 3))
        client.force_login(council.iro.user)
        data = review_post(date="3 2 2027")
        response = client.post(f"/children/{lac_child.pk}/meetings/lac-review/new/", data)
        assert (
            "group manager's agreement"
            in response.context["form"].errors["group_manager_agreement"][0]
        )
        data["group_manager_agreement"] = "G. Manager, 29 1 2027"
        response = client.post(f"/children/{lac_child.pk}/meetings/lac-review/new/", data)
        assert response.status_code == 302
    assert due(lac_child, "lac.review.first") == ("Mon 2027-02-01", "met")


def test_it_sets_an_icpc_deadline_only_for_a_section_47_strategy_discussion(
    client, council, lac_child
):
    with freeze(dt.date(2026, 12, 14)):
        client.force_login(council.iro.user)
        url = f"/children/{lac_child.pk}/meetings/strategy/new/"
        response = client.post(url, {"date": "14 12 2026", "meeting_type": "lado"})
        assert response.status_code == 302
        assert not Obligation.objects.filter(child=lac_child, code="cp.icpc").exists()
        response = client.post(url, {"date": "14 12 2026", "meeting_type": "complex"})
        assert "Say why the case is complex" in response.text
        response = client.post(url, {"date": "14 12 2026", "meeting_type": "s47"})
        assert response.status_code == 302
    # Mon 2026-12-14 + 15 working days (Christmas, Boxing Day's Monday, New Year): Thu 2027-01-07
    assert due(lac_child, "cp.icpc") == ("Thu 2027-01-07", "pending")
    with freeze(dt.date(2026, 12, 30)):
        client.force_login(council.iro.user)
        response = client.post(
            f"/children/{lac_child.pk}/meetings/s47-outcome/new/",
            {"date": "30 12 2026", "outcome": "not_required", "reason": "Support from early help"},
        )
        assert response.status_code == 302
    assert not Obligation.objects.filter(child=lac_child, code="cp.icpc").exists()


def consultation_post(**overrides):
    data = {
        "date": "1 3 2027",
        "time": "14:30",
        "requested_by": "Sami Fairholm",
        "requested_on": "1 3 2027",
        "team_leader_agreed": "on",
        "iro": "duty",
        "documents_read": ["assessment", "chronology", "tac_minutes", "tac_plan"],
        "advice": "Manage through TAC",
        "rationale": "Risks are being reduced",
        "iro_recommendation": "tac",
        "team_decision": "icpc",
        "outcome": "disagree_threshold",
    }
    data.update(overrides)
    return data


def test_it_sends_a_threshold_disagreement_to_the_service_leader_within_24_hours(
    client, council, lac_child
):
    with freeze(dt.date(2027, 3, 1)):
        client.force_login(council.iro.user)
        url = f"/children/{lac_child.pk}/meetings/consultation/new/"
        response = client.post(url, consultation_post(team_decision="tac"))
        assert "threshold disagreement" in response.context["form"].errors["outcome"][0]
        response = client.post(url, consultation_post())
        assert response.status_code == 302
    # Mon 2027-03-01 14:30 + 24 hours: Tue 2027-03-02 14:30
    assert due(lac_child, "consult.threshold") == ("Tue 2027-03-02T14:30", "pending")
    with freeze(dt.date(2027, 3, 2)):
        client.force_login(council.iro.user)
        response = client.post(
            f"/children/{lac_child.pk}/meetings/threshold-decision/new/",
            {
                "date": "2 3 2027",
                "time": "10:15",
                "service_leader": "S. Leader",
                "outcome": "no_icpc",
                "rationale": "TAC",
            },
        )
        assert response.status_code == 302
    assert due(lac_child, "consult.threshold") == ("Tue 2027-03-02T14:30", "met")


def test_it_tells_the_chair_at_once_of_a_significant_change(client, council, frozen, settings):
    from oversight.notifications.models import Message

    settings.OVERSIGHT_POLICY = "camden"  # numbers.change_decision: 1 working day
    child = council.child  # on a plan since Fri 2025-09-19
    client.force_login(council.social_worker.user)
    response = client.post(
        f"/children/{child.pk}/meetings/change-notice/new/",
        {
            "date": "8 1 2027",
            "changes": ["new_incident", "school_exclusion"],
            "change_details": "Injury reported by school",
            "notified_by": "Sami Fairholm",
        },
    )
    assert response.status_code == 302
    message = Message.objects.get(recipient=council.iro)
    assert "Significant change for C1000001" in message.subject
    assert "Poppy" not in message.body  # the email names the reference only
    # a decision on the chair's caseload the next working day: Mon 2027-01-11
    row = Obligation.objects.get(child=child, code="action.due")
    assert (row.due.strftime("%a %Y-%m-%d"), row.status) == ("Mon 2027-01-11", "pending")
    assert "|iro|" in row.owner_roles
    notice = Meeting.objects.get(child=child, kind="change_notice")
    client.force_login(council.iro.user)
    response = client.post(
        f"/children/{child.pk}/meetings/change-decision/new/",
        {
            "date": "8 1 2027",
            "notice": str(notice.pk),
            "outcome": "forward",
            "review": "rcpc",
            "new_date": "22 1 2027",
            "reason": "New injury",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Obligation.objects.get(child=child, code="action.due").status == "met"
    booked = Event.objects.get(child=child, type="meeting_booked")
    assert booked.data == {"meeting": "rcpc", "on": "2027-01-22", "brought_forward": True}
    # the social worker is sent the diary's invitation, and told the new date in the inbox
    told = Message.objects.get(
        recipient=council.social_worker, subject__startswith="Review brought forward"
    )
    assert told.subject == "Review brought forward for C1000001: now Friday 22 January 2027"
    assert "by Isla Brightwell" in told.body
    client.force_login(council.social_worker.user)
    assert "Review brought forward for C1000001" in client.get("/inbox/").text


def test_it_records_a_midway_review_or_the_decision_none_is_needed(client, council, frozen):
    child = council.child
    client.force_login(council.iro.user)
    url = f"/children/{child.pk}/meetings/midway-review/new/"
    response = client.post(url, {"date": "8 1 2027", "outcome": "held", "worries": "x"})
    assert "Record what's working well" in response.context["form"].errors["working_well"][0]
    response = client.post(url, {"date": "8 1 2027", "outcome": "not_needed"})
    assert "Say why no midway review is needed" in response.text
    response = client.post(
        url, {"date": "8 1 2027", "outcome": "not_needed", "not_needed_reason": "Plan ends soon"}
    )
    assert response.status_code == 302
    assert Event.objects.get(child=child, type="midway_review").data == {"outcome": "not_needed"}


def test_it_counts_a_visit_only_when_the_child_was_seen(client, council, frozen):
    child = council.child
    client.force_login(council.social_worker.user)
    url = f"/children/{child.pk}/meetings/cp-visit/new/"
    response = client.post(url, {"date": "8 1 2027", "seen": "no", "where": "home"})
    assert response.status_code == 302
    assert not Event.objects.filter(child=child, type="cp_visit", date=dt.date(2027, 1, 8)).exists()
    response = client.post(url, {"date": "8 1 2027", "seen": "yes", "where": "home"})
    assert "seen alone" in response.text
    response = client.post(
        url, {"date": "8 1 2027", "seen": "yes", "seen_alone": "yes", "where": "home"}
    )
    assert response.status_code == 302
    assert Event.objects.filter(child=child, type="cp_visit", date=dt.date(2027, 1, 8)).exists()


def test_it_attaches_a_document_and_audits_each_download(client, council, frozen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from oversight.audit.models import AuditEntry
    from oversight.meetings.factories import make_meeting

    meeting = make_meeting(council.child)
    client.force_login(council.iro.user)
    url = f"/children/{council.child.pk}/meetings/{meeting.pk}/documents/new/"
    bad = SimpleUploadedFile("run.exe", b"MZ")
    response = client.post(url, {"type": "minutes", "file": bad})
    assert "must be a PDF" in response.text
    good = SimpleUploadedFile("minutes.txt", b"Minutes of the core group")
    response = client.post(url, {"type": "minutes", "file": good})
    assert response.status_code == 302
    document = meeting.documents.get()
    before = AuditEntry.objects.filter(action="export").count()
    response = client.get(
        f"/children/{council.child.pk}/meetings/{meeting.pk}/documents/{document.pk}/"
    )
    assert b"".join(response.streaming_content) == b"Minutes of the core group"
    assert AuditEntry.objects.filter(action="export").count() == before + 1


def test_it_asks_the_group_managers_agreement_to_book_a_review_outside_its_timescale(
    client, council, lac_child
):
    # Finn looked after from Mon 4 January 2027: the first review is due by Mon 1 February
    # (20 working days). On Wed 20 January the IRO books it for Wed 3 February.
    with freeze(dt.date(2027, 1, 20)):
        from oversight.cases.obligations import recompute_child

        recompute_child(lac_child, as_of=dt.date(2027, 1, 20))
        client.force_login(council.iro.user)
        url = f"/children/{lac_child.pk}/meetings/booking/new/"
        data = {"date": "20 1 2027", "meeting": "lac_review", "on": "3 2 2027"}
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors["group_manager_agreement"] == [
            "The review is due by Mon 1 February 2027: booking it for Wed 3 February 2027 is "
            "outside its timescale, so record the group manager's agreement first"
        ]
        assert not Event.objects.filter(child=lac_child, type="meeting_booked").exists()
        # for Fri 29 January, within the timescale, no agreement is asked
        response = client.post(url, {**data, "on": "29 1 2027"})
        assert response.status_code == 302
        # and with the agreement, the later date is booked
        agreed = {**data, "group_manager_agreement": "Gail Manager, Tue 19 January 2027"}
        response = client.post(url, agreed)
        assert response.status_code == 302
    assert Event.objects.filter(child=lac_child, type="meeting_booked").count() == 2


def test_walsalls_midway_review_checks_the_mdr_after_the_conference(
    client, council, frozen, use_pack
):
    use_pack("walsall")
    child = council.child  # Poppy, on a plan since Fri 19 September 2025
    client.force_login(council.iro.user)
    url = f"/children/{child.pk}/meetings/midway-review/new/"
    page = html.unescape(client.get(url).text)
    assert (
        "Has the manager's Management Decision Record (MDR) after the conference been completed"
        in page
    )
    not_needed = {"date": "8 1 2027", "outcome": "not_needed", "not_needed_reason": "Plan ends"}
    response = client.post(url, not_needed)
    assert response.context["form"].errors["conference_mdr"] == [
        "Say whether the manager's Management Decision Record (MDR) after the conference has "
        "been completed"
    ]
    response = client.post(url, {**not_needed, "conference_mdr": "no"})
    assert response.context["form"].errors["conference_mdr_follow_up"] == [
        "Say what the chair did about the missing Management Decision Record (MDR)"
    ]
    assert not Event.objects.filter(child=child, type="midway_review").exists()
    follow_up = "Raised informally with the Practice Manager on Fri 8 January 2027"
    response = client.post(
        url, {**not_needed, "conference_mdr": "no", "conference_mdr_follow_up": follow_up}
    )
    assert response.status_code == 302


def test_a_council_without_a_decision_record_asks_nothing_of_it(client, council, frozen):
    client.force_login(council.iro.user)
    url = f"/children/{council.child.pk}/meetings/midway-review/new/"
    assert "after the conference been completed" not in client.get(url).text
