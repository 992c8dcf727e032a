"""My caseload's content is cached per viewer, filters, page, day and pages version
(oversight.web.page_cache): whatever changes what it shows or who may see it shows on the very
next request (issue 6, performance: correctness over speed)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oversight.cases import actions
from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.models import Allocation, Child, Cover
from oversight.cases.obligations import recompute_all, recompute_child

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 1, 20)
START = dt.date(2026, 1, 5)


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def on_plan(child: Child) -> None:
    record_event(child, EventType.ICPC, dt.date(2027, 1, 5), outcome="plan")
    recompute_child(child, as_of=TODAY)


def page(client, **params: str) -> str:
    response = client.get("/caseload/", {"mine": "0", "status": "all", **params})
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_view_reuses_the_content_and_runs_fewer_queries(client, council, frozen):
    recompute_all(as_of=TODAY)
    client.force_login(council.iro.user)
    first = page(client)
    with CaptureQueriesContext(connection) as again:
        second = page(client)
    main = 'id="main-content">'
    assert second.split(main)[1] == first.split(main)[1]  # the shell's CSRF token differs
    assert len(again) <= 4  # session, user, staff; nothing of the content


def test_a_recorded_event_shows_at_once(client, council, frozen):
    recompute_all(as_of=TODAY)
    client.force_login(council.iro.user)
    before = page(client)
    actions.record_event(
        council.child,
        type=EventType.STRATEGY_DISCUSSION,
        date=TODAY,
        data={},
        acting_user=council.iro.user,
        as_of=TODAY,
    )
    assert page(client) != before


def test_a_new_allocation_shows_at_once_and_an_ended_one_goes(client, council, frozen):
    newcomer = make_child(first_name="Zebedee", last_name="Newcomer")
    on_plan(newcomer)
    client.force_login(council.iro.user)
    assert "Newcomer" not in page(client)
    allocation = allocate(newcomer, council.iro, Role.IRO, START)
    assert "Newcomer" in page(client)
    allocation.ends = TODAY - dt.timedelta(days=1)
    allocation.save()
    assert "Newcomer" not in page(client)
    Allocation.objects.filter(pk=allocation.pk).delete()
    assert "Newcomer" not in page(client)


def test_cover_shows_the_absent_iros_children_at_once(client, council, frozen):
    theirs = make_child(first_name="Yolanda", last_name="Covered")
    allocate(theirs, council.other_iro, Role.IRO, START)
    on_plan(theirs)
    client.force_login(council.iro.user)
    assert "Covered" not in page(client)
    Cover.objects.create(
        absent=council.other_iro,
        covering=council.iro,
        starts=TODAY,
        ends=TODAY + dt.timedelta(days=7),
        reason="leave",
        granted_by=council.iro_team_manager.user,
        granted_at=timezone.now(),
    )
    assert "Covered" in page(client)


def test_a_restricted_child_goes_at_once_and_a_renamed_one_is_renamed(client, council, frozen):
    child = make_child(first_name="Xavier", last_name="Shown")
    allocate(child, council.team_manager, Role.TEAM_MANAGER, START)
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, START)
    on_plan(child)
    client.force_login(council.team_manager.user)
    assert "Shown" in page(client)
    child.last_name = "Renamed"
    child.save()
    assert "Renamed" in page(client)
    child.restricted = True
    child.save()
    assert "Renamed" not in page(client)


def test_each_viewer_and_each_filter_has_its_own_content(client, council, frozen):
    recompute_all(as_of=TODAY)
    client.force_login(council.iro.user)
    mine = page(client)
    client.force_login(council.other_iro.user)
    assert page(client) != mine
    assert page(client, status="met") != page(client, status="overdue")
