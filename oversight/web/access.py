"""The access rules' part in every page: the restricted-record notice (a middleware) and the
navigation and "how you see this record" notice (a context processor)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from oversight.audit.actions import record_refused, record_restricted_notice
from oversight.cases.access import (
    Access,
    OutOfScope,
    RestrictedChild,
    access_for,
    may_allocate,
    may_open_any_record,
    may_read_audit,
)


class RestrictedRecordMiddleware:
    """A manager of a restricted child's line is told the record exists and whom to ask, with no
    content (403), and that view is audited; anyone else outside a child's scope is told there is
    no such record (404), and the refusal is audited. Every page that fetches a child gets this."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OutOfScope):  # refused: audited, then Django's 404 page
            record_refused(request, exception.child)
            return None
        if not isinstance(exception, RestrictedChild):
            return None
        child = exception.child
        record_restricted_notice(request, child)
        return render(
            request,
            "web/restricted.html",
            {"reference": child.reference, "contact": child.restricted_contact},
            status=403,
        )


# How a user sees a record, when it is not simply theirs: the notice at the top of its pages.
NOTICES = {
    "IRO team": "You can read this record because it is held by an IRO of your team. You cannot change it.",
    "auditor": "You are reading this record as an auditor. You cannot change it.",
    "named on a restricted record": "This record is restricted. You are named on it and can read it.",
}


def notice_for(access: Access | None) -> dict[str, Any] | None:
    """The "how you can see this record" notice for `access` (a page that has the access
    already puts it in its context as `record_access`), or None."""
    if access is None:
        return None
    if access.grant is not None:
        return {"grant": access.grant, "text": ""}
    if access.cover is not None:
        return {"cover": access.cover, "text": ""}
    text = NOTICES.get(access.basis)
    return {"text": text} if text else None


def _record_access(request: HttpRequest) -> Access | None:
    match = request.resolver_match
    child_id = match.kwargs.get("child_id") if match is not None else None
    if child_id is None:
        return None
    from oversight.cases.models import Child

    child = Child.objects.filter(pk=child_id).first()
    if child is None:
        return None
    return access_for(request.user, child)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Callables, so that a page that does not show them runs no query."""
    user = request.user
    if not user.is_authenticated:
        return {}

    def notice() -> dict[str, Any] | None:
        return notice_for(_record_access(request))

    return {
        "nav_allocation": lambda: may_allocate(user),
        "nav_audit": lambda: may_read_audit(user),
        "nav_open_record": lambda: bool(may_open_any_record(user)),
        "record_access": notice,
    }
