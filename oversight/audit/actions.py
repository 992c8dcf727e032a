"""Writing the audit log. Every read or change of a child's record goes through one of these."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from oversight.audit.models import AuditEntry
from oversight.cases.models import Child


def record_child_view(request: HttpRequest, child: Child) -> AuditEntry:
    """One row: who viewed which child's record, when, at which path and from where."""
    user = request.user if request.user.is_authenticated else None
    return AuditEntry.objects.create(
        at=timezone.now(),
        user=user,
        action=AuditEntry.Action.VIEW,
        child_id=child.pk,
        child_reference=child.reference,
        path=request.get_full_path()[:500],
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
    )
