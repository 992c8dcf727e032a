"""child_for_user and children_for_user: who sees which child. A refusal is always a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404

from oversight.cases.access import child_for_user, children_for_user
from oversight.cases.constants import Role
from oversight.cases.factories import allocate, make_child, make_staff

pytestmark = pytest.mark.django_db

monday_23_november_2026 = dt.date(2026, 11, 23)


def sees(user: object, child_id: int, as_of: dt.date = monday_23_november_2026) -> bool:
    try:
        child_for_user(user, child_id, as_of=as_of)  # type: ignore[arg-type]
    except Http404:
        return False
    return True


def test_it_lets_the_iro_on_the_case_see_the_child(council):
    assert sees(council.iro.user, council.child.pk)


def test_it_refuses_an_iro_of_another_team(council):
    assert not sees(council.other_iro.user, council.child.pk)


def test_it_lets_the_social_worker_on_the_case_see_the_child(council):
    assert sees(council.social_worker.user, council.child.pk)


def test_it_refuses_a_social_worker_not_on_the_case(council):
    assert not sees(council.other_social_worker.user, council.child.pk)


@pytest.mark.parametrize(
    "persona", ["team_manager", "iro_team_manager", "duty_iro"], ids=lambda p: p
)
def test_it_lets_managers_and_the_duty_iro_see_every_child(council, persona):
    user = getattr(council, persona).user
    assert sees(user, council.child.pk)
    assert sees(user, council.other_child.pk)


@pytest.mark.parametrize(
    "role",
    [
        Role.SERVICE_MANAGER,
        Role.HEAD_OF_SERVICE,
        Role.ASSISTANT_DIRECTOR,
        Role.DIRECTOR,
        Role.SAFEGUARDING_SERVICE_MANAGER,
    ],
)
def test_it_lets_each_management_role_see_every_child(council, role):
    manager = make_staff([role])
    assert sees(manager.user, council.child.pk)


@pytest.mark.parametrize("persona", ["auditor", "administrator"])
def test_it_refuses_roles_without_children_yet(council, persona):
    assert not sees(getattr(council, persona).user, council.child.pk)
    assert not children_for_user(getattr(council, persona).user).exists()


def test_it_refuses_a_signed_out_visitor(council):
    assert not sees(AnonymousUser(), council.child.pk)


def test_it_refuses_a_user_who_is_not_a_member_of_staff(council):
    user = User.objects.create_user("someone.else", "someone.else@council.invalid", "x" * 12)
    assert not sees(user, council.child.pk)


def test_it_refuses_a_deactivated_member_of_staff(council):
    council.iro.user.is_active = False
    council.iro.user.save()
    assert not sees(council.iro.user, council.child.pk)


def test_it_gives_404_for_a_child_that_does_not_exist(council):
    assert not sees(council.team_manager.user, 10_000_000)


def test_it_refuses_the_iro_once_their_allocation_has_ended(council):
    child = make_child()
    allocate(
        child, council.iro, Role.IRO, dt.date(2025, 1, 6), ends=dt.date(2026, 11, 20)
    )  # ended Fri 20 Nov 2026
    assert sees(council.iro.user, child.pk, as_of=dt.date(2026, 11, 20))  # the last day counts
    assert not sees(council.iro.user, child.pk, as_of=monday_23_november_2026)


def test_it_refuses_the_iro_before_their_allocation_starts(council):
    child = make_child()
    allocate(child, council.iro, Role.IRO, dt.date(2026, 11, 30))  # starts Mon 30 Nov 2026
    assert not sees(council.iro.user, child.pk)
    assert sees(council.iro.user, child.pk, as_of=dt.date(2026, 11, 30))


def test_it_lists_only_the_children_the_case_worker_may_see(council):
    iro_children = set(children_for_user(council.iro.user, as_of=monday_23_november_2026))
    assert iro_children == {council.child}
    sw_children = set(
        children_for_user(council.other_social_worker.user, as_of=monday_23_november_2026)
    )
    assert sw_children == {council.other_child}


def test_it_lists_every_child_for_a_manager(council):
    assert children_for_user(council.team_manager.user).count() == 3


def test_it_lists_a_child_once_when_allocated_twice_to_the_same_person(council):
    allocate(council.child, council.iro, Role.IRO, dt.date(2026, 1, 5))
    assert list(children_for_user(council.iro.user, as_of=monday_23_november_2026)) == [
        council.child
    ]
