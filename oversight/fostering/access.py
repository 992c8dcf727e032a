"""The one way a page fetches a carer household or a concern about one: for the roles that see
carers (`oversight.cases.access.may_see_carers`), else Http404 (also when there is none)."""

from __future__ import annotations

from django.http import Http404

from oversight.cases.access import User, may_see_carers, real_id
from oversight.fostering.models import Carer, CarerConcern


def carer_for_user(user: User, carer_id: int) -> Carer:
    """Carer `carer_id` if `user` may see carers; otherwise Http404."""
    if not may_see_carers(user):  # not a role that sees carers: as if there were none
        raise Http404("No such carer")
    carer = Carer.objects.filter(pk=real_id(carer_id, "carer")).first()
    if carer is None:  # no such carer
        raise Http404("No such carer")
    return carer


def concern_for_user(user: User, concern_id: int) -> CarerConcern:
    """Concern `concern_id` about a carer if `user` may see carers; otherwise Http404."""
    if not may_see_carers(user):
        raise Http404("No such concern")
    concern = (
        CarerConcern.objects.select_related("carer", "raised_by__user")
        .filter(pk=real_id(concern_id, "concern"))
        .first()
    )
    if concern is None:
        raise Http404("No such concern")
    return concern
