"""The versions of the case data that every process shares, and what each process remembers under
them: who a user is, what their access compiles to, the busiest pages' rendered parts (issue 6,
performance; issue 12: a write invalidates only what it changes). The rules are in
`oversight.cache`'s docstring.

Five kinds of version, each a random value in the shared cache, a new one at every bump:

- `ACCESS`: who may see what, and who is signed in (users, staff, roles, teams, allocations,
  cover, grants, the duty rota, a child's restriction). Every remembered value depends on it.
- `child(pk)`: one child's record (events, obligations, flags, concerns, allocations), read by
  that child's page only after the access check has found the child (so that a request cannot
  make versions for ids no child has).
- `RECORDS`: every child's record at once (the nightly recompute, a sibling group, a bulk load):
  part of every child page's key beside the child's own version.
- `caseload(staff)`: the records of the children a member of staff, or anyone down their line,
  holds (has an allocation of, past, open or future): bumped with each of those children's
  versions. A caseload is keyed by the versions of its people (`holders(ids)`: me, and the IROs
  I cover for; a manager's own follows their line), with `RECORDS`, so a change to a child on it
  rebuilds it, and a change to any other child does not.
- `inbox(staff)`: the messages addressed to a member of staff (a new one, one read): keys what
  the navigation counts of their unread messages on every page, so that a page remembered whole
  runs no query for it.

- `current(name)`: a council-wide version (read it before reading the data you remember under
  it); `held()`: read each version once for a block (a request) instead of at each call.
- `bump()` (everything), `bump_access()`, `bump_records()`, `bump_child(pk)` (the child's and
  its holders'), `bump_inbox(staff_id)`: a new version, now and again after the current transaction commits.
- `deferred()`: a block whose bumps are gathered and made once, each version once, at its end (an
  import of thousands of children, whose every event would otherwise write the shared cache and
  look up its child's holders; more than `DEFERRED_CHILDREN` children bump `RECORDS` instead);
  put the block around the transaction, so that the bumps come after the commit.
- `remember(key, build, until=...)`: `build()`'s value for `key` in this process (`key` must
  include the versions and everything else the value depends on, each part validated); the value
  is shared, never change it. `until` gives the moment the value stops being true on its own (an
  access that ends at 14:00): it is built afresh after that.

The versions live in the `page_versions` cache, which must be shared by every process serving
the pages (settings: a file-based cache on the host by default, enough for gunicorn's workers on
one machine; `CACHE_URL` for several hosts). A version the cache has lost (evicted, culled) is
made afresh, a value never used before, so losing one costs a rebuild, never a stale page. What
is remembered lives in this process only, at most `OVERSIGHT_REMEMBER_BYTES` of it (each value's
size estimated by `approximate_size`), least recently used first out; emptied by a restart and
so by a deploy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

ACCESS = "access"
RECORDS = "records"
COUNCIL_WIDE = (ACCESS, RECORDS)
KEY_PREFIX = "oversight:pages:version:"
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


# The versions a request read when it began (`held`), so that it reads the shared cache once
# for each: the council-wide ones at once, a child's when it is first asked for.
_held: ContextVar[dict[str, str] | None] = ContextVar("oversight_data_versions", default=None)


def current(name: str) -> str:
    """The council-wide version `name` (`ACCESS` or `RECORDS`): the one the request
    read when it began (`held`), or the shared cache's."""
    return _version(name)


def child(child_id: int) -> str:
    """The version of child `child_id`'s record (read it once the child is known to exist, before
    reading the record), made on first use."""
    return _version(f"child:{child_id}")


def inbox(staff_id: int) -> str:
    """The version of the messages addressed to member of staff `staff_id`."""
    return _version(f"inbox:{staff_id}")


def holders(staff_ids: list[int]) -> str:
    """One value for the caseload versions of the members of staff `staff_ids` (one read of the
    shared cache): it changes when any of theirs does."""
    names = [f"caseload:{pk}" for pk in sorted(staff_ids)]
    versions = _held.get()
    if versions is None:
        found = _shared(names)
    else:
        versions.update(_shared([name for name in names if name not in versions]))
        found = versions
    return hashlib.sha256(" ".join(found[name] for name in names).encode()).hexdigest()


def _version(name: str) -> str:
    versions = _held.get()
    if versions is None:
        return _shared([name])[name]
    if name not in versions:
        versions.update(_shared([name]))
    return versions[name]


@contextmanager
def held() -> Iterator[None]:
    """Within the block, each version is the one read as the block begins (the council-wide
    ones) or as it is first asked for (a child's), or a newer one this process bumped meanwhile:
    the web middleware holds them per request."""
    token = _held.set(_shared(COUNCIL_WIDE))
    try:
        yield
    finally:
        _held.reset(token)


def _shared(names: tuple[str, ...] | list[str]) -> dict[str, str]:
    """The shared cache's versions of `names`, in one read; one it has not (yet, or any more) is
    made, a value never used before."""
    if not names:
        return {}
    versions = caches["page_versions"]
    found = versions.get_many([KEY_PREFIX + name for name in names])
    missing = [name for name in names if KEY_PREFIX + name not in found]
    for name in missing:
        versions.add(KEY_PREFIX + name, uuid.uuid4().hex, timeout=None)
    if missing:
        found.update(versions.get_many([KEY_PREFIX + name for name in missing]))
    return {name: str(found[KEY_PREFIX + name]) for name in names}


def _set_new_versions(names: tuple[str, ...]) -> None:
    new = {name: uuid.uuid4().hex for name in names}
    caches["page_versions"].set_many({KEY_PREFIX + k: v for k, v in new.items()}, timeout=None)
    versions = _held.get()
    if versions is not None:  # what this request reads after its own change is not kept under
        versions.update(new)  # the old


# More children than this changed in a `deferred()` block bump `RECORDS` (one version, every
# child's page and caseload) rather than each child's and its holders' (a version each).
DEFERRED_CHILDREN = 100


@dataclass
class _Deferred:
    names: set[str]
    children: set[int]


_deferred: ContextVar[_Deferred | None] = ContextVar("deferred_bumps", default=None)


@contextmanager
def deferred() -> Iterator[None]:
    """The bumps of the block, gathered and made once at its end (see the module)."""
    gathered = _Deferred(set(), set())
    token = _deferred.set(gathered)
    try:
        yield
    finally:
        _deferred.reset(token)
        if len(gathered.children) > DEFERRED_CHILDREN:
            gathered.names.add(RECORDS)  # a bulk load: every record, one version
        else:
            for child_id in sorted(gathered.children):
                gathered.names.update(_child_versions(child_id))
        if gathered.names:
            _bump(*sorted(gathered.names))


def _bump(*names: str) -> None:
    """New versions `names` once the current transaction commits (at once outside a transaction);
    and at once as well, so that nothing read meanwhile is remembered under the old ones. Inside
    `deferred()`, at its end."""
    gathered = _deferred.get()
    if gathered is not None:
        gathered.names.update(names)
        return
    _set_new_versions(names)
    transaction.on_commit(lambda: _set_new_versions(names))


def bump() -> None:
    """Everything remembered is stale: who may see what and every child's record (a bulk load,
    a child's own row, which both access and other children's pages read)."""
    _bump(*COUNCIL_WIDE)


def bump_access() -> None:
    """Who may see what, or who is signed in, changed: every remembered value is stale."""
    _bump(ACCESS)


def bump_records() -> None:
    """Every child's record changed (the nightly recompute): every child page and caseload is
    stale; who is signed in and the access decisions are not."""
    _bump(RECORDS)


def bump_child(child_id: int) -> None:
    """Child `child_id`'s record changed: its page, and the caseloads that may show it: of every
    member of staff with an allocation of it, whatever its dates (a few more than hold it today,
    never fewer), and of everyone above them in the line-manager chain (a manager's caseload
    holds their line's children). Inside `deferred()`, once at its end."""
    gathered = _deferred.get()
    if gathered is not None:
        gathered.children.add(child_id)
        return
    _bump(*_child_versions(child_id))


def bump_inbox(staff_id: int) -> None:
    """A message addressed to member of staff `staff_id` came, went or was read."""
    _bump(f"inbox:{staff_id}")


def _child_versions(child_id: int) -> list[str]:
    """The versions a change to the child bumps: its own and its holders' caseloads. A query for
    the allocations and one per level of the line."""
    allocation = apps.get_model("cases", "Allocation")
    staff = apps.get_model("cases", "StaffMember")
    found = set(allocation.objects.filter(child_id=child_id).values_list("staff_id", flat=True))
    level = found
    while level:  # up the chain; a cycle in it ends, as nobody is added twice
        above = staff.objects.filter(pk__in=sorted(level), line_manager__isnull=False)
        level = set(above.values_list("line_manager_id", flat=True)) - found
        found |= level
    return [f"child:{child_id}", *sorted(f"caseload:{pk}" for pk in found)]


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


def _changed(bumps: Callable[[Any], None]) -> Callable[..., None]:
    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        if kwargs.get("update_fields") == frozenset({"last_login"}):
            return  # a sign-in's time, which no page shows
        bumps(instance)

    return receiver


def watch(model: type[Model], bumps: Callable[[Any], None]) -> None:
    """Call `bumps(row)` on every save or delete of a row of `model` (called only by
    `oversight.cache.watched.register`, which names them all and what each bumps)."""
    receiver = _changed(bumps)  # held by the signals (not weakly: nothing else holds it)
    uid = f"version-{model._meta.label}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-delete")


def watch_many_to_many(through: type[Model], bumps: Callable[[Any], None]) -> None:
    """Call `bumps(row)` when the rows of a many-to-many `through` table change."""
    uid = f"version-{through._meta.label}"
    m2m_changed.connect(_changed(bumps), sender=through, weak=False, dispatch_uid=uid)
