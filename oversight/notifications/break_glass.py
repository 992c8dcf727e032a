"""Break-glass has a second pair of eyes: an opening of a record that is not one's own
(`oversight.cases.access.open_record`) tells the IRO team managers at once, by email through the
outbox, in the opening's own transaction, with the least that brings them to review it (who, which
child's reference, why in the pack's words, the link), never the reason typed. Then each of
`OVERSIGHT_BREAK_GLASS_HOOKS` (dotted paths of functions taking the grant) is called, in the same
transaction: the place for an inbox entry."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from oversight.cases.access import open_record
from oversight.cases.constants import Role
from oversight.cases.models import AccessGrant, StaffMember
from oversight.notifications.actions import queue_message
from oversight.notifications.rules import link


def iro_team_managers() -> list[StaffMember]:
    """Everyone who reviews break-glass openings: the IRO team managers with an email address."""
    return list(
        StaffMember.objects.filter(role_set__role=Role.IRO_TEAM_MANAGER, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
        .distinct()
    )


def open_record_and_tell(reference: str, *, acting_user: Any, **opening: Any) -> AccessGrant:
    """`open_record`, and the IRO team managers told, all or nothing."""
    with transaction.atomic():
        grant = open_record(reference, acting_user=acting_user, **opening)
        tell_managers(grant, acting_user=acting_user)
        for hook in settings.OVERSIGHT_BREAK_GLASS_HOOKS:
            import_string(hook)(grant)
    return grant


def tell_managers(grant: AccessGrant, *, acting_user: Any) -> None:
    """The email of one opening to every IRO team manager."""
    who = str(grant.staff)
    child = grant.child.reference
    waiting = grant.approved_at is None
    purpose = grant.get_purpose_display()
    if waiting:
        subject = f"Break-glass: {who} asks to open {child}"
        body = (
            f"{who} asks to open the record of child {child} today ({purpose}). "
            "It stays closed until an IRO team manager approves it: "
            f"{link('/open-record/approvals/')}"
        )
    else:
        subject = f"Break-glass: {who} opened {child}"
        body = (
            f"{who} opened the record of child {child} today ({purpose}). "
            f"Review the opening and its reason on the audit page: {link('/audit/')}"
        )
    for manager in iro_team_managers():
        queue_message(
            to=manager, subject=subject, body=body, child=grant.child, acting_user=acting_user
        )
