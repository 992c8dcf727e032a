"""The audit log as one reader may read it: the audit page and the API's audit resource search
it with this one function, so both leave out the same restricted children. Restriction wins over
every role, the auditor's too (docs/access.md): an entry about a restricted child the reader is
not named on is left out, as the child is, and a list page's or export's entry keeps only the
children the reader may see, so that neither the reference nor the entry's existence discloses
the record."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from oversight.audit.models import AuditEntry, ChildShown
from oversight.cases.access import restriction_filter
from oversight.cases.models import StaffMember


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def audit_log_for(
    reader: StaffMember,
    *,
    child: str = "",
    person: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    action: str = "",
) -> QuerySet[AuditEntry]:
    """The entries `reader` may read, unordered, each entry's `children` prefetched with only
    those the reader may see (read them with `.all()`, which keeps to the prefetch): `child` a
    council reference (the entries about the child and those of the lists that named it),
    `person` words each found in a username or name, the dates both counted, `action` one of
    the log's actions."""
    seen = restriction_filter(reader, child_id="child_id")
    shown = ChildShown.objects.filter(seen)
    found = (
        AuditEntry.objects.filter(seen)
        .select_related("user")
        .prefetch_related(Prefetch("children", queryset=shown.order_by("pk")))
    )
    if reference := child.strip():
        found = found.filter(
            Q(child_reference__iexact=reference)
            | Exists(shown.filter(entry=OuterRef("pk"), child_reference__iexact=reference))
        )
    for term in person.split():
        found = found.filter(
            Q(user__username__icontains=term)
            | Q(user__first_name__icontains=term)
            | Q(user__last_name__icontains=term)
            | Q(username__icontains=term)
        )
    if date_from:
        found = found.filter(at__gte=_day_start(date_from))
    if date_to:
        found = found.filter(at__lt=_day_start(date_to + dt.timedelta(days=1)))
    if action:
        found = found.filter(action=action)
    return found
