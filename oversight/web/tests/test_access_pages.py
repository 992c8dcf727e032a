"""The pages of part B by persona: allocation, duty rota, cover, open a record (break-glass),
the audit log; each persona sees exactly what the rules allow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oversight.audit.models import AuditEntry
from oversight.cases.constants import EventType, Role
from oversight.cases.factories import make_child, make_staff, record_event
from oversight.cases.models import AccessGrant, Allocation, Cover, DutyRota
from oversight.cases.obligations import recompute_child

pytestmark = pytest.mark.django_db

PERSONAS = [
    "iro",
    "other_iro",
    "duty_iro",
    "social_worker",
    "other_social_worker",
    "team_manager",
    "iro_team_manager",
    "auditor",
    "administrator",
]


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("url", ["/allocation/", "/allocation/duty-rota/"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_gives_the_allocation_pages_to_the_iro_team_manager_only(client, council, persona, url):
    expected = 200 if persona == "iro_team_manager" else 404
    assert get(client, getattr(council, persona).user, url).status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_gives_the_audit_page_to_the_auditor_and_administrators_among_the_personas(
    client, council, persona
):
    expected = 200 if persona in ("administrator", "auditor") else 404
    assert get(client, getattr(council, persona).user, "/audit/").status_code == expected


def test_it_gives_the_audit_page_to_the_safeguarding_service_manager(client, council):
    manager = make_staff([Role.SAFEGUARDING_SERVICE_MANAGER])
    assert get(client, manager.user, "/audit/").status_code == 200


def test_it_lists_a_child_waiting_for_an_iro_and_allocates_it(client, council):
    waiting = make_child(reference="C3000001", first_name="Rosa", last_name="Penhale")
    record_event(waiting, EventType.LAC_START, timezone.localdate())
    recompute_child(waiting, as_of=timezone.localdate())  # as the recording action does
    text = get(client, council.iro_team_manager.user, "/allocation/").text
    assert "Rosa Penhale (C3000001)" in text
    assert "Became looked after" in text
    response = client.post(
        f"/allocation/{waiting.pk}/", {"iro": council.iro.pk, "reason": "Capacity"}
    )
    assert response.status_code == 302
    assert Allocation.objects.get(child=waiting, role=Role.IRO).staff == council.iro
    assert "Rosa Penhale" in get(client, council.iro.user, "/children/").text


def test_it_asks_to_confirm_the_warnings_before_allocating(client, council):
    client.force_login(council.iro_team_manager.user)
    url = f"/allocation/{council.child.pk}/"
    response = client.post(url, {"iro": council.other_iro.pk, "reason": "Leave"})
    assert response.status_code == 200
    assert "stays the chair until the plan ends" in response.text
    assert "Read the warnings and confirm the allocation" in response.text
    response = client.post(url, {"iro": council.other_iro.pk, "reason": "Leave", "confirm": "on"})
    assert response.status_code == 302


def test_it_refuses_an_iro_in_the_social_workers_line_without_an_override(client, council):
    line_iro = make_staff([Role.IRO], council.iro.team)
    council.team_manager.line_manager = line_iro
    council.team_manager.save()
    client.force_login(council.iro_team_manager.user)
    url = f"/allocation/{council.child.pk}/"
    data = {"iro": line_iro.pk, "reason": "x", "confirm": "on"}
    response = client.post(url, data)
    assert "is in the management line of Sami Fairholm" in response.text
    assert not Allocation.objects.filter(staff=line_iro).exists()
    response = client.post(url, {**data, "override_reason": "Agreed by the service manager"})
    assert response.status_code == 302
    assert Allocation.objects.filter(staff=line_iro).exists()


def test_it_sets_the_duty_iro_on_the_rota_page(client, council):
    client.force_login(council.iro_team_manager.user)
    today = timezone.localdate()
    response = client.post(
        "/allocation/duty-rota/", {"date": today.isoformat(), "staff": council.iro.pk}
    )
    assert response.status_code == 302
    assert DutyRota.objects.get(date=today).staff == council.iro


def test_the_duty_rota_lists_working_days_only_skipping_christmas(client, council):
    import time_machine

    with time_machine.travel(dt.datetime(2026, 12, 21, 9, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(council.iro_team_manager.user)
        text = client.get("/allocation/duty-rota/").text
    assert "Thu 24 Dec 2026" in text
    assert "Fri 25 Dec 2026" not in text  # Christmas Day
    assert "Mon 28 Dec 2026" not in text  # Boxing Day's substitute
    assert "Sat 26 Dec 2026" not in text
    assert "Tue 29 Dec 2026" in text


def test_it_lets_the_iros_line_manager_give_cover(client, council):
    client.force_login(council.iro_team_manager.user)
    today = timezone.localdate()
    response = client.post(
        "/allocation/cover/",
        {
            "absent": council.iro.pk,
            "covering": council.other_iro.pk,
            "starts": today.isoformat(),
            "ends": (today + dt.timedelta(days=4)).isoformat(),
            "reason": "Annual leave",
        },
    )
    assert response.status_code == 302
    assert Cover.objects.get().covering == council.other_iro
    text = get(client, council.other_iro.user, f"/children/{council.child.pk}/").text
    assert "You are covering for Isla Brightwell" in text


@pytest.mark.parametrize("persona", ["social_worker", "team_manager", "auditor", "administrator"])
def test_it_refuses_the_cover_page_to_those_who_manage_no_iro(client, council, persona):
    assert get(client, getattr(council, persona).user, "/allocation/cover/").status_code == 404


def test_it_lets_the_duty_iro_open_a_child_with_a_reason(client, council):
    DutyRota.objects.create(date=timezone.localdate(), staff=council.duty_iro)
    client.force_login(council.duty_iro.user)
    assert client.get(f"/children/{council.child.pk}/").status_code == 404  # not yet
    response = client.post(
        "/open-record/",
        {"reference": "C1000001", "purpose": "duty", "reason": "Consultation before ICPC"},
    )
    assert response.status_code == 302
    text = client.get(f"/children/{council.child.pk}/").text
    assert "You opened this record today as the duty IRO" in text
    assert "Consultation before ICPC" in text
    opened = AuditEntry.objects.get(action="open_record")
    assert opened.reason == "Consultation before ICPC"
    assert opened.child_reference == "C1000001"


def test_it_refuses_to_open_a_record_without_a_reason(client, council):
    DutyRota.objects.create(date=timezone.localdate(), staff=council.duty_iro)
    client.force_login(council.duty_iro.user)
    response = client.post("/open-record/", {"reference": "C1000001", "purpose": "duty"})
    assert "Say why you need to open this record" in response.text
    assert not AccessGrant.objects.exists()


@pytest.mark.parametrize("persona", ["duty_iro", "social_worker", "team_manager", "auditor"])
def test_it_refuses_the_open_record_page_without_a_purpose_today(client, council, persona):
    # The duty IRO persona is not on the rota today
    assert get(client, getattr(council, persona).user, "/open-record/").status_code == 404


def test_it_lets_a_consulted_iro_open_a_record(client, council):
    client.force_login(council.other_iro.user)
    response = client.post(
        "/open-record/",
        {"reference": "C1000001", "purpose": "consultation", "reason": "Sami asked for advice"},
    )
    assert response.status_code == 302
    assert client.get(f"/children/{council.child.pk}/").status_code == 200


def test_it_will_not_open_a_restricted_record(client, council):
    council.child.restricted = True
    council.child.save()
    client.force_login(council.other_iro.user)
    response = client.post(
        "/open-record/",
        {"reference": "C1000001", "purpose": "consultation", "reason": "Advice on a new referral"},
    )
    assert response.status_code == 200
    assert "There is no child with that reference you can open" in response.text


def test_it_shows_an_iro_team_colleague_a_read_only_notice(client, council):
    colleague = make_staff([Role.IRO], council.iro.team)
    text = get(client, colleague.user, f"/children/{council.child.pk}/").text
    assert "held by an IRO of your team. You cannot change it." in text


def test_it_searches_the_audit_log_by_child_person_and_date(client, council):
    get(client, council.iro.user, f"/children/{council.child.pk}/")
    get(client, council.other_iro.user, f"/children/{council.other_child.pk}/")
    client.force_login(council.administrator.user)
    text = client.get("/audit/", {"child": "C1000001"}).text
    assert "isla.brightwell" in text
    assert "owen.carrow" not in text
    text = client.get("/audit/", {"person": "Carrow"}).text
    assert "C2000001" in text and "C1000001" not in text
    today = timezone.localdate()
    text = client.get("/audit/", {"date_from": (today + dt.timedelta(days=1)).isoformat()}).text
    assert "0 entries" in text
    text = client.get("/audit/", {"date_from": "2026-11-30", "date_to": "2026-11-01"}).text
    assert "The end date must be the same as or after the start date" in text


def test_it_refuses_an_audit_search_date_outside_the_logs_years(client, council):
    client.force_login(council.administrator.user)
    response = client.get("/audit/", {"date_to": "9999-12-31"})  # once a server error
    assert response.status_code == 200
    assert "Enter a date before 2100" in response.text
    response = client.get("/audit/", {"date_from": "0001-01-01"})
    assert "Enter a date in 2000 or later" in response.text


def test_it_paginates_the_audit_log(client, council):
    for _ in range(51):
        AuditEntry.objects.create(at=timezone.now(), user=council.iro.user, action="view")
    client.force_login(council.administrator.user)
    text = client.get("/audit/").text
    assert "Page 1 of 2" in text
