"""The reports' navigation link (a context processor), and who may read the reports: the IRO
team manager, the safeguarding service manager and the management line (team manager up to
director), each over the children their access gives them. A callable, so that a page that does
not show the navigation runs no query."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from oversight.cases.access import LINE_MANAGER_ROLES, User, staff_for_user

READER_ROLES = LINE_MANAGER_ROLES


def may_read_reports(user: User) -> bool:
    staff = staff_for_user(user)
    return staff is not None and bool(staff.roles & READER_ROLES)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"nav_reports": lambda: may_read_reports(user)}
