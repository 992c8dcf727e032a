"""Odd ids in every URL that takes one (issue 18, tests that attack): hypothesis puts huge and
negative integers, unicode digits and letters, `%00`, percent-escapes and over-long strings in
each path parameter of every URL pattern (found from the URL configuration, as the access
convention's are, so a new page is fuzzed without being named here), GET and POST, for a
signed-in IRO: each answer is "not found" or "bad request" (405 where the page takes no such
method), never a server error. `test_huge_ids.py` holds the one huge id to every page and the
administrator too; Django's admin (its own checks, and an IRO is not its staff) is left out."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.web.tests.test_access_convention import PARAM, SKIPPED_PREFIXES, routes

pytestmark = pytest.mark.django_db

ROUTES = sorted({r for r in routes() if PARAM.search(r) and not r.startswith(SKIPPED_PREFIXES)})
# The ids no record can have, each a way a hand-made or hostile URL goes wrong.
ODD = [
    str(2**63),  # one past the largest bigint
    str(2**64),
    "9" * 400,  # over-long
    "-1",
    "0",
    "%00",  # a NUL byte (PostgreSQL refuses it in any string)
    "1%00",
    "١٢٣",  # Arabic-Indic digits: digits to Python's int(), not to the URL's
    "\uff10\uff17",  # fullwidth digits "07"
    "1e9",
    "0x1f",
    "%F0%9F%91%B6",  # an emoji
    "%ZZ",  # a broken percent-escape
    "%2e%2e",  # ".."
    "x" * 3000,
    "' OR '1'='1",
]
ANSWERS = {400, 404, 405}
# The managers' figures are no IRO's to read at all: refused (403) before the report's name is read.
NOT_FOR_AN_IRO = {"api/v1/reports/<report>"}
# Integers far from any row's id (the test council's are small), and any text but plain ASCII
# digits (which could be a real row's id: the IRO's own child, a 200).
odd_ids = st.one_of(
    st.sampled_from(ODD),
    st.integers(min_value=10**9).map(str),
    st.integers(max_value=-1).map(str),
    st.text(min_size=1, max_size=300)
    .filter(lambda text: not (text.isascii() and text.isdigit()))
    .map(lambda text: quote(text, safe="")),
)


def url(route: str, values: list[str]) -> str:
    given_values = iter(values)
    return "/" + PARAM.sub(lambda _: next(given_values), route)


def test_the_routes_with_ids_are_found():
    assert len(ROUTES) > 80
    assert "children/<int:child_id>/" in ROUTES
    assert "api/v1/policies/<name>" in ROUTES
    assert "children/<int:child_id>/meetings/<int:meeting_id>/documents/<int:document_id>/" in (
        ROUTES
    )


def assert_refused(
    client, route: str, path: str, methods: tuple[str, ...] = ("get", "post")
) -> None:
    answers = ANSWERS | {403} if route in NOT_FOR_AN_IRO else ANSWERS
    for method in methods:
        answer = getattr(client, method)(path)
        assert answer.status_code in answers, (method, path, answer.status_code)


@pytest.mark.parametrize("route", ROUTES)
def test_an_odd_id_is_not_found_or_a_bad_request_never_a_server_error(client, council, route):
    client.force_login(council.iro.user)
    count = len(PARAM.findall(route))
    for odd in ODD:  # each odd id in every parameter at once, then the generated ones
        assert_refused(client, route, url(route, [odd] * count), ("get",))

    @settings(
        max_examples=6,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(values=st.lists(odd_ids, min_size=count, max_size=count))
    def fuzz(values: list[str]) -> None:
        assert_refused(client, route, url(route, values))

    fuzz()


def test_a_real_id_beside_an_odd_one_is_still_refused(client, council):
    # The child is the IRO's own: only the odd meeting id refuses the page.
    client.force_login(council.iro.user)
    assert client.get(f"/children/{council.child.pk}/").status_code == 200
    for odd in ODD:
        path = f"/children/{council.child.pk}/meetings/{odd}/"
        assert client.get(path).status_code in ANSWERS, path
