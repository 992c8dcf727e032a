"""The closed lists of the cases room: neutral role names and the chronology's event types.

Councils' own names for roles are labels in their policy packs; the code uses these."""

from django.db import models


class Role(models.TextChoices):
    IRO = "iro", "IRO / conference chair"
    DUTY_IRO = "duty_iro", "Duty IRO"
    # Manchester's Foster Care (Corporate) IRO: reviews foster carer households, holds no child.
    CORPORATE_IRO = "corporate_iro", "Corporate IRO"
    IRO_TEAM_MANAGER = "iro_team_manager", "IRO team manager"
    SAFEGUARDING_SERVICE_MANAGER = "safeguarding_service_manager", "Safeguarding service manager"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    ASSISTANT_DIRECTOR = "assistant_director", "Assistant director"
    DIRECTOR = "director", "Director of children's services"
    ADMINISTRATOR = "administrator", "Administrator"
    AUDITOR = "auditor", "Read-only auditor"


class RetentionDecision(models.TextChoices):
    """What a retention review decides (`oversight.cases.retention`): the records kept until the
    next review, or marked for the council's records manager to dispose of (never by Oversight
    itself)."""

    KEEP = "keep", "Keep the records until the next review"
    DISPOSE = "dispose", "Mark the records for disposal by the records manager"


class TeamKind(models.TextChoices):
    IRO = "iro", "IRO service"
    SOCIAL_WORK = "social_work", "Social work team"
    MANAGEMENT = "management", "Management"


class ObligationCategory(models.TextChoices):
    """What an obligation is filed under on a caseload (`Obligation.Category`); here, not on the
    model, so that the labels of `oversight.cases.labels` need no model."""

    CP = "cp", "Child protection"
    LAC = "lac", "Looked after"
    CONSULTATION = "consultation", "Consultation"
    ESCALATION = "escalation", "Escalation"
    ACTION = "action", "Action"
    BOOKING = "booking", "Booking"
    COMPLAINT = "complaint", "Complaint"


class EventType(models.TextChoices):
    """Every event type of the timescales contract (docs/spec/timescales.md)."""

    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    ICPC_NOT_REQUIRED = "icpc_not_required", "ICPC not required"
    ICPC = "icpc", "Initial child protection conference"
    RCPC = "rcpc", "Review child protection conference"
    CORE_GROUP = "core_group", "Core group meeting"
    CP_VISIT = "cp_visit", "Child protection visit"
    MIDWAY_REVIEW = "midway_review", "Midway review"
    CHAIR_CHILD_DISCUSSION = "chair_child_discussion", "Chair spoke with the child"
    CHILD_DISCUSSION_RECORDED = "child_discussion_recorded", "Discussion with the child recorded"
    CONFERENCE_REPORTS_RECEIVED = "conference_reports_received", "Conference reports received"
    LAC_START = "lac_start", "Became looked after"
    LAC_END = "lac_end", "Ceased to be looked after"
    IRO_ALLOCATED = "iro_allocated", "IRO allocated"
    SW_CONSULTED = "sw_consulted", "Social worker consulted before review"
    REVIEW_DOCUMENTS_RECEIVED = "review_documents_received", "Review documents received"
    LAC_REVIEW = "lac_review", "Looked-after child review"
    REVIEW_DECISIONS_ISSUED = "review_decisions_issued", "Review decisions issued"
    REVIEW_RECORD_ISSUED = "review_record_issued", "Review record issued"
    PLACEMENT_ORDER = "placement_order", "Placement order made"
    PLACED_FOR_ADOPTION = "placed_for_adoption", "Placed for adoption"
    MEETING_BOOKED = "meeting_booked", "Meeting booked"
    ACTION_SET = "action_set", "Action set"
    ACTION_DONE = "action_done", "Action done"
    CONSULTATION_REQUESTED = "consultation_requested", "IRO consultation requested"
    CONSULTATION = "consultation", "IRO consultation"
    TAC_MEETING = "tac_meeting", "Team around the child meeting"
    SERVICE_LEADER_DECISION = "service_leader_decision", "Service leader's decision"
    CONCERN_RAISED = "concern_raised", "Concern raised (informal)"
    CONCERN_RESPONSE = "concern_response", "Response to concern"
    CONCERN_WARNING = "concern_warning", "Warning of formal notification"
    CONCERN_RESOLVED = "concern_resolved", "Concern resolved"
    ESCALATION_NOTICE = "escalation_notice", "Escalation notice"
    ESCALATION_EXTENDED = "escalation_extended", "Escalation deadline extended"
    ESCALATION_RESPONSE = "escalation_response", "Escalation response"
    CAFCASS_REFERRAL = "cafcass_referral", "Referral to Cafcass"
    LEGAL_ADVICE_SOUGHT = "legal_advice_sought", "Independent legal advice sought"
    IRO_DETAILS_SENT = "iro_details_sent", "IRO's details sent to the child"
    IRO_HANDOVER = "iro_handover", "New IRO introduced to the child"
    PLACEMENT_START = "placement_start", "Placement began"
    PLACEMENT_CHANGE = "placement_change", "Placement changed"
    PLACEMENT_END = "placement_end", "Placement ended"
    LAC_VISIT = "lac_visit", "Social worker's visit to the looked-after child"
    COMPLAINT_RECEIVED = "complaint_received", "Complaint received"
    COMPLAINT_ACKNOWLEDGED = "complaint_acknowledged", "Complaint acknowledged"
    COMPLAINT_RESPONSE = "complaint_response", "Response to the complaint"
    LEGAL_STATUS = "legal_status", "Legal status"
    PROCEEDINGS_START = "proceedings_start", "Care proceedings began"
    PROCEEDINGS_END = "proceedings_end", "Care proceedings ended"
    GUARDIAN_APPOINTED = "guardian_appointed", "Children's guardian appointed"
    GUARDIAN_LIAISON = "guardian_liaison", "IRO's liaison with the children's guardian"
    LEGAL_PAPERS_SEEN = "legal_papers_seen", "IRO had sight of legal papers"
    CARE_PLAN_VISITS = "care_plan_visits", "Care plan set how often the social worker visits"
    VISIT_REQUESTED = "visit_requested", "Child asked for a visit from their social worker"
    COURT_APPLICATION = "court_application", "Application to the court for an order"


class PlacementType(models.TextChoices):
    """The kinds of placement a looked-after child is recorded in (the engine reads only
    `with_parents`: weekly visits until the first review, reg 28(3))."""

    FOSTER = "foster", "Foster care"
    CONNECTED_PERSON = "connected_person", "Foster care with a relative, friend or connected person"
    RESIDENTIAL = "residential", "Children's home"
    SUPPORTED = "supported", "Supported accommodation"
    SECURE = "secure", "Secure accommodation"
    WITH_PARENTS = "with_parents", "Placed with parents"
    OTHER = "other", "Other"


class PlacementProvider(models.TextChoices):
    """Who provides a placement, as the SSDA903 return codes it (its `PLACE_PROVIDER`; the 903
    guidance asks none of a temporary or other placement, T0-T4 and Z1). The carer, home or
    agency by name is the placement's `provider`; the 903 holds no name."""

    PR0 = "PR0", "Parents or others with parental responsibility"
    PR1 = "PR1", "The council's own provision"
    PR2 = "PR2", "Another council's provision"
    PR3 = "PR3", "Other public provision"
    PR4 = "PR4", "Private provision"
    PR5 = "PR5", "Voluntary or third sector provision"


class LegalStatus(models.TextChoices):
    """The legal statuses of the SSDA903 guidance (its `LS` codes): under which order or
    power a looked-after child is looked after."""

    C1 = "C1", "C1: Interim care order"
    C2 = "C2", "C2: Full care order"
    D1 = "D1", "D1: Freeing order granted"
    E1 = "E1", "E1: Placement order granted"
    J1 = "J1", "J1: Remanded to local authority or youth detention accommodation"
    J2 = "J2", "J2: Placed in local authority accommodation under PACE"
    J3 = "J3", "J3: Youth rehabilitation order with a residence or fostering requirement"
    L1 = "L1", "L1: Under police protection and in local authority accommodation"
    L2 = "L2", "L2: Emergency protection order"
    L3 = "L3", "L3: Child assessment order and in local authority accommodation"
    V2 = "V2", "V2: Accommodated under section 20 (single period)"
    V3 = "V3", "V3: Short breaks under section 20 (individual episodes recorded)"
    V4 = "V4", "V4: Short breaks under section 20 (agreements recorded)"


class ProceedingsOutcome(models.TextChoices):
    """How care proceedings ended."""

    CARE_ORDER = "care_order", "Care order"
    SUPERVISION_ORDER = "supervision_order", "Supervision order"
    SGO = "special_guardianship_order", "Special guardianship order"
    CHILD_ARRANGEMENTS_ORDER = "child_arrangements_order", "Child arrangements order"
    CARE_AND_PLACEMENT_ORDER = "care_and_placement_order", "Care order and placement order"
    NO_ORDER = "no_order", "No order"
    WITHDRAWN = "withdrawn", "Application withdrawn"


class LiaisonWay(models.TextChoices):
    """How the IRO and the children's guardian were in touch."""

    MEETING = "meeting", "Met in person"
    PHONE = "phone", "By phone"
    VIDEO = "video", "By video call"
    EMAIL = "email", "By email"
    LETTER = "letter", "By letter"


class CourtApplicant(models.TextChoices):
    """Who applied to the court for an order under the Children Act 1989 (Manchester, seed 003:
    "either by the child or by an appropriate adult")."""

    CHILD = "child", "The child"
    APPROPRIATE_ADULT = "appropriate_adult", "An appropriate adult for the child"


class CourtOrder(models.TextChoices):
    """The orders under the Children Act 1989 a child (or an adult for them) may ask the court
    for: section 8's three, contact with a child in care (section 34), discharge of a care order
    (section 39), special guardianship (section 14A). The codes care proceedings' outcomes share
    have their labels."""

    CHILD_ARRANGEMENTS = "child_arrangements_order", "Child arrangements order"
    SPECIFIC_ISSUE = "specific_issue_order", "Specific issue order"
    PROHIBITED_STEPS = "prohibited_steps_order", "Prohibited steps order"
    CONTACT_IN_CARE = "contact_in_care", "Contact with the child in care"
    DISCHARGE_CARE_ORDER = "discharge_care_order", "Discharge of the care order"
    SPECIAL_GUARDIANSHIP = "special_guardianship_order", "Special guardianship order"
    OTHER = "other_order", "Another order"


class LegalPaper(models.TextChoices):
    """The local authority's papers filed in care proceedings that the IRO may have sight of
    (Walsall, seed 002, 5.2: "all legal papers being submitted in care proceedings")."""

    APPLICATION = "application", "Application (C110A)"
    SWET = "swet", "Social work evidence template (SWET)"
    CARE_PLAN = "care_plan", "Interim or final care plan"
    THRESHOLD = "threshold", "Threshold document"
    ASSESSMENT = "assessment", "Parenting or viability assessment"
    EXPERT_REPORT = "expert_report", "Expert report"
    POSITION_STATEMENT = "position_statement", "Position statement"
    FINAL_EVIDENCE = "final_evidence", "Final evidence"
