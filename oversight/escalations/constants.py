"""The closed lists of the escalations room.

Themes are not here: they are a council-configurable table (`Theme`), seeded by a migration with
issue 8's initial list (`INITIAL_THEMES`)."""

from django.db import models

# The obligations that wait for an answer to a concern (reminded, and the chair's to act on once
# overdue).
RESPONSE_CODES = ("esc.informal.response", "esc.informal.final", "esc.stage.response")


class Kind(models.TextChoices):
    CONCERN = "concern", "Concern"
    GOOD_PRACTICE = "good_practice", "Good practice noted"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    NOTED = "noted", "Good practice noted"


class StepKind(models.TextChoices):
    """What a line of a concern's history records (each maps to one chronology event type)."""

    RAISED = "raised", "Concern raised"
    RESPONSE = "response", "Response"
    WARNING = "warning", "Warning of formal notification"
    NOTICE = "notice", "Notice issued"
    EXTENDED = "extended", "Deadline extended"
    RESOLVED = "resolved", "Resolved"
    CAFCASS = "cafcass", "Referral to Cafcass"
    LEGAL_ADVICE = "legal_advice", "Independent legal advice sought"
    MEETING = "meeting", "Challenge meeting outcome"
    STAGE_MEETING = "stage_meeting", "Stage meeting held"


# The taxonomy issue 8 starts with: (code, label). Councils add, rename and retire themes in the
# admin (Theme.active); codes stay stable for reporting.
INITIAL_THEMES: tuple[tuple[str, str], ...] = (
    ("assessment", "Assessment quality or late"),
    ("conference_report", "Report not available for conference"),
    ("visits", "Visits not done"),
    ("core_group", "Core group not held"),
    ("plan_not_updated", "Plan not updated"),
    ("drift_delay", "Drift and delay"),
    ("change_of_worker", "Frequent change of worker"),
    ("recording", "Recording"),
    ("placement", "Placement"),
    ("education_pep", "Education / PEP"),
    ("health", "Health"),
    ("contact", "Contact"),
    ("permanence", "Permanence planning"),
    ("legal_status", "Legal status"),
    ("care_leaver", "Care leaver planning"),
    ("partner_agency", "Partner agency"),
    ("childs_complaint", "Child's complaint"),
)

# Roles that act as the chair on a concern (raise, warn, resolve, extend): the IRO or conference
# chair, and the IRO service's managers who supervise them.
CHAIR_ROLES = frozenset({"iro", "duty_iro", "iro_team_manager", "safeguarding_service_manager"})
