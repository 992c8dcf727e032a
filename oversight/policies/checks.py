"""The Django system check for the deployment's pack (`OVERSIGHT_POLICY`, default `england`).

Not registered here: the app that owns the system checks registers it, e.g.
`django.core.checks.register(check_active_policy)`. The rest of `oversight.policies` never
imports Django.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import Error

from oversight.policies import DEFAULT_POLICY, validate_active


def active_policy() -> str:
    """The deployment's pack: the OVERSIGHT_POLICY setting, else the environment, else england."""
    name = getattr(settings, "OVERSIGHT_POLICY", None) or os.environ.get("OVERSIGHT_POLICY")
    return str(name or DEFAULT_POLICY)


def check_active_policy(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """An error per problem of the active pack, so the app refuses to start with a bad one."""
    name = active_policy()
    return [
        Error(f"OVERSIGHT_POLICY={name}: {problem}", id="oversight.policies.E001")
        for problem in validate_active(name)
    ]
