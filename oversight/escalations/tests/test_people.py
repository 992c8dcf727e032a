"""`holders`: who holds a pack's role for a child (allocated, else up the line, else the one
council-wide holder)."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.constants import Role
from oversight.cases.factories import allocate, make_staff
from oversight.cases.holders import holders, people_for

pytestmark = pytest.mark.django_db

monday_1_march_2027 = dt.date(2027, 3, 1)


def names(staff) -> list[str]:
    return [str(s) for s in staff]


def test_it_finds_the_allocated_social_worker_and_iro(line):
    c = line.council
    assert names(holders(c.child, Role.SOCIAL_WORKER, as_of=monday_1_march_2027)) == [
        "Sami Fairholm"
    ]
    assert names(holders(c.child, Role.IRO, as_of=monday_1_march_2027)) == ["Isla Brightwell"]


def test_it_walks_up_the_practice_line_from_the_social_worker(line):
    c = line.council
    found = {
        role: names(holders(c.child, role, as_of=monday_1_march_2027))
        for role in [
            "team_manager",
            "service_manager",
            "head_of_service",
            "assistant_director",
            "director",
        ]
    }
    assert found == {
        "team_manager": ["Tara Elsworth"],  # Sami's line manager
        "service_manager": ["Sol Ibbotson"],  # the team manager's line manager
        "head_of_service": ["Hana Juniper"],
        "assistant_director": ["Ari Kestrel"],
        "director": ["Dora Mallory"],
    }


def test_it_walks_up_the_iro_line_from_the_childs_iro(line):
    c = line.council
    assert names(holders(c.child, "iro_team_manager", as_of=monday_1_march_2027)) == [
        "Wren Ashdown"
    ]
    assert names(holders(c.child, "safeguarding_service_manager", as_of=monday_1_march_2027)) == [
        "Greta Holloway"
    ]


def test_it_prefers_an_allocation_to_the_line(line):
    c = line.council
    acting = make_staff(
        [Role.TEAM_MANAGER], c.team_manager.team, first_name="Ada", last_name="Acting"
    )
    allocate(c.child, acting, Role.TEAM_MANAGER, dt.date(2027, 2, 1))
    assert names(holders(c.child, Role.TEAM_MANAGER, as_of=monday_1_march_2027)) == ["Ada Acting"]
    # an allocation that has not begun yet does not count
    assert names(holders(c.child, Role.TEAM_MANAGER, as_of=dt.date(2027, 1, 29))) == [
        "Tara Elsworth"
    ]


def test_it_falls_back_to_the_one_council_wide_holder_only(council):
    # no line above anyone: the director is the only one, so found; two heads of service: neither
    director = make_staff([Role.DIRECTOR], first_name="Dora", last_name="Mallory")
    make_staff([Role.HEAD_OF_SERVICE], first_name="Hal", last_name="One")
    make_staff([Role.HEAD_OF_SERVICE], first_name="Hal", last_name="Two")
    assert holders(council.child, Role.DIRECTOR, as_of=monday_1_march_2027) == [director]
    assert holders(council.child, Role.HEAD_OF_SERVICE, as_of=monday_1_march_2027) == []


def test_it_lists_each_person_once_under_their_first_role(line):
    c = line.council
    people = people_for(
        c.child, ["team_manager", "social_worker", "team_manager"], as_of=monday_1_march_2027
    )
    assert [(p.role, p.name) for p in people] == [
        ("team_manager", "Tara Elsworth"),
        ("social_worker", "Sami Fairholm"),
    ]


def test_an_obligation_waits_on_the_roles_its_concern_was_addressed_to():
    from oversight.cases.holders import ladder_named, obligation_addressees

    england = ladder_named("england", "default")
    camden = ladder_named("camden", "default")
    # the informal response: the informal stage's addressees
    assert obligation_addressees("esc.informal.response", {}, england) == [
        "social_worker",
        "team_manager",
    ]
    # the response to a notice: the addressees of the notice's stage (england's stage 2)
    assert obligation_addressees("esc.stage.response", {"stage": 2}, england) == ["service_manager"]
    # the informal stage's further period after Camden's warning: the warning's addressees
    assert obligation_addressees("esc.informal.final", {}, camden) == [
        "social_worker",
        "team_manager",
    ]
    # a notice with no stage, a stage the ladder lacks, a ladder the pack no longer has: nobody
    assert obligation_addressees("esc.stage.response", {}, england) == []
    assert obligation_addressees("esc.stage.response", {"stage": 9}, england) == []
    assert obligation_addressees("esc.informal.response", {}, None) == []
    assert ladder_named("england", "cp") is None
