"""Reading a chronology: each event checked against the contract's vocabulary, or one clear error.

An error names the event by its index counted from 0 and the field (`events[3].date: …`)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from oversight.timescales.rules import Duration, RuleError, parse_rule

MEETINGS = frozenset({"icpc", "rcpc", "core_group", "midway_review", "lac_review", "tac_meeting"})

OUTCOMES: dict[str, frozenset[str]] = {
    "icpc": frozenset({"plan", "no_plan"}),
    "rcpc": frozenset({"continue", "end"}),
    "midway_review": frozenset({"held", "not_needed"}),
    "consultation": frozenset({"icpc", "tac", "more_information", "disagree_threshold", "advice"}),
}

EVENT_TYPES = frozenset(
    {
        "strategy_discussion", "icpc_not_required", "icpc", "rcpc", "core_group", "cp_visit",
        "midway_review", "chair_child_discussion", "child_discussion_recorded",
        "conference_reports_received", "lac_start", "lac_end", "iro_allocated", "sw_consulted",
        "review_documents_received", "lac_review", "review_decisions_issued",
        "review_record_issued", "placement_order", "placed_for_adoption", "meeting_booked",
        "action_set", "action_done", "consultation", "tac_meeting", "service_leader_decision",
        "concern_raised", "concern_response", "concern_warning", "concern_resolved",
        "escalation_notice", "escalation_extended", "escalation_response", "cafcass_referral",
        "legal_advice_sought", "consultation_requested", "iro_details_sent", "iro_handover",
        "placement_start", "placement_change", "placement_end", "lac_visit",
        "complaint_received", "complaint_acknowledged", "complaint_response",
        "legal_status", "proceedings_start", "proceedings_end", "guardian_appointed",
        "guardian_liaison", "legal_papers_seen", "care_plan_visits", "visit_requested",
        "court_application",
    }
)  # fmt: skip
# Care proceedings' events and their text details: recorded, read by no rule of the catalogue.
PROCEEDINGS_TEXT = {
    "legal_status": ("legal_status",),
    "proceedings_start": ("court", "case_number"),
    "proceedings_end": ("outcome",),
    "guardian_appointed": ("guardian",),
    "guardian_liaison": ("how", "notes"),
    "legal_papers_seen": ("notes",),
}
# A child's own application to the court for an order under the Children Act 1989 (or one an
# appropriate adult makes for them): who applied and the order sought, each one of these.
APPLICANTS = frozenset({"child", "appropriate_adult"})
ORDERS = frozenset(
    {
        "child_arrangements_order", "specific_issue_order", "prohibited_steps_order",
        "contact_in_care", "discharge_care_order", "special_guardianship_order", "other_order",
    }
)  # fmt: skip
# The events that begin a placement (a change is the move to a new one).
PLACEMENTS = frozenset({"placement_start", "placement_change"})
AREAS = frozenset({"in", "out"})

CONCERN_TYPES = frozenset(
    {
        "concern_raised", "concern_response", "concern_warning", "concern_resolved",
        "escalation_notice", "escalation_extended", "escalation_response", "cafcass_referral",
        "legal_advice_sought",
    }
)  # fmt: skip
STAGED = frozenset({"escalation_notice", "escalation_extended", "escalation_response"})

# Same-day order: a meeting that may end a plan or episode, then the end, then what opens a new
# one, then everything else (which belongs to whatever is open at the end of the day).
_RANK = {
    "rcpc": 0,
    "lac_review": 0,
    "lac_end": 1,
    "placement_end": 1,
    "icpc": 2,
    "lac_start": 2,
    "placement_start": 2,
    "placement_change": 2,
}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_date_cache: dict[str, int] = {}


class InputError(ValueError):
    """Bad input: the message names where (`events[3].date`) and why."""


def parse_date(value: Any, where: str) -> int:
    """A `YYYY-MM-DD` string that is a real date, as a day ordinal."""
    if isinstance(value, str):
        cached = _date_cache.get(value)
        if cached is not None:
            return cached
        if _DATE.fullmatch(value):
            try:
                ordinal = date.fromisoformat(value).toordinal()
            except ValueError:
                pass
            else:
                if len(_date_cache) < 200_000:
                    _date_cache[value] = ordinal
                return ordinal
    if value is None:
        raise InputError(f"{where}: missing (a date as YYYY-MM-DD)")
    raise InputError(f"{where}: {value!r} is not a real date (use YYYY-MM-DD)")


class Event:
    """One event of the chronology, read: day ordinal, minute of the day, its plan and episode."""

    __slots__ = (
        "concern",
        "day",
        "episode",
        "has_time",
        "index",
        "minute",
        "placement",
        "plan",
        "raw",
        "seq",
        "type",
        "visit_rule",
    )

    def __init__(self, index: int, type_: str, day: int, minute: int, has_time: bool, raw: dict):
        self.index = index
        self.type = type_
        self.day = day
        self.minute = minute
        self.has_time = has_time
        self.raw = raw
        self.plan: int | None = None
        self.episode: int | None = None
        self.placement: int | None = None
        self.seq = 0
        self.concern: object = None
        self.visit_rule: Duration | None = None

    def get(self, field: str) -> Any:
        return self.raw.get(field)

    @property
    def stamp(self) -> int:
        """Minutes since the start of day 1, for the hours rules (no time: 00:00)."""
        return self.day * 1440 + self.minute


def read_event(index: int, raw: Any) -> Event:
    if type(raw) is not dict:
        raise InputError(f"events[{index}]: an event must be a JSON object")
    type_ = raw.get("type")
    if type(type_) is not str or type_ not in EVENT_TYPES:
        if type_ is None:
            raise InputError(f"events[{index}].type: missing")
        raise InputError(f"events[{index}].type: unknown event type {type_!r}")
    text = raw.get("date")
    day = _date_cache.get(text) if type(text) is str else None
    if day is None:
        day = parse_date(text, f"events[{index}].date")
    minute, has_time = 0, False
    if "time" in raw:
        time = raw["time"]
        match = _TIME.fullmatch(time) if isinstance(time, str) else None
        if not match:
            raise InputError(f"events[{index}].time: {time!r} is not a real time (use HH:MM)")
        minute, has_time = int(match[1]) * 60 + int(match[2]), True
    event = Event(index, type_, day, minute, has_time, raw)
    check = _CHECKS.get(type_)
    if check is not None:
        check(event, raw, f"events[{index}]")
    return event


def _check_outcome(event: Event, raw: dict, where: str) -> None:
    allowed = OUTCOMES[event.type]
    outcome = raw.get("outcome")
    if type(outcome) is not str or outcome not in allowed:
        choices = ", ".join(sorted(allowed))
        if outcome is None:
            raise InputError(f"{where}.outcome: missing (one of {choices})")
        raise InputError(f"{where}.outcome: unknown outcome {outcome!r} (one of {choices})")


def _check_conference(event: Event, raw: dict, where: str) -> None:
    _check_outcome(event, raw, where)
    if "visit_interval" in raw:
        try:
            event.visit_rule = parse_rule(raw["visit_interval"])
        except RuleError as exc:
            raise InputError(f"{where}.visit_interval: {exc}") from None
        if event.visit_rule.before:
            raise InputError(f"{where}.visit_interval: a visiting interval counts forward")


def _check_booking(event: Event, raw: dict, where: str) -> None:
    meeting = raw.get("meeting")
    if type(meeting) is not str or meeting not in MEETINGS:
        choices = ", ".join(sorted(MEETINGS))
        if meeting is None:
            raise InputError(f"{where}.meeting: missing (one of {choices})")
        raise InputError(f"{where}.meeting: unknown meeting {meeting!r} (one of {choices})")
    parse_date(raw.get("on"), f"{where}.on")


def _check_action_set(event: Event, raw: dict, where: str) -> None:
    _require_id(raw, "action", where)
    parse_date(raw.get("due"), f"{where}.due")


def _check_action_done(event: Event, raw: dict, where: str) -> None:
    _require_id(raw, "action", where)


def _check_concern(event: Event, raw: dict, where: str) -> None:
    concern = raw.get("concern")
    if concern is not None and not isinstance(concern, str | int):
        raise InputError(f"{where}.concern: must be a string")
    event.concern = concern
    ladder = raw.get("ladder")
    if ladder is not None and not isinstance(ladder, str):
        raise InputError(f"{where}.ladder: must be the name of one of the pack's ladders")
    if event.type in STAGED:
        stage = raw.get("stage")
        if stage is None:
            raise InputError(f"{where}.stage: missing (a stage of the ladder, from 1)")
        if not isinstance(stage, int) or isinstance(stage, bool) or stage < 1:
            raise InputError(f"{where}.stage: {stage!r} is not a stage number (1, 2, 3…)")
    if event.type == "escalation_extended" or (
        event.type == "escalation_notice" and raw.get("respond_by") is not None
    ):
        parse_date(raw.get("respond_by"), f"{where}.respond_by")


def _check_placement(event: Event, raw: dict, where: str) -> None:
    """A placement's details, each optional: `placement_type`, `provider` (text), `distance`
    (miles, a number not below 0), `area` (`in` or `out`), `until_18` (true or false)."""
    for name in ("placement_type", "provider"):
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}.{name}: must be a string")
    distance = raw.get("distance")
    if distance is not None and (
        isinstance(distance, bool) or not isinstance(distance, int | float) or distance < 0
    ):
        raise InputError(f"{where}.distance: {distance!r} is not a distance in miles (0 or more)")
    area = raw.get("area")
    if area is not None and (type(area) is not str or area not in AREAS):
        raise InputError(f"{where}.area: {area!r} is not 'in' or 'out' (of the council's area)")
    until_18 = raw.get("until_18")
    if until_18 is not None and not isinstance(until_18, bool):
        raise InputError(f"{where}.until_18: must be true or false")


def _check_proceedings(event: Event, raw: dict, where: str) -> None:
    """A care proceedings event's details, each optional: text fields are strings
    (`PROCEEDINGS_TEXT`), and the papers seen a list of strings."""
    for name in PROCEEDINGS_TEXT[event.type]:
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}.{name}: must be a string")
    papers = raw.get("papers")
    if papers is not None and (
        not isinstance(papers, list) or not all(isinstance(p, str) for p in papers)
    ):
        raise InputError(f"{where}.papers: must be a list of strings")


def _check_care_plan_visits(event: Event, raw: dict, where: str) -> None:
    """The care plan's visiting frequency: `visit_interval`, a rule counted forward in days,
    working days or months (never hours: reg 28 counts visits in days and months)."""
    if "visit_interval" not in raw:
        raise InputError(f"{where}.visit_interval: missing (a rule, e.g. '28 days')")
    try:
        event.visit_rule = parse_rule(raw["visit_interval"])
    except RuleError as exc:
        raise InputError(f"{where}.visit_interval: {exc}") from None
    if event.visit_rule.before or event.visit_rule.unit == "hours":
        raise InputError(f"{where}.visit_interval: a visiting interval counts forward in days")


def _check_court_application(event: Event, raw: dict, where: str) -> None:
    """Who applied (`applicant`) and the order sought (`order`), each optional and a code."""
    for name, allowed in (("applicant", APPLICANTS), ("order", ORDERS)):
        value = raw.get(name)
        if value is not None and (type(value) is not str or value not in allowed):
            choices = ", ".join(sorted(allowed))
            raise InputError(f"{where}.{name}: unknown {name} {value!r} (one of {choices})")


_CHECKS = {
    "icpc": _check_conference,
    "rcpc": _check_conference,
    "midway_review": _check_outcome,
    "consultation": _check_outcome,
    "meeting_booked": _check_booking,
    "action_set": _check_action_set,
    "action_done": _check_action_done,
    **dict.fromkeys(PLACEMENTS, _check_placement),
    **dict.fromkeys(PROCEEDINGS_TEXT, _check_proceedings),
    "care_plan_visits": _check_care_plan_visits,
    "court_application": _check_court_application,
    **dict.fromkeys(CONCERN_TYPES, _check_concern),
}


def _require_id(raw: dict, field: str, where: str) -> None:
    value = raw.get(field)
    if value is None or value == "" or not isinstance(value, str | int):
        raise InputError(f"{where}.{field}: missing (the action's id)")


def read_events(raws: Any) -> list[Event]:
    """Every event read and put in date order, the same whatever order they came in."""
    if not isinstance(raws, list):
        raise InputError("events: must be a list of events")
    keyed = sorted((_order(e), e.index, e) for e in map(read_event, range(len(raws)), raws))
    events = [e for _, _, e in keyed]
    start = 0
    for end in range(1, len(keyed) + 1):
        if end == len(keyed) or keyed[end][0] != keyed[start][0]:
            if end - start > 1:
                # Same day, same kind: settle the order by content, never by input position.
                events[start:end] = sorted(events[start:end], key=_content)
            start = end
    for seq, event in enumerate(events):
        event.seq = seq
    return events


def _content(event: Event) -> bytes:
    import orjson

    return orjson.dumps(event.raw, option=orjson.OPT_SORT_KEYS)


def _order(event: Event) -> tuple[int, int, str, int]:
    return (event.day, _RANK.get(event.type, 3), event.type, event.minute)
