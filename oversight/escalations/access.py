"""The one way a page or endpoint fetches a concern: through its child's access rule."""

from __future__ import annotations

from django.http import Http404

from oversight.cases.access import User, child_for_user, real_id
from oversight.escalations.models import Concern


def concern_for_user(user: User, concern_id: int) -> Concern:
    """Concern `concern_id` if `user` may see its child (`child_for_user`); otherwise Http404
    (also when there is no such concern), or RestrictedChild for a manager of a restricted
    child's line who is not named."""
    concern = (
        Concern.objects.select_related("child", "raised_by__user")
        .filter(pk=real_id(concern_id, "concern"))
        .first()
    )
    if concern is None:  # no such concern
        raise Http404("No such concern")
    concern.child = child_for_user(user, concern.child_id)  # outside scope: 404
    return concern
