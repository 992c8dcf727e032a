"""The access rules' part in every page: the restricted-record notice (a middleware), the
navigation and "how you see this record" notice (a context processor), and where each person
lands (`landing`: My caseload, else the first of `LANDINGS` their menu offers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from oversight.api.tokens import may_manage_tokens
from oversight.audit.actions import record_refused, record_restricted_notice
from oversight.cases.access import (
    Access,
    OutOfScope,
    RestrictedChild,
    User,
    access_for,
    has_caseload,
    may_allocate,
    may_open_any_record,
    may_read_audit,
    may_see_carers,
    reads_only,
    sees_children,
)
from oversight.cases.retention import may_review
from oversight.interop.access import may_import


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


# The auditor's notice on a page that is not one child's record (a list, the audit log).
AUDITOR_EVERYWHERE = (
    "You are signed in as an auditor. You can read every record and change none; every record "
    "you open is on the audit log."
)


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


def _record_child(request: HttpRequest) -> Any:
    """The child whose record the page shows (by its id, or its concern's), or None."""
    from oversight.cases.models import Child
    from oversight.escalations.models import Concern

    match = request.resolver_match
    kwargs = match.kwargs if match is not None else {}
    child_id = kwargs.get("child_id")
    if child_id is None and "concern_id" in kwargs:
        child_id = Concern.objects.filter(pk=kwargs["concern_id"]).values("child_id").first()
        child_id = child_id["child_id"] if child_id else None
    return Child.objects.filter(pk=child_id).first() if child_id is not None else None


def _notice(request: HttpRequest) -> dict[str, Any] | None:
    """The notice of how the user sees the record on the page; the auditor's on every page."""
    child = _record_child(request)
    if child is not None:
        found = notice_for(access_for(request.user, child))
        if found is not None:
            return found
    return {"text": AUDITOR_EVERYWHERE} if reads_only(request.user) else None


# Each person's first page: the first of these their menu offers.
LANDINGS: list[tuple[str, Callable[[User], bool]]] = [
    ("caseload", has_caseload),
    ("children", sees_children),
    ("carers", may_see_carers),
    ("audit", may_read_audit),
    ("interop_upload", may_import),
    ("messages", lambda user: True),
]


def landing(user: User) -> str:
    """Where `user` lands after signing in or on "/": My caseload for those who hold children,
    else the first page their menu offers (the auditor: the children; an administrator: the
    audit log)."""
    return next(reverse(name) for name, may in LANDINGS if may(user))


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Callables, so that a page that does not show them runs no query."""
    user = request.user
    if not user.is_authenticated:
        return {}

    return {
        "nav_caseload": lambda: has_caseload(user),
        "nav_children": lambda: sees_children(user),
        "nav_import": lambda: may_import(user),
        "nav_allocation": lambda: may_allocate(user),
        "nav_audit": lambda: may_read_audit(user),
        "nav_api_tokens": lambda: may_manage_tokens(user),
        "nav_open_record": lambda: bool(may_open_any_record(user)),
        "nav_retention": lambda: may_review(user),
        "record_access": lambda: _notice(request),
    }
