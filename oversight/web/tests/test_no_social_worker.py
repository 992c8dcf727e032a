"""A child on a plan or looked after has an allocated social worker at all times (Camden, seed
000, s. 4.1): without one, the child's page, the child's IRO's caseload and the caseload of the
team manager of its last social worker say so.

Poppy has been on a plan since Fri 19 September 2025; Sami's allocation as her social worker ends
on Thu 24 December 2026 (his last day). Rosa, with only a strategy discussion, loses him too, but
is neither on a plan nor looked after."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.cases.allocations import children_without_social_worker
from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.models import Allocation

pytestmark = pytest.mark.django_db

thursday_24_december_2026 = dt.date(2026, 12, 24)
tuesday_29_december_2026 = dt.date(2026, 12, 29)
WARNING = "No allocated social worker"


def at_nine(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


@pytest.fixture
def sami_leaves(council):
    rosa = make_child(
        reference="C3000001", first_name="Rosa", last_name="Penhale",
        date_of_birth=dt.date(2020, 5, 1),
    )  # fmt: skip
    allocate(rosa, council.iro, Role.IRO, dt.date(2026, 12, 1))
    allocate(rosa, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 12, 1))
    record_event(rosa, EventType.STRATEGY_DISCUSSION, dt.date(2026, 12, 14))
    Allocation.objects.filter(staff=council.social_worker).update(ends=thursday_24_december_2026)
    return rosa


def test_the_childs_iro_and_the_team_manager_are_told_once_the_worker_has_gone(
    council, sami_leaves
):
    # Thu 24 December: Sami's last day, still allocated
    assert children_without_social_worker(council.iro, thursday_24_december_2026) == []
    # Tue 29 December (after Christmas and Boxing Day's substitute): nobody holds the role
    assert children_without_social_worker(council.iro, tuesday_29_december_2026) == [council.child]
    assert children_without_social_worker(council.team_manager, tuesday_29_december_2026) == [
        council.child
    ]
    # Not Poppy's IRO, nor a manager of her last worker
    assert children_without_social_worker(council.other_iro, tuesday_29_december_2026) == []


def test_the_pages_say_so(client, council, sami_leaves):
    with time_machine.travel(at_nine(tuesday_29_december_2026), tick=False):
        client.force_login(council.iro.user)
        assert WARNING in client.get(f"/children/{council.child.pk}/").text
        assert WARNING not in client.get(f"/children/{sami_leaves.pk}/").text
        caseload = client.get("/caseload/")
        warning = caseload.text[caseload.text.index('id="without-social-worker"') :]
        warning = warning[: warning.index("</div>")]
        assert "Poppy Larkfield (C1000001)" in warning
        assert "Rosa Penhale" not in warning
        # Tara's team lost the worker: she still sees Poppy, to allocate another
        client.force_login(council.team_manager.user)
        assert "Poppy Larkfield (C1000001)" in client.get("/caseload/").text
        assert WARNING in client.get(f"/children/{council.child.pk}/").text
        # Nia's team never held Poppy
        client.force_login(council.other_social_worker.user)
        assert client.get(f"/children/{council.child.pk}/").status_code == 404
    with time_machine.travel(at_nine(thursday_24_december_2026), tick=False):
        client.force_login(council.iro.user)
        assert WARNING not in client.get(f"/children/{council.child.pk}/").text


def _left_by_sami(council, first_name: str, *, on_a_plan: bool):
    """A child whose last social worker was Sami, his allocation ended Thu 24 December 2026: on
    a plan since Mon 2 November 2026, or a case closed (a strategy discussion only)."""
    child = make_child(first_name=first_name, last_name="Treloar")
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 10, 1))
    if on_a_plan:
        record_event(child, EventType.ICPC, dt.date(2026, 11, 2), outcome="plan")
    else:
        record_event(child, EventType.STRATEGY_DISCUSSION, dt.date(2026, 10, 5))
    Allocation.objects.filter(child=child).update(ends=thursday_24_december_2026)
    return child


def test_the_team_managers_caseload_runs_as_many_queries_however_many_children_left_the_line(
    client, council, sami_leaves, django_assert_max_num_queries
):
    # Issue 12's benchmark: a query per child whose last social worker was of the line (most of
    # them closed cases, on no plan) took a service manager's caseload to seconds.
    with time_machine.travel(at_nine(tuesday_29_december_2026), tick=False):
        client.force_login(council.team_manager.user)
        client.get("/caseload/")
        _left_by_sami(council, "Ada", on_a_plan=False)  # a change, so that the page is rebuilt
        with CaptureQueriesContext(connection) as few:
            assert client.get("/caseload/").status_code == 200
        for n, name in enumerate(("Bea", "Cai", "Dot", "Eli", "Fen", "Gus", "Hal", "Ivo")):
            _left_by_sami(council, name, on_a_plan=n % 4 == 0)  # Bea and Fen on a plan
        with django_assert_max_num_queries(len(few)):
            caseload = client.get("/caseload/")
    warning = caseload.text[caseload.text.index('id="without-social-worker"') :]
    warning = warning[: warning.index("</div>")]
    assert "Bea Treloar" in warning and "Fen Treloar" in warning
    assert "Poppy Larkfield (C1000001)" in warning
    assert not any(f"{name} Treloar" in warning for name in ("Ada", "Cai", "Hal"))
    assert "Rosa Penhale" not in warning
