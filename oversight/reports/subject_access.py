"""A subject access export: one child's whole record in Oversight as one zip file, for the
council's answer to a subject access request (UK GDPR Art 15) or a court: `record.json` (the
child, the chronology, obligations and flags, allocations, access grants, meetings and diary
bookings, concerns with their notices, responses, actions and steps, the complaints about the
child's case, the messages sent about the child, the retention reviews, and the audit log of who saw or changed the record and when) and
`documents/` (each document attached to a meeting, as uploaded).

Every row is written with Django's serializer (each field of each model, so a field added later
is exported without a change here), except the audit log: when, who, what and why, without the
staff's addresses and browsers (their personal data, not the child's). Redacting third parties
before release is the data protection officer's step; the export is the whole record for it."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Q, QuerySet

from oversight.audit.models import AuditEntry, ChildShown
from oversight.cases.access import User, staff_for_user
from oversight.cases.constants import Role
from oversight.cases.models import (
    AccessGrant,
    Allocation,
    Child,
    Event,
    Flag,
    Obligation,
    RetentionReview,
)
from oversight.escalations.models import Concern, ConcernAction, Notice, Response, Step
from oversight.meetings.models import DiaryEntry, DipSampleJudgement, Document, Meeting
from oversight.notifications.models import Message

# Who may export a child's whole record: the IRO service's managers, who answer for its records
# to information governance (docs/data-protection.md), and see every child already.
EXPORTER_ROLES = frozenset({Role.SAFEGUARDING_SERVICE_MANAGER, Role.IRO_TEAM_MANAGER})


def may_export(user: User) -> bool:
    staff = staff_for_user(user)
    return staff is not None and bool(staff.roles & EXPORTER_ROLES)


def _rows(queryset: QuerySet[Any] | Iterable[Model]) -> list[dict[str, Any]]:
    return serializers.serialize("python", queryset)  # type: ignore[no-any-return]


def _audit(child: Child) -> list[dict[str, Any]]:
    """Every audit row naming the child (its own, or a list's that showed it), oldest first."""
    shown = ChildShown.objects.filter(child_id=child.pk).values("entry_id")
    entries = (
        AuditEntry.objects.filter(Q(child_id=child.pk) | Q(pk__in=shown))
        .select_related("user")
        .order_by("at", "id")
    )
    return [
        {
            "at": entry.at,
            "who": (entry.user.get_full_name() or entry.user.get_username()) if entry.user else "",
            "action": entry.get_action_display(),
            "what": entry.what,
            "reason": entry.reason,
            "before": entry.before,
            "after": entry.after,
            "via": entry.via,
        }
        for entry in entries
    ]


def whole_record(child: Child) -> dict[str, Any]:
    """The child's record as plain values, by part."""
    concerns = Concern.objects.filter(child=child)
    meetings = Meeting.objects.filter(child=child)
    return {
        "child": _rows([child]),
        "events": _rows(Event.objects.filter(child=child).order_by("date", "id")),
        "obligations": _rows(Obligation.objects.filter(child=child).order_by("id")),
        "flags": _rows(Flag.objects.filter(child=child).order_by("id")),
        "allocations": _rows(Allocation.objects.filter(child=child).order_by("starts", "id")),
        "access_grants": _rows(AccessGrant.objects.filter(child=child).order_by("id")),
        "meetings": _rows(meetings.order_by("id")),
        "diary_entries": _rows(DiaryEntry.objects.filter(child=child).order_by("id")),
        "documents": _rows(Document.objects.filter(meeting__in=meetings).order_by("id")),
        "dip_sample_judgements": _rows(
            DipSampleJudgement.objects.filter(consultation__in=meetings).order_by("id")
        ),
        "concerns": _rows(concerns.order_by("id")),
        "notices": _rows(Notice.objects.filter(concern__in=concerns).order_by("id")),
        "responses": _rows(Response.objects.filter(concern__in=concerns).order_by("id")),
        "concern_actions": _rows(ConcernAction.objects.filter(concern__in=concerns).order_by("id")),
        "concern_steps": _rows(Step.objects.filter(concern__in=concerns).order_by("id")),
        # read through the child (the complaints log is a part beside this one, not imported)
        "complaints": _rows(child.complaints.order_by("id")),
        "messages": _rows(Message.objects.filter(child=child).order_by("id")),
        "retention_reviews": _rows(RetentionReview.objects.filter(child=child).order_by("id")),
        "audit": _audit(child),
    }


def write_export(child: Child, out: IO[bytes]) -> None:
    """The zip: `record.json` and each document's file under `documents/`."""
    record = whole_record(child)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "record.json", json.dumps(record, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
        for document in Document.objects.filter(meeting__child=child).order_by("id"):
            with document.file.open("rb") as stored:
                name = (document.file.name or "").rsplit("/", 1)[-1]
                archive.writestr(f"documents/{document.pk}-{name}", stored.read())
