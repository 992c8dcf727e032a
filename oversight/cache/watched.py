"""Every model whose rows the remembered pages and decisions read, and which version a change to
it bumps (`oversight.cache.data_version`): the one place that names them.

`WATCHED` models bump on every save or delete (Django's model signals) what their change makes
stale: who may see what (`access`), one child's record (`child`, by the row's `child_id`), both,
every child's record (`records`), everything, or a person's inbox (`recipient_inbox`). `WATCHED_MANY_TO_MANY` bump on every change of
their rows. `BUMPED_BY_WRITER` are written only in bulk by one module that bumps after each write.
`NOT_WATCHED` names every other model of Oversight with the reason nothing remembered depends on
it. A convention test fails when a model is in none of these, and when a write that bypasses the
signals (`QuerySet.update`, `bulk_create`, `bulk_update`, raw SQL) does not bump in the same
function (`oversight/cache/tests/`).

Models are named by their labels (`app_label.ModelName`), so the cache part imports no app
above `cases`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings

from oversight.cache import data_version


def access(row: Any) -> None:
    """Who may see what, or who is signed in."""
    data_version.bump_access()


def child(row: Any) -> None:
    """The record of the row's child."""
    data_version.bump_child(row.child_id)


def access_and_child(row: Any) -> None:
    """Who may see the row's child, and its record."""
    data_version.bump_access()
    data_version.bump_child(row.child_id)


def concern_child(row: Any) -> None:
    """The record of the child whose concern the row belongs to."""
    data_version.bump_child(row.concern.child_id)


def meeting_child(row: Any) -> None:
    """The record of the child whose meeting the row belongs to."""
    data_version.bump_child(row.meeting.child_id)


def recipient_inbox(row: Any) -> None:
    """The inbox of the message's recipient (a message to an address has none)."""
    if row.recipient_id is not None:
        data_version.bump_inbox(row.recipient_id)


def records(row: Any) -> None:
    """Every child's record (a row that several children's pages show)."""
    data_version.bump_records()


def everything(row: Any) -> None:
    """Access and every record: a child's own row is read by the access decisions (its
    restriction, remembered with the decision), its page, its siblings' pages and caseloads."""
    data_version.bump()


WATCHED: dict[str, Callable[[Any], None]] = {
    settings.AUTH_USER_MODEL: access,  # a user's name, password and deactivation: who is signed in
    "api.ApiToken": access,  # a token made or revoked: who is calling (`api.tokens.working`)
    "cases.AccessGrant": access,  # break-glass openings
    "cases.Allocation": access_and_child,  # who holds which child; the child page's people
    "cases.Child": everything,  # the child's details and restriction
    "cases.Cover": access,  # access for the period of the cover
    "cases.DutyRota": access,  # the duty IRO of the day: access, the navigation
    "cases.Event": child,  # the chronology
    "cases.Flag": child,  # a flag saved one by one (the bulk writer bumps as well)
    "cases.SignOut": access,  # signing out everywhere: who is signed in
    "cases.SiblingGroup": records,  # the siblings on each of its children's pages
    "cases.StaffMember": access,  # names, teams, line managers: access and owners
    "cases.StaffRole": access,  # roles
    "cases.Team": access,  # team names and kinds
    "escalations.Concern": child,  # concerns on My caseload and the child page
    "complaints.Complaint": child,  # the child page's complaints (on its concerns tab)
    "meetings.Meeting": child,  # the child page's meetings tab
    "escalations.Step": concern_child,  # a Cafcass referral on the child page's proceedings
    "meetings.Document": meeting_child,  # the child page's documents tab
    "notifications.Message": recipient_inbox,  # the navigation's count of unread messages
}

WATCHED_MANY_TO_MANY: dict[str, Callable[[Any], None]] = {
    "cases.Child.named_staff": access,  # the people named on a restricted record
}

BUMPED_BY_WRITER: dict[str, str] = {
    "cases.Obligation": "written in bulk by oversight.cases.obligations, which bumps after it",
    "cases.Span": "written with the obligations by oversight.cases.obligations, which bumps after "
    "it",
}

NOT_WATCHED: dict[str, str] = {
    "api.IdempotentResponse": "read only by a retried API call, never remembered",
    "audit.AuditEntry": "the audit log: read by the audit page, never remembered",
    "audit.ChildShown": "the children a list page named on the log: read by the audit page only",
    "audit.RecordViewer": "who has seen a record: read on every view, outside the page cache",
    "cases.SignOnSubject": "read by the provider's back-channel logout only, never remembered",
    "cases.RetentionReview": "read by the Records to review page and the whole-record export, "
    "never remembered",
    "escalations.Theme": "themes: read by the escalation pages, never remembered",
    "escalations.Notice": "read by the escalation pages, never remembered",
    "escalations.Response": "read by the escalation pages, never remembered",
    "escalations.ConcernAction": "read by the escalation pages, never remembered",
    "escalations.Reminder": "the reminders' own bookkeeping, shown nowhere remembered",
    "meetings.DipSampleJudgement": "read by the dip sample page, never remembered",
    "meetings.DiaryEntry": "read by the diary and the meeting pages, never remembered; what "
    "a booking changes reaches the pages as Events",
    "fostering.Carer": "read by the foster carer pages, never remembered",
    "fostering.CarerReview": "read by the foster carer pages, never remembered",
    "fostering.CarerConcern": "read by the foster carer pages, never remembered",
    "fostering.ConcernStep": "read by the foster carer pages, never remembered",
    "notifications.WorkerHeartbeat": "the workers' heartbeats, read by /healthz and the workers",
    "notifications.WebhookDelivery": "the webhooks' outbox, read by the worker and its page",
    "notifications.SourceNotice": "who was told of a source past its review, read by the nightly "
    "run only",
}


def register() -> None:
    """Connect the versions' signals for every watched model (`CacheConfig.ready`)."""
    for label, bumps in WATCHED.items():
        data_version.watch(apps.get_model(label), bumps)
    for name, bumps in WATCHED_MANY_TO_MANY.items():
        label, field = name.rsplit(".", 1)
        data_version.watch_many_to_many(getattr(apps.get_model(label), field).through, bumps)
