"""The navigation links of issue 8 (a context processor): open concerns, the challenge meeting
pack and the messages page, each shown only to people who may use it. Callables, so that a page
that does not show the navigation runs no query."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from oversight.cases.access import IRO_SERVICE_ROLES, User, staff_for_user
from oversight.escalations.constants import CHAIR_ROLES


def may_list_concerns(user: User) -> bool:
    """The open concerns list: the safeguarding service manager and the IRO team managers."""
    staff = staff_for_user(user)
    return staff is not None and bool(staff.roles & IRO_SERVICE_ROLES)


def may_use_challenge_meeting(user: User) -> bool:
    """The challenge meeting pack: chairs (who put cases on its agenda and record its outcome)
    and the IRO service's managers who run it."""
    staff = staff_for_user(user)
    return staff is not None and bool(staff.roles & CHAIR_ROLES)


def may_read_messages(user: User) -> bool:
    """The messages page: every staff member (each sees the messages about their own cases)."""
    return staff_for_user(user) is not None


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_concerns": lambda: may_list_concerns(user),
        "nav_challenge_meeting": lambda: may_use_challenge_meeting(user),
        "nav_messages": lambda: may_read_messages(user),
    }
