"""Every model whose rows the remembered pages and decisions read: the one place that names them.

`WATCHED` models bump the data version on every save or delete (Django's model signals);
`WATCHED_MANY_TO_MANY` on every change of their rows. `BUMPED_BY_WRITER` are written only in bulk
by one module that bumps after each write. `NOT_WATCHED` names every other model of Oversight
with the reason nothing remembered depends on it. A convention test fails when a model is in none
of these, and when a write that bypasses the signals (`QuerySet.update`, `bulk_create`,
`bulk_update`, raw SQL) does not bump in the same function (`oversight/cache/tests/`).

Models are named by their labels (`app_label.ModelName`), so the cache part imports no app
above `cases`."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings

from oversight.cache import data_version

WATCHED: tuple[str, ...] = (
    settings.AUTH_USER_MODEL,  # a user's name, password and deactivation: who is signed in
    "cases.AccessGrant",  # break-glass openings: access
    "cases.Allocation",  # who holds which child: access, My caseload, the child page
    "cases.Child",  # the child's details and restriction
    "cases.Cover",  # access for the period of the cover
    "cases.DutyRota",  # the duty IRO of the day: access, the navigation
    "cases.Event",  # the chronology
    "cases.Flag",  # a flag saved one by one (the bulk writer bumps as well)
    "cases.SiblingGroup",  # the child page's siblings
    "cases.StaffMember",  # names, teams, line managers: access and owners
    "cases.StaffRole",  # roles: access
    "cases.Team",  # team names and kinds: access
    "escalations.Concern",  # concerns on My caseload and the child page
)

WATCHED_MANY_TO_MANY: tuple[str, ...] = (
    "cases.Child.named_staff",  # the people named on a restricted record
)

BUMPED_BY_WRITER: dict[str, str] = {
    "cases.Obligation": "written in bulk by oversight.cases.obligations, which bumps after it",
}

NOT_WATCHED: dict[str, str] = {
    "audit.AuditEntry": "the audit log: read by the audit page, never remembered",
    "audit.RecordViewer": "who has seen a record: read on every view, outside the page cache",
    "escalations.Theme": "themes: read by the escalation pages, never remembered",
    "escalations.Notice": "read by the escalation pages, never remembered",
    "escalations.Response": "read by the escalation pages, never remembered",
    "escalations.ConcernAction": "read by the escalation pages, never remembered",
    "escalations.Step": "a concern's history, read by the escalation pages, never remembered",
    "escalations.Reminder": "the reminders' own bookkeeping, shown nowhere remembered",
    "meetings.Meeting": "read by the meeting pages; what it changes reaches the pages as Events",
    "meetings.Document": "read by the meeting pages, never remembered",
    "meetings.DipSampleJudgement": "read by the dip sample page, never remembered",
    "notifications.Message": "the outbox, read by the worker",
}


def register() -> None:
    """Connect the version's signals for every watched model (`CacheConfig.ready`)."""
    data_version.watch(*(apps.get_model(label) for label in WATCHED))
    for name in WATCHED_MANY_TO_MANY:
        label, field = name.rsplit(".", 1)
        data_version.watch_many_to_many(getattr(apps.get_model(label), field).through)
