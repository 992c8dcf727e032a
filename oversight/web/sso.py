"""Single sign-on over OpenID Connect (mozilla-django-oidc), for a council whose staff sign in
with its identity provider (mostly Microsoft Entra ID): the authorization code flow with PKCE,
the ID token's signature (the provider's JWKS), issuer, audience and nonce checked, then
`oversight.cases.sign_on` decides who the person is and which roles their groups give.
Signing out of Oversight after single sign-on, and signing out everywhere, also end the session
at the provider (RP-initiated logout: `provider_sign_out_url`), so the next sign-in asks for the
password again. Signing out at the provider ends the user's Oversight sessions on every device:
the provider posts a logout token to `backchannel_logout` (OpenID Connect Back-Channel Logout
1.0), checked here (`logout_token_problem`) and with mozilla-django-oidc's own signature check.

Off (404) unless OVERSIGHT_OIDC_CLIENT_ID is set (`settings.OVERSIGHT_SSO`)."""

from __future__ import annotations

import functools
import logging
import time
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render, resolve_url
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from oversight.cache.backends import RememberedUserBackend
from oversight.cases.sessions import sign_out_everywhere
from oversight.cases.sign_on import read_claims, remember_subject, signed_on_staff, subject_user
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
        if staff is None:
            return None
        remember_subject(
            staff.user,
            issuer=settings.OVERSIGHT_OIDC_ISSUER,
            subject=str(raw["sub"]),
            sid=str(payload.get("sid") or ""),
            at=timezone.now(),
        )
        return staff.user

    def logout_token_claims(self, token: str) -> dict[str, Any]:
        """A logout token's claims once its signature is the provider's (the same key and
        algorithm as an ID token's: `verify_token` without the nonce, which a logout token never
        has); SuspiciousOperation or PyJWT's error otherwise."""
        if self.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")):
            key = self.OIDC_RP_IDP_SIGN_KEY or self.retrieve_matching_jwk(token)
        else:
            key = self.OIDC_RP_CLIENT_SECRET
        return dict(self.get_payload_data(token, key))

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


BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
# How far a logout token's `iat` may be from now: its journey plus the two clocks' difference.
LOGOUT_TOKEN_SECONDS = 300


def logout_token_problem(
    payload: dict[str, Any], *, issuer: str, client_id: str, now: float
) -> str:
    """Why a logout token's claims are not a back-channel logout from this provider for this
    service (Back-Channel Logout 1.0, 2.6), or "": the issuer and audience, an `iat` near `now`,
    the back-channel logout event, a `sub` or `sid`, and no `nonce` (an ID token is not one)."""
    problem = audience_problem(payload, issuer=issuer, client_id=client_id)
    if problem:
        return problem
    issued = payload.get("iat")
    if not isinstance(issued, int | float) or abs(now - issued) > LOGOUT_TOKEN_SECONDS:
        return "iat"
    events = payload.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(BACKCHANNEL_LOGOUT_EVENT), dict):
        return "events"
    if not (isinstance(payload.get("sub"), str) or isinstance(payload.get("sid"), str)):
        return "sub or sid"
    if "nonce" in payload:
        return "nonce"
    return ""


def _logout_refused(why: str) -> JsonResponse:
    LOGGER.warning("back-channel logout refused: %s", why)
    return JsonResponse({"error": "invalid_request", "error_description": why}, status=400)


@csrf_exempt
@never_cache
@require_POST
def backchannel_logout(request: HttpRequest) -> HttpResponse:
    """The provider's back-channel logout (its `backchannel_logout_uri`): the person signed out
    at the provider, so every Oversight session of theirs ends (`sign_out_everywhere`, on the
    audit log). No cookie, no CSRF token: the logout token, signed by the provider, is the
    credential. 200 when it is good (whoever it names, even nobody known here), else 400."""
    if not settings.OVERSIGHT_SSO:
        raise Http404("Single sign-on is not set up")
    token = request.POST.get("logout_token", "")
    if not token:
        return _logout_refused("no logout_token")
    try:
        payload = CouncilSignOn().logout_token_claims(token)
    except (SuspiciousOperation, jwt.PyJWTError, requests.RequestException, KeyError, ValueError):
        return _logout_refused("the logout token's signature is not the provider's")
    problem = logout_token_problem(
        payload,
        issuer=settings.OVERSIGHT_OIDC_ISSUER,
        client_id=settings.OIDC_RP_CLIENT_ID,
        now=time.time(),
    )
    if problem:
        return _logout_refused(f"the logout token's {problem} is not right")
    user = subject_user(
        settings.OVERSIGHT_OIDC_ISSUER,
        subject=str(payload.get("sub") or ""),
        sid=str(payload.get("sid") or ""),
    )
    if user is not None:
        sign_out_everywhere(
            user, request=request, reason="Signed out at the council's identity provider"
        )
    return HttpResponse(status=200)


def sign_on_refused(request: HttpRequest) -> HttpResponse:
    """The provider vouched for someone Oversight cannot sign in (no staff record, no mapped
    role), or the sign-on failed: say whom to ask."""
    return render(request, "web/sign_on_refused.html", status=403)
