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
