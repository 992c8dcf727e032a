"""No page's number of queries grows with the caseload (issue 6, performance): My caseload of an
IRO with 3 children and with 30, of a manager with a small line and a large one, the team view
of each, and the child page with a short chronology and a long one. A count, not a timing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.cache import data_version
from oversight.cases.constants import EventType, Role, TeamKind
from oversight.cases.factories import allocate, make_child, make_staff, make_team, record_event
from oversight.cases.models import StaffMember
from oversight.cases.obligations import recompute_all

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 1, 20)
START = dt.date(2026, 1, 5)


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def held_child(*staff: tuple[StaffMember, str]) -> None:
    """A child on a plan (overdue and upcoming obligations), held by `staff` in their roles."""
    child = make_child()
    for member, role in staff:
        allocate(child, member, role, START)
    record_event(child, EventType.ICPC, dt.date(2027, 1, 5), outcome="plan")
    record_event(child, EventType.CORE_GROUP, dt.date(2027, 1, 12))


def queries(client, path: str, params: dict[str, str] | None = None) -> int:
    client.get(path, params)  # warm: what a first request loads once per process
    data_version.forget()  # count the content built, not taken from the cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def same_count(client, path: str, grow: Callable[[], None], params=None) -> tuple[int, int]:
    small = queries(client, path, params)
    grow()
    recompute_all(as_of=TODAY)
    return small, queries(client, path, params)


@pytest.mark.parametrize("params", [None, {"mine": "0", "status": "all"}])
def test_my_caseload_of_an_iro_runs_as_many_queries_for_30_children_as_for_3(
    client, council, frozen, params
):
    for _ in range(2):  # with the council's own child: 3
        held_child((council.iro, Role.IRO), (council.social_worker, Role.SOCIAL_WORKER))
    recompute_all(as_of=TODAY)
    client.force_login(council.iro.user)

    def grow() -> None:
        for _ in range(27):
            held_child((council.iro, Role.IRO), (council.social_worker, Role.SOCIAL_WORKER))

    small, large = same_count(client, "/caseload/", grow, params)
    assert large <= small


@pytest.fixture
def manager(council) -> StaffMember:
    """A service manager above the council's team manager (whose social worker holds Poppy)."""
    boss = make_staff([Role.SERVICE_MANAGER], make_team("Service management", TeamKind.MANAGEMENT))
    council.team_manager.line_manager = boss
    council.team_manager.save()
    return boss


def grow_line(council, manager: StaffMember, children: int = 3) -> Callable[[], None]:
    """A second team of four social workers under a new team manager, and four more workers
    under the council's team manager, one of them managing a worker of their own: a deeper and
    wider line, each worker holding `children` children."""

    def grow() -> None:
        team = make_team("Social work team 3", TeamKind.SOCIAL_WORK)
        second = make_staff([Role.TEAM_MANAGER], team, line_manager=manager)
        workers = [make_staff([Role.SOCIAL_WORKER], team, line_manager=second) for _ in range(4)]
        workers += [
            make_staff([Role.SOCIAL_WORKER], council.team_manager.team, line_manager=boss)
            for boss in [council.team_manager] * 4
        ]
        workers.append(make_staff([Role.SOCIAL_WORKER], team, line_manager=workers[-1]))
        for worker in workers:
            for _ in range(children):
                held_child((worker, Role.SOCIAL_WORKER), (council.iro, Role.IRO))

    return grow


@pytest.mark.parametrize("path", ["/caseload/", "/team/"])
@pytest.mark.parametrize("persona", ["manager", "team_manager"])
def test_a_managers_pages_run_as_many_queries_for_a_large_line_as_for_a_small_one(
    client, council, manager, frozen, path, persona
):
    held_child((council.social_worker, Role.SOCIAL_WORKER), (council.iro, Role.IRO))
    recompute_all(as_of=TODAY)
    who = manager if persona == "manager" else council.team_manager
    client.force_login(who.user)
    small, large = same_count(client, path, grow_line(council, manager), {"mine": "0"})
    assert large <= small


def test_the_team_view_runs_as_many_queries_on_a_later_page(client, council, manager, frozen):
    grow_line(council, manager, children=12)()
    recompute_all(as_of=TODAY)
    client.force_login(manager.user)
    first = queries(client, "/team/")
    assert "Page 1 of" in client.get("/team/").text
    assert queries(client, "/team/", {"page": "2"}) <= first


def test_the_child_page_runs_as_many_queries_for_a_long_chronology_as_for_a_short_one(
    client, council, frozen
):
    child = council.child  # four events
    client.force_login(council.iro.user)
    recompute_all(as_of=TODAY)

    def grow() -> None:
        day = dt.date(2026, 3, 16)
        for week in range(40):
            record_event(child, EventType.CP_VISIT, day + dt.timedelta(weeks=week))
        for n in range(10):
            record_event(
                child,
                EventType.ACTION_SET,
                dt.date(2026, 4, 1) + dt.timedelta(days=n),
                action=f"a{n}",
                text=f"Action {n}",
                owner=Role.SOCIAL_WORKER,
                due=(dt.date(2027, 2, 1) + dt.timedelta(days=n)).isoformat(),
            )

    small, large = same_count(client, f"/children/{child.pk}/", grow)
    assert large <= small
    text = client.get(f"/children/{child.pk}/").text
    assert text.count("Child protection visit") >= 40


def test_a_page_served_from_memory_runs_only_its_audit_row(client, council, manager, frozen):
    """My caseload (an IRO's, a manager's) and the child page, remembered whole: the second
    request runs the audit row and nothing else (no menu query such as the unread count, no
    session, user or access read: each is remembered too), and My caseload renders no template
    (the child page renders "who has seen this record"). On PostgreSQL the audit row is one
    statement; on SQLite the entry and the children it names are two, in a savepoint."""
    recompute_all(as_of=TODAY)
    pages = [
        (council.iro, "/caseload/", []),
        (manager, "/caseload/", []),
        (
            council.iro,
            f"/children/{council.child.pk}/",
            ["seen_by"],
        ),  # the partial of web/child.html
    ]
    for member, path, rendered in pages:
        client.force_login(member.user)
        assert client.get(path).status_code == 200  # remembered
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        assert [t.name for t in response.templates] == rendered, path
        others = [
            q["sql"]
            for q in captured.captured_queries
            if '"audit_' not in q["sql"] and not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
        ]
        assert others == [], path
        assert len(captured) >= 1  # the audit row was written


def test_a_managers_caseload_rebuilt_after_an_event_works_out_its_children_again_only_after_an_allocation(
    client, council, manager, frozen
):
    """Issue 12's benchmark: each event recorded for a child of a service manager's line rebuilt
    their My caseload, and each rebuild worked out again, in every query of it, which of the
    thousands of children they hold (the union of those held, asked of them and left by their
    line) and which of them have no social worker. Both follow from the allocations alone: a
    rebuild after an event reads them remembered (no UNION but the line's own recursive one);
    after an allocation, afresh."""
    held_child((council.social_worker, Role.SOCIAL_WORKER), (council.iro, Role.IRO))
    recompute_all(as_of=TODAY)
    client.force_login(manager.user)
    assert client.get("/caseload/").status_code == 200

    def rebuilt() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/caseload/").status_code == 200
        sqls = [q["sql"] for q in captured.captured_queries]
        assert any('FROM "cases_obligation"' in sql for sql in sqls)  # built, not remembered
        return [sql for sql in sqls if "UNION" in sql and not sql.startswith("WITH RECURSIVE")]

    record_event(council.child, EventType.CP_VISIT, dt.date(2027, 1, 18))
    assert rebuilt() == []
    allocate(make_child(), council.social_worker, Role.SOCIAL_WORKER, START)
    assert len(rebuilt()) == 2  # the caseload's children, and those without a social worker
