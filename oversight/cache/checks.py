"""The system check that refuses a deployment on several hosts without a shared cache: each host
would keep its own data versions and sessions, and serve stale pages, stale access decisions and
signed-out or deactivated users until it saw a write of its own."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error

# Caches that every process must share, and backends that only one host can share.
SHARED = ("page_versions", "sessions")
HOST_ONLY = (
    "django.core.cache.backends.filebased.FileBasedCache",
    "oversight.cache.file_cache.FileCache",
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """An error per shared cache kept on one host when `OVERSIGHT_HOSTS` is more than one."""
    hosts = settings.OVERSIGHT_HOSTS
    if hosts <= 1:
        return []
    return [
        Error(
            f"OVERSIGHT_HOSTS={hosts} but the {alias!r} cache is kept on this host "
            f"({str(settings.CACHES[alias]['BACKEND']).rsplit('.', 1)[-1]}): set CACHE_URL to a "
            "Redis server every host shares",
            id="oversight.cache.E001",
        )
        for alias in SHARED
        if settings.CACHES[alias]["BACKEND"] in HOST_ONLY
    ]
