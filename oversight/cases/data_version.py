"""The version of the case data that every process shares, and what each process remembers under
it: who a user is, what their access compiles to, the busiest pages' rendered parts (issue 6,
performance).

Correctness over speed: the version is a fresh random value, set after the commit of every
change to a watched model (a child, its restriction, named people or chronology; obligations
and flags; an allocation, cover, break-glass grant or duty day; a member of staff, their roles,
team or line; a user; a concern), so nothing remembered under an older version is used once any
of that changed: a change shows on the next request, in every worker.

- `current()`: the current version (read it before reading the data you remember under it);
  `held()`: read it once for a block (a request) instead of at each call.
- `bump()`: a new version, now and again after the current transaction commits.
- `remember(key, build)`: `build()`'s value for `key` in this process (`key` must include the
  version and everything else the value depends on); the value is shared, never change it.
- `watch(*models)`: bump on every save or delete of these models (each app's `ready`). Writes
  that bypass model signals (`QuerySet.update()`, `bulk_create`, raw SQL) must call `bump()`.

The version lives in the `page_versions` cache, which must be shared by every process serving
the pages (settings: a file-based cache on the host, enough for gunicorn's workers on one
machine; a deployment on several hosts points it at a shared cache). What is remembered lives in
this process only (at most `REMEMBERED` values, least recently used first out; emptied by a
restart and so by a deploy).
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "oversight:pages:version"
REMEMBERED = 4000

_remembered: OrderedDict[Hashable, Any] = OrderedDict()
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


def remember[T](key: Hashable, build: Callable[[], T]) -> T:
    """`build()`'s value for `key`, built once in this process while it stays among the most
    recently used."""
    with _lock:
        if key in _remembered:
            _remembered.move_to_end(key)
            return _remembered[key]  # type: ignore[no-any-return]
    value = build()
    with _lock:
        _remembered[key] = value
        while len(_remembered) > REMEMBERED:
            _remembered.popitem(last=False)
    return value


def forget() -> None:
    """Forget everything remembered in this process (tests that count the queries of a build)."""
    with _lock:
        _remembered.clear()


def _changed(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # a sign-in's time, which no page shows
    bump()


def watch(*models: type[Model]) -> None:
    """Bump the version on every save or delete of `models` (`CasesConfig.ready`,
    `EscalationsConfig.ready`)."""
    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"version-{model._meta.label}-save")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"version-{model._meta.label}-delete"
        )


def watch_many_to_many(through: type[Model]) -> None:
    """Bump the version when the rows of a many-to-many `through` table change."""
    m2m_changed.connect(_changed, sender=through, dispatch_uid=f"version-{through._meta.label}")
