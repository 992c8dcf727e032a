"""Concerns (positive challenge and formal escalation), their notices, responses and history.

The timescales engine is the truth for deadlines: every step here also writes a chronology event
through `oversight.cases.actions.record_event`, with `concern` set to `Concern.engine_id`, and the
engine derives `esc.*` obligations from those events. The rows here keep what the engine does not
read: who was told, who agreed, the words of the issue, the response and the outcome."""

from __future__ import annotations

from django.db import models

from oversight.cases import formatting
from oversight.escalations.constants import Kind, Status, StepKind


class Theme(models.Model):
    """One theme of the council's taxonomy (e.g. "Drift and delay"). Retire with `active`."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=100)
    active = models.BooleanField(default=True, db_default=True)
    order = models.PositiveSmallIntegerField(default=0, db_default=0)

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class Concern(models.Model):
    """One concern raised by a chair about one child, on one of the active pack's ladders.

    `stage` is 0 while informal, else the ladder stage of the last notice (counted from 1)."""

    child = models.ForeignKey("cases.Child", on_delete=models.CASCADE, related_name="concerns")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONCERN)
    ladder = models.CharField(max_length=40)
    stage = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    raised_on = models.DateField()
    raised_by = models.ForeignKey(
        "cases.StaffMember", on_delete=models.PROTECT, related_name="concerns_raised"
    )
    issue = models.TextField()
    impact = models.TextField("impact on the child", blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="concerns")  # type: ignore[var-annotated]
    # A dispute with a partner agency (Manchester): addressed to a named external contact.
    partner_agency = models.CharField(max_length=100, blank=True)
    partner_contact = models.CharField(max_length=100, blank=True)
    partner_email = models.EmailField(blank=True)
    # Anyone else the chair copies in (Manchester: legal team, head of virtual school, designated
    # LAC nurse): staff members, and email addresses of people outside Oversight.
    copied_staff = models.ManyToManyField(  # type: ignore[var-annotated]
        "cases.StaffMember", blank=True, related_name="concerns_copied"
    )
    copied_emails = models.JSONField(default=list, blank=True)
    obligation_code = models.CharField(
        "raised from obligation", max_length=60, blank=True
    )  # e.g. cp.visit, when raised from an overdue obligation
    outcome = models.TextField(blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    # The challenge meeting (Leicestershire's Challenge Meeting): put on the agenda by a chair.
    on_agenda = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField()
    # The `concern` id of its chronology events when they were not written by Oversight's
    # actions (the demo council's "c17"); blank: "concern-<pk>".
    engine_key = models.CharField(max_length=60, blank=True, default="", db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "ladder", "stage"]),
            models.Index(fields=["child", "status"]),
        ]

    def __str__(self) -> str:
        return f"Concern {self.pk} for child {self.child_id} ({self.status}, stage {self.stage})"

    @property
    def engine_id(self) -> str:
        """The `concern` value of this concern's chronology events."""
        return self.engine_key or f"concern-{self.pk}"

    @property
    def is_partner_dispute(self) -> bool:
        return bool(self.partner_email)


class Notice(models.Model):
    """A formal notice of concern at one stage of the ladder."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="notices")
    stage = models.PositiveSmallIntegerField()
    issued_on = models.DateField()
    issued_by = models.ForeignKey("cases.StaffMember", on_delete=models.PROTECT, related_name="+")
    agreed_by = models.ForeignKey(
        "cases.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bypass_reason = models.TextField(blank=True)
    # The response deadline: the ladder's rule, or a shorter one a named manager set, or later
    # when extended. None for a stage with no response time.
    respond_by = models.DateField(null=True, blank=True)
    shorter_set_by = models.ForeignKey(
        "cases.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extension_reason = models.TextField(blank=True)
    recipients = models.JSONField(default=list)
    event = models.ForeignKey(
        "cases.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["issued_on", "pk"]

    def __str__(self) -> str:
        return f"Stage {self.stage} notice of concern {self.concern_id}"


class Response(models.Model):
    """The addressee's answer at a stage (0: the informal stage)."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="responses")
    stage = models.PositiveSmallIntegerField()
    responded_on = models.DateField()
    responded_by = models.ForeignKey(
        "cases.StaffMember", on_delete=models.PROTECT, related_name="+"
    )
    accepted = models.BooleanField()
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["responded_on", "pk"]

    def __str__(self) -> str:
        return f"Response at stage {self.stage} to concern {self.concern_id}"


class ConcernAction(models.Model):
    """An action with a date: one the chair requires when raising, or one of an accepted
    response's action plan. Each is an `action_set` event on the engine (`action.due`)."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="actions")
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.CASCADE, related_name="plan"
    )
    action = models.CharField(max_length=60, unique=True)  # the engine's action id
    text = models.CharField(max_length=500)
    due = models.DateField()
    owner = models.CharField(max_length=150, blank=True)  # a role or a username

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"{self.text} by {self.due}"


class Step(models.Model):
    """One line of a concern's history: what happened, when, by whom, who was told."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=20, choices=StepKind.choices)
    stage = models.PositiveSmallIntegerField(default=0)
    on = models.DateField()
    by = models.ForeignKey(
        "cases.StaffMember", null=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    recipients = models.JSONField(default=list, blank=True)
    event = models.ForeignKey(
        "cases.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {formatting.short_day(self.on)}"


class Reminder(models.Model):
    """A reminder sent, so that `oversight reminders` sends each one once: per (obligation
    trigger, kind, day, person)."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
