"""Rendered fragments of the busiest pages (My caseload's table, the child page's record), cached
per process and keyed by a "pages version" that every process shares (issue 6, performance).

Correctness over speed: the version is a fresh random value, set after the commit of every
change to anything those fragments show or to who may see them (obligations recomputed; an
allocation, cover, break-glass grant or duty day; a member of staff, their roles, team or line;
a user's name; a child, its restriction, named people or chronology; a concern), so a fragment is never
served once any of that changed: a change shows on the next request, in every worker.

- `version()`: the current version (read it before reading the data a fragment shows).
- `bump()`: a new version, after the current transaction commits (the data is visible first).
- `fragment(name, parts, build)`: the cached HTML of `name` for `parts` (who, what, the day,
  the version), else `build()`, cached.

The version lives in the `page_versions` cache, which must be shared by every process serving
the pages (settings: a file-based cache on the host, enough for gunicorn's workers on one
machine; a deployment on several hosts points it at a shared cache). Fragments live in the
per-process `page_fragments` cache (local memory, emptied by a restart and so by a deploy).
The page shell, the session and access checks, and the audit row of a view run on every
request; only the rendering of what the version covers is reused.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.safestring import SafeString, mark_safe

VERSION_KEY = "oversight:pages:version"
FRAGMENT_SECONDS = 24 * 60 * 60


def version() -> str:
    """The pages' current version (made on first use when the shared cache has none)."""
    versions = caches["page_versions"]
    found = versions.get(VERSION_KEY)
    if found is None:
        versions.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        found = versions.get(VERSION_KEY)
    return str(found)


def _set_new_version() -> None:
    caches["page_versions"].set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def bump() -> None:
    """A new version once the current transaction commits (at once outside a transaction);
    and at once as well, so that nothing rendered meanwhile is kept under the old one."""
    _set_new_version()
    transaction.on_commit(_set_new_version)


def fragment(name: str, parts: Iterable[Any], build: Callable[[], str]) -> SafeString:
    """The HTML of fragment `name` for `parts` (which must include the version, the viewer and
    everything else the fragment depends on), from the cache or built and cached."""
    digest = hashlib.sha256(repr((name, *parts)).encode()).hexdigest()
    key = f"oversight:pages:{name}:{digest}"
    fragments = caches["page_fragments"]
    html = fragments.get(key)
    if html is None:
        html = build()
        fragments.set(key, html, timeout=FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own templates, escaped there


def _changed(sender: Any, **kwargs: Any) -> None:
    bump()


def connect() -> None:
    """Bump the version on every save or delete of what the cached fragments show or depend on
    (`WebConfig.ready`). Obligations and flags are written in bulk by
    `oversight.cases.obligations`, which bumps itself; a flag saved one by one bumps too."""
    from django.contrib.auth import get_user_model

    from oversight.cases.models import (
        AccessGrant,
        Allocation,
        Child,
        Cover,
        DutyRota,
        Event,
        Flag,
        SiblingGroup,
        StaffMember,
        StaffRole,
        Team,
    )
    from oversight.escalations.models import Concern

    models: list[type[Model]] = [
        get_user_model(),
        AccessGrant,
        Allocation,
        Child,
        Cover,
        DutyRota,
        Event,
        Flag,
        SiblingGroup,
        StaffMember,
        StaffRole,
        Team,
        Concern,
    ]
    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"pages-{model._meta.label}-save")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"pages-{model._meta.label}-delete"
        )
    m2m_changed.connect(
        _changed, sender=Child.named_staff.through, dispatch_uid="pages-named-staff"
    )
