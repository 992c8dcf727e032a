"""Single sign-on over OpenID Connect (mozilla-django-oidc), for a council whose staff sign in
with its identity provider (mostly Microsoft Entra ID): the authorization code flow with PKCE,
the ID token's signature (the provider's JWKS), issuer, audience and nonce checked, then
`oversight.cases.sign_on` decides who the person is and which roles their groups give.
Signing out of Oversight after single sign-on also ends the session at the provider
(RP-initiated logout: `provider_sign_out_url`), so the next sign-in asks for the password again.

Off (404) unless OVERSIGHT_OIDC_CLIENT_ID is set (`settings.OVERSIGHT_SSO`)."""

from __future__ import annotations

import functools
import logging
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from oversight.cache.backends import RememberedUserBackend
from oversight.cases.sign_on import read_claims, signed_on_staff
from oversight.web.access import landing

LOGGER = logging.getLogger(__name__)


def audience_problem(payload: dict[str, Any], *, issuer: str, client_id: str) -> str:
    """Why an ID token's claims are not for this service from this provider, or ""."""
    if payload.get("iss") != issuer:
        return "issuer"
    audience = payload.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences:
        return "audience"
    return ""


class CouncilSignOn(OIDCAuthenticationBackend):  # type: ignore[misc]
    """The council's provider as a Django authentication backend: asked only by the callback of
    a sign-on this session started (never with a username and password)."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not settings.OVERSIGHT_SSO or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> Any:
        payload = super().verify_token(token, **kwargs)
        problem = audience_problem(
            payload, issuer=settings.OVERSIGHT_OIDC_ISSUER, client_id=settings.OIDC_RP_CLIENT_ID
        )
        if problem:
            LOGGER.warning(
                "single sign-on refused: the ID token's %s is not this service's", problem
            )
            return None
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """The ID token's claims with the userinfo answer's over them: Entra ID puts the groups in
        the ID token, other providers in userinfo."""
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token: str, id_token: str, payload: Any) -> Any:
        raw = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(raw):
            return None
        claims = read_claims(
            raw,
            groups_claim=settings.OVERSIGHT_OIDC_GROUPS_CLAIM,
            username_claim=settings.OVERSIGHT_OIDC_USERNAME_CLAIM,
        )
        staff = signed_on_staff(
            claims,
            mapping=settings.OVERSIGHT_OIDC_GROUP_ROLES,
            create=settings.OVERSIGHT_OIDC_CREATE_STAFF,
        )
        return staff.user if staff is not None else None

    def get_user(self, user_id: Any) -> Any:
        return RememberedUserBackend().get_user(user_id)


class StartSignOn(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """ "Sign in with your council account": off to the provider (404 when not configured)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OVERSIGHT_SSO:
            raise Http404("Single sign-on is not set up")
        return super().get(request)  # type: ignore[no-any-return]


class SignOnCallback(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider's answer: signed in, landing where each person lands."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OVERSIGHT_SSO:
            raise Http404("Single sign-on is not set up")
        return super().get(request)  # type: ignore[no-any-return]

    @property
    def success_url(self) -> str:
        wanted = self.request.session.get("oidc_login_next")
        return str(wanted) if wanted else landing(self.user)


@functools.cache
def _end_session_endpoint(issuer: str) -> str:
    """The provider's `end_session_endpoint`, from its discovery document (which every OpenID
    provider serves under its issuer; Entra ID's lists `…/oauth2/v2.0/logout`), read once per
    process: no setting of its own to get wrong. A provider that lists none gives ""."""
    found = requests.get(
        f"{issuer.rstrip('/')}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
    )
    found.raise_for_status()
    return str(found.json().get("end_session_endpoint") or "")


def provider_sign_out_url(request: HttpRequest) -> str:
    """Where signing out sends the browser (mozilla-django-oidc's `OIDC_OP_LOGOUT_URL_METHOD`,
    asked before the session ends): after single sign-on, the provider's end-session endpoint with
    the ID token as the hint and the sign-in page to come back to (registered at the provider as
    a post-logout redirect URI); after a password, or when the provider cannot say where, the
    sign-in page itself (Oversight's own session ends either way)."""
    back = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not (settings.OVERSIGHT_SSO and id_token):
        return back
    try:
        endpoint = _end_session_endpoint(settings.OVERSIGHT_OIDC_ISSUER)
    except (requests.RequestException, ValueError):
        LOGGER.warning("signed out of Oversight only: the identity provider did not answer")
        return back
    if not endpoint:
        return back
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(back),
        }
    )
    return f"{endpoint}?{query}"


@method_decorator(never_cache, name="dispatch")
class SignOut(OIDCLogoutView):  # type: ignore[misc]
    """ "Sign out" (POST only): Oversight's session ended, then on to `provider_sign_out_url`."""


def sign_on_refused(request: HttpRequest) -> HttpResponse:
    """The provider vouched for someone Oversight cannot sign in (no staff record, no mapped
    role), or the sign-on failed: say whom to ask."""
    return render(request, "web/sign_on_refused.html", status=403)
