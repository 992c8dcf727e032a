from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest | None = None) -> dict[str, object]:
    """The service's and the council's names, for the header of every page; whether staff may
    sign in with the council's identity provider (the sign-in page's button)."""
    return {
        "service_name": settings.OVERSIGHT_SERVICE_NAME,
        "council_name": settings.OVERSIGHT_COUNCIL_NAME,
        "sso": settings.OVERSIGHT_SSO,
    }
