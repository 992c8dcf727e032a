"""Signing in with Django's model backend, with the signed-in user of every request read once per
access version in each process (issue 6, performance: every page asks who is signed in)."""

from __future__ import annotations

import copy
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import OuterRef, Subquery

from oversight.cache import data_version


class RememberedUserBackend(ModelBackend):
    """`ModelBackend`, its `get_user` remembered under the access version: a change to a
    user (password, name, deactivation) bumps it, so the next request reads them afresh and
    Django's session check (the password's hash) and `is_active` see the change. The user comes
    with their sign-out count (`sign_out_generation`, `oversight.cases.sessions`) in the same
    query, so that checking a session against it costs nothing more."""

    def get_user(self, user_id: Any) -> Any:
        key = ("user", str(user_id), data_version.current(data_version.ACCESS))
        found = data_version.remember(key, lambda: self._read(user_id))
        # A copy: the remembered one is shared by every request of this process.
        return copy.copy(found) if found is not None else None

    def _read(self, user_id: Any) -> Any:
        """`ModelBackend.get_user`, the sign-out count annotated (None for no sign-out yet)."""
        sign_outs = apps.get_model("cases", "SignOut").objects.filter(user_id=OuterRef("pk"))
        users = get_user_model()._default_manager.annotate(
            sign_out_generation=Subquery(sign_outs.values("generation")[:1])
        )
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
