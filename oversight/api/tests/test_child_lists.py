"""A child's lists (its allocations, obligations, flags, events, meetings and concerns, and a
concern's history) come in cursor pages, by id, like every other list: a page boundary loses and
repeats nothing, and a cursor or limit this API did not give is a 400 problem naming it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oversight.api.tests.test_resources import TUE, api, frozen, secret_for
from oversight.cases.constants import Role
from oversight.cases.factories import allocate
from oversight.cases.models import Flag
from oversight.cases.obligations import recompute_all
from oversight.escalations.factories import make_concern
from oversight.escalations.models import Concern
from oversight.meetings.models import Meeting

__all__ = ["api", "frozen", "secret_for"]

pytestmark = pytest.mark.django_db

LISTS = ["allocations", "obligations", "flags", "events", "meetings", "concerns"]


@pytest.fixture
def three_of_each(council):
    """At least three rows of every list of the council's child (its chronology is the
    council's, its obligations the engine's; the rest made here)."""
    child = council.child
    recompute_all(as_of=TUE.date())
    # an IRO before the one allocated now
    allocate(child, council.iro, Role.IRO, dt.date(2020, 1, 6), ends=dt.date(2020, 6, 30))
    for code in ("cp.support_challenge_panel", "cp.plan_over_18_months", "cp.third"):
        Flag.objects.create(child=child, code=code, reason="Synthetic", as_of=dt.date(2026, 12, 1))
    for _ in range(3):
        Meeting.objects.create(child=child, kind="strategy", created_at=timezone.now(), typed={})
        make_concern(child, council.iro)
    return child


def _walk(api, url: str, limit: int) -> tuple[list[int], int]:
    """Every id the list gives, page after page of `limit`, and how many pages it took."""
    ids: list[int] = []
    cursor, pages = None, 0
    while True:
        got = api.get(f"{url}?limit={limit}" + (f"&cursor={cursor}" if cursor else ""))
        assert got.status_code == 200, got.content
        ids += [row["id"] if "id" in row else row["code"] for row in got.json()["items"]]
        pages += 1
        cursor = got.json()["next"]
        if cursor is None:
            return ids, pages


@pytest.mark.parametrize("name", LISTS)
def test_a_childs_list_comes_in_pages_losing_and_repeating_nothing(
    api, council, frozen, three_of_each, name
):
    url = f"/children/{three_of_each.pk}/{name}"
    everything = api.get(f"{url}?limit=200").json()
    assert everything["next"] is None  # all on one page
    assert len(everything["items"]) >= 3, name
    whole = [row.get("id", row.get("code")) for row in everything["items"]]
    paged, pages = _walk(api, url, 2)
    assert paged == whole  # the same rows in the same order across the page boundaries
    assert pages == (len(whole) + 1) // 2
    assert len(set(paged)) == len(paged)  # none twice


@pytest.mark.parametrize("name", [n for n in LISTS if n != "flags"])
def test_a_childs_list_is_in_the_order_recorded(api, council, frozen, three_of_each, name):
    ids = [row["id"] for row in api.get(f"/children/{three_of_each.pk}/{name}").json()["items"]]
    assert ids == sorted(ids)


def test_a_concerns_history_comes_in_pages(api, council, frozen, three_of_each):
    concern = Concern.objects.filter(child=three_of_each).earliest("pk")
    url = f"/concerns/{concern.pk}/history"
    whole = [s["id"] for s in api.get(url).json()["items"]]
    assert _walk(api, url, 1) == (whole, max(len(whole), 1))


@pytest.mark.parametrize("name", LISTS)
def test_a_cursor_or_limit_not_ours_is_400_naming_it(api, council, frozen, name):
    url = f"/children/{council.child.pk}/{name}"
    bad = api.get(f"{url}?cursor=not-ours")
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert bad.json()["errors"] == [
        {
            "loc": ["query", "cursor"],
            "msg": "The cursor is not one this API gave",
            "type": "invalid",
        }
    ]
    too_many = api.get(f"{url}?limit=201")
    assert too_many.status_code == 400
    assert too_many.json()["errors"][0]["loc"] == ["query", "limit"]
