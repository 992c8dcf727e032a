"""Who is calling the API: a member of staff signed in to the pages (their session cookie; a
write sends the CSRF token header, as the pages' own scripts would), or another system with an
API token (`Authorization: Bearer ovs_...`) acting as the token's user, with that user's access.

A token call is audited with the token's name (`AuditEntry.via`) on every row the call writes
(a view, a list, a refusal, and its actions' changes: `audit.actions.serving`), or, when it
writes none, on one row for the call written as it ends (`middleware.CallAuditMiddleware`). A
read-only token may only read."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, django_auth

from oversight.api import tokens
from oversight.api.problems import problem

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = tokens.working(token)
        if found is None:  # 401: a token sent and not working is never passed to the session
            raise AuthenticationError()
        request.user = found.user
        request.audit_via = f"API token: {found.name}"  # type: ignore[attr-defined]
        if found.read_only and request.method not in SAFE_METHODS:
            raise HttpError(403, "This token may only read")
        return found


token_auth = TokenAuth()
# Tokens first: a system's call carries no session; a person's browser no bearer header.
AUTH = [token_auth, django_auth]


def signed_in_or_token(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API's document and docs: for a member of staff signed in, or a system with a working
    token (a client that knows only the document must read it); else 401 as problem details."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        if request.user.is_authenticated or (
            scheme.lower() == "bearer" and tokens.working(secret.strip()) is not None
        ):
            return view(request, *args, **kwargs)
        return problem(401, "Sign in, or send an API token as Authorization: Bearer")

    return wrapped
