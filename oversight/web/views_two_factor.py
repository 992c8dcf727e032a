"""Two-factor sign-in's pages: setting up an authenticator app (with recovery codes), and the
code asked after the password (`oversight.web.two_factor` holds the rules)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from oversight.audit.actions import record_change, record_second_factor
from oversight.web.access import landing
from oversight.web.two_factor import (
    CodeForm,
    device_for_code,
    has_two_factor,
    held_back,
    new_recovery_codes,
    pending_app,
    qr_data_uri,
    readable_secret,
    remember_app,
)

WRONG = "The code is not right, or has been used: type the code your app shows now"
HELD_BACK = (
    "Too many wrong codes in a row: wait a few seconds, then type the code your app shows now"
)


def _next(request: HttpRequest) -> str:
    """Where to go after the code: the page asked for, when it is on this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return landing(request.user)


@login_required
@never_cache
def setup(request: HttpRequest) -> HttpResponse:
    """Turn on two-factor sign-in: scan the QR code, type a code the app shows; then the
    recovery codes, shown once. Once on: new recovery codes (the old stop working)."""
    user = request.user
    if has_two_factor(user):
        if not user.is_verified():  # type: ignore[union-attr]
            return redirect("two_factor_verify")
        if request.method == "POST" and request.POST.get("action") == "recovery":
            with transaction.atomic():
                codes = new_recovery_codes(user)
                record_change(
                    None,
                    action="auth.recovery_codes_made",
                    before=None,
                    after={"codes": len(codes)},
                    acting_user=user,
                    request=request,
                )
            return render(request, "web/two_factor_codes.html", {"codes": codes})
        return render(request, "web/two_factor_on.html")
    device = pending_app(user)
    form = CodeForm(request.POST or None, auto_id="%s")
    if request.method == "POST" and form.is_valid():
        waiting = not device.verify_is_allowed()[0]
        if not waiting and device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = new_recovery_codes(user)
                record_change(
                    None,
                    action="auth.two_factor_set_up",
                    before=None,
                    after={"device": device.name, "recovery_codes": len(codes)},
                    acting_user=user,
                    request=request,
                )
            otp_login(request, device)
            remember_app(request)
            return render(
                request, "web/two_factor_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error("code", HELD_BACK if waiting else WRONG)
    return render(
        request,
        "web/two_factor_setup.html",
        {
            "form": form,
            "qr": qr_data_uri(device),
            "secret": readable_secret(device),
            "next": request.GET.get("next", ""),
        },
    )


@login_required
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The code after the password, from the app or a recovery code; every try audited."""
    user = request.user
    if not has_two_factor(user):
        return redirect("two_factor_setup")
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    form = CodeForm(request.POST or None, auto_id="%s")
    if request.method == "POST" and form.is_valid():
        waiting = held_back(
            user, form.cleaned_data["code"]
        )  # asked first: a wrong code starts the wait it reports
        device = None if waiting else device_for_code(user, form.cleaned_data["code"])
        if device is not None:
            recovery = isinstance(device, StaticDevice)
            what = "auth.recovery_code" if recovery else "auth.two_factor"
            record_second_factor(request, user, what=what, passed=True)
            otp_login(request, device)
            return redirect(_next(request))
        record_second_factor(request, user, what="auth.two_factor_failed", passed=False)
        form.add_error("code", HELD_BACK if waiting else WRONG)
    return render(request, "web/two_factor_verify.html", {"form": form, "next": _next(request)})
