import datetime as dt

import pytest

from oversight.cases.constants import EventType, Role
from oversight.cases.factories import make_child, make_staff, record_event
from oversight.cases.models import engine_event

pytestmark = pytest.mark.django_db


def test_it_names_users_firstname_dot_lastname_in_lowercase_with_an_invalid_email():
    staff = make_staff([Role.IRO], first_name="Rosa", last_name="Penhale")
    assert staff.user.username == "rosa.penhale"
    assert staff.user.email == "rosa.penhale@council.invalid"
    assert staff.roles == {"iro"}


def test_it_gives_one_person_several_roles():
    staff = make_staff([Role.SERVICE_MANAGER, Role.IRO])
    assert staff.roles == {"service_manager", "iro"}


def test_it_makes_users_who_cannot_sign_in_unless_given_a_password():
    assert not make_staff().user.has_usable_password()
    assert make_staff(password="oversight-demo").user.check_password("oversight-demo")


def test_it_makes_an_unborn_child_with_an_expected_date_of_delivery():
    child = make_child(date_of_birth=None, expected_date_of_delivery=dt.date(2027, 2, 14))
    assert child.is_unborn


def test_it_records_an_event_with_its_details_for_the_engine():
    child = make_child()
    event = record_event(child, EventType.ICPC, dt.date(2026, 11, 23), outcome="plan")
    as_input = engine_event(event.pk, event.type, event.date, event.time, event.data)
    # the contract's shape, with the event's id as the extra field `event`
    assert as_input == {"type": "icpc", "date": "2026-11-23", "outcome": "plan", "event": event.pk}
    assert event.recorded_at.isoformat() == "2026-11-23T17:00:00+00:00"  # 17:00 GMT in November


def test_it_refuses_an_unknown_event_type():
    with pytest.raises(ValueError, match="unknown event type"):
        record_event(make_child(), "tea_party", dt.date(2026, 11, 23))


def test_it_never_reuses_a_reference_or_username_made_another_way(monkeypatch):
    import itertools

    from oversight.cases import factories

    monkeypatch.setattr(factories, "_counter", itertools.count(1))
    make_child(reference="C0000002")  # as the demo council's bulk writer would
    make_child(reference="C0000003")
    assert make_child().reference == "C0000004"  # 1 went to the child's names, 2 and 3 are taken
    first = make_staff(first_name="Rosa", last_name="Penhale")
    second = make_staff(first_name="Rosa", last_name="Penhale")
    assert first.user.username == "rosa.penhale"
    assert (
        second.user.username.startswith("rosa.penhale") and second.user.username != "rosa.penhale"
    )
