"""Two-factor sign-in (django-otp): a code from an authenticator app (TOTP) after the password,
or one of the person's recovery codes (django-otp's static device) when the phone is lost.

Who must use it: every administrator (they hold the accounts, the imports and the API tokens),
and everyone when OVERSIGHT_TWO_FACTOR_FOR_EVERYONE is on; anyone else may turn it on, and once
on it is asked at every sign-in. A session signed in through the council's identity provider
(single sign-on, `oversight.web.sso`) is not asked again: the provider's own multi-factor
policy (Entra ID's Conditional Access) is the council's second factor there.

`TwoFactorMiddleware` holds a signed-in session that still owes its code to the code page (or,
for someone who must use two-factor and has not set it up, to the setting-up page) before any
other page or API call; django-otp's `OTPMiddleware` says whether this session gave it."""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, ResolverMatch, resolve, reverse
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.api.problems import problem
from oversight.cases.access import User, staff_for_user
from oversight.cases.constants import Role
from oversight.cases.text import TextForm

APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RECOVERY_CODES = 10
HAS_APP = "oversight_two_factor_app"  # the session's note of whether its person has an app
# Pages a session that owes its code may still open: the code page, setting up, signing out.
OPEN_WHILE_OWED = frozenset({"login", "logout", "two_factor_verify", "two_factor_setup", "healthz"})


def two_factor_required(user: User, *, for_everyone: bool) -> bool:
    """Whether `user` must give a code at sign-in even before they have set one up: an
    administrator (or a superuser of Django's admin) always; anyone when the council asks it of
    everyone (`for_everyone`)."""
    if for_everyone or getattr(user, "is_superuser", False):
        return True
    staff = staff_for_user(user)
    return staff is not None and Role.ADMINISTRATOR in staff.roles


def has_two_factor(user: User) -> bool:
    """Whether `user` has set up an authenticator app (a confirmed TOTP device)."""
    return bool(user_has_device(user, confirmed=True))


def signed_in_with_sso(request: HttpRequest) -> bool:
    """Whether this session was signed in through the council's identity provider."""
    return str(request.session.get(BACKEND_SESSION_KEY, "")) == settings.OVERSIGHT_SSO_BACKEND


def pending_app(user: User) -> TOTPDevice:
    """The authenticator app being set up: its secret kept (unconfirmed) until the person types
    a code it made, so that a reload shows the same QR code and django-otp's throttle counts
    every wrong try."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": APP_NAME}
    )
    return device


def qr_data_uri(device: TOTPDevice) -> str:
    """The app's `otpauth://` address as a QR code, an SVG in a data: address (the
    Content-Security-Policy allows data: images, and no script is needed)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def readable_secret(device: TOTPDevice) -> str:
    """The secret as an app's "enter a key" box takes it (base32, in groups of four)."""
    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def new_recovery_codes(user: User) -> list[str]:
    """A fresh set of recovery codes for `user` (any earlier set stops working), each usable
    once; shown once, kept by django-otp."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": RECOVERY_NAME})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _devices_for(user: User, code: str) -> list[Device]:
    """The devices of `user` that could have made `code`: the app's for six digits, else the
    recovery codes' (so a recovery code never counts as a wrong code of the app, nor the other
    way round)."""
    kind = TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    return [d for d in devices_for_user(user, confirmed=True) if isinstance(d, kind)]


def held_back(user: User, code: str) -> bool:
    """Whether django-otp holds back codes like `code` for now, after wrong ones in a row (the
    wait doubles with each: 1, 2, 4 ... seconds)."""
    return any(not device.verify_is_allowed()[0] for device in _devices_for(user, code))


def device_for_code(user: User, code: str) -> Device | None:
    """The device of `user` that accepts `code` (the app's six digits, or a recovery code, which
    is then used up), or None; each device's throttle slows repeated wrong codes."""
    for device in _devices_for(user, code):
        if verify_token(user, device.persistent_id, code):
            return device
    return None


class CodeForm(TextForm):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes",
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "inputmode": "text"}
        ),
    )

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split()).lower()


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: a signed-in session that owes its code sees only the
    code page (or setting up, when it must and has no app yet); an API call on such a session
    is 401."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        owed = owed_page(request)
        if owed is not None:
            if request.path.startswith("/api/"):
                return problem(401, "Give your two-factor code at the sign-in page first")
            target = reverse(owed)
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def owed_page(request: HttpRequest) -> str | None:
    """The page a signed-in session must go to before any other (the code page, or setting up
    two-factor), or None when it may go anywhere its access allows."""
    user = request.user
    if not user.is_authenticated or signed_in_with_sso(request):
        return None
    if user.is_verified():  # type: ignore[attr-defined]  # django-otp's OTPMiddleware adds it
        return None
    match = _resolve(request.path_info)
    if match is not None and match.url_name in OPEN_WHILE_OWED:
        return None
    if request.path.startswith(settings.STATIC_URL):
        return None
    if _has_app(request):
        return "two_factor_verify"
    for_everyone = settings.OVERSIGHT_TWO_FACTOR_FOR_EVERYONE
    if two_factor_required(user, for_everyone=for_everyone):
        return "two_factor_setup"
    return None


def _has_app(request: HttpRequest) -> bool:
    """`has_two_factor`, asked once per session (not a query on every request) and kept in it;
    setting up an app sets it (`remember_app`)."""
    known = request.session.get(HAS_APP)
    if known is None:
        known = request.session[HAS_APP] = has_two_factor(request.user)
    return bool(known)


def remember_app(request: HttpRequest) -> None:
    """This session's person has just set up an authenticator app."""
    request.session[HAS_APP] = True


def _resolve(path: str) -> ResolverMatch | None:
    """The URL's match: a middleware runs before Django resolves the request itself."""
    try:
        return resolve(path)
    except Resolver404:
        return None
