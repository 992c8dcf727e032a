from django.db import models


class ApprovalType(models.TextChoices):
    """The kind of fostering a household is approved for (its terms of approval)."""

    LONG_TERM = "long_term", "Long-term"
    SHORT_TERM = "short_term", "Short-term"
    SHORT_BREAK = "short_break", "Short breaks"
    KINSHIP = "kinship", "Kinship (connected person)"
    EMERGENCY = "emergency", "Emergency"


class CarerStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    ON_HOLD = "on_hold", "On hold"
    DEREGISTERED = "deregistered", "Deregistered"


class StepKind(models.TextChoices):
    """What happened to a concern about a carer household, in order."""

    RAISED = "raised", "Raised"
    RESPONSE = "response", "Response"
    ESCALATED = "escalated", "Escalated"
    RESOLVED = "resolved", "Resolved"
