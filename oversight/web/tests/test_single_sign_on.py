"""Single sign-on against a real OpenID Connect provider (npm's oidc-provider on loopback, its own
login page): the code flow with PKCE, the ID token checked, the person matched to their staff
record by email, their groups setting the roles the council's mapping names, an account no
group maps refused, nobody made an administrator by a group the mapping does not name, and
signing out ending the session at the provider too (RP-initiated logout)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client

from oversight.audit.models import AuditEntry
from oversight.cases.constants import Role
from oversight.cases.models import StaffMember
from tests.oidc_provider import RunningProvider, oidc_provider

pytestmark = [pytest.mark.django_db, pytest.mark.oidc]

CALLBACK = "http://testserver/sign-in/oidc/callback/"
SIGNED_OUT = "http://testserver/sign-in/"  # the post-logout redirect URI registered
IROS = "6f1c0a52-iros"  # groups as Entra ID names them: object ids
IRO_MANAGERS = "9b7e2d10-iro-managers"
IT_ADMINS = "41aa0c3e-it-admins"  # a group of the council the mapping does not name
ACCOUNTS = {
    "isla": {
        "password": "isla-at-the-provider",
        "claims": {
            "email": "Isla.Brightwell@council.invalid",  # the staff record's, in other letters
            "preferred_username": "isla@council.invalid",
            "groups": [IROS, IRO_MANAGERS, IT_ADMINS],
        },
    },
    "kai": {
        "password": "kai-at-the-provider",
        "claims": {
            "email": "kai.ingleby@council.invalid",  # the administrator persona's
            "preferred_username": "kai@council.invalid",
            "groups": [IROS, IT_ADMINS],
        },
    },
    "newcomer": {
        "password": "newcomer-at-the-provider",
        "claims": {
            "email": "newcomer@council.invalid",
            "preferred_username": "newcomer@council.invalid",
            "given_name": "Rowan",
            "family_name": "Newcombe",
            "groups": [IROS],
        },
    },
    "outsider": {
        "password": "outsider-at-the-provider",
        "claims": {
            "email": "outsider@council.invalid",
            "preferred_username": "outsider@council.invalid",
            "groups": [IT_ADMINS],
        },
    },
}
MAPPING = {
    IROS: frozenset({Role.IRO.value}),
    IRO_MANAGERS: frozenset({Role.IRO_TEAM_MANAGER.value}),
}


@pytest.fixture(scope="module")
def provider(tmp_path_factory: Any) -> Iterator[RunningProvider]:
    with oidc_provider(
        tmp_path_factory.mktemp("oidc"),
        redirect_uris=[CALLBACK],
        post_logout_redirect_uris=[SIGNED_OUT],
        accounts=ACCOUNTS,
    ) as running:
        yield running


@pytest.fixture
def sso(provider: RunningProvider, settings: Any) -> RunningProvider:
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.OVERSIGHT_OIDC_GROUP_ROLES = MAPPING
    return provider


def at_the_provider(browser: requests.Session, url: str) -> requests.Response:
    """Follow the provider's redirects from `url` until it shows a page or sends back to
    Oversight's callback (which the test's own client then asks)."""
    answer = browser.get(url, allow_redirects=False, timeout=10)
    while answer.is_redirect and not answer.headers["Location"].startswith(CALLBACK):
        onward = urljoin(answer.url, answer.headers["Location"])
        answer = browser.get(onward, allow_redirects=False, timeout=10)
    return answer


def sign_on(
    client: Any, username: str, password: str, browser: requests.Session | None = None
) -> Any:
    """Through the provider as a browser would: Oversight sends to the provider, the person
    signs in on its page, the provider sends back with a code; Oversight's answer to that.
    `browser` carries the provider's cookies from one sign-on to the next (a new one each time
    without)."""
    start = client.get("/sign-in/oidc/authenticate/")
    assert start.status_code == 302
    browser = browser or requests.Session()
    login = at_the_provider(browser, start["Location"])
    assert "Sign in to your council account" in login.text
    answer = browser.post(
        f"{login.url}/login",
        data={"username": username, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    while not answer.headers["Location"].startswith(CALLBACK):
        onward = urljoin(answer.url, answer.headers["Location"])
        answer = browser.get(onward, allow_redirects=False, timeout=10)
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_a_member_of_staff_signs_in_with_the_council_account(client, council, sso):
    page = client.get("/sign-in/")
    assert "Sign in with your council account" in page.text

    response = sign_on(client, "isla", "isla-at-the-provider")
    assert response.status_code == 302
    assert response["Location"] == "/caseload/"
    assert client.get("/caseload/").context["user"] == council.iro.user
    # The groups the mapping names gave their roles; the council's IT group, unmapped, gave none.
    staff = StaffMember.objects.get(pk=council.iro.pk)
    assert staff.roles == {Role.IRO, Role.IRO_TEAM_MANAGER}
    assert Role.ADMINISTRATOR not in staff.roles
    change = AuditEntry.objects.get(what="staff.roles_from_sign_on")
    assert change.before == {"staff": council.iro.pk, "roles": ["iro"]}
    assert change.after == {
        "staff": council.iro.pk,
        "roles": ["iro", "iro_team_manager"],
        "groups": sorted([IROS, IRO_MANAGERS, IT_ADMINS]),
    }
    assert AuditEntry.objects.filter(user=council.iro.user, what="auth.sign_in").exists()


def test_a_role_no_group_maps_to_stays_as_it_was(client, council, sso):
    # The administrator's role, which no group maps to, is the council's to give by hand: sign-on
    # neither gives it (the IT group) nor takes it away.
    sign_on(client, "kai", "kai-at-the-provider")
    staff = StaffMember.objects.get(pk=council.administrator.pk)
    assert staff.roles == {Role.ADMINISTRATOR, Role.IRO}


def test_an_account_with_no_staff_record_is_refused_unless_the_council_allows_new_ones(
    client, council, sso, settings
):
    users = get_user_model().objects
    before = users.count()
    refused = sign_on(client, "newcomer", "newcomer-at-the-provider")
    assert refused["Location"] == "/sign-in/refused/"
    assert "You cannot sign in with this council account" in client.get("/sign-in/refused/").text
    assert users.count() == before
    assert client.get("/caseload/").status_code == 302  # not signed in

    settings.OVERSIGHT_OIDC_CREATE_STAFF = True
    assert sign_on(client, "newcomer", "newcomer-at-the-provider")["Location"] == "/caseload/"
    made = StaffMember.objects.get(user__email="newcomer@council.invalid")
    assert made.roles == {Role.IRO}
    assert made.user.get_full_name() == "Rowan Newcombe"
    assert not made.user.has_usable_password()


def test_an_account_whose_groups_map_to_no_role_is_refused_and_nothing_is_made(
    client, council, sso, settings
):
    settings.OVERSIGHT_OIDC_CREATE_STAFF = True
    users = get_user_model().objects
    before = users.count()
    assert (
        sign_on(client, "outsider", "outsider-at-the-provider")["Location"] == "/sign-in/refused/"
    )
    assert users.count() == before


def test_two_staff_records_with_the_asserted_email_are_refused_never_guessed(client, council, sso):
    council.administrator.user.email = "isla.brightwell@council.invalid"
    council.administrator.user.save()
    assert sign_on(client, "isla", "isla-at-the-provider")["Location"] == "/sign-in/refused/"


def test_a_token_from_another_issuer_is_refused(client, council, sso, settings):
    settings.OVERSIGHT_OIDC_ISSUER = "https://login.microsoftonline.com/another-tenant/v2.0"
    assert sign_on(client, "isla", "isla-at-the-provider")["Location"] == "/sign-in/refused/"
    assert client.get("/caseload/").status_code == 302


@pytest.mark.two_factor
def test_a_session_signed_in_by_the_provider_is_not_asked_for_a_code(client, council, sso):
    sign_on(client, "kai", "kai-at-the-provider")
    assert client.get("/audit/").status_code == 200  # the provider's own multi-factor counts


def test_it_is_not_found_when_single_sign_on_is_off(client, settings):
    settings.OVERSIGHT_SSO = False
    assert client.get("/sign-in/oidc/authenticate/").status_code == 404
    assert "Sign in with your council account" not in client.get("/sign-in/").text


def test_signing_out_ends_the_session_at_the_provider_so_the_password_is_asked_again(
    client, council, sso
):
    browser = requests.Session()
    assert sign_on(client, "isla", "isla-at-the-provider", browser)["Location"] == "/caseload/"
    # The provider remembers Isla: another sign-on from this browser goes straight back, no
    # password asked (what signing out must end).
    again = at_the_provider(browser, Client().get("/sign-in/oidc/authenticate/")["Location"])
    assert again.is_redirect and again.headers["Location"].startswith(CALLBACK)

    out = client.post("/sign-out/")
    assert out.status_code == 302
    assert client.get("/caseload/").status_code == 302  # Oversight's session has ended
    found = requests.get(f"{sso.issuer}/.well-known/openid-configuration", timeout=10).json()
    endpoint, _, query = out["Location"].partition("?")
    assert endpoint == found["end_session_endpoint"]
    asked = parse_qs(query)
    assert asked["client_id"] == ["oversight-test"]
    assert asked["post_logout_redirect_uri"] == [SIGNED_OUT]
    assert asked["id_token_hint"][0].count(".") == 2  # the ID token the sign-on was given

    # At the provider, as the browser follows: "Sign out" ends its session, then back to Oversight.
    question = browser.get(out["Location"], timeout=10)
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
    assert done.is_redirect and done.headers["Location"].startswith(SIGNED_OUT)

    # Signing in again asks for the password at the provider.
    start = client.get("/sign-in/oidc/authenticate/")
    assert "Sign in to your council account" in at_the_provider(browser, start["Location"]).text


def test_signing_out_after_a_password_stays_with_oversight(client, council, sso):
    client.force_login(council.iro.user)
    out = client.post("/sign-out/")
    assert out.status_code == 302
    assert out["Location"] == "/sign-in/"
    assert client.get("/caseload/").status_code == 302


def test_signing_out_everywhere_after_single_sign_on_ends_the_provider_session_too(
    client, council, sso
):
    browser = requests.Session()
    sign_on(client, "isla", "isla-at-the-provider", browser)
    elsewhere = Client()
    elsewhere.force_login(council.iro.user)  # the same person on another computer

    out = client.post("/sign-out/everywhere/")

    found = requests.get(f"{sso.issuer}/.well-known/openid-configuration", timeout=10).json()
    assert out.status_code == 302
    endpoint, _, query = out["Location"].partition("?")
    assert endpoint == found["end_session_endpoint"]
    assert parse_qs(query)["post_logout_redirect_uri"] == [SIGNED_OUT]
    assert client.get("/caseload/").status_code == 302
    assert elsewhere.get("/caseload/").status_code == 302
    question = browser.get(out["Location"], timeout=10)
    assert "Sign out of your council account?" in question.text


def test_signing_out_everywhere_after_a_password_says_so_in_oversight(client, council, sso):
    client.force_login(council.iro.user)
    out = client.post("/sign-out/everywhere/")
    assert out.status_code == 200
    assert client.get("/caseload/").status_code == 302
