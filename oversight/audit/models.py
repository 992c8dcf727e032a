"""The audit log: who saw or changed which child's record, when and from where. Append-only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """An audit entry was about to be changed or deleted; the log only grows."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    """One action by one person, usually on one child (`child` is empty for actions on no child)."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CHANGE = "change", "Changed"
        EXPORT = "export", "Exported"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
        RESTRICTED = "restricted", "Shown a restricted record's notice"
        OPEN_RECORD = "open_record", "Opened a record (break-glass)"
        API_CALL = "api_call", "Called the API"
        REFUSED = "refused", "Refused a record outside their scope"

    at = models.DateTimeField()
    # No constraint in the database, and no index of its own (the index on user and time finds a
    # user's rows): every view of a child writes a row before its page is sent, and the
    # constraint's check locked the user's row in each of those transactions (a write of its own,
    # and contention among the user's concurrent views). Django's PROTECT still refuses to delete
    # a user the log names; the rows are written only by `oversight.audit.actions`.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    # A plain reference, not a foreign key: the log must outlive the record it mentions.
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    child_reference = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    # What was done, in a short code such as "event.recorded" or "iro.allocated".
    what = models.CharField(max_length=100, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    # The username typed at a failed sign-in (there is no user to point at).
    username = models.CharField(max_length=150, blank=True)
    # How the request came, when not through the pages: "API token: <its name>".
    via = models.CharField(max_length=200, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "audit entries"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["at"])]

    def __str__(self) -> str:
        return (
            f"{self.user} {self.action} {self.child_reference or '-'} at {self.at:%Y-%m-%d %H:%M}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries cannot be deleted")


class ChildShown(models.Model):
    """One child of the several one entry is about: a list page (My caseload, the children, the
    concerns) or an export names each child it showed, one row each. Append-only, as its entry."""

    # No constraint in the database: the entry is written in the same statement, and the check
    # ran once per child named (fifty on a page of My caseload) before each page was sent.
    entry = models.ForeignKey(
        AuditEntry, on_delete=models.PROTECT, related_name="children", db_constraint=False
    )
    child_id = models.BigIntegerField(db_index=True)
    child_reference = models.CharField(max_length=40, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "children shown"

    def __str__(self) -> str:
        return f"{self.child_reference} in entry {self.entry_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries cannot be deleted")


class RecordViewer(models.Model):
    """Who has seen a child's record: one row per child and person, written with the audit row
    of each view (`record_child_view`), so that "who has seen this record" reads a few rows
    however often the record is viewed. A summary of the log (the migration that made it filled
    it from the log), not the log: its rows change with every view."""

    child_id = models.BigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    times = models.PositiveIntegerField()

    class Meta:
        # The one index: a child's rows are found by it, and a view changes no indexed column,
        # so PostgreSQL updates the row in place (a "HOT" update) however often it is viewed.
        constraints = [
            models.UniqueConstraint(fields=["child_id", "user"], name="one_viewer_row_per_child")
        ]

    def __str__(self) -> str:
        return f"{self.user} saw child {self.child_id} {self.times} times"
