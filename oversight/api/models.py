"""What the API keeps of its own: the tokens a council's other systems call with, and the first
answer to each idempotent request (so that a retried POST returns it, never a duplicate)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A named credential for another system, acting as one user with that user's roles and
    access. Only a digest of the secret is kept: the secret is shown once, when it is made."""

    name = models.CharField(max_length=100, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the secret, in hex
    # The secret's first characters, shown in lists so that a person can tell tokens apart.
    prefix = models.CharField(max_length=12)
    read_only = models.BooleanField(default=False)
    expires_on = models.DateField(null=True, blank=True)  # last day it works; None: no expiry
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IdempotentResponse(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key` by one user: a retry with the
    same key and body gets it again; the same key with another body is refused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    path = models.CharField(max_length=500)
    body_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_response_per_key")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
