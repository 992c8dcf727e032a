"""Sign-ins and failed sign-ins on the audit log, from django.contrib.auth's signals (logging,
not business logic)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from oversight.audit.actions import record_failed_sign_in, record_sign_in


@receiver(user_logged_in, dispatch_uid="oversight.audit.sign_in")
def on_sign_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    if request is None or not request.path:  # no page was used (the test client's force_login)
        return
    record_sign_in(request, user)


@receiver(user_login_failed, dispatch_uid="oversight.audit.sign_in_failed")
def on_failed_sign_in(
    sender: Any, credentials: dict[str, Any] | None = None, request: Any = None, **kwargs: Any
) -> None:
    username = str((credentials or {}).get("username", ""))
    record_failed_sign_in(request, username)
