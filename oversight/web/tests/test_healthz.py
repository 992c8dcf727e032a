from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_it_says_the_database_is_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


def test_it_says_503_when_the_database_does_not_answer(client):
    with mock.patch("oversight.web.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable"}


def test_it_shows_the_unavailable_page_when_the_database_fails_in_a_view(client, council):
    client.force_login(council.iro.user)
    with mock.patch(
        "oversight.web.views_events.child_and_access_for_user",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get(f"/children/{council.child.pk}/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.text
    assert "Traceback" not in response.text
