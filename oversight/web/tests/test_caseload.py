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


def three_children(council) -> None:
    """Three children of the IRO's across the Christmas bank holidays: ICPCs on Mon 14 Dec 2026
    (Zara Abbot), Wed 23 Dec 2026 (Ada Young) and Tue 5 Jan 2027 (Nell Moss), so their first
    review conferences fall due in that order and their names sort the other way."""
    for first, last, held in [("Zara", "Abbot", dt.date(2026, 12, 14)),
                              ("Ada", "Young", dt.date(2026, 12, 23)),
                              ("Nell", "Moss", dt.date(2027, 1, 5))]:  # fmt: skip
        child = make_child(first_name=first, last_name=last)
        allocate(child, council.iro, Role.IRO, dt.date(2026, 1, 5))
        allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 1, 5))
        record_event(child, EventType.ICPC, held, outcome="plan")
    recompute_all(as_of=dt.date(2027, 1, 20))


def reviews(response) -> list[str]:
    """The children of the "First review conference due" rows, in the order listed."""
    return [r.split(" ")[1] for r in rows(response) if "First review conference due" in r]


def test_it_sorts_by_a_column_validated_against_its_list(client, council, frozen):
    three_children(council)
    client.force_login(council.iro.user)
    by_urgency = reviews(client.get("/caseload/"))
    assert by_urgency == ["Abbot", "Young", "Moss"]  # the first due first
    assert reviews(client.get("/caseload/", {"sort": "child"})) == [
        "Abbot", "Moss", "Young"]  # fmt: skip
    assert reviews(client.get("/caseload/", {"sort": "-child"})) == [
        "Young", "Moss", "Abbot"]  # fmt: skip
    assert reviews(client.get("/caseload/", {"sort": "-due"})) == [
        "Moss", "Young", "Abbot"]  # fmt: skip
    # Anything not on the list is the default order, never an error.
    for bad in ["child_last; DROP TABLE", "pk", "--child", "\x00"]:
        response = client.get("/caseload/", {"sort": bad})
        assert response.status_code == 200
        assert reviews(response) == by_urgency


def test_it_says_which_column_is_sorted_and_links_the_other_way(client, council, frozen):
    three_children(council)
    client.force_login(council.iro.user)
    text = client.get("/caseload/", {"sort": "child", "type": "cp"}).text
    heading = re.search(
        r'<th[^>]*aria-sort="ascending"[^>]*><a[^>]*href="([^"]*)"[^>]*>(\w+)<', text
    )
    assert heading is not None and heading[2] == "Child"
    assert "sort=-child" in heading[1] and "type=cp" in heading[1]  # the filters kept
    assert text.count('aria-sort="none"') == 3  # obligation, due, working days
    assert 'name="sort" value="child"' in text  # the filters keep the sort


def test_it_names_each_owner_once_and_the_viewer_as_you(client, council, frozen):
    # Tara manages a small team and is also Kit's social worker: the ICPC (the social worker's
    # and the team manager's) names her once, with both roles; to Tara herself, "You".
    kit = make_child(first_name="Kit", last_name="Varley")
    allocate(kit, council.iro, Role.IRO, dt.date(2027, 1, 4))
    allocate(kit, council.team_manager, Role.SOCIAL_WORKER, dt.date(2027, 1, 4))
    allocate(kit, council.team_manager, Role.TEAM_MANAGER, dt.date(2027, 1, 4))
    record_event(kit, EventType.STRATEGY_DISCUSSION, dt.date(2027, 1, 11))
    recompute_all(as_of=dt.date(2027, 1, 20))
    client.force_login(council.iro.user)
    icpc = next(r for r in rows(client.get("/caseload/", {"mine": "0"})) if "Kit Varley" in r)
    assert icpc.count("Tara Elsworth") == 1
    assert re.search(r"Tara Elsworth \([^)]+, [^)]+\)", icpc)  # her two roles, once
    client.force_login(council.team_manager.user)
    everyone = client.get("/caseload/", {"mine": "0"})
    icpc = next(r for r in rows(everyone) if "Kit Varley" in r)
    assert "You" in icpc and "Tara Elsworth" not in icpc
    # Mine to act on: every row is mine, so the column names only the others on it.
    mine = client.get("/caseload/")
    assert "Shared with" in mine.text
    assert not any("You" in r or "Tara Elsworth" in r for r in rows(mine))


def test_it_shows_each_childs_age_on_the_row(client, council, frozen):
    # born Thu 21 Jan 2017: 9 on Wed 20 Jan 2027, the day before the tenth birthday
    born = make_child(
        first_name="Ada", last_name="Quillfeather", date_of_birth=dt.date(2017, 1, 21)
    )
    # unborn, due Sun 14 Mar 2027: no age yet
    unborn = make_child(
        first_name="Baby",
        last_name="Thornbury",
        date_of_birth=None,
        expected_date_of_delivery=dt.date(2027, 3, 14),
    )
    for child in (born, unborn):
        allocate(child, council.iro, Role.IRO, dt.date(2026, 1, 5))
        allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 1, 5))
        record_event(child, EventType.ICPC, dt.date(2027, 1, 5), outcome="plan")
    recompute_all(as_of=dt.date(2027, 1, 20))
    client.force_login(council.iro.user)
    listed = rows(client.get("/caseload/", {"mine": "0", "status": "all"}))
    ada = [row for row in listed if "Ada Quillfeather" in row]
    assert ada and all("9 years old" in row for row in ada)  # not 10: the birthday is tomorrow
    baby = [row for row in listed if "Baby Thornbury" in row]
    assert baby and all("Unborn" in row for row in baby)
