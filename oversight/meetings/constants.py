"""The closed lists of the meetings room: kinds of meeting record and the seeds' choices."""

from django.db import models


class Kind(models.TextChoices):
    """One form per kind. `booking` books a meeting ahead; the others record one held (or a
    decision taken)."""

    BOOKING = "booking", "Meeting booked"
    ICPC = "icpc", "Initial child protection conference"
    RCPC = "rcpc", "Review child protection conference"
    LAC_REVIEW = "lac_review", "Looked-after child review"
    REVIEW_ISSUED = "review_issued", "Review decisions and record issued"
    CORE_GROUP = "core_group", "Core group meeting"
    CP_VISIT = "cp_visit", "Child protection visit"
    STRATEGY = "strategy", "Strategy meeting"
    S47_OUTCOME = "s47_outcome", "Outcome of section 47 enquiries"
    TAC_MEETING = "tac_meeting", "Team around the Child meeting"
    CONSULTATION = "consultation", "Consultation with an IRO"
    THRESHOLD_DECISION = "threshold_decision", "Service leader's threshold decision"
    MIDWAY_REVIEW = "midway_review", "Midway review"
    CHANGE_NOTICE = "change_notice", "Significant change notified to the chair"
    CHANGE_DECISION = "change_decision", "Chair's decision on a significant change"
    SCP_REFERRAL = "scp_referral", "Support and Challenge Panel referral"
    LPM_DECISION = "lpm_decision", "Team manager's decision on a Legal Planning Meeting"
    IRO_DETAILS_SENT = "iro_details_sent", "IRO's details sent to the child"
    IRO_VISIT = "iro_visit", "IRO visit between reviews"
    IRO_HANDOVER = "iro_handover", "Handover to the new IRO"
    PARENT_RESPONSE = "parent_response", "Excluded parent's response to the offer to meet"
    CONTACT = "contact", "Contact with a parent, the child, an advocate or a member of staff"
    PROFESSIONALS_MEETING = "professionals_meeting", "Professionals meeting (minutes to the chair)"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETED = "completed", "Completed"


CATEGORIES = [
    ("neglect", "Neglect"),
    ("physical", "Physical abuse"),
    ("emotional", "Emotional abuse"),
    ("sexual", "Sexual abuse"),
]

# Seed 000 (Camden) 4.3, pan-London 4.1.24, and the issue's additions for looked-after children.
SIGNIFICANT_CHANGES = [
    ("new_incident", "New incident or allegation of abuse sustained"),
    ("plan_difficulties", "Significant difficulties in carrying out the plan"),
    ("baby_due", "A child is to be born into the household"),
    ("risk_joins", "A person posing a risk joins the household or starts regular contact"),
    ("significant_change", "Significant change not anticipated at the last conference"),
    ("return_home", "Return of a looked-after child to where care raised concerns"),
    ("early_end", "Core group proposes ending the plan early"),
    ("remand_sentence", "Charged, YOS referral, remand or sentence"),
    ("sw_change", "Change of allocated social worker"),
    ("exploitation", "Concerns about exploitation or extra-familial harm"),
    ("school_exclusion", "Exclusion from school"),
    ("missing", "Running away or going missing"),
    ("health", "Significant health diagnosis, illness or hospitalisation"),
    ("care_plan_change", "Proposed significant change to the care plan (looked after)"),
    ("placement_change", "Change of placement (looked after)"),
    ("becomes_looked_after", "A child on a plan becomes looked after (consider discharge)"),
]

# The Schedule 7 checklist (Care Planning Regulations 2010; seed 002 section 5.2, IRO Handbook).
SCHEDULE_7 = [
    ("change_of_circumstances", "Change of circumstances since the last review"),
    ("previous_decisions", "Previous decisions: carried out?"),
    ("legal_status", "Legal status"),
    ("permanence", "Permanence plan (from the second review)"),
    ("contact", "Contact arrangements"),
    ("placement_needs", "Does the placement meet the child's needs?"),
    ("education", "Education and the PEP"),
    ("leisure", "Leisure activities"),
    ("health", "Health"),
    ("identity", "Identity"),
    ("advice_support", "Advice, support and assistance"),
    ("leaving_care", "Leaving care"),
    ("wishes_feelings", "The child's wishes and feelings"),
    ("sw_visits", "Social worker visits"),
    ("plans_timely", "Timeliness of plans"),
    ("adoption_realistic", "Adoption still realistic (second review after a placement order)"),
]
# The items a review may leave empty (they apply only from the second review, or to adoption).
SCHEDULE_7_OPTIONAL = {"permanence", "adoption_realistic"}

# What may be attached to a meeting record: office documents, PDFs and images, 10 MB at most.
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
