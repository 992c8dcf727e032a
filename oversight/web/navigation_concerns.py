"""The navigation links of issue 8 (a context processor): open concerns (everyone who sees
children: the list holds the concerns on the children they see), the challenge meeting pack and
the messages page, each shown only to people who may use it. Callables, so that a page
that does not show the navigation runs no query."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from oversight.cases.access import User, sees_children, staff_for_user
from oversight.escalations.constants import CHAIR_ROLES


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
        "nav_concerns": lambda: sees_children(user),  # the concerns on the children they see
        "nav_challenge_meeting": lambda: may_use_challenge_meeting(user),
        "nav_messages": lambda: may_read_messages(user),
    }
