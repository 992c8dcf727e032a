"""The closed lists of the notifications room."""

from django.db import models


class Status(models.TextChoices):
    """Where a message is in the outbox.

    queued → sending (claimed by one worker, under a lease) → sent; or back to queued with a later
    `next_attempt_at` after a failed attempt; or failed after the last attempt or a permanent
    refusal."""

    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Backend(models.TextChoices):
    SMTP = "smtp", "Email (SMTP)"
    NOTIFY = "notify", "GOV.UK Notify"
