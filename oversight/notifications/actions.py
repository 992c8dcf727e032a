"""The state changes of the outbox.

- `queue_message(*, to, subject, body, child=None, acting_user=None, ...)`: write a message in the
  caller's transaction; delivery is enqueued only when that transaction commits, so an action that
  rolls back sends nothing.
- `requeue_stalled()`: enqueue delivery again for messages whose task was lost (a worker that died
  mid-send, a process that died between commit and enqueue). Safe to run at any time and any
  number of times: `deliver` claims a message once however often it is enqueued.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from oversight.notifications.constants import Status
from oversight.notifications.models import Message
from oversight.notifications.rules import address_problem

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from oversight.cases.models import Child, StaffMember


def queue_message(
    *,
    to: StaffMember | str,
    subject: str,
    body: str,
    child: Child | None = None,
    acting_user: User | None = None,
    template_id: str = "",
    personalisation: dict[str, Any] | None = None,
    attachment: tuple[str, str, str] | None = None,
) -> Message:
    """Put one message in the outbox for `to` (a member of staff, whose account's address is used,
    or an email address the council allows, `rules.address_problem`) and send it after the
    caller's transaction commits.

    `template_id` and `personalisation` are for GOV.UK Notify; without them the Notify backend uses
    the generic template with the subject and body. `attachment` is one file sent with it by email,
    as (name, MIME type, text): a meeting's calendar invitation."""
    if isinstance(to, str):  # typed in somewhere: checked again here, the last door out
        recipient, address = None, to.strip()
        problem = address_problem(address)
        if problem is not None:
            raise ValueError(f"{address!r}: {problem}")
    else:
        recipient, address = to, to.user.email.strip()
    if not address:
        raise ValueError(f"{to} has no email address")
    if not subject.strip():
        raise ValueError("A message needs a subject")
    value = uuid.uuid4()
    with transaction.atomic():
        message = Message.objects.create(
            uuid=value,
            message_id=Message.make_message_id(value),
            recipient=recipient,
            to_email=address,
            subject=subject,
            body=body,
            notify_template_id=template_id,
            personalisation=personalisation or {},
            attachment_name=attachment[0] if attachment else "",
            attachment_type=attachment[1] if attachment else "",
            attachment=attachment[2] if attachment else "",
            child=child,
            queued_by=acting_user if acting_user is not None and acting_user.pk else None,
        )
        transaction.on_commit(partial(enqueue_delivery, message.pk))
    return message


def enqueue_delivery(message_id: int) -> None:
    """Enqueue the task that sends message `message_id` (when its next attempt is due)."""
    from oversight.notifications.tasks import deliver

    message = Message.objects.filter(pk=message_id).values("next_attempt_at").first()
    if message is None:
        return
    run_after = message["next_attempt_at"]
    if run_after > timezone.now():
        deliver.using(run_after=run_after).enqueue(message_id)
    else:
        deliver.enqueue(message_id)


def requeue_stalled() -> int:
    """Enqueue delivery for every message still to send: queued ones (their task may be lost) and
    ones being sent (their worker may have died; the new task runs when the lease expires).
    Returns how many were enqueued."""
    from oversight.notifications.tasks import deliver

    now = timezone.now()
    count = 0
    pending = Message.objects.filter(Q(status=Status.QUEUED) | Q(status=Status.SENDING))
    for pk, status, next_attempt_at, lease_expires_at in pending.values_list(
        "pk", "status", "next_attempt_at", "lease_expires_at"
    ).iterator():
        due = lease_expires_at if status == Status.SENDING else next_attempt_at
        if due is not None and due > now:
            deliver.using(run_after=due).enqueue(pk)
        else:
            deliver.enqueue(pk)
        count += 1
    return count
