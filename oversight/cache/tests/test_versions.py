"""A write invalidates only what it changes (issue 12, performance under writes): a recorded
event, an obligation recompute or a concern step moves its child's version and its holders' (whose
caseloads show it), never who is signed in or the access decisions; another child's page and
another person's caseload stay remembered. What
changes who may see what moves the access version, under which everything is remembered. A
fixed clock: Wednesday 20 January 2027, 09:00."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oversight.cache import data_version
from oversight.cache.data_version import ACCESS, RECORDS
from oversight.cases import actions, allocations
from oversight.cases.constants import EventType
from oversight.cases.obligations import recompute_all, recompute_child
from oversight.escalations.factories import make_concern

pytestmark = pytest.mark.django_db

WEDNESDAY_20_JANUARY_2027 = dt.date(2027, 1, 20)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def versions(council) -> dict[str, str]:
    """The council-wide versions, each child's, and the records its IRO holds (one per IRO)."""
    found = {name: data_version.current(name) for name in (ACCESS, RECORDS)}
    return found | {
        "child": data_version.child(council.child.pk),
        "other child": data_version.child(council.other_child.pk),
        "held by the IRO": data_version.holders([council.iro.pk]),
        "held by the other IRO": data_version.holders([council.other_iro.pk]),
        "held down the IRO team manager's line": data_version.holders(
            [council.iro_team_manager.pk]
        ),
    }


def moved(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def record_visit(council, child) -> None:
    actions.record_event(
        child,
        type=EventType.CP_VISIT,
        date=WEDNESDAY_20_JANUARY_2027,
        data={},
        acting_user=council.iro.user,
        as_of=WEDNESDAY_20_JANUARY_2027,
    )


def test_a_recorded_event_moves_its_childs_and_its_holders_versions_only(council):
    before = versions(council)
    record_visit(council, council.child)
    assert moved(before, versions(council)) == {
        "child",
        "held by the IRO",
        "held down the IRO team manager's line",
    }


def test_an_obligation_recompute_moves_its_childs_and_its_holders_versions_only(council):
    before = versions(council)
    recompute_child(council.child, as_of=WEDNESDAY_20_JANUARY_2027)
    assert moved(before, versions(council)) == {
        "child",
        "held by the IRO",
        "held down the IRO team manager's line",
    }


def test_a_concern_moves_its_childs_and_its_holders_versions_only(council):
    before = versions(council)
    make_concern(council.child, council.iro)
    assert moved(before, versions(council)) == {
        "child",
        "held by the IRO",
        "held down the IRO team manager's line",
    }


def test_the_nightly_recompute_moves_every_record_but_not_access(council):
    before = versions(council)
    recompute_all(as_of=WEDNESDAY_20_JANUARY_2027)
    assert moved(before, versions(council)) == {RECORDS}


def test_a_reallocation_moves_access_and_its_childs_version(council):
    before = versions(council)
    allocations.allocate_iro(
        council.child,
        iro=council.other_iro,
        reason="Caseload balance",
        acting_user=council.iro_team_manager.user,
    )
    assert moved(before, versions(council)) == {
        ACCESS,
        "child",
        "held by the IRO",
        "held by the other IRO",
        "held down the IRO team manager's line",
    }


def test_a_cover_moves_access_only(council):
    before = versions(council)
    allocations.give_cover(
        council.iro,
        covering=council.other_iro,
        starts=WEDNESDAY_20_JANUARY_2027,
        ends=dt.date(2027, 1, 22),  # Friday
        reason="Annual leave",
        acting_user=council.iro_team_manager.user,
    )
    assert moved(before, versions(council)) == {ACCESS}


def queries_of(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_an_event_on_one_child_leaves_another_childs_page_and_the_access_remembered(
    client, council
):
    client.force_login(council.iro_team_manager.user)  # sees every child
    path = f"/children/{council.other_child.pk}/"
    queries_of(client, path)  # built
    from_memory = queries_of(client, path)  # remembered: the audit row, who has seen it
    record_visit(council, council.child)  # another child
    # The same queries as from memory: no page built, no user or access decision read again.
    assert queries_of(client, path) == from_memory


def test_an_event_on_a_child_in_my_scope_shows_on_my_next_caseload(client, council):
    client.force_login(council.iro.user)
    page = "/caseload/?mine=0&status=all"
    met_today = "Met Wed 20 Jan 2027"
    assert met_today not in client.get(page).content.decode()
    assert met_today not in client.get(page).content.decode()  # and now from memory
    record_visit(council, council.child)  # meets the overdue visit
    assert met_today in client.get(page).content.decode()  # the very next request shows it


def test_an_event_on_a_child_outside_my_scope_leaves_my_caseload_remembered(client, council):
    client.force_login(council.other_iro.user)  # holds the other child, not this one
    page = "/caseload/?mine=0&status=all"
    client.get(page)  # built
    from_memory = queries_of(client, page)
    record_visit(council, council.child)
    assert queries_of(client, page) == from_memory  # not built again


def test_an_event_on_a_child_of_my_line_shows_on_my_next_caseload_as_a_manager(client, council):
    client.force_login(council.iro_team_manager.user)  # the IRO reports to them
    page = "/caseload/?mine=0&status=all"
    met_today = "Met Wed 20 Jan 2027"
    assert met_today not in client.get(page).content.decode()
    assert met_today not in client.get(page).content.decode()  # and now from memory
    record_visit(council, council.child)  # the IRO's child: meets the overdue visit
    assert met_today in client.get(page).content.decode()  # the very next request shows it
