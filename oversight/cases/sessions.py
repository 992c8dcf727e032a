"""Signing out everywhere: every session of a user, on every host, ends at its next request.

A session carries the user's sign-out count as it was when they signed in
(`SESSION_GENERATION`); signing out everywhere adds one to the count, so every session signed in
before it is out of date. The count comes with the signed-in user, remembered per access version
in each process (`oversight.cache.backends`; a change to `SignOut` bumps it,
`oversight.cache.watched`), so checking it costs no query of its own, and a host that remembered
the old count reads the new one at its next request."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from oversight.audit.actions import record_change
from oversight.cases.models import SignOut

SESSION_GENERATION = "oversight_sign_out_generation"


def generation(user: Any) -> int:
    """The user's sign-out count (0 for someone who never signed out everywhere): read with the
    signed-in user (`oversight.cache.backends`), else from the database."""
    if hasattr(user, "sign_out_generation"):
        return int(user.sign_out_generation or 0)
    found = SignOut.objects.filter(user_id=user.pk).values_list("generation", flat=True).first()
    return found or 0


def sign_out_everywhere(user: Any, *, request: Any = None, reason: str = "") -> int:
    """End every session of `user`, this one too; the audit log says who, from where and (the
    identity provider's back-channel logout) why. Gives the new count."""
    with transaction.atomic():
        found, _ = SignOut.objects.select_for_update().get_or_create(
            user=user, defaults={"at": timezone.now()}
        )
        found.generation = F("generation") + 1
        found.at = timezone.now()
        found.save()
        found.refresh_from_db()
        record_change(
            None,
            action="auth.signed_out_everywhere",
            before=None,
            after={"generation": found.generation},
            reason=reason,
            acting_user=user,
            request=request,
        )
    return found.generation
