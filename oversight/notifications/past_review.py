"""The safeguarding service manager is told, in their inbox and by email, when a document the
council's policy pack comes from passes its review date (Stockport's protocol, "to be reviewed in
March 2018": past from Sun 1 April 2018, `oversight.policies.sources`): a protocol past it may no
longer be what the council does, and they keep the service's protocols current. The Policy page
lists the same documents; this brings them there without their having to look.

The nightly run (`oversight nightly`) calls `tell_past_review`. Each active safeguarding service
manager is told once per document and review date (a `SourceNotice`, unique, written in the same
transaction as the message): a second night queues nothing more, a new review date written in the
pack once the document is reviewed is told again, and a manager appointed later is told at their
first night. The message carries the document's title, its review date and the link to the
Policy page: nothing of any child."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from oversight.cases import formatting
from oversight.cases.constants import Role
from oversight.cases.models import StaffMember
from oversight.notifications.actions import queue_message
from oversight.notifications.models import SourceNotice
from oversight.notifications.rules import link
from oversight.policies.sources import Source, past_review

if TYPE_CHECKING:
    from oversight.policies.schema import Pack


def service_managers() -> list[StaffMember]:
    """Everyone told: the active safeguarding service managers with an email address."""
    return list(
        StaffMember.objects.filter(
            role_set__role=Role.SAFEGUARDING_SERVICE_MANAGER, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
        .distinct()
    )


def tell_past_review(pack: Pack, *, today: dt.date) -> int:
    """Tell each safeguarding service manager not yet told of each of `pack`'s documents past its
    review date on `today`; the number of messages queued."""
    past = past_review(pack, today)
    managers = service_managers() if past else []
    queued = 0
    for source in past:
        assert source.review_date is not None  # a document past its review date has one
        for manager in managers:
            with transaction.atomic():
                _, created = SourceNotice.objects.get_or_create(
                    source=source.key, review_date=source.review_date, recipient=manager
                )
                if created:
                    queue_message(to=manager, subject=_subject(source), body=_body(source))
                    queued += 1
    return queued


def _review_date(source: Source) -> str:
    """The review date as the pack gives it: a month ("March 2018") or a day."""
    if source.by_month:
        return formatting.month(source.review_by)
    return formatting.day(source.review_by)


def _subject(source: Source) -> str:
    return f"Past its review date ({_review_date(source)}): {source.title}"


def _body(source: Source) -> str:
    return (
        "A document the council's policy comes from is past its review date, so the timescales "
        "Oversight applies may no longer be what the council does: review it and ask for the "
        "policy pack to be updated.\n\n"
        f"Document: {source.title}\n"
        f"To be reviewed: {_review_date(source)}\n"
        f"See the council's policy in Oversight: {link('/policy/')}"
    )
