"""Every request value that becomes part of a remembered key is validated first: what a request
types cannot make new entries, so one user cannot push everyone's pages out of memory (issue 12).
Bad input shows what it showed before (Django's `Paginator.get_page`: the first page for what is
not a whole number, the last past either end; every event for an unknown type)."""

from __future__ import annotations

import datetime as dt
import math

import pytest
import time_machine

from oversight.cache import data_version
from oversight.cache.page_cache import page_number
from oversight.cases.models import Obligation
from oversight.cases.obligations import recompute_all

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 1, 20)  # a Wednesday


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def keys() -> list[tuple[object, ...]]:
    return [k for k in data_version._remembered if isinstance(k, tuple)]


def remembered(name: str) -> set[object]:
    return {k for k in keys() if k[:2] == ("fragment", name)}


def record(html: str) -> str:
    """The child page's record, without "who has seen this record" (it changes with each view)."""
    return main(html).split('id="seen-by"')[0]


def main(html: str) -> str:
    return html.split('id="main-content">')[1]  # the shell's CSRF token differs


@pytest.mark.parametrize(
    "requested, shown",
    [
        ("2", 2),
        (" 3", 3),  # what int() reads
        ("x", 1),  # not a whole number: the first page
        ("2.0", 1),
        ("", 1),
        (None, 1),
        ("0", 3),  # past either end: the last
        ("-1", 3),
        ("999999", 3),
    ],
)
def test_a_page_number_is_the_page_paginator_would_show(requested, shown):
    assert page_number(requested, pages=3) == shown


def test_bad_page_numbers_make_no_new_entries(client, council, frozen, monkeypatch):
    monkeypatch.setattr("oversight.web.views_caseload.ROWS_PER_PAGE", 2)
    recompute_all(as_of=TODAY)
    rows = Obligation.objects.filter(child=council.child).count()
    last = math.ceil(rows / 2)
    assert last >= 3  # the persona's child has enough obligations for three pages
    client.force_login(council.iro.user)

    def page(number: str) -> str:
        params = {"mine": "0", "status": "all", "page": number}
        response = client.get("/caseload/", params)
        assert response.status_code == 200
        return main(response.content.decode())

    first, second, final = page("1"), page("2"), page(str(last))
    assert len(remembered("caseload")) == 3  # the pages shown, one entry each
    for bad in ["999999", "1000000", "0", "-1", f"{last + 1}"]:
        assert page(bad) == final  # past either end: the last page, as before
    for bad in ["x", "2.0", "", "1e3", "%00"]:
        assert page(bad) == first  # not a whole number: the first page, as before
    assert page("02") == second  # the same page however it is written
    assert len(remembered("caseload")) == 3  # and not one entry more


def test_an_unknown_event_type_makes_no_new_entry_of_the_child_page(client, council, frozen):
    client.force_login(council.iro.user)
    url = f"/children/{council.child.pk}/"
    every = client.get(url).content.decode()
    events = council.child.events.count()
    assert f"All events ({events})" in every
    assert len(remembered("child")) == 1
    for bad in ["nonsense", "x" * 500, "strategy_discussion'--"]:
        response = client.get(url, {"type": bad})
        assert response.status_code == 200
        # every event, as before ("who has seen this record" below it changes with each view)
        assert record(response.content.decode()) == record(every)
    assert len(remembered("child")) == 1  # no entry of their own


def test_an_id_no_child_has_makes_no_entry(client, council, frozen):
    client.force_login(council.iro.user)
    for missing in range(900_001, 900_021):  # twenty ids no child has
        assert client.get(f"/children/{missing}/").status_code == 404
    assert not [k for k in keys() if k[0] == "child-access"]
    assert client.get(f"/children/{council.child.pk}/").status_code == 200
    assert len([k for k in keys() if k[0] == "child-access"]) == 1
