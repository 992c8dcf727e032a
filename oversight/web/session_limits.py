"""Sessions end after a while without a request (OVERSIGHT_SESSION_IDLE_MINUTES), a while
after signing in (OVERSIGHT_SESSION_MAX_HOURS), whatever the activity, and when their user signs
out everywhere (`oversight.cases.sessions`): a screen left open on a child's record, or a stolen
cookie, stops working."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from oversight.cases.sessions import SESSION_GENERATION, generation
from oversight.web.middleware import UNAVAILABLE, unavailable_response

SIGNED_IN_AT = "oversight_signed_in_at"
LAST_SEEN = "oversight_last_seen"
# The last request is written down at most this often, not on every request (each write is a
# database write); the idle limit is kept to within this many seconds.
LAST_SEEN_STEP_SECONDS = 60


def session_has_ended(
    signed_in_at: float, last_seen: float, now: float, *, idle_seconds: int, max_seconds: int
) -> bool:
    """Whether a session signed in at `signed_in_at` and last used at `last_seen` (seconds since
    the epoch) has ended by `now`."""
    return now - last_seen > idle_seconds or now - signed_in_at > max_seconds


@receiver(user_logged_in, dispatch_uid="oversight.web.session_limits.signed_in")
def on_sign_in(sender: Any, request: Any = None, **kwargs: Any) -> None:
    """The clock of both limits starts at signing in, under the user's sign-out count."""
    session = getattr(request, "session", None)
    user = kwargs.get("user")
    if session is not None:
        now = time.time()
        session[SIGNED_IN_AT] = now
        session[LAST_SEEN] = now
        if user is not None:
            session[SESSION_GENERATION] = generation(user)


class SessionLimitsMiddleware:
    """Signs out a session past its limits before the view runs (after Django's
    AuthenticationMiddleware). Signing out flushes the session: its row and its entry in the
    sessions cache every worker shares go, so no other worker still accepts it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            if request.user.is_authenticated:
                self._check(request)
        except UNAVAILABLE:  # the session is read here, outside any view
            return unavailable_response()
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        if session.get(SESSION_GENERATION, 0) < generation(request.user):
            logout(request)  # signed out everywhere since this session signed in
            return
        now = time.time()
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen = session.get(LAST_SEEN)
        if signed_in_at is None or last_seen is None:  # signed in before the limits existed
            session[SIGNED_IN_AT] = signed_in_at if signed_in_at is not None else now
            session[LAST_SEEN] = now
            return
        if session_has_ended(
            signed_in_at,
            last_seen,
            now,
            idle_seconds=settings.OVERSIGHT_SESSION_IDLE_MINUTES * 60,
            max_seconds=settings.OVERSIGHT_SESSION_MAX_HOURS * 3600,
        ):
            logout(request)
        elif now - last_seen >= LAST_SEEN_STEP_SECONDS:
            session[LAST_SEEN] = now
