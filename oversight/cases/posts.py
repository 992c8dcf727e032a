"""Council-wide posts: the roles a pack names in `council_posts` (Walsall's Head of Safeguarding
and Quality Assurance, on the neutral `head_of_service`), held by the person in post and never
found up the social worker's management line, whose managers run the practice being challenged.

    council_posts()       the roles the active pack names as council-wide posts
    posts_held(roles)     for each such role, its nearest holder above each member of staff and
                          its active holders: what `oversight.cases.holders.holders` resolves a
                          post by, read once for My caseload's "mine to act on"

Both `holders` (a child's holders of a role) and `oversight.cases.access.caseload_scope` (the
caseload's obligations) read these, so a post resolves to one person wherever it is asked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from django.db.models import Q, StringAgg, Value

from oversight.cases.models import StaffMember
from oversight.policies import load_pack
from oversight.policies.checks import active_policy


def council_posts() -> frozenset[str]:
    """The roles the active pack names as council-wide posts (`council_posts`)."""
    return _council_posts(active_policy())


@cache
def _council_posts(pack: str) -> frozenset[str]:
    return frozenset(load_pack(pack).council_posts)


@dataclass(frozen=True)
class PostHeld:
    """Who holds a council post, as `holders` finds it, for every child at once: `above` maps a
    member of staff to the nearest holder of the post above them in the line (step 2, from the
    child's IRO); `active` are the post's active holders (step 3 finds one when it has one)."""

    above: Mapping[int, int]
    active: tuple[int, ...]


def posts_held(roles: Iterable[str]) -> dict[str, PostHeld]:
    """For each of `roles` (council posts), its `PostHeld`: one query over the staff and their
    line managers, so that a caseload asks "is this post mine for that child" without walking
    the line per child."""
    wanted = sorted(set(roles))
    if not wanted:
        return {}
    rows = list(
        StaffMember.objects.annotate(
            _posts=StringAgg(
                "role_set__role",
                delimiter=Value("|"),
                filter=Q(role_set__role__in=wanted),
                default=Value(""),
            )
        ).values_list("pk", "line_manager_id", "user__is_active", "_posts")
    )
    manager = {pk: boss for pk, boss, _active, _posts in rows}
    posts = {pk: set(held.split("|")) - {""} for pk, _boss, _active, held in rows}
    active = {pk for pk, _boss, is_active, _posts in rows if is_active}
    out = {}
    for role in wanted:
        above: dict[int, int] = {}
        for pk in manager:
            seen = {pk}
            current: int | None = manager[pk]
            while current is not None and current not in seen:
                if role in posts.get(current, ()):
                    above[pk] = current
                    break
                seen.add(current)
                current = manager.get(current)
        holding = tuple(sorted(pk for pk, held in posts.items() if role in held and pk in active))
        out[role] = PostHeld(above, holding)
    return out
