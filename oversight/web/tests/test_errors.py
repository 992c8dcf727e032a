import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError

from oversight.cases.constants import EventType
from oversight.cases.factories import record_event

pytestmark = pytest.mark.django_db


def test_it_shows_the_not_found_page_for_an_unknown_address(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_it_shows_the_problem_page_for_an_unexpected_error(client, council):
    client.raise_request_exception = False
    client.force_login(council.iro.user)
    with mock.patch(
        "oversight.web.views_events.child_and_access_for_user", side_effect=RuntimeError("a bug")
    ):
        response = client.get(f"/children/{council.child.pk}/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "a bug" not in response.text


def test_it_shows_the_unavailable_page_when_the_database_fails_outside_a_view(client):
    client.raise_request_exception = False
    with mock.patch(
        "django.contrib.sessions.middleware.SessionMiddleware.process_request",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/sign-in/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.text


def test_it_reads_a_long_chronology_in_a_few_queries(
    client, council, django_assert_max_num_queries
):
    for day in range(200):
        record_event(
            council.child, EventType.CP_VISIT, dt.date(2024, 1, 1) + dt.timedelta(days=day)
        )
    client.force_login(council.iro.user)
    with django_assert_max_num_queries(20):
        response = client.get(f"/children/{council.child.pk}/")
    assert response.text.count('<td class="govuk-table__cell">Child protection visit</td>') == 200
