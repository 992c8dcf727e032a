"""The address a request came from, the same for the audit log and the sign-in lockout: behind
OVERSIGHT_TRUSTED_PROXIES proxies (nginx, a load balancer) the socket's address is the nearest
proxy's, shared by every user, so the client's is read from X-Forwarded-For."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(remote_addr: str | None, forwarded_for: str, proxies: int) -> str | None:
    """The client's address: with no trusted proxy, the socket's; with N, the one N hops in from
    the right of X-Forwarded-For (each proxy appends the address it was reached from, so only
    the last N entries are the proxies' own word; anything left of them a client could write)."""
    if proxies <= 0:
        return remote_addr or None
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if len(hops) < proxies:  # reached without the proxies: no forwarded address to believe
        return remote_addr or None
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:  # a proxy that does not write an address: not one to believe either
        return remote_addr or None


def request_address(request: HttpRequest) -> str | None:
    """`client_address` of a request (django-axes' AXES_CLIENT_IP_CALLABLE too)."""
    return client_address(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        settings.OVERSIGHT_TRUSTED_PROXIES,
    )
