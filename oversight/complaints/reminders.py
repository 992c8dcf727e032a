"""Reminders of complaints' deadlines (`oversight reminders`, run daily), as of concerns'
(`oversight.escalations.reminders`): two working days before a complaint is to be acknowledged
or answered (`complaint.acknowledge`, `complaint.response`), and on the first working day after,
while it is not, its owner is emailed through the outbox: the member of staff it went to first
(the conference's chair, else the child's IRO: `Complaint.chair`; while they are away, whoever
covers them), else whoever holds the
deadline's roles for the child. The message carries the child's reference, the date and the link
to the complaint, never who complained or what about. Idempotent: each (complaint, deadline,
kind) is sent once however often this runs (an `escalations.Reminder` row, unique, written in
the same transaction as the messages)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.template import Context, engines
from django.utils import timezone

from oversight.cases.holders import Person, chair_now, people_for, person_of
from oversight.cases.models import Obligation
from oversight.complaints.deadlines import CODES, complaint_pk
from oversight.complaints.models import Complaint
from oversight.escalations.models import Reminder
from oversight.escalations.reminders import reminder_kind
from oversight.notifications.actions import queue_message
from oversight.notifications.rules import link

# Each deadline's words in a message: the step, and what is to be done.
WORDS = {
    "complaint.acknowledge": ("acknowledgement", "acknowledged"),
    "complaint.response": ("response", "answered"),
}


def send_reminders(*, today: dt.date) -> int:
    """Remind the owner of each complaint deadline not met, two working days before it and on
    the first working day after it (see the module's docstring). Returns the number of messages
    queued."""
    queued = 0
    rows = Obligation.objects.filter(code__in=CODES).exclude(status=Obligation.Status.MET)
    for row in rows.select_related("child").order_by("due", "pk"):
        kind = reminder_kind(row.due, today)
        pk = complaint_pk(row)
        if kind is None or pk is None:
            continue
        complaint = Complaint.objects.select_related("chair__user").filter(pk=pk).first()
        if complaint is None:
            continue
        with transaction.atomic():
            _, created = Reminder.objects.get_or_create(
                key=f"complaint:{pk}:{row.code}:{kind}", defaults={"sent_at": timezone.now()}
            )
            if created:
                queued += _tell(complaint, row, kind, today)
    return queued


def _owners(complaint: Complaint, row: Obligation, today: dt.date) -> list[Person]:
    """Whom the reminder goes to (see the module's docstring): while the chair is away, the
    member of staff covering them (`chair_now`), as for a concern's reminders."""
    if complaint.chair is not None:
        return [person_of("chair", chair_now(complaint.chair, as_of=today))]
    return people_for(complaint.child, [r for r in row.owner_roles.split("|") if r], as_of=today)


def _tell(complaint: Complaint, row: Obligation, kind: str, today: dt.date) -> int:
    step, done = WORDS[row.code]
    template = engines["django"].engine.get_template("complaints/messages/reminder.txt")  # type: ignore[attr-defined]
    values = {
        "kind": kind,
        "step": step,
        "done": done,
        "due": row.due,
        "child": complaint.child,
        "link": link(f"/complaints/{complaint.pk}/"),
    }
    subject, _, body = template.render(Context(values, autoescape=False)).partition("\n")
    told = 0
    for person in _owners(complaint, row, today):
        if person.staff is None or not person.email:
            continue
        queue_message(to=person.staff, subject=subject, body=body, child=complaint.child)
        told += 1
    return told
