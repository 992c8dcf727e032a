"""The file cache one host's processes share counts its files once every `WRITES_PER_CULL`
writes, not at each (Django's lists the directory at every write), and still culls; its
counters are added to in place, by several processes at once."""

from __future__ import annotations

import datetime as dt
import multiprocessing

import pytest
import time_machine

from oversight.cache.checks import check_shared_cache
from oversight.cache.file_cache import FileCache


def _cache(tmp_path, max_entries: int) -> FileCache:
    return FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": max_entries, "CULL_FREQUENCY": 2}})


def test_it_lists_its_files_at_the_first_write_and_then_once_every_100(tmp_path, monkeypatch):
    cache = _cache(tmp_path, 20_000)
    listed: list[int] = []
    real = getattr(cache, "_list_cache_files")  # noqa: B009 - Django's, not in its stubs

    def counted() -> list[str]:
        listed.append(1)
        return list(real())

    monkeypatch.setattr(cache, "_list_cache_files", counted)
    for n in range(250):
        cache.set(f"rate:{n}", n)
    assert len(listed) == 3  # at writes 1, 101 and 201
    assert cache.get("rate:249") == 249


def test_it_still_culls_past_its_entries(tmp_path):
    cache = _cache(tmp_path, 10)
    for n in range(100):  # one count, at the first write: nothing to cull yet
        cache.set(f"key:{n}", n)
    assert len(list(tmp_path.iterdir())) == 100  # over by the writes between two counts
    cache.set("key:100", 100)  # the 101st write counts 100 files and culls half of them
    assert len(list(tmp_path.iterdir())) == 51


def test_several_hosts_are_refused_it_as_djangos_own(settings):
    settings.OVERSIGHT_HOSTS = 2
    settings.CACHES = {
        alias: {"BACKEND": "oversight.cache.file_cache.FileCache", "LOCATION": "/nowhere"}
        for alias in ("sessions", "page_versions")
    }
    # each host would keep its own sessions and data versions
    assert [e.id for e in check_shared_cache()] == ["oversight.cache.E001"] * 2


def _add_to_counter(directory: str, times: int) -> None:
    cache = _cache_in(directory)
    for _ in range(times):
        cache.incr("rate:caller")


def _cache_in(directory: str) -> FileCache:
    return FileCache(directory, {"OPTIONS": {"MAX_ENTRIES": 20_000}})


def test_it_adds_to_a_counter_keeping_its_expiry(tmp_path):
    cache = _cache(tmp_path, 20_000)
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        cache.add("rate:caller", 1, timeout=60)
        clock.shift(30)
        assert cache.incr("rate:caller") == 2
        assert cache.incr("rate:caller", 5) == 7
        clock.shift(31)  # 61 s after it was made: expired, though added to at 30 s
        with pytest.raises(ValueError):
            cache.incr("rate:caller")
    with pytest.raises(ValueError):
        cache.incr("rate:nobody")


def test_two_processes_adding_at_once_both_count(tmp_path):
    cache = _cache_in(str(tmp_path))
    cache.add("rate:caller", 0, timeout=600)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_add_to_counter, args=(str(tmp_path), 300)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert cache.get("rate:caller") == 900  # none of the 900 additions lost to another's
