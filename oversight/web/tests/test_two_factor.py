"""Two-factor sign-in (django-otp): an administrator must set up an authenticator app before any
page; anyone may, and is then asked for a code at every sign-in; a recovery code works once;
wrong codes are refused with an error under the field and audited; OVERSIGHT_TWO_FACTOR_FOR_EVERYONE
asks it of everyone. The codes are computed here from the secret the page shows, as an app does."""

from __future__ import annotations

import datetime as dt
import re
import time
from base64 import b32decode
from typing import Any

import pytest
import time_machine
from django_otp.oath import TOTP

from oversight.audit.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]


@pytest.fixture
def no_wait_after_a_wrong_code(settings):
    # django-otp holds back the next code for a second after a wrong one (then 2, 4, ...):
    # `test_wrong_codes_in_a_row_hold_back_even_the_right_one` tests that on a fixed clock.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(secret: str, *, steps_ahead: int = 0) -> str:
    """The six digits an authenticator app shows for `secret` (base32, as the page shows it),
    `steps_ahead` periods of 30 seconds on (an app's clock a little ahead, which django-otp's
    tolerance of one step accepts)."""
    totp = TOTP(b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8)))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def wrong_code(secret: str) -> str:
    """Six digits that are none of the codes the app would show around now."""
    near = {code_for(secret, steps_ahead=n) for n in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in near)


def sign_in(client: Any, staff: Any, password: str) -> Any:
    return client.post("/sign-in/", {"username": staff.user.username, "password": password})


def secret_on(page: str) -> str:
    found = re.search(r'<code id="secret">([A-Z2-7 ]+)</code>', page)
    assert found, "the setting-up page shows the key"
    return found.group(1)


def set_up(client: Any) -> tuple[str, list[str]]:
    """Set up an app on the signed-in client's account: its secret and the recovery codes."""
    secret = secret_on(client.get("/two-factor/").text)
    shown = client.post("/two-factor/", {"code": code_for(secret)})
    assert shown.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", shown.text)
    return secret, codes


def test_it_sends_an_administrator_to_set_up_an_app_before_any_page(client, council):
    sign_in(client, council.administrator, council.password)
    blocked = client.get("/audit/")
    assert blocked.status_code == 302
    assert blocked["Location"] == "/two-factor/?next=%2Faudit%2F"
    page = client.get("/two-factor/")
    assert "Set up two-factor sign-in" in page.text
    assert '<img src="data:image/svg+xml' in page.text  # the QR code, no script, no request
    # the API on that session is refused too
    assert client.get("/api/v1/children").status_code == 401


def test_it_lets_an_iro_go_on_without_two_factor_until_the_council_asks_everyone(
    client, council, settings
):
    sign_in(client, council.iro, council.password)
    assert client.get("/caseload/").status_code == 200
    settings.OVERSIGHT_TWO_FACTOR_FOR_EVERYONE = True
    assert client.get("/caseload/")["Location"] == "/two-factor/?next=%2Fcaseload%2F"


def test_it_turns_on_with_a_code_from_the_app_and_asks_for_one_at_the_next_sign_in(
    client, council, no_wait_after_a_wrong_code
):
    sign_in(client, council.administrator, council.password)
    secret = secret_on(client.get("/two-factor/").text)

    wrong = client.post("/two-factor/", {"code": wrong_code(secret)})
    assert "The code is not right" in wrong.text  # refused under the field, nothing turned on
    assert 'class="govuk-error-message"' in wrong.text
    assert client.get("/audit/").status_code == 302

    secret, codes = set_up(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/audit/").status_code == 200  # this session gave its code
    assert AuditEntry.objects.filter(what="auth.two_factor_set_up").count() == 1

    client.post("/sign-out/")
    sign_in(client, council.administrator, council.password)
    assert client.get("/audit/")["Location"] == "/sign-in/code/?next=%2Faudit%2F"
    refused = client.post("/sign-in/code/", {"code": wrong_code(secret), "next": "/audit/"})
    assert "The code is not right" in refused.text
    # The code of the next period: the code of this one was used to set up (never accepted twice).
    passed = client.post(
        "/sign-in/code/", {"code": code_for(secret, steps_ahead=1), "next": "/audit/"}
    )
    assert passed["Location"] == "/audit/"
    assert client.get("/audit/").status_code == 200
    user = council.administrator.user
    assert list(
        AuditEntry.objects.filter(user=user, what__startswith="auth.two_factor")
        .order_by("id")
        .values_list("what", "action")
    ) == [
        ("auth.two_factor_set_up", "change"),
        ("auth.two_factor_failed", "sign_in_failed"),
        ("auth.two_factor", "sign_in"),
    ]


def test_a_recovery_code_signs_in_once(client, council):
    sign_in(client, council.iro, council.password)
    _secret, codes = set_up(client)
    client.post("/sign-out/")

    sign_in(client, council.iro, council.password)
    assert client.post("/sign-in/code/", {"code": codes[3].upper()})["Location"] == "/caseload/"
    assert AuditEntry.objects.filter(what="auth.recovery_code").count() == 1
    client.post("/sign-out/")

    sign_in(client, council.iro, council.password)
    again = client.post("/sign-in/code/", {"code": codes[3]})
    assert again.status_code == 200 and "has been used" in again.text
    assert client.get("/caseload/").status_code == 302


def test_new_recovery_codes_end_the_old_ones(client, council, no_wait_after_a_wrong_code):
    sign_in(client, council.iro, council.password)
    _secret, old = set_up(client)
    page = client.post("/two-factor/", {"action": "recovery"})
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", page.text)
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/sign-out/")
    sign_in(client, council.iro, council.password)
    assert client.post("/sign-in/code/", {"code": old[0]}).status_code == 200  # refused
    assert client.post("/sign-in/code/", {"code": new[0]})["Location"] == "/caseload/"


def test_the_code_page_sends_only_to_this_site(client, council):
    sign_in(client, council.iro, council.password)
    _secret, codes = set_up(client)
    client.post("/sign-out/")
    sign_in(client, council.iro, council.password)
    response = client.post(
        "/sign-in/code/", {"code": codes[0], "next": "https://elsewhere.invalid/"}
    )
    assert response["Location"] == "/caseload/"


def test_wrong_codes_in_a_row_hold_back_even_the_right_one(client, council):
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        sign_in(client, council.iro, council.password)
        secret, _codes = set_up(client)
        client.post("/sign-out/")
        sign_in(client, council.iro, council.password)
        assert (
            "The code is not right"
            in client.post("/sign-in/code/", {"code": wrong_code(secret)}).text
        )
        held = client.post("/sign-in/code/", {"code": code_for(secret, steps_ahead=1)})
        assert "Too many wrong codes in a row" in held.text  # the right code, held back
        clock.shift(dt.timedelta(seconds=2))  # past the 1 second a first wrong code costs
        passed = client.post("/sign-in/code/", {"code": code_for(secret, steps_ahead=1)})
        assert passed["Location"] == "/caseload/"
