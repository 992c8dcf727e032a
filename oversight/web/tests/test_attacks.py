"""Attacks through HTTP, as a browser sends them (the API's bodies are schemathesis's,
`oversight/api/tests/test_schemathesis.py`):

- hypothesis fills every field of every form page about a child with hostile text (SQL and
  LIKE metacharacters, control and bidirectional characters, huge numbers, impossible dates,
  markup): each answer is the page with its errors, a redirect or a refusal, never a server error;
- SQL metacharacters in every search and filter of every list page: never a server error, and
  a LIKE wildcard matches itself, not everyone."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

SQL = [
    "' OR '1'='1",
    "'; DROP TABLE cases_child; --",
    '" OR ""="',
    "%",
    "_",
    "%_%",
    "\\",
    "\\%",
    "1) OR (1=1",
    "' UNION SELECT username, password FROM auth_user --",
    "$1",
    "%s",
    "?",
]
HOSTILE = [
    *SQL,
    "\u0000",
    "\u000b",
    "\u202egnp.exe",
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "99999999999999999999999",
    "-1",
    "31 2 2027",
    "29 2 2027",
    "0 0 0",
    "25:61",
    "x" * 6000,
]
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))


def child_form_pages() -> list[str]:
    """The names of the form pages that take only the child: every meeting form, the event form,
    raising a concern, asking for a consultation, allocating."""
    names = []

    def walk(patterns: list[URLPattern | URLResolver]) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns)
            elif (
                p.name
                and str(p.pattern).startswith("children/<int:child_id>/")
                and str(p.pattern).count("<") == 1
                and str(p.pattern).endswith(("new/", "request/"))
            ):
                names.append(p.name)

    walk(get_resolver().url_patterns)
    return sorted(set(names))


FORM_PAGES = child_form_pages()


def test_the_form_pages_are_found():
    assert {"event_new", "concern_new", "meeting_new_icpc", "meeting_new_lac_review"} <= set(
        FORM_PAGES
    )


def fields_of(response: Any) -> list[str]:
    form = response.context.get("form") if response.context else None
    assert isinstance(form, forms.BaseForm), "a form page shows its form"
    return [form.add_prefix(name) for name in form.fields]


@pytest.mark.parametrize("name", FORM_PAGES)
def test_no_hostile_value_in_any_field_is_a_server_error(client, council, name):
    client.force_login(council.iro.user)
    url = reverse(name, kwargs={"child_id": council.child.pk})
    page = client.get(url)
    assert page.status_code == 200, url
    names = fields_of(page)

    @settings(
        max_examples=4,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(data=st.fixed_dictionaries({}, optional={n: values for n in names}))
    def post(data: dict[str, str]) -> None:
        response = client.post(url, data)
        assert response.status_code in {200, 302, 403, 404}, (url, data, response.status_code)

    post()


LIST_PAGES = {
    # page: (persona, its search and filter parameters)
    "children": ("iro_team_manager", ["q", "page"]),
    "caseload": ("iro", ["whose", "type", "status", "sort", "page", "team", "owner"]),
    "team": ("team_manager", ["whose", "type", "status", "sort", "page"]),
    "audit": ("administrator", ["person", "child", "action", "from", "to", "page", "what"]),
    "concerns": ("iro_team_manager", ["ladder", "stage", "team", "theme", "page", "sort"]),
    "allocation": ("iro_team_manager", ["page", "sort", "team"]),
    "diary": ("iro", ["week", "month", "view", "team", "on"]),
    "messages": ("iro", ["page", "status", "q"]),
    "inbox": ("iro", ["page"]),
    "dip_sample": ("iro_team_manager", ["month", "page"]),
}


@pytest.mark.parametrize("page", sorted(LIST_PAGES))
def test_sql_metacharacters_in_every_search_and_filter_are_no_server_error(client, council, page):
    persona, parameters = LIST_PAGES[page]
    client.force_login(getattr(council, persona).user)
    url = reverse(page)
    shown = client.get(url)
    form = shown.context.get("form") if shown.context else None
    if isinstance(form, forms.BaseForm):
        parameters = sorted(set(parameters) | {form.add_prefix(n) for n in form.fields})
    for attack in SQL:  # every parameter at once, then each alone (one may refuse the rest)
        response = client.get(url, dict.fromkeys(parameters, attack))
        assert response.status_code in {200, 302, 400, 404}, (url, attack)
    for parameter in parameters:
        response = client.get(url, {parameter: "' OR '1'='1 %_\\"})
        assert response.status_code in {200, 302, 400, 404}, (url, parameter)


@pytest.mark.parametrize("wildcard", ["%", "_", "%%", "_%_"])
def test_a_like_wildcard_in_the_children_search_matches_nobody(client, council, wildcard):
    client.force_login(council.iro_team_manager.user)  # sees every child
    response = client.get("/children/", {"q": wildcard})
    assert response.status_code == 200
    found = list(response.context["page"].object_list)
    assert found == []  # not every child, as an unescaped LIKE '%' would give
    everyone = client.get("/children/", {"q": council.child.last_name})
    assert council.child in list(everyone.context["page"].object_list)  # the search does search
