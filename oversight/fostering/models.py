"""Foster carer households, their annual reviews and the concerns about them.

A household is not a child: no chronology of a child holds its reviews. Its review due date comes
from the engine's rows `carer.review.first`/`carer.review.next` (`oversight.fostering.reviews`);
the children placed with it are those whose placement event names its `reference` as the
provider (`oversight.fostering.placements`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oversight.fostering.constants import ApprovalType, CarerStatus, StepKind

# The longest reference a household may have (a placement event's provider names it).
REFERENCE_LENGTH = 20


class Carer(models.Model):
    # The household's reference, as a placement event's `provider` names it ("FC1001").
    reference = models.CharField(max_length=REFERENCE_LENGTH, unique=True)
    names = models.CharField("carers' names", max_length=200)
    approved_on = models.DateField()
    # Terms of approval: how many children, of what ages, for what kind of fostering.
    children = models.PositiveSmallIntegerField("number of children")
    age_from = models.PositiveSmallIntegerField()
    age_to = models.PositiveSmallIntegerField()
    approval_type = models.CharField(max_length=20, choices=ApprovalType.choices)
    status = models.CharField(
        max_length=20, choices=CarerStatus.choices, default=CarerStatus.APPROVED
    )
    # The social worker who supervises the household: the concerns' ladder is answered up their
    # line (`oversight.fostering.answerers`). None for a household recorded before they were.
    supervising_social_worker = models.ForeignKey(
        "cases.StaffMember",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_carers",
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return f"{self.names} ({self.reference})"

    @property
    def terms(self) -> str:
        """The terms of approval in words: "2 children aged 0 to 11, long-term"."""
        count = "1 child" if self.children == 1 else f"{self.children} children"
        return f"{count} aged {self.age_from} to {self.age_to}, {self.get_approval_type_display().lower()}"


class CarerReview(models.Model):
    """A review of the household's approval (Fostering Services (England) Regulations 2011,
    reg 28), chaired by a corporate IRO, with the three recommendations of Manchester's seed."""

    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    chaired_by = models.ForeignKey(
        "cases.StaffMember", on_delete=models.PROTECT, related_name="carer_reviews"
    )
    continue_to_foster = models.BooleanField()
    household_appropriate = models.BooleanField()
    terms_appropriate = models.BooleanField()
    new_terms = models.TextField(blank=True)  # when the terms are no longer appropriate
    carers_views = models.TextField(blank=True)
    childrens_views = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Review of {self.carer.reference} on {self.held_on}"


class CarerConcern(models.Model):
    """A concern about the household on the pack's `fostering.concern_ladder`: at `stage` since
    `stage_since` until resolved."""

    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="concerns")
    raised_by = models.ForeignKey(
        "cases.StaffMember", on_delete=models.PROTECT, related_name="carer_concerns"
    )
    raised_on = models.DateField()
    issue = models.TextField()
    stage = models.PositiveSmallIntegerField(default=1)
    stage_since = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return f"Concern {self.pk} about {self.carer.reference}"


class ConcernStep(models.Model):
    """One step of a concern: raised, a stage's response, escalated, resolved."""

    concern = models.ForeignKey(CarerConcern, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=20, choices=StepKind.choices)
    stage = models.PositiveSmallIntegerField()
    on = models.DateField()
    text = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at stage {self.stage} on {self.on}"
