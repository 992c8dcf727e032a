"""A request body larger than OVERSIGHT_REQUEST_MAX_BYTES is refused before it is read."""

from __future__ import annotations

from unittest import mock

import pytest

from oversight.web.middleware import RequestSizeMiddleware

pytestmark = pytest.mark.django_db


def test_a_body_over_the_cap_is_refused_before_it_is_read(rf, settings):
    settings.OVERSIGHT_REQUEST_MAX_BYTES = 3 * 1024 * 1024
    request = rf.generic(
        "POST",
        "/import/",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(3 * 1024 * 1024 + 1),
    )
    request.read = mock.Mock(side_effect=AssertionError("the body was read"))

    def view(request):
        raise AssertionError("the request went on to the view")

    response = RequestSizeMiddleware(view)(request)
    assert response.status_code == 413
    assert response.text == "The request is larger than 3 MB: nothing was read."


def test_the_cap_is_in_the_middleware_of_every_request(client, council, settings):
    settings.OVERSIGHT_REQUEST_MAX_BYTES = 3 * 1024 * 1024
    client.force_login(council.administrator.user)
    response = client.generic(
        "POST",
        "/import/",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(3 * 1024 * 1024 + 1),
    )
    assert response.status_code == 413


def test_a_body_under_the_cap_goes_through(client, council, settings):
    settings.OVERSIGHT_REQUEST_MAX_BYTES = 3 * 1024 * 1024
    client.force_login(council.iro.user)
    response = client.post("/children/", {"q": "x"})
    assert response.status_code != 413
