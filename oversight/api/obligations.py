"""Obligations across the caller's caseload (My caseload's children: `caseload_scope`), with
the page's filters. The conventions are the API's (`oversight.api`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router
from ninja.errors import HttpError

from oversight.api.children import OBLIGATION_SHOWN, ObligationPage, obligation_out
from oversight.api.conventions import BadQuery, listed, page
from oversight.audit.actions import named, record_page_view
from oversight.cases.access import caseload_scope, caseload_scope_remembered, staff_for_user
from oversight.cases.constants import Role
from oversight.cases.models import Obligation
from oversight.cases.text import CleanText
from oversight.escalations.caseload import overdue_for_watchers

router = Router(tags=["obligations"])


@router.get("/obligations", response=ObligationPage)
def caseload_obligations(
    request: HttpRequest,
    mine: bool = False,
    code: CleanText = Query("", max_length=60),
    status: CleanText = Query("", max_length=10),
    owner_role: CleanText = Query("", max_length=40),
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
    cursor: CleanText | None = Query(None, max_length=100),
    limit: int = 50,
) -> HttpResponse:
    """The obligations of the children on the caller's caseload (`mine`: only those that are
    the caller's to act on), by id; filtered by code, status (overdue, pending, met), an owner
    role and a due window. Audited as one view of the list, naming each child on it."""
    staff = staff_for_user(request.user)
    if staff is None:
        raise HttpError(403, "Only members of staff have a caseload")
    if status and status not in Obligation.Status.values:
        raise BadQuery("status", f"status must be one of {', '.join(Obligation.Status.values)}")
    if owner_role and owner_role not in Role.values:
        raise BadQuery("owner_role", "owner_role is not a role this council uses")
    if due_from and due_to and due_to < due_from:
        raise BadQuery("due_to", "due_to must be on or after due_from")
    today = timezone.localdate()
    # The caseload's children as their ids (remembered), not `caseload_scope`'s subquery: one
    # scan of the obligations' ids a page.
    found = Obligation.objects.filter(caseload_scope_remembered(staff, today, paged_by_id=True))
    if mine:
        _scope, mine_q = caseload_scope(staff, today, watched_when_overdue=overdue_for_watchers())
        found = found.filter(mine_q)
    if code:
        found = found.filter(code=code)
    if status:
        found = found.filter(status=status)
    if owner_role:
        found = found.filter(owner_roles__contains=f"|{owner_role}|")
    if due_from:
        found = found.filter(due__gte=due_from)
    if due_to:
        found = found.filter(due__lte=due_to)
    # Each child's reference read with its obligations (one statement fewer a call, issue 17's
    # benchmark), for the audit row that names each child on the page.
    shown: dict[int, str] = {}

    def out(o: Any) -> dict[str, Any]:
        shown[o.child_id] = o.child_reference
        return obligation_out(o)

    found = found.only(*OBLIGATION_SHOWN).annotate(child_reference=F("child__reference"))
    result = page(found, cursor, limit, out)
    record_page_view(request, what="api.obligations.listed", children=named(shown.items()))
    return listed(result)
