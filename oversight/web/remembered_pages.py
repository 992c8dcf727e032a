"""The busiest pages remembered whole, shell and navigation included (`oversight.cache.page_cache`:
My caseload, the child page), with holes for what differs on every request: the request's own
CSRF token (the sign-out form) and the viewer's count of unread messages (the navigation). A page
is rendered once with `HOLES` in its context and served with `filled`: a remembered page renders
no template and runs no query of its own."""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe

from oversight.web.views_inbox import unread_badge

# Where the request's CSRF token goes: a value made afresh by each process, which no text on a
# page can guess. Where the navigation's count of unread messages goes (our own markup: a name or
# any other text on the page is escaped, so cannot contain it).
CSRF_HOLE = secrets.token_hex(16)
UNREAD_HOLE = "<!-- oversight: unread messages -->"

# The context of a page rendered to be remembered: the holes in place of the values.
HOLES: dict[str, Any] = {
    "csrf_token": CSRF_HOLE,
    "nav_inbox_unread": mark_safe(UNREAD_HOLE),  # noqa: S308 - our own constant
}


def filled(page: str, request: HttpRequest) -> str:
    """`page` (rendered with `HOLES`) with this request's CSRF token and unread count."""
    return page.replace(UNREAD_HOLE, unread_badge(request.user), 1).replace(
        CSRF_HOLE, get_token(request)
    )
