"""Obligations in plain words, and the category each belongs to, in one place.

Every code of the timescales catalogue (`oversight.timescales.catalogue.CODES`) has a label here
(a test checks it); a code a pack adds without a label here is shown by `label_for` in a
readable form of its code."""

from __future__ import annotations

from collections.abc import Mapping

from oversight.cases.constants import ObligationCategory as Category

# code -> (what is due, in plain words; the category it is filtered under)
OBLIGATIONS: dict[str, tuple[str, str]] = {
    "cp.icpc": ("Initial child protection conference due", Category.CP),
    "cp.core_group.first": ("First core group meeting due", Category.CP),
    "cp.rcpc.first": ("First review conference due", Category.CP),
    "cp.rcpc.next": ("Review conference due", Category.CP),
    "cp.visit": ("Child protection visit due", Category.CP),
    "cp.child_discussion.record": ("Discussion with the child to be recorded", Category.CP),
    "cp.conference.reports": ("Conference reports due to the chair", Category.CP),
    "lac.iro.allocate": ("IRO to be allocated", Category.LAC),
    "lac.review.first": ("First looked-after review due", Category.LAC),
    "lac.review.second": ("Second looked-after review due", Category.LAC),
    "lac.review.next": ("Looked-after review due", Category.LAC),
    "lac.review.decisions": ("Review decisions to be issued", Category.LAC),
    "lac.review.record": ("Review record to be issued", Category.LAC),
    "lac.review.sw_consultation": ("Consult the social worker before the review", Category.LAC),
    "lac.review.documents": ("Review documents due to the IRO", Category.LAC),
    "lac.adoption.review": ("Review after the placement order due", Category.LAC),
    "lac.sw_visit": ("Social worker's visit to the looked-after child due", Category.LAC),
    # codes a pack adds (walsall)
    "lac.iro.details": ("IRO's details to be sent to the child", Category.LAC),
    "lac.iro.handover": ("New IRO to be introduced to the child", Category.LAC),
    "lac.review.child_seen": ("Speak to the child in private before the review", Category.LAC),
    "booked.icpc": ("Booked initial conference", Category.BOOKING),
    "booked.rcpc": ("Booked review conference", Category.BOOKING),
    "booked.core_group": ("Booked core group meeting", Category.BOOKING),
    "booked.midway_review": ("Booked midway review", Category.BOOKING),
    "booked.lac_review": ("Booked looked-after review", Category.BOOKING),
    "booked.tac_meeting": ("Booked Team around the Child meeting", Category.BOOKING),
    "action.due": ("Action due", Category.ACTION),
    "consult.request": (
        "Consultation requested: discuss it with the social worker",
        Category.CONSULTATION,
    ),
    "consult.tac": ("Team around the Child meeting after consultation due", Category.CONSULTATION),
    "consult.threshold": ("Service leader's decision on the threshold due", Category.CONSULTATION),
    "esc.informal.response": ("Response to the concern due", Category.ESCALATION),
    "esc.informal.final": ("Final response before formal notice due", Category.ESCALATION),
    "esc.stage.response": ("Response to the notice of concern due", Category.ESCALATION),
    "esc.total": ("Formal dispute resolution to be concluded", Category.ESCALATION),
    "esc.action_plan": ("Action plan after the notice of concern due", Category.ESCALATION),
    "complaint.acknowledge": ("Complaint to be acknowledged", Category.COMPLAINT),
    "complaint.response": ("Response to the complaint due", Category.COMPLAINT),
}

# The type filter of My caseload: bookings sit with the plan or episode they belong to.
TYPE_FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "cp": ("Child protection", (Category.CP,)),
    "lac": ("Looked after", (Category.LAC,)),
    "consultation": ("Consultation", (Category.CONSULTATION,)),
    "escalation": ("Escalation", (Category.ESCALATION,)),
    "action": ("Action", (Category.ACTION,)),
    "booking": ("Booked meeting", (Category.BOOKING,)),
    "complaint": ("Complaint", (Category.COMPLAINT,)),
}


def label_for(code: str) -> str:
    """The obligation `code` in plain words."""
    found = OBLIGATIONS.get(code)
    if found is not None:
        return found[0]
    return code.replace(".", " ").replace("_", " ").capitalize()


# Codes whose trigger may come from either family: the trigger's `meeting` names the family
# (a looked-after review's private conversation with the child, seed 002 section 5.2, is
# recorded in the same 5 working days as a conference chair's discussion, section 2).
BY_MEETING: dict[str, dict[str, str]] = {
    "cp.child_discussion.record": {"lac_review": Category.LAC},
}


def category_for(code: str, trigger: Mapping[str, object] | None = None) -> str:
    """The category of obligation `code` (a pack's own code: by its prefix), or the family of the
    meeting that triggered it (`trigger["meeting"]`) for a code both families share."""
    meeting = (trigger or {}).get("meeting")
    shared = BY_MEETING.get(code, {})
    if isinstance(meeting, str) and meeting in shared:
        return str(shared[meeting])
    found = OBLIGATIONS.get(code)
    if found is not None:
        return str(found[1])
    prefix = code.split(".", 1)[0]
    return {
        "cp": Category.CP,
        "lac": Category.LAC,
        "consult": Category.CONSULTATION,
        "esc": Category.ESCALATION,
        "action": Category.ACTION,
        "booked": Category.BOOKING,
        "complaint": Category.COMPLAINT,
    }.get(prefix, Category.ACTION)
