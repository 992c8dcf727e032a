"""Adding a foster household and changing its details and status, by the action and through the
pages: each refuses bad input naming the field and changes nothing, each change is one audit row
with the household before and after, and only the roles that see carers may make it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.audit.models import AuditEntry
from oversight.cases.constants import Role
from oversight.cases.factories import make_staff
from oversight.fostering import actions
from oversight.fostering.constants import ApprovalType, CarerStatus
from oversight.fostering.factories import make_carer
from oversight.fostering.models import Carer

pytestmark = pytest.mark.django_db

THURSDAY_3_DECEMBER_2026 = dt.date(2026, 12, 3)
THU_3_DECEMBER_2026 = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(THU_3_DECEMBER_2026, tick=False)


def _details(council, **overrides):
    fields = {
        "reference": " FC1003 ",
        "names": "Lena and Joe Marsh",
        "approved_on": dt.date(2026, 6, 1),
        "children": 2,
        "age_from": 5,
        "age_to": 15,
        "approval_type": ApprovalType.SHORT_TERM,
        "supervising_social_worker": council.social_worker,
    }
    fields.update(overrides)
    return fields


def test_it_adds_a_household_on_the_audit_log(council, corporate_iro):
    carer = actions.add_carer(
        **_details(council), acting_user=corporate_iro.user, as_of=THURSDAY_3_DECEMBER_2026
    )
    assert carer.reference == "FC1003"  # as the placements name it
    assert carer.status == CarerStatus.APPROVED
    assert carer.terms == "2 children aged 5 to 15, short-term"
    entry = AuditEntry.objects.get(what="carer.added")
    assert entry.child_id is None  # a household, not a child
    assert isinstance(entry.after, dict)
    assert entry.after["reference"] == "FC1003"
    assert entry.after["supervising_social_worker"] == council.social_worker.pk


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reference": "  "}, "reference", "Enter the household's reference"),
        ({"reference": "FC1001"}, "reference", "A household with this reference is recorded"),
        ({"reference": "F" * 21}, "reference", "at most 20 characters"),
        ({"names": " "}, "names", "Enter the carers' names"),
        ({"approved_on": dt.date(2026, 12, 4)}, "approved_on", "cannot be in the future"),
        ({"children": 0}, "children", "from 1 to 6"),
        ({"age_from": 18}, "age_from", "from 0 to 17"),
        ({"age_from": 12, "age_to": 4}, "age_to", "cannot be below the youngest"),
        ({"approval_type": "respite"}, "approval_type", "Choose the kind of fostering"),
        ({"status": "resting"}, "status", "Choose the carers' status"),
    ],
)
def test_it_refuses_bad_details_naming_the_field(council, corporate_iro, overrides, field, message):
    make_carer(reference="FC1001")
    with pytest.raises(ValidationError) as refused:
        actions.add_carer(
            **_details(council, **overrides),
            acting_user=corporate_iro.user,
            as_of=THURSDAY_3_DECEMBER_2026,
        )
    assert message in refused.value.message_dict[field][0]
    assert Carer.objects.count() == 1
    assert not AuditEntry.objects.filter(what="carer.added").exists()


def test_only_a_social_worker_supervises(council, corporate_iro):
    with pytest.raises(ValidationError) as refused:
        actions.add_carer(
            **_details(council, supervising_social_worker=council.iro),
            acting_user=corporate_iro.user,
            as_of=THURSDAY_3_DECEMBER_2026,
        )
    assert "supervising_social_worker" in refused.value.message_dict


def test_a_role_that_does_not_see_carers_may_not_add(council):
    with pytest.raises(PermissionDenied):
        actions.add_carer(
            **_details(council), acting_user=council.iro.user, as_of=THURSDAY_3_DECEMBER_2026
        )
    assert not Carer.objects.exists()


def _change(carer, council, user, **overrides):
    fields = {
        "names": carer.names,
        "approved_on": carer.approved_on,
        "children": carer.children,
        "age_from": carer.age_from,
        "age_to": carer.age_to,
        "approval_type": carer.approval_type,
        "status": carer.status,
        "supervising_social_worker": carer.supervising_social_worker,
    }
    fields.update(overrides)
    return actions.change_carer(carer, **fields, acting_user=user, as_of=THURSDAY_3_DECEMBER_2026)


def test_it_puts_a_household_on_hold_with_the_change_audited(council, corporate_iro):
    carer = make_carer(supervising_social_worker=council.social_worker)
    _change(carer, council, corporate_iro.user, status=CarerStatus.ON_HOLD)
    carer.refresh_from_db()
    assert carer.status == CarerStatus.ON_HOLD
    entry = AuditEntry.objects.get(what="carer.changed")
    assert isinstance(entry.before, dict) and isinstance(entry.after, dict)
    assert (entry.before["status"], entry.after["status"]) == ("approved", "on_hold")
    _change(carer, council, corporate_iro.user)  # nothing changed: no second row
    assert AuditEntry.objects.filter(what="carer.changed").count() == 1


def test_it_keeps_a_supervising_social_worker_who_has_left(council, corporate_iro):
    gone = make_staff([Role.SOCIAL_WORKER])
    carer = make_carer(supervising_social_worker=gone)
    gone.user.is_active = False
    gone.user.save()
    _change(carer, council, corporate_iro.user, status=CarerStatus.DEREGISTERED)
    carer.refresh_from_db()
    assert carer.status == CarerStatus.DEREGISTERED
    with pytest.raises(ValidationError):  # but nobody chooses them afresh
        actions.add_carer(
            **_details(council, supervising_social_worker=gone),
            acting_user=corporate_iro.user,
            as_of=THURSDAY_3_DECEMBER_2026,
        )


def test_the_approval_cannot_move_past_the_first_review(council, corporate_iro):
    carer = make_carer(approved_on=dt.date(2025, 3, 2))
    actions.record_review(
        carer,
        held_on=dt.date(2026, 2, 27),
        chaired_by=corporate_iro,
        continue_to_foster=True,
        household_appropriate=True,
        terms_appropriate=True,
        acting_user=corporate_iro.user,
        as_of=THURSDAY_3_DECEMBER_2026,
    )
    with pytest.raises(ValidationError) as refused:
        _change(carer, council, corporate_iro.user, approved_on=dt.date(2026, 3, 2))
    assert "after the carers' first review" in refused.value.message_dict["approved_on"][0]
    carer.refresh_from_db()
    assert carer.approved_on == dt.date(2025, 3, 2)


def _form(council, **overrides):
    form = {
        "reference": "FC1003",
        "names": "Lena and Joe Marsh",
        "approved_on": "1 6 2026",
        "children": "2",
        "age_from": "5",
        "age_to": "15",
        "approval_type": "short_term",
        "status": "approved",
        "supervising_social_worker": str(council.social_worker.pk),
    }
    form.update(overrides)
    return form


def test_the_pages_add_and_change_a_household(client, council, corporate_iro, today):
    client.force_login(corporate_iro.user)
    assert "Add a foster household" in client.get("/fostering/").text
    added = client.post("/fostering/new/", _form(council))
    assert added.status_code == 302
    carer = Carer.objects.get(reference="FC1003")
    page = client.get(added["Location"]).text
    assert "Sami Fairholm" in page  # the supervising social worker
    assert "2 children aged 5 to 15, short-term" in page
    changed = client.post(
        f"/fostering/{carer.pk}/change/", _form(council, status="on_hold", reference="NEW1")
    )
    assert changed.status_code == 302
    carer.refresh_from_db()
    assert (carer.status, carer.reference) == (CarerStatus.ON_HOLD, "FC1003")  # reference kept


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reference": ""}, "Enter the household&#x27;s reference"),
        ({"approved_on": "31 2 2026"}, "Enter a real date"),
        ({"children": "two"}, "Enter a whole number"),
        ({"age_to": "3"}, "The oldest age cannot be below the youngest"),
        ({"approval_type": ""}, "Choose the kind of fostering approved"),
        ({"supervising_social_worker": "999999"}, "Choose a social worker to supervise"),
    ],
)
def test_the_page_refuses_bad_input_naming_the_field(
    client, council, corporate_iro, today, overrides, message
):
    client.force_login(corporate_iro.user)
    answer = client.post("/fostering/new/", _form(council, **overrides))
    assert answer.status_code == 200
    assert "There is a problem" in answer.text
    assert message in answer.text
    assert not Carer.objects.exists()


@pytest.mark.parametrize("persona", ["iro", "social_worker", "auditor"])
def test_the_pages_are_404_to_those_who_do_not_see_carers(client, council, persona):
    carer = make_carer()
    client.force_login(getattr(council, persona).user)
    assert client.get("/fostering/new/").status_code == 404
    assert client.post("/fostering/new/", _form(council)).status_code == 404
    assert client.get(f"/fostering/{carer.pk}/change/").status_code == 404
