"""After too many failed sign-ins a username or an address is refused for a cool-off, before any
password is hashed (django-axes), and every try is still on the audit log."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.hashers import MD5PasswordHasher

from oversight.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
# Thu 3 December 2026, 09:00 in London.
MORNING = "2026-12-03T09:00:00+00:00"
REFUSED = "Too many failed sign-ins: try again in 15 minutes or ask your administrator"


def sign_in(client: Any, username: str, password: str) -> Any:
    return client.post("/sign-in/", {"username": username, "password": password})


def fail_five_times(client: Any, username: str) -> None:
    for _ in range(4):
        response = sign_in(client, username, "wrong-password")
        assert response.status_code == 200
        assert REFUSED not in response.text
    # The fifth failure is told at once that further tries are refused.
    assert REFUSED in sign_in(client, username, "wrong-password").text


@pytest.fixture
def hashes_checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each password checked against a hash (the tests' hasher is MD5)."""
    checked: list[str] = []
    verify = MD5PasswordHasher.verify

    def counting(self: MD5PasswordHasher, password: str, encoded: str) -> bool:
        checked.append(password)
        return verify(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", counting)
    return checked


@time_machine.travel(MORNING, tick=False)
def test_the_sixth_try_is_refused_even_with_the_right_password(client, council, hashes_checked):
    username = council.iro.user.username
    fail_five_times(client, username)
    assert len(hashes_checked) == 5
    response = sign_in(client, username, council.password)
    assert response.status_code == 429
    assert REFUSED in response.text
    assert "<title>Too many failed sign-ins" in response.text
    assert len(hashes_checked) == 5  # refused before the password was hashed
    assert client.get("/children/").status_code == 302  # not signed in
    failed = AuditEntry.objects.filter(action=AuditEntry.Action.SIGN_IN_FAILED, username=username)
    assert failed.count() == 6  # the refused try is audited too


def test_it_signs_in_after_the_cool_off(client, council):
    username = council.iro.user.username
    with time_machine.travel(MORNING, tick=False) as clock:
        fail_five_times(client, username)
        clock.shift(timedelta(minutes=14, seconds=59))
        assert sign_in(client, username, council.password).status_code == 429
        clock.shift(timedelta(seconds=2))  # 15 minutes and 1 second after the fifth failure
        response = sign_in(client, username, council.password)
    assert response.status_code == 302
    assert response["Location"] == "/caseload/"


@time_machine.travel(MORNING, tick=False)
def test_another_user_from_the_same_address_is_refused_by_default(client, council):
    fail_five_times(client, council.iro.user.username)
    response = sign_in(client, council.other_iro.user.username, council.password)
    assert response.status_code == 429
    assert REFUSED in response.text


@time_machine.travel(MORNING, tick=False)
def test_another_user_from_the_same_address_signs_in_when_only_usernames_count(
    client, council, settings
):
    settings.AXES_LOCKOUT_PARAMETERS = ["username"]
    fail_five_times(client, council.iro.user.username)
    assert sign_in(client, council.iro.user.username, council.password).status_code == 429
    response = sign_in(client, council.other_iro.user.username, council.password)
    assert response.status_code == 302


@time_machine.travel(MORNING, tick=False)
def test_the_limit_is_a_setting(client, council, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert sign_in(client, council.iro.user.username, "wrong-password").status_code == 200
    assert sign_in(client, council.iro.user.username, "wrong-password").status_code == 429
    assert sign_in(client, council.iro.user.username, council.password).status_code == 429
