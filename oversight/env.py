"""Typed readers of the environment for settings: each rejects nonsense with one clear sentence."""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}
CACHE_SCHEMES = {"redis", "rediss"}


def env_str(name: str, default: str, environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_mapping(
    name: str, allowed: set[str], environ: Mapping[str, str] = os.environ
) -> dict[str, frozenset[str]]:
    """`KEY=VALUE` pairs separated by commas (a key may come again with another value), each
    value one of `allowed`: {key: its values}. Empty or unset: {}."""
    found: dict[str, set[str]] = {}
    for pair in env_list(name, [], environ):
        key, sep, value = (part.strip() for part in pair.rpartition("="))
        if not sep or not key or value not in allowed:
            raise ImproperlyConfigured(
                f"{name} must be KEY=VALUE pairs separated by commas, each VALUE one of "
                f"{', '.join(sorted(allowed))}; not {pair!r}"
            )
        found.setdefault(key, set()).add(value)
    return {key: frozenset(values) for key, values in found.items()}


def database_url(name: str, default: str, environ: Mapping[str, str] = os.environ) -> str:
    """The database URL, checked for a known scheme and a database name before Django sees it."""
    raw = environ.get(name) or default
    try:
        parts = urlsplit(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a valid URL: {exc}") from None
    if parts.scheme not in DATABASE_SCHEMES:
        known = ", ".join(sorted(DATABASE_SCHEMES))
        raise ImproperlyConfigured(
            f"{name} has an unknown scheme {parts.scheme!r} (use one of: {known})"
        )
    if parts.scheme != "sqlite":
        if not parts.hostname and "host=" not in parts.query:
            raise ImproperlyConfigured(f"{name} names no database host: {raw!r}")
        if not parts.path.strip("/"):
            raise ImproperlyConfigured(f"{name} names no database: {raw!r}")
        try:
            parts.port  # noqa: B018 - a malformed port raises here
        except ValueError:
            raise ImproperlyConfigured(f"{name} has a port that is not a number: {raw!r}") from None
    return raw


def cache_url(name: str, environ: Mapping[str, str] = os.environ) -> str | None:
    """The shared cache's URL (`redis://HOST:PORT/DB`, `rediss://` with TLS), or None when unset;
    checked for its scheme, host, port and database number before Django sees it."""
    raw = environ.get(name, "").strip()
    if not raw:
        return None
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - a malformed port raises here
    except ValueError:
        raise ImproperlyConfigured(f"{name} is not a valid URL: {raw!r}") from None
    if parts.scheme not in CACHE_SCHEMES:
        known = ", ".join(sorted(CACHE_SCHEMES))
        raise ImproperlyConfigured(
            f"{name} has an unknown scheme {parts.scheme!r} (use one of: {known})"
        )
    if not parts.hostname:
        raise ImproperlyConfigured(f"{name} names no cache host: {raw!r}")
    database = parts.path.strip("/")
    if database and not database.isdigit():
        raise ImproperlyConfigured(f"{name} has a database that is not a number: {raw!r}")
    return raw


LOCKOUT_PARAMETERS = {"username", "ip_address"}


def lockout_parameters(
    name: str, default: list[str], environ: Mapping[str, str] = os.environ
) -> list[str | list[str]]:
    """What failed sign-ins are counted by, as django-axes' AXES_LOCKOUT_PARAMETERS: a
    comma-separated list whose items are `username`, `ip_address` (each counted on its own) or
    `username+ip_address` (the two together)."""
    items = env_list(name, default, environ)
    parsed: list[str | list[str]] = []
    for item in items:
        parts = [part.strip() for part in item.split("+")]
        if not set(parts) <= LOCKOUT_PARAMETERS:
            raise ImproperlyConfigured(
                f"{name} must list username, ip_address or username+ip_address, not {item!r}"
            )
        parsed.append(parts if len(parts) > 1 else parts[0])
    return parsed
