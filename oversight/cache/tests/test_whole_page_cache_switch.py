"""`OVERSIGHT_WHOLE_PAGE_CACHE` turns off the whole-page layer only (oversight.cache.page_cache):
off, My caseload and the child page are built again on every view; on, a second view of the same
data reuses the first's. `benchmarks/pages.py` compares the two under writes (issue 12)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.cases.models import Event, Obligation
from oversight.cases.obligations import recompute_all

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 1, 20)  # a Wednesday


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def tables_read_by_second_view(client, url: str) -> str:
    """The SQL of the second of two views of `url` (the first fills every cache)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    # the menu's unread count is read afresh on every request, whatever is remembered
    return "\n".join(
        query["sql"]
        for query in second.captured_queries
        if "notifications_message" not in query["sql"]
    )


@pytest.mark.parametrize(("on", "built_again"), [(True, False), (False, True)])
def test_my_caseload_is_built_again_only_with_the_whole_page_cache_off(
    client, council, frozen, settings, on, built_again
):
    settings.OVERSIGHT_WHOLE_PAGE_CACHE = on
    recompute_all(as_of=TODAY)
    client.force_login(council.iro.user)
    sql = tables_read_by_second_view(client, "/caseload/?mine=0&status=all")
    assert (Obligation._meta.db_table in sql) is built_again


@pytest.mark.parametrize(("on", "built_again"), [(True, False), (False, True)])
def test_the_child_page_is_built_again_only_with_the_whole_page_cache_off(
    client, council, frozen, settings, on, built_again
):
    settings.OVERSIGHT_WHOLE_PAGE_CACHE = on
    record_event(council.child, EventType.CP_VISIT, dt.date(2027, 1, 18))  # a Monday
    recompute_all(as_of=TODAY)
    client.force_login(council.iro.user)
    sql = tables_read_by_second_view(client, f"/children/{council.child.pk}/")
    assert (Event._meta.db_table in sql) is built_again


def test_the_environment_turns_the_whole_page_cache_off():
    read = "import oversight.settings as s; print(s.OVERSIGHT_WHOLE_PAGE_CACHE)"
    for value, expected in [("", "True"), ("false", "False"), ("true", "True")]:
        environ = {**os.environ, "OVERSIGHT_WHOLE_PAGE_CACHE": value}
        out = subprocess.run(
            [sys.executable, "-c", read], env=environ, capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == expected
