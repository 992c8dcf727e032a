"""Signing in with Django's model backend, with the signed-in user of every request read once per
access version in each process (issue 6, performance: every page asks who is signed in)."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth.backends import ModelBackend

from oversight.cache import data_version


class RememberedUserBackend(ModelBackend):
    """`ModelBackend`, its `get_user` remembered under the access version: a change to a
    user (password, name, deactivation) bumps it, so the next request reads them afresh and
    Django's session check (the password's hash) and `is_active` see the change."""

    def get_user(self, user_id: Any) -> Any:
        key = ("user", str(user_id), data_version.current(data_version.ACCESS))
        found = data_version.remember(key, lambda: ModelBackend.get_user(self, user_id))
        # A copy: the remembered one is shared by every request of this process.
        return copy.copy(found) if found is not None else None
