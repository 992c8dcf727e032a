"""An id in a URL larger than any row can have (a 64-bit integer) names no record: every page
and API path with an id answers 404, never a server error (SQLite cannot even be asked)."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

HUGE = str(2**64)


def _paths(patterns: list, prefix: str = "") -> list[str]:
    found: list[str] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _paths(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if "<int:" in route or re.search(r"\(\?P<\w+_id>", route):
                found.append(route)
    return found


def paths() -> list[str]:
    return sorted(set(_paths(get_resolver().url_patterns)))


def test_it_finds_every_kind_of_id():
    joined = " ".join(paths())
    for name in ("child_id", "concern_id", "event_id", "meeting_id", "document_id", "token_id"):
        assert name in joined


@pytest.mark.parametrize("route", paths())
def test_a_huge_id_is_not_found(client, council, route):
    url = "/" + re.sub(r"<int:\w+>", HUGE, route).lstrip("^").rstrip("$")
    url = re.sub(r"\(\?P<\w+>[^)]*\)", HUGE, url)
    for person in (council.iro, council.administrator):
        client.force_login(person.user)
        if route.startswith("admin/") and not person.user.is_staff:
            # Django's admin sends anyone not on its staff to its own sign-in, whatever the id
            got = client.get(url)
            assert got.status_code == 302 and got["Location"].startswith("/admin/login/"), url
            continue
        got = client.get(url)
        assert got.status_code in (404, 405), (url, got.status_code)
        posted = client.post(url, {})
        assert posted.status_code in (404, 405), (url, posted.status_code)
