"""The data version: what a process remembers is used only while nothing it depends on changed
(issue 6, performance: correctness over speed)."""

import pytest
from django.core.cache import caches

from oversight.cases import data_version
from oversight.cases.factories import make_child

pytestmark = pytest.mark.django_db


def test_a_saved_watched_model_gives_a_new_version(council):
    before = data_version.current()
    make_child()  # a child is watched
    assert data_version.current() != before


def test_a_value_is_built_once_per_key():
    built = []

    def build() -> str:
        built.append(1)
        return "value"

    key = ("test", data_version.current())
    assert data_version.remember(key, build) == "value"
    assert data_version.remember(key, build) == "value"
    assert len(built) == 1  # the second came from memory
    data_version.bump()
    data_version.remember(("test", data_version.current()), build)
    assert len(built) == 2  # a new version, a new key: built again


def test_the_least_recently_used_value_goes_first(monkeypatch):
    monkeypatch.setattr(data_version, "REMEMBERED", 2)
    data_version.remember("a", lambda: 1)
    data_version.remember("b", lambda: 2)
    data_version.remember("a", lambda: 0)  # "a" used again: "b" is now the oldest
    data_version.remember("c", lambda: 3)  # one too many: "b" goes
    assert data_version.remember("a", lambda: "rebuilt") == 1
    assert data_version.remember("b", lambda: "rebuilt") == "rebuilt"


def test_a_held_version_is_read_once_and_follows_this_processs_own_change():
    with data_version.held():
        held = data_version.current()
        # another process's change: the request keeps the version it began with
        caches["page_versions"].set(data_version.VERSION_KEY, "from another process", timeout=None)
        assert data_version.current() == held
        data_version.bump()  # this request's own change: what it reads next is kept under it
        assert data_version.current() not in (held, "from another process")
    assert data_version.current() == data_version._shared()  # outside: the shared one
