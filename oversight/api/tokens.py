"""API tokens: made and revoked by an administrator, one secret shown once and only its SHA-256
digest kept (a random 256-bit secret needs no slow hash: nobody can guess it from its digest),
each acting as one user with that user's access, optionally read-only, with an expiry."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from oversight.api.models import ApiToken
from oversight.audit.actions import record_change
from oversight.cache import data_version
from oversight.cases.access import staff_for_user
from oversight.cases.constants import Role

PREFIX = "ovs_"


@dataclass(frozen=True)
class Issued:
    token: ApiToken
    secret: str  # shown to the administrator once; never kept


class TokenRefused(ValueError):
    """A token that cannot be made as asked; `field` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def may_manage_tokens(user: Any) -> bool:
    """The API tokens page: administrators only (a token is a way into every child its user
    may see, so making one is configuration, not casework)."""
    staff = staff_for_user(user) if getattr(user, "is_authenticated", False) else None
    return staff is not None and Role.ADMINISTRATOR in staff.roles


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(
    *,
    name: str,
    user: Any,
    read_only: bool,
    expires_on: dt.date | None,
    acting_user: Any,
    today: dt.date | None = None,
) -> Issued:
    """A new token `name` acting as `user`; audited. Refused (TokenRefused) for a name in use,
    an expiry in the past, or a user who cannot sign in."""
    today = today or timezone.localdate()
    name = name.strip()
    if not name:
        raise TokenRefused("name", "Enter a name for the token")
    if ApiToken.objects.filter(name=name).exists():
        raise TokenRefused("name", "A token with this name already exists")
    if expires_on is not None and expires_on < today:
        raise TokenRefused("expires_on", "The expiry must be today or later")
    if not getattr(user, "is_active", False):
        raise TokenRefused("user", "Choose a user who can sign in")
    secret = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name,
            user=user,
            digest=digest(secret),
            prefix=secret[: len(PREFIX) + 4],
            read_only=read_only,
            expires_on=expires_on,
            created_at=timezone.now(),
            created_by=acting_user,
        )
        record_change(
            None,
            action="api_token.issued",
            before=None,
            after=_snapshot(token),
            acting_user=acting_user,
        )
    return Issued(token, secret)


def revoke(token: ApiToken, *, acting_user: Any) -> None:
    """The token stops working at once; audited. Revoking a revoked token changes nothing."""
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        before = _snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_change(
            None,
            action="api_token.revoked",
            before=before,
            after=_snapshot(token),
            acting_user=acting_user,
        )


def working(secret: str, *, today: dt.date | None = None) -> ApiToken | None:
    """The token whose secret this is, if it works today (not revoked, not expired, its user
    active); else None. Marks when it was last used (at most once a minute).

    A working token is remembered under the access version (`oversight.cache`: making or
    revoking a token bumps it, as a user's deactivation does), so a call costs no query for
    its caller (issue 17's benchmark); a secret that names no token is never remembered."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    today = today or timezone.localdate()
    sent = digest(secret)
    token = data_version.remember(
        ("api-token", sent, data_version.current(data_version.ACCESS)),
        lambda: (
            ApiToken.objects.select_related("user")
            .filter(digest=sent, revoked_at__isnull=True)
            .first()
        ),
        until=lambda found: None if found is not None else data_version.NOT_KEPT,
    )
    if token is None or not token.user.is_active:
        return None
    if token.expires_on is not None and token.expires_on < today:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now  # the remembered token's too: once a minute a process
    return token


def _snapshot(token: ApiToken) -> dict[str, Any]:
    return {
        "name": token.name,
        "user": get_user_model().objects.get(pk=token.user_id).get_username(),
        "read_only": token.read_only,
        "expires_on": token.expires_on.isoformat() if token.expires_on else None,
        "revoked": token.revoked_at is not None,
    }
