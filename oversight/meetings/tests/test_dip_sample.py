"""The service leader's monthly dip sample of consultations (Stockport, seed 001 section 1): 5 a
month under Stockport's pack (`numbers.dip_sample`), none under a pack without one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oversight.audit.models import AuditEntry
from oversight.meetings import dip_sample as dip
from oversight.meetings.models import DipSampleJudgement, Meeting
from oversight.meetings.tests.conftest import freeze
from oversight.meetings.tests.test_other_meetings import consultation_post, lac_child  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/meetings/dip-sample/"


@pytest.fixture(autouse=True)
def _stockport(use_pack):
    use_pack("stockport")


def consultation(child, day: int, asked: int | None = None) -> Meeting:
    asked = asked or day
    return Meeting.objects.create(
        child=child,
        kind="consultation",
        status="completed",
        date=dt.date(2027, 3, day),
        outcome="advice",
        details={"requested_on": f"2027-03-{asked:02d}", "advice": f"Advice {day}"},
        created_at=timezone.now(),
    )


@pytest.fixture
def march(client, council, lac_child):  # noqa: F811
    """A consultation on Mon 1 Mar 2027 agreeing a TAC (held Fri 12 Mar), and seven more."""
    with freeze(dt.date(2027, 3, 1)):
        client.force_login(council.iro.user)
        response = client.post(
            f"/children/{lac_child.pk}/meetings/consultation/new/",
            consultation_post(iro_recommendation="tac", team_decision="tac", outcome="tac"),
        )
        assert response.status_code == 302
    with freeze(dt.date(2027, 3, 12)):
        client.force_login(council.iro.user)
        response = client.post(
            f"/children/{lac_child.pk}/meetings/tac-meeting/new/",
            {"date": "12 3 2027", "chair": "iro", "threshold": "Below threshold"},
        )
        assert response.status_code == 302
    for day in (2, 3, 4, 5, 8, 9):
        consultation(lac_child, day)
    consultation(lac_child, 10, asked=9)  # discussed the working day after the request
    return lac_child


def shown(response) -> list[int]:
    import re

    return [int(i) for i in re.findall(r'data-consultation="(\d+)"', response.text)]


def judgement(consultation: int, **fields: str) -> dict[str, str]:
    """A row's judgement as its form posts it: each field named with the row's prefix."""
    return {f"c{consultation}-{name}": given for name, given in fields.items()}


def test_it_draws_the_same_sample_of_the_month_every_time(client, council, march):
    with freeze(dt.date(2027, 4, 6)):
        client.force_login(council.iro_team_manager.user)
        before = AuditEntry.objects.count()
        first = client.get(URL, {"month": "2027-03"})
        assert first.status_code == 200
        assert AuditEntry.objects.count() == before + 1  # one audit row per view
        again = client.get(URL, {"month": "2027-03"})
        assert len(shown(first)) == 5  # Stockport's numbers.dip_sample: 5 of the month's 8
        assert shown(first) == shown(again)
        assert set(shown(first)) <= set(
            Meeting.objects.filter(kind="consultation").values_list("pk", flat=True)
        )
        assert (
            "No consultations were recorded this month"
            in client.get(URL, {"month": "2027-04"}).text
        )


def test_it_shows_timeliness_and_the_resulting_tac(client, council, march, monkeypatch):
    monkeypatch.setattr(dip, "sample_size", lambda: 20)  # every consultation of the month
    with freeze(dt.date(2027, 4, 6)):
        client.force_login(council.iro_team_manager.user)
        page = client.get(URL, {"month": "2027-03"}).text
    assert len(page.split('data-consultation="')) - 1 == 8
    # the TAC within 15 working days of Mon 1 Mar: due Mon 22 Mar, held Fri 12 Mar
    assert "Due Mon 22 Mar 2027: held Fri 12 Mar 2027 (on time)." in page
    assert (
        "TAC meeting Fri 12 Mar 2027, chaired by IRO / conference chair; threshold: Below threshold."
        in page
    )
    assert "Same working day (requested Mon 1 Mar 2027 14:30)" not in page  # no time typed
    assert "Same working day (requested Mon 1 Mar 2027)" in page
    assert "Not the same day: requested Tue 9 Mar 2027" in page


def test_it_records_the_leaders_judgement(client, council, march):
    with freeze(dt.date(2027, 4, 6)):
        client.force_login(council.iro_team_manager.user)
        picked = shown(client.get(URL, {"month": "2027-03"}))[0]
        response = client.post(
            f"{URL}?month=2027-03",
            judgement(picked, advice_quality="requires_improvement", timely="yes", comments=""),
        )
        assert response.status_code == 200
        assert "Say what should change" in response.text
        assert not DipSampleJudgement.objects.exists()
        response = client.post(
            f"{URL}?month=2027-03",
            judgement(
                picked,
                advice_quality="requires_improvement",
                timely="yes",
                comments="Rationale too thin",
            ),
        )
        assert response.status_code == 302
        assert response["Location"] == f"{URL}?month=2027-03#c{picked}"
        judged = DipSampleJudgement.objects.get()
        assert (judged.consultation_id, judged.month) == (picked, dt.date(2027, 3, 1))
        assert AuditEntry.objects.filter(what="meeting.dip_sample_judged").count() == 1
        assert "Judged requires improvement, timely" in client.get(URL, {"month": "2027-03"}).text
        # a consultation outside the sample is not judged here
        outside = (
            Meeting.objects.filter(kind="consultation").exclude(pk__in=[picked]).order_by("pk")
        )
        others = set(outside.values_list("pk", flat=True)) - set(
            shown(client.get(URL, {"month": "2027-03"}))
        )
        response = client.post(
            f"{URL}?month=2027-03",
            judgement(min(others), advice_quality="good", timely="yes", comments=""),
        )
        assert response.status_code == 404


@pytest.mark.parametrize("persona", ["iro", "social_worker", "team_manager", "auditor"])
def test_it_is_the_service_leaders_page_only(client, council, persona):
    client.force_login(getattr(council, persona).user)
    assert client.get(URL).status_code == 403


def test_it_links_the_dip_sample_in_the_navigation_for_the_service_leaders_only(client, council):
    client.force_login(council.iro_team_manager.user)
    # the IRO team manager judges the sample: the link is in the service navigation
    assert 'href="/meetings/dip-sample/"' in client.get("/caseload/").text
    client.force_login(council.iro.user)
    # an IRO does not: no link
    assert 'href="/meetings/dip-sample/"' not in client.get("/caseload/").text


def test_it_draws_the_size_the_councils_pack_sets(
    client, council, march, tmp_path, monkeypatch, use_pack
):
    # a council whose pack draws 3 a month: its file changes the sample, no code
    (tmp_path / "dipthree.toml").write_text(
        'name = "dipthree"\ncouncil = "Dip Three Council"\nextends = "stockport"\n\n'
        "[numbers.dip_sample]\n"
        'text = "Consultations drawn each month"\nvalue = 3\nunit = "consultations a month"\n'
        'source = "Synthetic test pack"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("OVERSIGHT_POLICY_DIRS", str(tmp_path))
    from oversight.policies import clear_caches

    clear_caches()
    use_pack("dipthree")  # through the settings fixture, undone after the test
    with freeze(dt.date(2027, 4, 6)):
        client.force_login(council.iro_team_manager.user)
        page = client.get(URL, {"month": "2027-03"})
    assert len(shown(page)) == 3  # of the month's 8
    clear_caches()


def test_it_has_no_dip_sample_under_a_pack_without_one(client, council, use_pack):
    use_pack("england")
    client.force_login(council.iro_team_manager.user)
    # the page is not there, nor the link to it
    assert client.get(URL).status_code == 404
    assert 'href="/meetings/dip-sample/"' not in client.get("/caseload/").text
