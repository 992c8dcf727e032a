"""Signing out at the council's identity provider ends the person's Oversight sessions on every
device (OpenID Connect Back-Channel Logout 1.0): the real provider (npm's oidc-provider on
loopback, `features.backchannelLogout`) posts a logout token to Oversight's live server, which
checks it and signs the person out everywhere; a token the provider did not sign, or whose
claims are not a logout's, changes nothing."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from oversight.audit.models import AuditEntry
from oversight.cases.models import SignOnSubject
from oversight.web.sso import BACKCHANNEL_LOGOUT_EVENT, logout_token_problem
from oversight.web.tests.test_single_sign_on import ACCOUNTS, CALLBACK, MAPPING, sign_on
from tests.oidc_provider import CLIENT_ID, oidc_provider

pytestmark = [pytest.mark.oidc]

ISSUER = "https://login.council.invalid/tenant/v2.0"
NOW = dt.datetime(2026, 12, 3, 14, 0, tzinfo=dt.UTC).timestamp()
GOOD = {
    "iss": ISSUER,
    "aud": CLIENT_ID,
    "iat": NOW - 5,
    "jti": "a1",
    "sub": "isla",
    "sid": "s1",
    "events": {BACKCHANNEL_LOGOUT_EVENT: {}},
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({}, ""),
        ({"iss": "https://elsewhere.invalid"}, "issuer"),
        ({"aud": "another-service"}, "audience"),
        ({"iat": NOW - 3600}, "iat"),  # an hour old: a replay
        ({"iat": None}, "iat"),
        ({"events": {"http://schemas.openid.net/event/other": {}}}, "events"),
        ({"events": None}, "events"),
        ({"sub": None, "sid": None}, "sub or sid"),
        ({"sub": None}, ""),  # a sid alone names the session
        ({"nonce": "n-0S6_WzA2Mj"}, "nonce"),  # an ID token, not a logout token
    ],
)
def test_a_logout_token_is_checked_as_the_specification_says(change, problem):
    claims = {key: value for key, value in {**GOOD, **change}.items() if value is not None}
    assert logout_token_problem(claims, issuer=ISSUER, client_id=CLIENT_ID, now=NOW) == problem


@pytest.fixture
def provider_with_backchannel(live_server: Any, settings: Any, tmp_path: Any) -> Iterator[Any]:
    with oidc_provider(
        tmp_path,
        redirect_uris=[CALLBACK],
        accounts=ACCOUNTS,
        # by address: Node.js may take "localhost" for ::1, where the live server is not
        backchannel_logout_uri=f"{live_server.url.replace('localhost', '127.0.0.1')}"
        "/sign-in/oidc/backchannel-logout/",
    ) as provider:
        for name, value in provider.settings().items():
            setattr(settings, name, value)
        settings.OVERSIGHT_OIDC_GROUP_ROLES = MAPPING
        yield provider


def sign_out_at_the_provider(browser: requests.Session, issuer: str) -> None:
    """The person signs out on the provider's own page (not through Oversight)."""
    found = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()
    question = browser.get(found["end_session_endpoint"], timeout=10)
    assert "Sign out of your council account?" in question.text
    action = re.search(r'<form id="op.logoutForm" method="post" action="([^"]+)"', question.text)
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', question.text)
    assert action and xsrf
    done = browser.post(
        urljoin(question.url, action[1]),
        data={"xsrf": xsrf[1], "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert done.status_code in {200, 302, 303}


@pytest.mark.django_db(transaction=True)
def test_signing_out_at_the_provider_ends_every_oversight_session_of_the_person(
    council, provider_with_backchannel
):
    browser = requests.Session()
    signed_on = Client()
    assert sign_on(signed_on, "isla", "isla-at-the-provider", browser)["Location"] == "/caseload/"
    with_password = Client()  # the same person on another device, signed in with a password
    with_password.force_login(council.iro.user)
    assert signed_on.get("/caseload/").status_code == 200
    assert with_password.get("/caseload/").status_code == 200
    subject = SignOnSubject.objects.get()
    assert (subject.subject, subject.user) == ("isla", council.iro.user)
    assert subject.sid  # the provider's session of this sign-on, which its token names

    sign_out_at_the_provider(browser, provider_with_backchannel.issuer)

    assert signed_on.get("/caseload/").status_code == 302
    assert with_password.get("/caseload/").status_code == 302
    row = AuditEntry.objects.get(what="auth.signed_out_everywhere")
    assert row.user == council.iro.user
    assert row.reason == "Signed out at the council's identity provider"
    assert row.path == "/sign-in/oidc/backchannel-logout/"


@pytest.mark.django_db(transaction=True)
def test_a_logout_token_the_provider_did_not_sign_is_refused_and_ends_nothing(
    council, provider_with_backchannel
):
    signed_on = Client()
    sign_on(signed_on, "isla", "isla-at-the-provider")
    jwks = requests.get(provider_with_backchannel.settings()["OIDC_OP_JWKS_ENDPOINT"], timeout=10)
    kid = jwks.json()["keys"][0]["kid"]
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    claims = {
        **GOOD,
        "iss": provider_with_backchannel.issuer,
        "iat": int(time.time()),
        "sid": SignOnSubject.objects.get().sid,
    }
    forged = jwt.encode(claims, forger, algorithm="RS256", headers={"kid": kid})

    for token in (forged, "not-a-jwt", ""):
        answer = Client().post("/sign-in/oidc/backchannel-logout/", {"logout_token": token})
        assert answer.status_code == 400
        assert answer.json()["error"] == "invalid_request"
        assert "no-store" in answer["Cache-Control"]
    assert signed_on.get("/caseload/").status_code == 200
    assert not AuditEntry.objects.filter(what="auth.signed_out_everywhere").exists()


def test_it_is_not_found_when_single_sign_on_is_off(client, settings, db):
    settings.OVERSIGHT_SSO = False
    assert (
        client.post("/sign-in/oidc/backchannel-logout/", {"logout_token": "x"}).status_code == 404
    )
