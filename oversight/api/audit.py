"""The audit log, read, for those the audit page is for (`may_read_audit`: the auditor,
administrators, the safeguarding service manager), with the page's filters; the read itself
audited naming the children its rows name. A restricted child the reader is not named on is
in none of its entries (`audit_log_for`, as on the page). The conventions are the API's
(`oversight.api`): entries in the order they were written (by id), so that a system pulling the log takes each
new page after its last cursor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import ValidationError

from oversight.api.conventions import listed, page
from oversight.audit.actions import named, record_page_view
from oversight.audit.models import AuditEntry
from oversight.cases.access import may_read_audit, staff_for_user
from oversight.cases.audit_log import audit_log_for
from oversight.cases.text import CleanText

router = Router(tags=["audit"])


class ShownOut(Schema):
    id: int
    reference: str


class EntryOut(Schema):
    id: int
    at: dt.datetime
    username: str  # who (for a failed sign-in: the name that was typed)
    action: str
    what: str
    child: int | None
    child_reference: str
    children: list[ShownOut]  # the children a list page, a report or an export named
    path: str
    via: str  # an API token's name, for a call with one
    ip_address: str | None
    reason: str
    before: Any
    after: Any


class EntryPage(Schema):
    items: list[EntryOut]
    next: str | None


def _entry_out(e: AuditEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "at": e.at,
        "username": e.user.get_username() if e.user is not None else e.username,
        "action": e.action,
        "what": e.what,
        "child": e.child_id,
        "child_reference": e.child_reference,
        "children": [{"id": s.child_id, "reference": s.child_reference} for s in e.children.all()],
        "path": e.path,
        "via": e.via,
        "ip_address": e.ip_address,
        "reason": e.reason,
        "before": e.before,
        "after": e.after,
    }


@router.get("/audit", response=EntryPage)
def audit_log(
    request: HttpRequest,
    child: CleanText = Query("", max_length=40),
    person: CleanText = Query("", max_length=150),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    action: CleanText = Query("", max_length=20),
    cursor: CleanText | None = Query(None, max_length=100),
    limit: int = 50,
) -> HttpResponse:
    """Who saw, changed or exported which child's record, and every sign-in: `child` a
    council reference (the rows about the child and the lists that named it), `person` a
    username or part of a name, the dates both counted, `action` one of the log's actions."""
    staff = staff_for_user(request.user)
    if staff is None or not may_read_audit(request.user):
        raise PermissionDenied
    if action and action not in AuditEntry.Action.values:
        raise ValidationError(
            [{"loc": ["query", "action"], "msg": "Not an action of the log", "type": "refused"}]
        )
    if date_from and date_to and date_to < date_from:
        raise ValidationError(
            [{"loc": ["query", "date_to"], "msg": "The end date must be the same as or after "
              "the start date", "type": "refused"}]
        )  # fmt: skip
    found = audit_log_for(
        staff,
        child=child,
        person=person,
        date_from=date_from,
        date_to=date_to,
        action=action,
    )
    result = page(found, cursor, limit, _entry_out)
    shown = {(e["child"], e["child_reference"]) for e in result["items"] if e["child"] is not None}
    shown |= {(s["id"], s["reference"]) for e in result["items"] for s in e["children"]}
    record_page_view(request, what="api.audit.listed", children=named(sorted(shown)))
    return listed(result)
