"""Errors as RFC 9457 problem details: one shape for every refusal, so that a calling system
reads `status`, `title` and `detail` (and, for a bad body, `errors` naming each field's path)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, JsonResponse

TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "The resource has changed",
    422: "The request has mistakes",
    428: "If-Match is required",
    429: "Too many requests",
}


def problem(status: int, detail: str, **extra: Any) -> HttpResponse:
    """A problem details response; `extra` adds members (such as `errors`)."""
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extra,
    }
    return JsonResponse(body, status=status, content_type="application/problem+json")


def invalid(errors: list[dict[str, Any]]) -> HttpResponse:
    """A 422 naming each field at fault (`loc` is its path, as pydantic gives it)."""
    fields = ", ".join(".".join(str(p) for p in e["loc"][1:]) or "body" for e in errors)
    return problem(422, f"Check {fields}", errors=errors)
