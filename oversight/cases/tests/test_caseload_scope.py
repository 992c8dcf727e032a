"""caseload_scope: My caseload's obligations (of the children I hold) and those mine to act on,
by the access rules of `children_for_user` without evaluating them per child. Personas from the
shared `council`: Isla the IRO and Sami the social worker on Poppy's case, Tara (Sami's team
manager), Owen the IRO of another team (who holds Milo)."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.access import caseload_scope
from oversight.cases.constants import Role
from oversight.cases.factories import allocate, make_staff
from oversight.cases.models import Child, Cover, Obligation, StaffMember

pytestmark = pytest.mark.django_db

monday_23_november_2026 = dt.date(2026, 11, 23)
NO_WATCHERS: dict[str, list[str]] = {}


def obligation(child: Child, code: str, owner: str, status: str, due: dt.date) -> Obligation:
    return Obligation.objects.create(
        child=child,
        code=code,
        category=code.split(".")[0] if code.startswith(("cp", "lac")) else "escalation",
        trigger_type="icpc",
        trigger_date=dt.date(2025, 9, 19),
        due=due,
        status=status,
        owner_roles=f"|{owner}|",
        as_of=monday_23_november_2026,
    )


@pytest.fixture
def rows(council):
    """Poppy's visit (the social worker's, due Tue 1 Dec 2026), Poppy's overdue response to a
    notice (the team manager's, due Fri 20 Nov 2026) and Milo's review (his IRO's)."""
    Obligation.objects.all().delete()  # only the rows made here
    return {
        "visit": obligation(
            council.child, "cp.visit", "social_worker", "pending", dt.date(2026, 12, 1)
        ),
        "response": obligation(
            council.child, "esc.stage.response", "team_manager", "overdue", dt.date(2026, 11, 20)
        ),
        "review": obligation(
            council.other_child, "lac.review", "iro", "pending", dt.date(2026, 12, 4)
        ),
    }


def caseload(
    staff: StaffMember, watched: dict[str, list[str]] = NO_WATCHERS
) -> tuple[set[str], set[str]]:
    """(the codes on the caseload, the codes of them mine to act on)."""
    scope, mine = caseload_scope(staff, monday_23_november_2026, watched_when_overdue=watched)
    held = Obligation.objects.filter(scope)
    return set(held.values_list("code", flat=True)), set(
        held.filter(mine).values_list("code", flat=True)
    )


def test_it_gives_the_social_worker_the_childs_rows_and_the_visit_to_act_on(council, rows):
    assert caseload(council.social_worker) == ({"cp.visit", "esc.stage.response"}, {"cp.visit"})


def test_it_gives_the_team_manager_the_rows_of_their_lines_child(council, rows):
    # Tara holds Poppy through Sami, down her line; the response is a team manager's
    assert caseload(council.team_manager) == (
        {"cp.visit", "esc.stage.response"},
        {"esc.stage.response"},
    )


def test_it_gives_the_iro_an_overdue_response_only_when_the_pack_has_the_iro_watch_it(
    council, rows
):
    assert caseload(council.iro) == ({"cp.visit", "esc.stage.response"}, set())
    watched = {"iro": ["esc.stage.response"]}
    assert caseload(council.iro, watched) == (
        {"cp.visit", "esc.stage.response"},
        {"esc.stage.response"},
    )


def test_it_keeps_another_teams_iro_to_their_own_child(council, rows):
    assert caseload(council.other_iro, {"iro": ["esc.stage.response"]}) == (
        {"lac.review"},
        {"lac.review"},
    )


def give_cover(council, covering: StaffMember, starts: dt.date, ends: dt.date) -> None:
    Cover.objects.create(
        absent=council.other_iro,
        covering=covering,
        starts=starts,
        ends=ends,
        reason="annual leave",
        granted_by=council.iro_team_manager.user,
        granted_at=dt.datetime(2026, 11, 13, 9, 0, tzinfo=dt.UTC),
    )


def test_it_gives_a_covering_iro_the_absent_iros_children_for_the_cover_only(council, rows):
    cal = make_staff([Role.IRO], council.iro.team, first_name="Cal", last_name="Penhallow")
    give_cover(council, cal, dt.date(2026, 11, 9), dt.date(2026, 11, 20))  # Mon to Fri, ended
    assert caseload(cal) == (set(), set())
    give_cover(council, cal, dt.date(2026, 11, 16), dt.date(2026, 11, 27))  # Mon to Fri
    assert caseload(cal) == ({"lac.review"}, {"lac.review"})


def test_it_leaves_out_a_restricted_child_the_viewer_is_not_named_on(council, rows):
    Child.objects.filter(pk=council.child.pk).update(restricted=True)
    assert caseload(council.team_manager) == (set(), set())
    council.child.named_staff.add(council.team_manager)
    assert caseload(council.team_manager)[0] == {"cp.visit", "esc.stage.response"}


def test_it_holds_nothing_once_the_allocation_has_ended(council, rows):
    council.child.allocations.filter(staff=council.social_worker).delete()
    allocate(
        council.child,
        council.social_worker,
        Role.SOCIAL_WORKER,
        dt.date(2025, 9, 1),  # a Monday
        ends=dt.date(2026, 11, 20),  # a Friday
    )
    assert caseload(council.social_worker) == (set(), set())
