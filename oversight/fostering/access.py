"""The one way a page fetches a carer household or a concern about one: for the roles that see
carers (`oversight.cases.access.may_see_carers`), and a concern also for whoever answers its
present stage (`answers_concern`), else Http404 (also when there is none)."""

from __future__ import annotations

from django.http import Http404

from oversight.cases.access import User, may_see_carers, real_id, staff_for_user
from oversight.fostering import ladder
from oversight.fostering.models import Carer, CarerConcern


def carer_for_user(user: User, carer_id: int) -> Carer:
    """Carer `carer_id` if `user` may see carers; otherwise Http404."""
    if not may_see_carers(user):  # not a role that sees carers: as if there were none
        raise Http404("No such carer")
    carer = Carer.objects.filter(pk=real_id(carer_id, "carer")).first()
    if carer is None:  # no such carer
        raise Http404("No such carer")
    return carer


def answers_concern(user: User, concern: CarerConcern) -> bool:
    """Whether `user` answers `concern`'s present stage (`ladder.answerers`): emailed its link,
    they open it and record the response, though they see no other carer's record."""
    staff = staff_for_user(user)
    return staff is not None and staff in ladder.answerers(concern.carer, concern.stage)


def concern_for_user(user: User, concern_id: int) -> CarerConcern:
    """Concern `concern_id` about a carer if `user` may see carers or answers its present stage;
    otherwise Http404."""
    concern = (
        CarerConcern.objects.select_related(
            "carer__supervising_social_worker__user", "raised_by__user"
        )
        .filter(pk=real_id(concern_id, "concern"))
        .first()
    )
    if concern is None or not (may_see_carers(user) or answers_concern(user, concern)):
        raise Http404("No such concern")
    return concern
