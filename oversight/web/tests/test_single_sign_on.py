"""Single sign-on against a real OpenID Connect provider (npm's oidc-provider on loopback, its own
login page): the code flow with PKCE, the ID token checked, the person matched to their staff
record by email, their groups setting the roles the council's mapping names, an account no
group maps refused, and nobody made an administrator by a group the mapping does not name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model

from oversight.audit.models import AuditEntry
from oversight.cases.constants import Role
from oversight.cases.models import StaffMember
from tests.oidc_provider import RunningProvider, oidc_provider

pytestmark = [pytest.mark.django_db, pytest.mark.oidc]

CALLBACK = "http://testserver/sign-in/oidc/callback/"
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
        tmp_path_factory.mktemp("oidc"), redirect_uris=[CALLBACK], accounts=ACCOUNTS
    ) as running:
        yield running


@pytest.fixture
def sso(provider: RunningProvider, settings: Any) -> RunningProvider:
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.OVERSIGHT_OIDC_GROUP_ROLES = MAPPING
    return provider


def sign_on(client: Any, username: str, password: str) -> Any:
    """Through the provider as a browser would: Oversight sends to the provider, the person
    signs in on its page, the provider sends back with a code; Oversight's answer to that."""
    start = client.get("/sign-in/oidc/authenticate/")
    assert start.status_code == 302
    browser = requests.Session()
    login = browser.get(start["Location"], timeout=10)
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
