"""The foster carer pages through HTTP: who sees them (the corporate IRO and the IRO service's
managers; anyone else 404), the audit row of each view naming the children placed, a review
recorded and refused, and the concern pages only under a pack with a ladder for them."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.audit.models import AuditEntry, ChildShown
from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.fostering.factories import make_carer
from oversight.fostering.models import CarerReview

pytestmark = pytest.mark.django_db

THU_3_DECEMBER_2026 = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(THU_3_DECEMBER_2026, tick=False)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("corporate_iro", 200),
        ("iro_team_manager", 200),
        ("iro", 404),
        ("social_worker", 404),
        ("team_manager", 404),
        ("auditor", 404),
        ("administrator", 404),
    ],
)
def test_it_shows_the_carers_only_to_those_who_review_them(
    client, council, corporate_iro, today, persona, status
):
    carer = make_carer()
    person = corporate_iro if persona == "corporate_iro" else getattr(council, persona)
    client.force_login(person.user)
    assert client.get("/fostering/").status_code == status
    assert client.get(f"/fostering/{carer.pk}/").status_code == status
    assert client.get(f"/fostering/{carer.pk}/reviews/new/").status_code == status


def test_the_corporate_iro_lands_on_the_carers_and_sees_no_child(client, council, corporate_iro):
    client.force_login(corporate_iro.user)
    landed = client.get("/", follow=True)
    assert landed.request["PATH_INFO"] == "/fostering/"
    assert "Poppy" not in client.get("/children/").text  # not on their menu, and empty
    assert client.get(f"/children/{council.child.pk}/").status_code == 404


def test_the_list_shows_the_overdue_review_first(client, council, corporate_iro, today):
    make_carer(reference="FC1001", names="Maya and Tom Ashdown", approved_on=dt.date(2026, 3, 2))
    make_carer(reference="FC1002", names="Priya Okafor", approved_on=dt.date(2025, 11, 28))
    client.force_login(corporate_iro.user)
    page = client.get("/fostering/").text
    assert "1 review overdue" in page
    assert page.index("Priya Okafor") < page.index("Maya and Tom Ashdown")
    assert "Fri 28 Nov 2025" in page  # approved
    assert "Sat 28 Nov 2026" in page  # first review due a year on, now overdue
    assert "Tue 2 Mar 2027" in page  # the other's first review


def test_a_carers_page_names_the_children_placed_on_the_audit_log(
    client, council, corporate_iro, today
):
    carer = make_carer()
    record_event(council.child, EventType.PLACEMENT_START, dt.date(2026, 6, 1), provider="FC1001")
    record_event(
        council.other_child, EventType.PLACEMENT_START, dt.date(2026, 6, 1), provider="FC1001"
    )
    record_event(
        council.other_child, EventType.PLACEMENT_CHANGE, dt.date(2026, 9, 1), provider="FC2002"
    )
    client.force_login(corporate_iro.user)
    page = client.get(f"/fostering/{carer.pk}/").text
    assert "Poppy Larkfield (C1000001)" in page
    assert "Milo Oakridge" not in page  # moved on to another household in September
    entry = AuditEntry.objects.latest("id")
    assert (entry.what, entry.path) == ("carer.viewed", f"/fostering/{carer.pk}/")
    assert list(ChildShown.objects.filter(entry=entry).values_list("child_id", flat=True)) == [
        council.child.pk
    ]


def test_a_carers_page_without_children_is_still_audited(client, council, corporate_iro, today):
    carer = make_carer()
    client.force_login(corporate_iro.user)
    before = AuditEntry.objects.count()
    assert "No child is placed with these carers" in client.get(f"/fostering/{carer.pk}/").text
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.latest("id").path == f"/fostering/{carer.pk}/"


def test_a_restricted_child_is_named_only_to_its_named_people(
    client, council, corporate_iro, today
):
    carer = make_carer()
    record_event(council.child, EventType.PLACEMENT_START, dt.date(2026, 6, 1), provider="FC1001")
    council.child.restricted = True
    council.child.save()
    council.child.named_staff.add(council.iro_team_manager)
    client.force_login(corporate_iro.user)
    assert "Poppy" not in client.get(f"/fostering/{carer.pk}/").text
    client.force_login(council.iro_team_manager.user)
    assert "Poppy Larkfield" in client.get(f"/fostering/{carer.pk}/").text


def _review_form(**overrides):
    form = {
        "held_on": "30 11 2026",
        "chaired_by": "",
        "continue_to_foster": "yes",
        "household_appropriate": "yes",
        "terms_appropriate": "no",
        "new_terms": "3 children aged 0 to 11, long-term",
        "carers_views": "",
        "childrens_views": "",
    }
    form.update(overrides)
    return form


def test_it_records_a_review_and_shows_it(client, council, corporate_iro, today):
    carer = make_carer()
    client.force_login(corporate_iro.user)
    answer = client.post(
        f"/fostering/{carer.pk}/reviews/new/", _review_form(chaired_by=str(corporate_iro.pk))
    )
    assert answer.status_code == 302
    page = client.get(f"/fostering/{carer.pk}/").text
    assert "Review of Monday 30 November 2026" in page
    assert "Recommended: 3 children aged 0 to 11, long-term" in page
    assert "Tuesday 30 November 2027" in page  # the next review, a year on


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"held_on": "31 2 2026"}, "Enter a real date"),
        ({"held_on": "4 12 2026"}, "The date cannot be in the future"),
        ({"continue_to_foster": ""}, "Say whether the carers should continue to foster"),
        ({"new_terms": ""}, "Enter the terms of approval the review recommends"),
        ({"chaired_by": "999999"}, "Choose a corporate IRO to chair the review"),
    ],
)
def test_it_refuses_a_bad_review_naming_the_field(
    client, council, corporate_iro, today, overrides, message
):
    carer = make_carer()
    client.force_login(corporate_iro.user)
    form = _review_form(chaired_by=str(corporate_iro.pk))
    form.update(overrides)
    answer = client.post(f"/fostering/{carer.pk}/reviews/new/", form)
    assert answer.status_code == 200
    assert message in answer.text
    assert "There is a problem" in answer.text
    assert not CarerReview.objects.exists()


def test_the_concern_pages_are_manchesters(client, council, corporate_iro, today, use_pack):
    carer = make_carer()
    client.force_login(corporate_iro.user)
    use_pack("stockport")
    assert client.get(f"/fostering/{carer.pk}/concerns/new/").status_code == 404
    assert "Raise a concern" not in client.get(f"/fostering/{carer.pk}/").text
    use_pack("manchester")
    raised = client.post(
        f"/fostering/{carer.pk}/concerns/new/",
        {"on": "2 12 2026", "issue": "Smoke alarms not working"},
    )
    assert raised.status_code == 302
    page = client.get(raised["Location"]).text
    assert "Stage 1: Fostering Team Manager, since Wednesday 2 December 2026" in page
    assert "Wednesday 9 December 2026" in page  # 5 working days on
    escalated = client.post(
        raised["Location"] + "escalate/", {"on": "3 12 2026", "reason": "No answer"}
    )
    assert escalated.status_code == 302
    page = client.get(raised["Location"]).text
    assert "Stage 2: Fostering Service Lead, since Thursday 3 December 2026" in page
    assert "Thursday 10 December 2026" in page
    answered = client.post(
        raised["Location"] + "respond/", {"on": "3 12 2026", "response": "A plan by Friday"}
    )
    assert answered.status_code == 302
    page = client.get(raised["Location"]).text
    assert "Answered Thursday 3 December 2026" in page
    assert "Thursday 10 December 2026" not in page  # answered: no deadline left at stage 2
