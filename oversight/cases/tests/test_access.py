"""child_for_user, children_for_user and can_edit: who sees which child. A refusal is a 404; a
manager facing a restricted child of their line gets RestrictedChild (a 404 subclass)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404
from django.utils import timezone

from oversight.cases.access import (
    RestrictedChild,
    can_edit,
    child_for_user,
    children_for_user,
    may_allocate,
    may_open_any_record,
    may_read_audit,
)
from oversight.cases.constants import Role, TeamKind
from oversight.cases.factories import allocate, make_child, make_staff, make_team
from oversight.cases.models import AccessGrant, Cover, DutyRota

pytestmark = pytest.mark.django_db

monday_23_november_2026 = dt.date(2026, 11, 23)
sunday_22_november_2026 = dt.date(2026, 11, 22)


def sees(user: object, child_id: int, as_of: dt.date = monday_23_november_2026) -> bool:
    try:
        child_for_user(user, child_id, as_of=as_of)  # type: ignore[arg-type]
    except Http404:
        return False
    return True


def edits(user: object, child: object, as_of: dt.date = monday_23_november_2026) -> bool:
    return can_edit(user, child, as_of=as_of)  # type: ignore[arg-type]


def test_it_lets_the_iro_on_the_case_see_and_edit_the_child(council):
    assert sees(council.iro.user, council.child.pk)
    assert edits(council.iro.user, council.child)


def test_it_refuses_an_iro_of_another_team(council):
    assert not sees(council.other_iro.user, council.child.pk)
    assert not edits(council.other_iro.user, council.child)


def test_it_lets_an_iro_read_but_not_edit_their_iro_teams_children(council):
    colleague = make_staff([Role.IRO], council.iro.team)
    assert sees(colleague.user, council.child.pk)  # Isla's child, same IRO team
    assert not edits(colleague.user, council.child)  # read-only
    assert not sees(colleague.user, council.other_child.pk)  # another IRO team's child


def test_it_does_not_widen_a_social_workers_view_to_their_team(council):
    colleague = make_staff([Role.SOCIAL_WORKER], council.social_worker.team)
    assert not sees(colleague.user, council.child.pk)


def test_it_lets_the_social_worker_on_the_case_see_the_child(council):
    assert sees(council.social_worker.user, council.child.pk)
    assert edits(council.social_worker.user, council.child)


def test_it_refuses_a_social_worker_not_on_the_case(council):
    assert not sees(council.other_social_worker.user, council.child.pk)


def test_it_lets_a_team_manager_see_their_lines_children_only(council):
    assert sees(council.team_manager.user, council.child.pk)  # Sami reports to Tara
    assert edits(council.team_manager.user, council.child)
    assert not sees(council.team_manager.user, council.other_child.pk)  # Nia does not


@pytest.mark.parametrize(
    "role",
    [Role.SERVICE_MANAGER, Role.HEAD_OF_SERVICE, Role.ASSISTANT_DIRECTOR, Role.DIRECTOR],
)
def test_it_lets_a_manager_see_down_the_line_manager_chain(council, role):
    manager = make_staff([role])
    council.team_manager.line_manager = manager
    council.team_manager.save()
    assert sees(manager.user, council.child.pk)  # Sami -> Tara -> manager
    assert not sees(manager.user, council.other_child.pk)


def test_it_refuses_a_manager_with_no_line(council):
    assert not sees(make_staff([Role.SERVICE_MANAGER]).user, council.child.pk)


@pytest.mark.parametrize("role", [Role.IRO_TEAM_MANAGER, Role.SAFEGUARDING_SERVICE_MANAGER])
def test_it_lets_the_iro_services_managers_see_every_child(council, role):
    manager = make_staff([role])
    assert sees(manager.user, council.child.pk)
    assert sees(manager.user, council.other_child.pk)
    assert edits(manager.user, council.other_child)
    assert children_for_user(manager.user, as_of=monday_23_november_2026).count() == 3


def test_it_lets_the_auditor_read_every_child_but_edit_none(council):
    assert sees(council.auditor.user, council.child.pk)
    assert sees(council.auditor.user, council.other_child.pk)
    assert not edits(council.auditor.user, council.child)
    assert children_for_user(council.auditor.user).count() == 3


def test_it_gives_an_administrator_no_case_content(council):
    assert not sees(council.administrator.user, council.child.pk)
    assert not children_for_user(council.administrator.user).exists()


def test_it_gives_an_administrator_with_a_case_role_that_roles_children(council):
    allocate(council.child, council.administrator, Role.SOCIAL_WORKER, dt.date(2026, 1, 5))
    assert sees(council.administrator.user, council.child.pk)


def test_it_refuses_the_duty_iro_without_a_stated_reason(council):
    DutyRota.objects.create(date=monday_23_november_2026, staff=council.duty_iro)
    assert not sees(council.duty_iro.user, council.child.pk)


def test_it_lets_the_duty_iro_open_a_child_for_that_day_only(council):
    AccessGrant.objects.create(
        child=council.child,
        staff=council.duty_iro,
        date=monday_23_november_2026,
        purpose="duty",
        reason="Consultation requested by the social worker",
        granted_at=timezone.now(),
        approved_at=timezone.now(),  # opened at once (the baseline asks no approval)
    )
    assert sees(council.duty_iro.user, council.child.pk)  # Mon 23 Nov: the day of the grant
    assert not sees(council.duty_iro.user, council.child.pk, as_of=dt.date(2026, 11, 24))
    assert not sees(council.duty_iro.user, council.other_child.pk)  # only the child opened


def test_it_says_who_may_open_any_record(council):
    DutyRota.objects.create(date=monday_23_november_2026, staff=council.duty_iro)
    assert may_open_any_record(council.duty_iro.user, as_of=monday_23_november_2026) == ["duty"]
    assert may_open_any_record(council.duty_iro.user, as_of=sunday_22_november_2026) == []
    assert may_open_any_record(council.iro.user) == ["consultation"]
    assert may_open_any_record(council.social_worker.user) == []
    assert may_open_any_record(council.team_manager.user) == []


def test_it_lets_a_covering_iro_hold_the_absent_iros_caseload_for_the_period(council):
    Cover.objects.create(
        absent=council.iro,
        covering=council.other_iro,
        starts=monday_23_november_2026,
        ends=dt.date(2026, 11, 27),  # Fri 27 Nov: the last day counts
        reason="Annual leave",
        granted_by=council.iro_team_manager.user,
        granted_at=timezone.now(),
    )
    assert sees(council.other_iro.user, council.child.pk)
    assert edits(council.other_iro.user, council.child)
    assert sees(council.other_iro.user, council.child.pk, as_of=dt.date(2026, 11, 27))
    assert not sees(council.other_iro.user, council.child.pk, as_of=dt.date(2026, 11, 28))
    assert not sees(council.other_iro.user, council.child.pk, as_of=sunday_22_november_2026)


def restrict(council):
    child = council.child
    child.restricted = True
    child.restricted_contact = council.iro_team_manager
    child.save()
    child.named_staff.add(council.iro)
    return child


def test_it_shows_a_restricted_child_only_to_its_named_people(council):
    child = restrict(council)
    assert sees(council.iro.user, child.pk)  # named
    assert not sees(council.social_worker.user, child.pk)  # allocated but not named
    assert not sees(council.auditor.user, child.pk)  # restriction wins over every role
    assert set(children_for_user(council.iro.user, as_of=monday_23_november_2026)) == {child}
    assert child not in children_for_user(council.auditor.user)


def test_it_tells_a_manager_of_the_line_only_that_a_restricted_record_exists(council):
    child = restrict(council)
    with pytest.raises(RestrictedChild):
        child_for_user(council.team_manager.user, child.pk, as_of=monday_23_november_2026)
    with pytest.raises(RestrictedChild):
        child_for_user(council.iro_team_manager.user, child.pk, as_of=monday_23_november_2026)
    # Someone outside the line: a plain 404, not the notice
    with pytest.raises(Http404) as refused:
        child_for_user(council.other_social_worker.user, child.pk)
    assert not isinstance(refused.value, RestrictedChild)


def test_it_lets_a_named_person_outside_every_rule_read_but_not_edit(council):
    child = restrict(council)
    child.named_staff.add(council.other_social_worker)
    assert sees(council.other_social_worker.user, child.pk)
    assert not edits(council.other_social_worker.user, child)


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
    assert not sees(council.iro_team_manager.user, 10_000_000)


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


def test_it_lists_a_child_once_when_allocated_twice_to_the_same_person(council):
    allocate(council.child, council.iro, Role.IRO, dt.date(2026, 1, 5))
    assert list(children_for_user(council.iro.user, as_of=monday_23_november_2026)) == [
        council.child
    ]


def test_it_gives_the_iro_team_and_its_managers_pages_to_the_right_people(council):
    assert may_allocate(council.iro_team_manager.user)
    assert not may_allocate(council.iro.user)
    assert not may_allocate(council.team_manager.user)
    assert may_read_audit(council.administrator.user)
    assert may_read_audit(make_staff([Role.SAFEGUARDING_SERVICE_MANAGER]).user)
    assert not may_read_audit(council.iro_team_manager.user)


def test_it_keeps_an_iro_team_to_iro_teams(council):
    sw_team = make_team("Social work team 9", TeamKind.SOCIAL_WORK)
    iro_in_wrong_team = make_staff([Role.IRO], sw_team)
    assert not sees(iro_in_wrong_team.user, council.child.pk)
