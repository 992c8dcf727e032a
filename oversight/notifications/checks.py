"""System checks of the notifications settings: a Notify backend without its key or template is
refused at start-up, not at the first message."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


def check_notify_settings(**kwargs: Any) -> list[checks.CheckMessage]:
    if settings.OVERSIGHT_NOTIFY_BACKEND != "notify":
        return []
    errors: list[checks.CheckMessage] = []
    key = settings.NOTIFY_API_KEY
    # A Notify key is "{name}-{service id: a 36-character uuid}-{secret: a 36-character uuid}".
    if len(key) < 74 or key[-37] != "-" or key[-74] != "-":
        errors.append(
            checks.Error(
                "NOTIFY_API_KEY is missing or is not a GOV.UK Notify API key",
                hint="Set NOTIFY_API_KEY to a key from the service's API integration page.",
                id="notifications.E001",
            )
        )
    if not settings.OVERSIGHT_NOTIFY_TEMPLATE_ID:
        errors.append(
            checks.Error(
                "OVERSIGHT_NOTIFY_TEMPLATE_ID is not set",
                hint="Messages without their own template go through a template with "
                "((subject)) and ((body)) placeholders; set its ID.",
                id="notifications.E002",
            )
        )
    return errors
