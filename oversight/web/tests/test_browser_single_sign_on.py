"""Single sign-on in a real browser: "Sign in with your council account" goes to the council's
identity provider (a real OpenID Connect provider on loopback, npm's oidc-provider), the person
signs in on the provider's own page, and comes back to Oversight signed in, on their caseload;
"Sign out" (and "Sign out everywhere") ends the provider's session too, on the provider's own
page, so the next sign-in asks for the password again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from oversight.cases.constants import Role
from tests.oidc_provider import oidc_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.oidc]

IROS = "6f1c0a52-iros"


@pytest.fixture
def sso(live_server: Any, settings: Any, tmp_path: Any) -> Iterator[None]:
    accounts = {
        "isla": {
            "password": "isla-at-the-provider",
            "claims": {"email": "isla.brightwell@council.invalid", "groups": [IROS]},
        }
    }
    callback = f"{live_server.url}/sign-in/oidc/callback/"
    with oidc_provider(
        tmp_path,
        redirect_uris=[callback],
        post_logout_redirect_uris=[f"{live_server.url}/sign-in/"],
        accounts=accounts,
    ) as provider:
        for name, value in provider.settings().items():
            setattr(settings, name, value)
        settings.OVERSIGHT_OIDC_GROUP_ROLES = {IROS: frozenset({Role.IRO.value})}
        yield


def sign_on(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in with your council account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to your council account")
    page.get_by_label("Username").fill("isla")
    page.get_by_label("Password").fill("isla-at-the-provider")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    expect(page.get_by_role("button", name="Sign out")).to_contain_text("Isla Brightwell")


def test_an_iro_signs_in_through_the_council_identity_provider(page, council, sso):
    sign_on(page)


def signed_out_at_the_provider(page: Any) -> None:
    """On the provider's page, "Sign out"; back on Oversight's sign-in page, whose council sign-in
    then asks for the password again."""
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign out of your council account?")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Oversight")
    page.get_by_role("button", name="Sign in with your council account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to your council account")
    expect(page.get_by_label("Password")).to_be_visible()


def test_signing_out_ends_the_provider_session_so_the_password_is_asked_again(
    page,
    council,
    sso,
):
    from playwright.sync_api import expect

    sign_on(page)
    page.get_by_role("button", name="Sign out").click()
    signed_out_at_the_provider(page)
    page.goto("/caseload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Oversight")


def test_signing_out_everywhere_ends_the_provider_session_too(page, council, sso):
    sign_on(page)
    page.get_by_role("link", name="Sign out everywhere").click()
    page.get_by_role("button", name="Sign out everywhere").click()
    signed_out_at_the_provider(page)
