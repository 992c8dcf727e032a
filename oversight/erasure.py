"""`oversight erase --child REF --by USERNAME [--confirm]`: a child's record erased after its
retention, as the council's records manager does under its retention schedule (UK GDPR Art 5(1)(e)
and Art 17; `docs/data-protection.md`, "Erasure after retention").

Only a child whose retention review marked the records for disposal, whose review date has
passed, with nothing recorded since the decision and (a child ever looked after) past their 75th
birthday (Care Planning, Placement and Case Review (England) Regulations 2010, reg 50). Anything
else is refused with the reason, nothing changed.

What goes, in one transaction: everything that identifies the child (names, NHS number, the
council reference, replaced by a random pseudonym; the date of birth or expected delivery kept as
its year, 1 January); the free text of the chronology's events, the meeting records, the concerns
and their steps, the complaints, the diary, the access grants and allocations (what is left of a
detail is its code: an event's type, dates and coded values such as a placement's type, which the
statutory returns and the service's figures count); the uploaded documents (deleted, from storage
too once the transaction has committed); the outbox's messages and webhook deliveries about the
child (deleted). The audit log keeps every row, naming the child only by the pseudonym and without
what the row said of the record (`audit.actions.pseudonymise`), and gains one: "child.erased", by
the records manager, under the retention review's id. Why de-identified rows rather than none: the
service's figures of past months (conferences held in time, reviews, concerns raised) would
otherwise change after the event, and the audit trail would lose its rows.

Without `--confirm`, a dry run: what would go, counted, and nothing changed. A command of the
project, not of one part: it reaches every part's rows about the child."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Model, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from oversight.audit.actions import pseudonymise, record_change
from oversight.audit.models import AuditEntry
from oversight.cache import data_version
from oversight.cases import formatting
from oversight.cases.constants import EventType, RetentionDecision
from oversight.cases.models import (
    AccessGrant,
    Allocation,
    Child,
    Event,
    Obligation,
    RetentionReview,
)
from oversight.cases.retention import ERASED_PREFIX, years_after
from oversight.complaints.models import Complaint
from oversight.escalations.models import Concern, ConcernAction, Notice, Response, Step
from oversight.fostering.models import CarerReview
from oversight.meetings.models import DiaryEntry, Document, Meeting
from oversight.notifications.models import Message, WebhookDelivery

ERASED_NAME = "(erased)"
LOOKED_AFTER_KEPT_YEARS = 75  # reg 50: until the 75th birthday

# The details of an event, a meeting record or a concern's step that outlive an erasure: codes,
# dates, numbers and yes/no, which the engine, the returns and the figures read. Every other
# detail (an action's text, notes, the court and its case number, the guardian's name, the
# placement's provider, URN and postcode, attendees, views) is dropped.
CODED_DETAILS = frozenset(
    {
        "type", "date", "time", "event",  # an obligation's trigger: the engine's own
        "meeting", "on", "due", "action", "stage", "brought_forward", "outcome", "accepted",
        "placement_type", "place", "place_provider", "area", "distance", "until_18", "la",
        "legal_status", "how", "categories", "participation", "adjourned", "timely", "plan",
        "visit_interval", "without_meeting", "immediately_formal", "lpm_recommended",
        "lpm_decide_by", "made_on", "requested_on", "respond_by", "concern", "ladder", "slot",
        "owner",  # a role or a member of staff's username: whose obligation it stays
        "chair", "route", "reallocated", "introduced", "complainant_is", "complaint",
        "applicant", "order",  # a court application's: who applied, the order sought (codes)
    }
)  # fmt: skip

# The details an erasure drops, each because it is free text that may name or describe the child
# or their family: every detail key of the contract is in one set or the other (a test says so).
DROPPED_DETAILS = frozenset(
    {
        "text", "notes", "provider", "court", "case_number", "guardian", "papers",
    }
)  # fmt: skip


def coded(details: Any) -> Any:
    """`details` (a dict of a JSON column) with only its coded keys; a value that is free text
    under a coded key (a string with a space or longer than 40 characters) goes too."""
    if not isinstance(details, dict):
        return {}
    return {
        key: value
        for key, value in details.items()
        if key in CODED_DETAILS
        and not (isinstance(value, str) and (" " in value or len(value) > 40))
    }


def refusal(child: Child, *, today: dt.date) -> str:
    """Why `child`'s record may not be erased on `today`, or "" (and then the review it goes
    under is `disposal_review(child)`)."""
    review = disposal_review(child)
    if child.reference.startswith(ERASED_PREFIX):
        return "this record has already been erased"
    if review is None:
        return (
            "no retention review has marked this record for disposal: the safeguarding service "
            "manager decides that on Records to review"
        )
    if review.due_on > today:
        return f"its retention date, {formatting.plain_day(review.due_on)}, has not passed"
    last = child.events.order_by("-date").values_list("date", flat=True).first()
    if last is not None and last > review.last_event_on:
        return (
            f"an event on {formatting.plain_day(last)} was recorded after the review's last event "
            f"({formatting.plain_day(review.last_event_on)}): the record needs a new review"
        )
    born = child.date_of_birth or child.expected_date_of_delivery
    if born is not None and child.events.filter(type=EventType.LAC_START).exists():
        kept_until = years_after(born, LOOKED_AFTER_KEPT_YEARS)
        if kept_until > today:
            return (
                "the child was looked after: the case record is kept until their 75th "
                f"birthday, {formatting.plain_day(kept_until)} (Care Planning, Placement and Case Review "
                "(England) Regulations 2010, reg 50)"
            )
    return ""


def disposal_review(child: Child) -> RetentionReview | None:
    """The retention review that marked `child`'s records for disposal, the latest if several."""
    return (
        RetentionReview.objects.filter(child=child, decision=RetentionDecision.DISPOSE)
        .order_by("-decided_on", "-pk")
        .first()
    )


def scrubber(child: Child, pseudonym: str) -> Callable[[str], str]:
    """A function putting `pseudonym` for each of `child`'s identifiers in a text (its reference,
    NHS number, full name, and each name of three letters or more, as whole words)."""
    words = [child.reference, child.nhs_number, _names(child)]
    words += [n for n in (child.first_name, child.last_name) if len(n) >= 3]
    found = sorted({w for w in words if w}, key=len, reverse=True)
    if not found:
        return lambda text: text
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in found), flags=re.IGNORECASE
    )
    return lambda text: pattern.sub(pseudonym, text)


def _names(child: Child) -> str:
    """The child's names as written ("" for an unborn child with none: never "Unborn child")."""
    return f"{child.first_name} {child.last_name}".strip()


def _naming(model: type[Model], fields: list[str], child: Child) -> Q:
    """Rows of `model` whose `fields` (as text) mention the child's reference or names in full
    (a surname alone would find other families)."""
    q = Q()
    for field in fields:
        for word in {child.reference, _names(child)} - {""}:
            q |= Q(**{f"_{field}_text__icontains": word})
    return q


def _rows_naming(model: type[Model], fields: list[str], child: Child) -> Any:
    return model._default_manager.annotate(
        **{f"_{field}_text": Cast(field, TextField()) for field in fields}
    ).filter(_naming(model, fields, child))


@dataclass(frozen=True)
class Erasure:
    """What an erasure takes (counted), and the pseudonym it gave (empty on a dry run)."""

    counts: dict[str, int]
    pseudonym: str = ""


def plan(child: Child) -> Erasure:
    """What erasing `child` would take, counted; nothing changed."""
    concerns = Concern.objects.filter(child=child)
    meetings = Meeting.objects.filter(child=child)
    steps = [
        m.objects.filter(concern__in=concerns) for m in (Notice, Response, ConcernAction, Step)
    ]
    grants = [AccessGrant.objects.filter(child=child), Allocation.objects.filter(child=child)]
    return Erasure(
        {
            "chronology events (details kept as codes)": child.events.count(),
            "obligations (their trigger kept as codes)": child.obligations.count(),
            "meeting records (free text removed)": meetings.count(),
            "documents (deleted, from storage too)": Document.objects.filter(
                meeting__in=meetings
            ).count(),
            "diary bookings (venue and reasons removed)": DiaryEntry.objects.filter(
                child=child
            ).count(),
            "concerns (free text removed)": concerns.count(),
            "their notices, responses, actions and steps (free text removed)": sum(
                rows.count() for rows in steps
            ),
            "complaints (complainant and text removed)": child.complaints.count(),
            "access grants and allocations (reasons removed)": sum(r.count() for r in grants),
            "messages about the child (deleted)": Message.objects.filter(child=child).count(),
            "webhook deliveries about the child (deleted)": WebhookDelivery.objects.filter(
                child=child
            ).count(),
            "audit rows (kept, naming only the pseudonym)": AuditEntry.objects.filter(
                child_id=child.pk
            ).count(),
        }
    )


def erase(child: Child, *, by: Any, today: dt.date) -> Erasure:
    """Erase `child`'s record (see the module's docstring), all or nothing; refused
    (ValueError, the reason) when `refusal` gives one. The records manager `by` is on the
    audit row of the erasure."""
    problem = refusal(child, today=today)
    if problem:
        raise ValueError(problem)
    review = disposal_review(child)
    assert review is not None
    counted = plan(child).counts
    pseudonym = f"{ERASED_PREFIX}{secrets.token_hex(6).upper()}"
    scrub = scrubber(child, pseudonym)
    files: list[tuple[Any, str]] = []
    with transaction.atomic():
        _erase_rows(child, files)
        pseudonymise(child.pk, pseudonym=pseudonym, scrub=scrub)
        _erase_elsewhere(child, scrub)
        review.reason = scrub(review.reason)
        review.save(update_fields=["reason"])
        born = child.date_of_birth
        expected = child.expected_date_of_delivery
        Child.objects.filter(pk=child.pk).update(
            reference=pseudonym,
            nhs_number="",
            first_name="",
            last_name=ERASED_NAME,
            date_of_birth=born.replace(month=1, day=1) if born else None,
            expected_date_of_delivery=expected.replace(month=1, day=1) if expected else None,
            restricted_contact=None,
        )
        child.reference = pseudonym
        record_change(
            child,
            action="child.erased",
            before=None,
            after={
                "retention_review": review.pk,
                "marked_on": review.decided_on,
                "erased_on": today,
            },
            reason=f"Erased after retention under retention review {review.pk}",
            acting_user=by,
        )
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
        data_version.bump()
    return Erasure(counted, pseudonym)


def _erase_rows(child: Child, files: list[tuple[Any, str]]) -> None:
    """The child's own rows in every part: free text out, codes kept, documents and outbox rows
    deleted (each document's file noted in `files`, to delete once committed)."""
    for event in Event.objects.filter(child=child).only("pk", "data"):
        Event.objects.filter(pk=event.pk).update(data=coded(event.data))
    for obligation in Obligation.objects.filter(child=child).only("pk", "trigger"):
        Obligation.objects.filter(pk=obligation.pk).update(trigger=coded(obligation.trigger))
    meetings = Meeting.objects.filter(child=child)
    for meeting in meetings.only("pk", "details", "typed"):
        Meeting.objects.filter(pk=meeting.pk).update(
            details=coded(meeting.details), typed=coded(meeting.typed)
        )
    for document in Document.objects.filter(meeting__in=meetings):
        files.append((document.file.storage, str(document.file.name)))
        document.delete()
    DiaryEntry.objects.filter(child=child).update(venue="", cancel_reason="")
    concerns = Concern.objects.filter(child=child)
    concerns.update(
        issue="",
        impact="",
        partner_agency="",
        partner_contact="",
        partner_email="",
        copied_emails=[],
        outcome="",
    )
    Notice.objects.filter(concern__in=concerns).update(
        bypass_reason="", extension_reason="", recipients=[]
    )
    Response.objects.filter(concern__in=concerns).update(reasons="")
    ConcernAction.objects.filter(concern__in=concerns).update(text="", owner="")
    for step in Step.objects.filter(concern__in=concerns).only("pk", "data"):
        Step.objects.filter(pk=step.pk).update(text="", data=coded(step.data), recipients=[])
    Complaint.objects.filter(child=child).update(complainant="", summary="", response="")
    AccessGrant.objects.filter(child=child).update(reason="")
    Allocation.objects.filter(child=child).update(reason="")
    Message.objects.filter(child=child).delete()
    WebhookDelivery.objects.filter(child=child).delete()
    child.named_staff.clear()
    data_version.bump()


def _erase_elsewhere(child: Child, scrub: Callable[[str], str]) -> None:
    """Rows that may still name the child but are not the child's own: a foster carer
    household's review (the children's views), Django admin's history (an object's name as it
    was), the background tasks' arguments and results (an import's report), the API's
    remembered answers to an `Idempotency-Key` (deleted: they expire anyway)."""
    admin_log = apps.get_model("admin", "LogEntry")
    for entry in _rows_naming(admin_log, ["object_repr", "change_message"], child):
        entry.object_repr = scrub(entry.object_repr)
        entry.change_message = scrub(entry.change_message)
        entry.save(update_fields=["object_repr", "change_message"])
    tasks = apps.get_model("django_tasks_database", "DBTaskResult")
    for task in _rows_naming(tasks, ["args_kwargs", "return_value", "traceback"], child):
        task.args_kwargs = json.loads(scrub(json.dumps(task.args_kwargs)))
        task.return_value = json.loads(scrub(json.dumps(task.return_value)))
        task.traceback = scrub(task.traceback or "")
        task.save(update_fields=["args_kwargs", "return_value", "traceback"])
    reviews = ["new_terms", "carers_views", "childrens_views"]
    for review in _rows_naming(CarerReview, reviews, child):
        for field in reviews:
            setattr(review, field, scrub(getattr(review, field)))
        review.save(update_fields=reviews)
    remembered = apps.get_model("api", "IdempotentResponse")
    _rows_naming(remembered, ["body"], child).delete()


class Command(BaseCommand):
    help = "Erase a child's record after retention (a dry run unless --confirm)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--child", required=True, help="the child's council reference")
        parser.add_argument(
            "--by", default="", help="the records manager's username (required with --confirm)"
        )
        parser.add_argument(
            "--confirm", action="store_true", help="erase (without it: say what would go)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reference = options["child"].strip()
        child = Child.objects.filter(reference=reference).first()
        if child is None:
            raise CommandError(f"no child has the reference {reference!r}", returncode=2)
        today = timezone.localdate()
        problem = refusal(child, today=today)
        if problem:
            raise CommandError(f"{reference} cannot be erased: {problem}", returncode=2)
        by = None
        if options["confirm"]:
            username = options["by"].strip()
            by = get_user_model().objects.filter(username=username, is_active=True).first()
            if by is None:
                raise CommandError(
                    "--by must name the records manager's active account, "
                    f"not {username!r}: the erasure is on the audit log as theirs",
                    returncode=2,
                )
        review = disposal_review(child)
        assert review is not None
        found = erase(child, by=by, today=today) if by is not None else plan(child)
        verb = "Erased" if found.pseudonym else "Would erase"
        self.stdout.write(
            f"{verb} {reference} under retention review {review.pk} "
            f"(marked for disposal on {formatting.plain_day(review.decided_on)}):"
        )
        for what, n in found.counts.items():
            self.stdout.write(f"  {n:>7,}  {what}")
        if found.pseudonym:
            self.stdout.write(
                f"The record is now {found.pseudonym}; the audit log names only that."
            )
        else:
            self.stdout.write("A dry run: nothing changed. Add --confirm --by USERNAME to erase.")
