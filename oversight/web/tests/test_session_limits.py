"""A session ends after 30 minutes without a request and 8 hours after signing in, however
active; once ended, it is gone from the database and from the sessions cache every worker reads."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.cached_db import KEY_PREFIX, SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client

from oversight import settings as project_settings
from oversight.web.session_limits import session_has_ended

pytestmark = pytest.mark.django_db
# Thu 3 December 2026, 09:00 in London.
MORNING = "2026-12-03T09:00:00+00:00"


@pytest.fixture(autouse=True)
def project_limits(settings):
    """The project's limits, not the tests' year-long sessions (root conftest)."""
    settings.OVERSIGHT_SESSION_IDLE_MINUTES = project_settings.OVERSIGHT_SESSION_IDLE_MINUTES
    settings.OVERSIGHT_SESSION_MAX_HOURS = project_settings.OVERSIGHT_SESSION_MAX_HOURS
    settings.SESSION_COOKIE_AGE = project_settings.SESSION_COOKIE_AGE


def test_the_limits_are_30_minutes_idle_and_8_hours():
    assert project_settings.OVERSIGHT_SESSION_IDLE_MINUTES == 30
    assert project_settings.OVERSIGHT_SESSION_MAX_HOURS == 8


def signed_in(client: Client, council) -> Client:
    response = client.post(
        "/sign-in/", {"username": council.iro.user.username, "password": council.password}
    )
    assert response.status_code == 302
    return client


def test_31_minutes_idle_signs_out_everywhere(client, council):
    with time_machine.travel(MORNING, tick=False) as clock:
        signed_in(client, council)
        clock.shift(timedelta(minutes=29))
        assert client.get("/children/").status_code == 200
        key = client.session.session_key
        clock.shift(timedelta(minutes=31))
        response = client.get("/children/")
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
        # Gone from the database and the shared cache: another worker, or the same cookie on
        # another client, no longer finds it.
        assert not Session.objects.filter(session_key=key).exists()
        assert caches["sessions"].get(KEY_PREFIX + key) is None
        assert not SessionStore().exists(key)
        other = Client()
        other.cookies["sessionid"] = key
        assert other.get("/children/").status_code == 302


def test_active_every_10_minutes_still_ends_8_hours_after_signing_in(client, council):
    with time_machine.travel(MORNING, tick=False) as clock:
        signed_in(client, council)
        for _ in range(48):  # 09:10, 09:20, ... 17:00: eight hours exactly
            clock.shift(timedelta(minutes=10))
            assert client.get("/children/").status_code == 200
        clock.shift(timedelta(minutes=1))  # 17:01
        assert client.get("/children/").status_code == 302


def test_the_limits_are_settings(client, council, settings):
    settings.OVERSIGHT_SESSION_IDLE_MINUTES = 60
    with time_machine.travel(MORNING, tick=False) as clock:
        signed_in(client, council)
        clock.shift(timedelta(minutes=45))
        assert client.get("/children/").status_code == 200


def test_a_session_ends_past_either_limit():
    limits = {"idle_seconds": 1800, "max_seconds": 8 * 3600}
    assert not session_has_ended(0, 0, 1800, **limits)
    assert session_has_ended(0, 0, 1801, **limits)
    assert not session_has_ended(0, 8 * 3600 - 60, 8 * 3600, **limits)
    assert session_has_ended(0, 8 * 3600, 8 * 3600 + 1, **limits)
