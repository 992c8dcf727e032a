"""Meeting records: what a chair or IRO decided and recorded at each meeting the seeds describe.

A record's decisions are kept as structured columns where other rooms filter on them (kind,
status, dates, chair) and as JSON (`details`) for the checklists each seed lists. The
chronology events a completed record wrote are listed in `event_ids`; the engine reads those
events, never this table."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oversight.cases import formatting
from oversight.cases.formatting import day
from oversight.cases.models import Child, Event, StaffMember
from oversight.meetings.constants import Kind, Status


class Meeting(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The day it was held (or the decision taken); empty on a draft not yet dated.
    date = models.DateField(null=True, blank=True)
    time = models.TimeField(null=True, blank=True)
    # The main decision in one word (plan/no_plan, continue/end, held/not_needed, an outcome).
    outcome = models.CharField(max_length=40, blank=True)
    chair = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The form's cleaned values (dates as ISO strings): the seeds' checklists.
    details = models.JSONField(default=dict, blank=True)
    # The form as typed: a draft's only content; on a completed record, what completed it (the
    # starting point of an amendment).
    typed = models.JSONField(default=dict, blank=True)
    event_ids = models.JSONField(default=list, blank=True)
    # A record this one answers (a decision on a change notice, a leader's threshold decision).
    about = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    amended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "kind", "status"])]
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        when = f" on {day(self.date)}" if self.date else ""
        return f"{self.get_kind_display()}{when} ({self.get_status_display().lower()})"


class DiaryEntry(models.Model):
    """A booked meeting in its chair's diary, and the one calendar event its invitations carry:
    `uid` stays the same for as long as the meeting is re-booked (each re-booking points
    `booking` at the new booking record and raises `sequence`, RFC 5545 3.8.7.4), until it is
    held or cancelled (`cancelled_at`). Written only by `oversight.meetings.actions`."""

    uid = models.CharField(max_length=200, unique=True)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="diary_entries")
    # The meeting booked (`meeting_booked.meeting`: icpc, rcpc, core_group, ...).
    meeting = models.CharField(max_length=30, choices=Kind.choices)
    booking = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="diary_entries")
    # The booking's `meeting_booked` event (its `booked.<meeting>` obligation's trigger); empty
    # once the booking is cancelled (the event removed).
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The `meeting_booked` events of the bookings this one re-booked (removed with it when the
    # meeting is cancelled, so that no earlier booking of it comes back).
    earlier_events = models.JSONField(default=list, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    on = models.DateField()
    at = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    chair = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="diary_entries"
    )
    invited = models.ManyToManyField(StaffMember, related_name="+", blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["chair", "on"]), models.Index(fields=["child", "meeting"])]
        ordering = ["on", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting} for child {self.child_id} on {formatting.short_day(self.on)}"


class Document(models.Model):
    """Minutes, a report or a letter attached to a meeting record (stored through Django's
    storage API; every download is audited)."""

    class Type(models.TextChoices):
        MINUTES = "minutes", "Minutes"
        REPORT = "report", "Report"
        LETTER = "letter", "Letter"
        PLAN = "plan", "Plan"
        OTHER = "other", "Other"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    type = models.CharField(max_length=20, choices=Type.choices)
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to="meetings/%Y/%m/")
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.name}"


class DipSampleJudgement(models.Model):
    """The service leader's judgement of one consultation in the monthly dip sample (Stockport,
    seed 001 section 1: the timeliness and quality of the advice, and the timeliness and outcome
    of the resulting TAC meeting)."""

    class Quality(models.TextChoices):
        GOOD = "good", "Good"
        ADEQUATE = "adequate", "Adequate"
        REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
        INADEQUATE = "inadequate", "Inadequate"

    consultation = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="dip_sample_judgement"
    )
    # The first day of the month sampled.
    month = models.DateField()
    advice_quality = models.CharField(max_length=30, choices=Quality.choices)
    timely = models.BooleanField(help_text="The advice and any resulting TAC were timely")
    comments = models.TextField(blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    judged_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.consultation}: {self.get_advice_quality_display()}"
