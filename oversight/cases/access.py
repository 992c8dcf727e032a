"""Who may see which child. `child_for_user` is the only way a view or endpoint fetches a child.

For now: an IRO or social worker sees the children allocated to them by an open allocation;
managers, the IRO service's managers and the duty IRO see every child; anyone else sees none, and
a child outside someone's scope is "not found" (404), never "forbidden", so that its existence is
not disclosed. Later issues widen these rules here, in one place."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from oversight.cases.constants import Role
from oversight.cases.models import Allocation, Child, StaffMember

# Roles that see every child of the council: the management line, and the IRO service's own
# leadership and duty IRO (who covers for any IRO who is away).
SEES_ALL_ROLES = frozenset(
    {
        Role.DUTY_IRO,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.HEAD_OF_SERVICE,
        Role.ASSISTANT_DIRECTOR,
        Role.DIRECTOR,
        Role.IRO_TEAM_MANAGER,
        Role.SAFEGUARDING_SERVICE_MANAGER,
    }
)
# Roles that see the children allocated to them.
CASE_ROLES = frozenset({Role.IRO, Role.SOCIAL_WORKER})


def staff_for_user(user: AbstractBaseUser | AnonymousUser) -> StaffMember | None:
    """The active staff member behind a signed-in user, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    return StaffMember.objects.filter(user_id=user.pk).prefetch_related("role_set").first()


def open_allocations(as_of: dt.date) -> Q:
    """Allocations that have begun on or before `as_of` and end on or after it (or never)."""
    return Q(starts__lte=as_of) & (Q(ends__isnull=True) | Q(ends__gte=as_of))


def child_for_user(
    user: AbstractBaseUser | AnonymousUser, child_id: int, *, as_of: dt.date | None = None
) -> Child:
    """The child `child_id` if `user` may see it; otherwise Http404 (also when there is no such child)."""
    as_of = as_of or timezone.localdate()
    staff = staff_for_user(user)
    if staff is None:  # signed out, deactivated, or not a member of staff
        raise Http404("No such child")
    child = Child.objects.select_related("sibling_group").filter(pk=child_id).first()
    if child is None:
        raise Http404("No such child")
    roles = staff.roles
    if roles & SEES_ALL_ROLES:
        return child
    if not roles & CASE_ROLES:  # administrators, auditors and anyone else: no children for now
        raise Http404("No such child")
    if Allocation.objects.filter(open_allocations(as_of), child=child, staff=staff).exists():
        return child
    raise Http404("No such child")


def children_for_user(
    user: AbstractBaseUser | AnonymousUser, *, as_of: dt.date | None = None
) -> QuerySet[Child]:
    """Every child `user` may see, by the same rules as `child_for_user`."""
    as_of = as_of or timezone.localdate()
    staff = staff_for_user(user)
    if staff is None:
        return Child.objects.none()
    roles = staff.roles
    if roles & SEES_ALL_ROLES:
        return Child.objects.all()
    if not roles & CASE_ROLES:
        return Child.objects.none()
    allocated = Allocation.objects.filter(
        open_allocations(as_of), child=OuterRef("pk"), staff=staff
    )
    return Child.objects.filter(Exists(allocated))
