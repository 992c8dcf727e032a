"""The version of the case data that every process shares, and what each process remembers under
it: who a user is, what their access compiles to, the busiest pages' rendered parts (issue 6,
performance). The rules are in `oversight.cache`'s docstring.

- `current()`: the current version (read it before reading the data you remember under it);
  `held()`: read it once for a block (a request) instead of at each call.
- `bump()`: a new version, now and again after the current transaction commits.
- `remember(key, build, until=...)`: `build()`'s value for `key` in this process (`key` must
  include the version and everything else the value depends on, each part validated); the value
  is shared, never change it. `until` gives the moment the value stops being true on its own (an
  access that ends at 14:00): it is built afresh after that.

The version lives in the `page_versions` cache, which must be shared by every process serving
the pages (settings: a file-based cache on the host by default, enough for gunicorn's workers on
one machine; `CACHE_URL` for several hosts). What is remembered lives in this process only, at
most `OVERSIGHT_REMEMBER_BYTES` of it (each value's size estimated by `approximate_size`), least
recently used first out; emptied by a restart and so by a deploy.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

VERSION_KEY = "oversight:pages:version"
# `until=lambda _: NOT_KEPT`: a value built for this request only, never remembered.
NOT_KEPT = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class _Kept:
    value: Any
    size: int
    until: dt.datetime | None


_remembered: OrderedDict[Hashable, _Kept] = OrderedDict()
_remembered_bytes = 0
_lock = threading.Lock()


# The version a request read when it began (`held`), so that it reads the shared cache once.
_held: ContextVar[str | None] = ContextVar("oversight_data_version", default=None)


def current() -> str:
    """The data's current version: the one the request read when it began (`held`), or the
    shared cache's (made on first use when it has none)."""
    return _held.get() or _shared()


@contextmanager
def held() -> Iterator[None]:
    """Within the block, `current()` is the version read as it begins (or a newer one this
    process bumped meanwhile): the web middleware holds one per request."""
    token = _held.set(_shared())
    try:
        yield
    finally:
        _held.reset(token)


def _shared() -> str:
    versions = caches["page_versions"]
    found = versions.get(VERSION_KEY)
    if found is None:
        versions.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        found = versions.get(VERSION_KEY)
    return str(found)


def _set_new_version() -> None:
    new = uuid.uuid4().hex
    caches["page_versions"].set(VERSION_KEY, new, timeout=None)
    if _held.get() is not None:
        _held.set(new)  # what this request reads after its own change is not kept under the old


def bump() -> None:
    """A new version once the current transaction commits (at once outside a transaction);
    and at once as well, so that nothing read meanwhile is remembered under the old one."""
    _set_new_version()
    transaction.on_commit(_set_new_version)


def remember[T](
    key: Hashable,
    build: Callable[[], T],
    *,
    until: Callable[[T], dt.datetime | None] | None = None,
) -> T:
    """`build()`'s value for `key`, built once in this process while it stays among the most
    recently used (and, when `until(value)` gives a moment, until that moment)."""
    now = timezone.now()
    with _lock:
        kept = _remembered.get(key)
        if kept is not None and (kept.until is None or now < kept.until):
            _remembered.move_to_end(key)
            return kept.value  # type: ignore[no-any-return]
    value = build()
    ends = until(value) if until else None
    if ends is None or now < ends:  # one that has ended already is not kept
        _keep(key, _Kept(value, approximate_size(value), ends))
    return value


def _keep(key: Hashable, kept: _Kept) -> None:
    global _remembered_bytes
    limit = settings.OVERSIGHT_REMEMBER_BYTES
    with _lock:
        old = _remembered.pop(key, None)
        if old is not None:
            _remembered_bytes -= old.size
        if kept.size > limit:
            return  # larger than the whole memory: built for this request only
        _remembered[key] = kept
        _remembered_bytes += kept.size
        while _remembered_bytes > limit:
            _key, out = _remembered.popitem(last=False)
            _remembered_bytes -= out.size


def remembered_bytes() -> int:
    """The approximate size of everything remembered in this process."""
    return _remembered_bytes


def approximate_size(value: Any, _seen: set[int] | None = None, _depth: int = 0) -> int:
    """About how many bytes `value` holds: `sys.getsizeof` of it and, a few levels down, of what
    it contains (the items of tuples, lists, sets and dicts; an object's attributes). An estimate
    to bound the memory by, not an exact count: objects shared between values count in each, and
    anything deeper than six levels (a compiled query's expressions) is not counted."""
    seen = _seen if _seen is not None else set()
    if id(value) in seen or isinstance(value, type):
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if _depth >= 6 or isinstance(value, str | bytes | int | float | bool | None):
        return size
    deeper = _depth + 1
    if isinstance(value, dict):
        items: Any = [*value.keys(), *value.values()]
    elif isinstance(value, tuple | list | set | frozenset):
        items = value
    else:
        items = list(getattr(value, "__dict__", {}).values())
        items += [getattr(value, slot, None) for slot in getattr(type(value), "__slots__", ())]
    return size + sum(approximate_size(item, seen, deeper) for item in items)


def forget() -> None:
    """Forget everything remembered in this process (tests that count the queries of a build)."""
    global _remembered_bytes
    with _lock:
        _remembered.clear()
        _remembered_bytes = 0


def _changed(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # a sign-in's time, which no page shows
    bump()


def watch(*models: type[Model]) -> None:
    """Bump the version on every save or delete of `models` (called only by
    `oversight.cache.watched.register`, which names them all)."""
    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"version-{model._meta.label}-save")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"version-{model._meta.label}-delete"
        )


def watch_many_to_many(through: type[Model]) -> None:
    """Bump the version when the rows of a many-to-many `through` table change."""
    m2m_changed.connect(_changed, sender=through, dispatch_uid=f"version-{through._meta.label}")
