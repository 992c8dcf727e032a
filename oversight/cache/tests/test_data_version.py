"""The data version: what a process remembers is used only while nothing it depends on changed
(issue 6, performance: correctness over speed)."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import caches

from oversight.cache import data_version
from oversight.cache.data_version import ACCESS
from oversight.cases.factories import make_child

pytestmark = pytest.mark.django_db


def test_a_saved_watched_model_gives_a_new_version(council):
    before = data_version.current(ACCESS)
    make_child()  # a child is watched
    assert data_version.current(ACCESS) != before


def test_a_value_is_built_once_per_key():
    built = []

    def build() -> str:
        built.append(1)
        return "value"

    key = ("test", data_version.current(ACCESS))
    assert data_version.remember(key, build) == "value"
    assert data_version.remember(key, build) == "value"
    assert len(built) == 1  # the second came from memory
    data_version.bump()
    data_version.remember(("test", data_version.current(ACCESS)), build)
    assert len(built) == 2  # a new version, a new key: built again


def test_the_least_recently_used_value_goes_first(settings):
    value_size = data_version.approximate_size("x" * 1000)
    settings.OVERSIGHT_REMEMBER_BYTES = 2 * value_size  # room for two values
    data_version.remember("a", lambda: "a" * 1000)
    data_version.remember("b", lambda: "b" * 1000)
    data_version.remember("a", lambda: "rebuilt")  # "a" used again: "b" is now the oldest
    data_version.remember("c", lambda: "c" * 1000)  # one too many: "b" goes
    assert data_version.remember("a", lambda: "rebuilt") == "a" * 1000
    assert data_version.remember("b", lambda: "rebuilt") == "rebuilt"


def test_memory_is_bounded_by_bytes_not_by_entries(settings):
    settings.OVERSIGHT_REMEMBER_BYTES = 100_000
    for n in range(500):  # 500 values of about 1 kB: far more than 100 kB
        data_version.remember(("page", n), lambda: "<tr>" * 250)
    assert data_version.remembered_bytes() <= 100_000  # the oldest went
    assert data_version.remembered_bytes() > 90_000  # and no more than needed
    assert data_version.remember(("page", 499), lambda: "rebuilt") != "rebuilt"  # newest kept
    assert data_version.remember(("page", 0), lambda: "rebuilt") == "rebuilt"  # oldest gone


def test_a_value_larger_than_the_whole_memory_is_built_but_not_kept(settings):
    settings.OVERSIGHT_REMEMBER_BYTES = 1_000
    data_version.remember("small", lambda: "s")
    assert data_version.remember("huge", lambda: "h" * 5_000) == "h" * 5_000
    assert data_version.remember("huge", lambda: "rebuilt") == "rebuilt"  # not kept
    assert data_version.remember("small", lambda: "rebuilt") == "s"  # and pushed nothing out


def test_the_size_of_a_value_counts_what_it_holds():
    page = "x" * 10_000
    assert data_version.approximate_size(page) >= 10_000
    assert data_version.approximate_size(("fragment", page)) >= 10_000  # inside a tuple
    assert data_version.approximate_size({"rows": [page, page * 2]}) >= 30_000  # and a dict


def test_a_value_with_an_end_is_built_again_after_it():
    with time_machine.travel(dt.datetime(2027, 1, 20, 13, 0, tzinfo=dt.UTC), tick=False) as clock:
        ends = dt.datetime(2027, 1, 20, 14, 0, tzinfo=dt.UTC)
        assert data_version.remember("grant", lambda: "open", until=lambda _: ends) == "open"
        clock.move_to(dt.datetime(2027, 1, 20, 13, 59, tzinfo=dt.UTC))
        assert data_version.remember("grant", lambda: "rebuilt") == "open"  # before its end
        clock.move_to(dt.datetime(2027, 1, 20, 14, 0, tzinfo=dt.UTC))
        assert data_version.remember("grant", lambda: "ended") == "ended"  # at its end: again


def test_a_held_version_is_read_once_and_follows_this_processs_own_change():
    with data_version.held():
        held = data_version.current(ACCESS)
        # another process's change: the request keeps the version it began with
        caches["page_versions"].set(
            data_version.KEY_PREFIX + ACCESS, "from another process", timeout=None
        )
        assert data_version.current(ACCESS) == held
        data_version.bump()  # this request's own change: what it reads next is kept under it
        assert data_version.current(ACCESS) not in (held, "from another process")
    assert (
        data_version.current(ACCESS) == data_version._shared([ACCESS])[ACCESS]
    )  # outside: the shared one


def test_a_lost_version_is_made_afresh_never_one_used_before(council):
    used = data_version.child(council.child.pk)
    caches["page_versions"].delete(data_version.KEY_PREFIX + f"child:{council.child.pk}")
    assert data_version.child(council.child.pk) != used  # culled or evicted: a rebuild, no more


def test_the_holders_value_changes_when_any_of_theirs_does(council):
    both = [council.iro.pk, council.other_iro.pk]
    before, iro_only = data_version.holders(both), data_version.holders([council.iro.pk])
    assert data_version.holders(list(reversed(both))) == before  # whatever the order
    data_version.bump_child(council.other_child.pk)  # held by the other IRO only
    assert data_version.holders(both) != before  # one of theirs changed
    assert data_version.holders([council.iro.pk]) == iro_only  # none of the IRO's did
