from django.db import models


class Complainant(models.TextChoices):
    """Who made the complaint: a pack may treat the child's own complaint, or one made for them,
    as a reason to escalate (Manchester, seed 003 "Referral to Cafcass": "the complaints procedure
    is used by the child directly or an adult who is authorised to act on their behalf")."""

    CHILD = "child", "The child"
    ON_BEHALF = "on_behalf", "An adult authorised to act on the child's behalf"
    PARENT = "parent", "A parent or carer"
    PROFESSIONAL = "professional", "A professional"
    OTHER = "other", "Someone else"


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ANSWERED = "answered", "Answered"
