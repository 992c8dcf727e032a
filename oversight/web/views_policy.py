"""The council's policy page: the pack in force, and the documents it comes from with their
review dates, those past it first (`oversight.policies.sources`). For the IRO service's managers,
who keep the service's protocols current; nothing on it is a child's."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from oversight.cases.access import User, staff_for_user
from oversight.cases.constants import Role
from oversight.policies import load_pack
from oversight.policies.checks import active_policy
from oversight.policies.sources import sources

READERS = frozenset({Role.IRO_TEAM_MANAGER, Role.SAFEGUARDING_SERVICE_MANAGER})


def may_read_policy(user: User) -> bool:
    staff = staff_for_user(user)
    return staff is not None and bool(staff.roles & READERS)


@login_required
def policy_page(request: HttpRequest) -> HttpResponse:
    if not may_read_policy(request.user):
        raise PermissionDenied
    name = active_policy()
    pack = load_pack(name)
    found = sources(pack, timezone.localdate())
    return render(
        request,
        "web/policy.html",
        {
            "pack": pack,
            "name": name,
            "sources": found,
            "past": [source for source in found if source.past_review],
            "council": settings.OVERSIGHT_COUNCIL_NAME,
            "nav": "policy",
        },
    )


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: "Policy" for the IRO service's managers (a callable, so that a page
    that does not show the navigation runs no query)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"nav_policy": lambda: may_read_policy(user)}
