"""The complaints log: who complained about which child (and which conference), when it was
received, acknowledged and answered.

The timescales engine is the truth for the deadlines: recording, acknowledging and answering a
complaint each write a chronology event (`complaint_received`, `complaint_acknowledged`,
`complaint_response`) with `complaint` set to `Complaint.engine_id`, and the engine derives
`complaint.acknowledge` and `complaint.response` from them under the pack's numbers. The row keeps
what the engine does not read: the complainant, the words of the complaint and of the answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oversight.complaints.constants import Complainant, Outcome, Status


class Complaint(models.Model):
    child = models.ForeignKey("cases.Child", on_delete=models.CASCADE, related_name="complaints")
    complainant = models.CharField("who complained", max_length=100)
    complainant_is = models.CharField(max_length=20, choices=Complainant.choices)
    # The conference complained about (Camden: the chair is the first point of contact for
    # complaints about the conduct of a conference and its decisions), when there is one.
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    # Whom it was addressed to first: the conference's chair, else the child's IRO.
    chair = models.ForeignKey(
        "cases.StaffMember", null=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    received_on = models.DateField()
    summary = models.TextField()
    acknowledged_on = models.DateField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    response = models.TextField(blank=True)
    # The concern the chair raised from it (Manchester: a child's complaint is a reason to escalate).
    concern = models.ForeignKey(
        "escalations.Concern",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["child", "received_on"])]
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Complaint {self.pk} about child {self.child_id}, received {self.received_on}"

    @property
    def engine_id(self) -> str:
        """The `complaint` value of this complaint's chronology events."""
        return f"complaint-{self.pk}"

    @property
    def status(self) -> Status:
        if self.answered_on is not None:
            return Status.ANSWERED
        if self.acknowledged_on is not None:
            return Status.ACKNOWLEDGED
        return Status.RECEIVED
