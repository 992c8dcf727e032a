"""The meetings room's navigation links (a context processor): the chair's diary, for IROs and the
IRO team manager; the monthly consultation dip sample, shown only to the service leaders who judge
it, under a pack with a dip sample. Callables, so a page without navigation runs no query."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from oversight.cases.access import staff_for_user
from oversight.meetings.diary import DIARY_ROLES
from oversight.meetings.dip_sample import LEADER_ROLES, sample_size


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}

    def may_judge_dip_sample() -> bool:
        staff = staff_for_user(user)
        return staff is not None and bool(staff.roles & LEADER_ROLES) and sample_size() is not None

    def has_diary() -> bool:
        staff = staff_for_user(user)
        return staff is not None and bool(staff.roles & DIARY_ROLES)

    return {"nav_dip_sample": may_judge_dip_sample, "nav_diary": has_diary}
