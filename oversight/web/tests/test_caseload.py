"""My caseload and the team view, through HTTP, on a frozen day: Wed 20 Jan 2027."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.obligations import recompute_all

pytestmark = pytest.mark.django_db

wednesday_20_january_2027 = dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(wednesday_20_january_2027, tick=False):
        yield


def rows(response) -> list[str]:
    body = response.text[response.text.find('id="caseload"') :]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body, re.S)[1:]
    ]


def counts(response) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'id="count-(\w+)">(\d+)<', response.text)}


def give_iro_children(council, n: int) -> None:
    for i in range(n):
        child = make_child(last_name=f"Extra{i:03d}")
        allocate(child, council.iro, Role.IRO, dt.date(2026, 1, 5))
        allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 1, 5))
        record_event(child, EventType.ICPC, dt.date(2027, 1, 5), outcome="plan")


def test_it_lists_an_overdue_visit_first_for_the_social_worker(client, council, frozen):
    # Milo's ICPC Tue 5 Jan 2027 with visits every 5 working days: visit due Tue 12 Jan 2027,
    # first core group due Tue 19 Jan 2027, both overdue on Wed 20 Jan 2027
    record_event(
        council.other_child, EventType.ICPC, dt.date(2027, 1, 5),
        outcome="plan", visit_interval="5 working days",
    )  # fmt: skip
    recompute_all(as_of=dt.date(2027, 1, 20))
    client.force_login(council.other_social_worker.user)
    response = client.get("/caseload/")
    assert response.status_code == 200
    listed = rows(response)
    assert "Milo Oakridge" in listed[0]
    assert "Child protection visit due" in listed[0]
    assert "Tue 12 Jan 2027" in listed[0]  # the due date with its weekday
    assert "6 working days late" in listed[0]  # Wed 13 to Wed 20 Jan
    assert "First core group meeting due" in listed[1]
    assert "Tue 19 Jan 2027" in listed[1]
    assert "1 working day late" in listed[1]
    assert counts(response)["overdue"] == 2


def test_it_shows_only_mine_to_act_on_by_default(client, council, frozen):
    record_event(council.child, EventType.ICPC, dt.date(2027, 1, 5), outcome="plan")
    recompute_all(as_of=dt.date(2027, 1, 20))
    client.force_login(council.iro.user)
    mine = rows(client.get("/caseload/"))
    assert not any("Child protection visit due" in r for r in mine)  # the social worker's
    assert any("First review conference due" in r for r in mine)  # the IRO's
    everyone = rows(client.get("/caseload/", {"mine": "0"}))
    assert any("Child protection visit due" in r for r in everyone)
    # the owner column names the person who holds the owner role for the child
    visit = next(r for r in everyone if "Child protection visit due" in r)
    assert "Sami Fairholm (Social worker)" in visit


def test_it_filters_by_type_and_status(client, council, frozen):
    record_event(council.child, EventType.ICPC, dt.date(2027, 1, 5), outcome="plan")
    record_event(council.child, EventType.ACTION_SET, dt.date(2027, 1, 6), action="a1",
                 due="2027-02-01", owner="social_worker")  # fmt: skip
    recompute_all(as_of=dt.date(2027, 1, 20))
    client.force_login(council.social_worker.user)
    actions = rows(client.get("/caseload/", {"type": "action"}))
    assert len(actions) == 1 and "Action due" in actions[0]
    overdue = rows(client.get("/caseload/", {"status": "overdue"}))
    assert overdue and all("late" in r for r in overdue)
    met = rows(client.get("/caseload/", {"status": "met"}))
    assert met and all("Met " in r for r in met)


def test_it_never_shows_a_child_the_user_does_not_hold(client, council, frozen):
    record_event(council.other_child, EventType.ICPC, dt.date(2027, 1, 5), outcome="plan")
    recompute_all(as_of=dt.date(2027, 1, 20))
    client.force_login(council.social_worker.user)
    response = client.get("/caseload/", {"mine": "0", "status": "all"})
    assert "Milo" not in response.text


def test_it_paginates_fifty_rows(client, council, frozen):
    give_iro_children(council, 30)  # 30 children x 4 obligations of the IRO's and others
    recompute_all(as_of=dt.date(2027, 1, 20))
    client.force_login(council.social_worker.user)
    first = client.get("/caseload/")
    assert len(rows(first)) == 50
    assert "Page 1 of" in first.text
    assert len(rows(client.get("/caseload/", {"page": 2}))) > 0


@pytest.mark.parametrize("persona", ["iro", "social_worker", "team_manager"])
def test_it_runs_as_many_queries_for_a_large_caseload_as_for_a_small_one(
    client, council, frozen, persona, django_assert_max_num_queries
):
    give_iro_children(council, 2)
    recompute_all(as_of=dt.date(2027, 1, 20))
    client.force_login(getattr(council, persona).user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get("/caseload/", {"mine": "0"}).status_code == 200
    give_iro_children(council, 60)
    recompute_all(as_of=dt.date(2027, 1, 20))
    with django_assert_max_num_queries(len(small)):
        assert client.get("/caseload/", {"mine": "0"}).status_code == 200


def test_it_shows_the_team_manager_their_line_by_social_worker(client, council, frozen):
    record_event(council.child, EventType.ICPC, dt.date(2027, 1, 5), outcome="plan")
    record_event(council.other_child, EventType.ICPC, dt.date(2027, 1, 5), outcome="plan")
    recompute_all(as_of=dt.date(2027, 1, 20))
    client.force_login(council.team_manager.user)
    response = client.get("/team/")
    assert response.status_code == 200
    assert '<h2 class="govuk-heading-m" id="worker-' in response.text
    assert "Sami Fairholm" in response.text  # reports to the team manager
    assert "Poppy Larkfield" in response.text
    assert "Milo Oakridge" not in response.text  # Nia Greyling is not in this line


def test_it_refuses_the_team_view_to_a_social_worker(client, council):
    client.force_login(council.social_worker.user)
    assert client.get("/team/").status_code == 403
