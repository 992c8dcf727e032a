"""The outbox: one row per message, written in the same transaction as the action that causes it
and sent later by a background worker (`oversight.notifications.tasks.deliver`)."""

from __future__ import annotations

from uuid import UUID, uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from oversight.notifications.constants import Status


class Message(models.Model):
    """One email to one person, about one child or none.

    The content is stored, not rendered at send time, so every attempt sends the same words under
    the same Message-ID."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    message_id = models.CharField(
        "Message-ID", max_length=200, unique=True, editable=False, help_text="<uuid@domain>"
    )
    recipient = models.ForeignKey(
        "cases.StaffMember",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    to_email = models.EmailField("to", max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    notify_template_id = models.CharField("GOV.UK Notify template ID", max_length=36, blank=True)
    personalisation = models.JSONField(default=dict, blank=True)
    # One file sent with the message by email (a meeting's calendar invitation, `.ics`): its name,
    # its MIME type with parameters ("text/calendar; method=REQUEST") and its text. GOV.UK Notify
    # sends the subject and body only.
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.TextField(blank=True)
    child = models.ForeignKey(
        "cases.Child",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When the recipient marked it read in their inbox (`oversight.notifications.inbox`).
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notif_msg_status_next_idx"),
            models.Index(fields=["child", "-created_at"], name="notif_msg_child_created_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notif_msg_recip_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(to_email=""), name="notif_msg_has_address"),
            models.CheckConstraint(
                condition=~Q(status=Status.SENDING) | Q(lease_expires_at__isnull=False),
                name="notif_msg_sending_has_lease",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email} ({self.status})"

    @staticmethod
    def make_message_id(value: UUID) -> str:
        """The RFC 5322 Message-ID of the message with this uuid: `<uuid@domain>`, stable for the
        life of the row (the domain is OVERSIGHT_MESSAGE_ID_DOMAIN, `oversight.invalid` by
        default)."""
        return f"<{value}@{settings.OVERSIGHT_MESSAGE_ID_DOMAIN}>"


class WebhookDelivery(models.Model):
    """One signed POST to the deployment's webhook (`OVERSIGHT_WEBHOOK_URL`), kept in the outbox
    beside the emails and sent by the same worker with the same retries
    (`oversight.notifications.webhooks`). The body is stored, so every attempt sends the same
    bytes under the same delivery id; `key` makes each happening announced once."""

    delivery_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    key = models.CharField(max_length=200, unique=True)
    event = models.CharField(max_length=40)  # "obligation.overdue", "escalation.stage_changed"
    body = models.TextField()  # the JSON sent, as sent
    child = models.ForeignKey(
        "cases.Child", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["-created_at"], name="notif_hook_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.SENDING) | Q(lease_expires_at__isnull=False),
                name="notif_hook_sending_has_lease",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.delivery_id} ({self.status})"


class WorkerHeartbeat(models.Model):
    """The last time each background worker (`oversight manage db_worker --worker-id ID`) was
    alive: `/healthz` reads the newest, and a task row RUNNING under a worker whose heartbeat is
    stale was orphaned by a worker that died (`oversight.notifications.worker`)."""

    worker_id = models.CharField(max_length=64, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class SourceNotice(models.Model):
    """A safeguarding service manager told that a source document of the policy pack is past its
    review date (`oversight.notifications.past_review`), so that the nightly run tells each of
    them once per document and review date: a new review date written in the pack after the
    document is reviewed is a new notice."""

    source = models.CharField(max_length=100)  # the pack's key of the document, "seed001"
    review_date = models.CharField(max_length=10)  # as the pack writes it: YYYY-MM or YYYY-MM-DD
    recipient = models.ForeignKey(
        "cases.StaffMember", on_delete=models.PROTECT, related_name="source_notices"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "review_date", "recipient"], name="notif_source_told_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} (to be reviewed {self.review_date}) → {self.recipient}"
