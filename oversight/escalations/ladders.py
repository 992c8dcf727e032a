"""The active pack's escalation ladders: which stage, the next stage, what a ladder allows, and
when its times fall due.

    pack() / default_ladder() / ladder_of(name) / stage_of(ladder, number) / next_stage(...)
    statuses(child, on=...)           "cp" (on a plan) and "lac" (looked after) on a day
    ladders_for(child, on=...)        the ladders that apply to the child that day, the default
                                      first (what the raise form offers and the action accepts)
    role_label(role) / stage_label(concern, number) / records_for(concern)
    meeting_attendees(stage)          who the pack says meets at a stage
    skip_allowed(ladder, from_stage, to_stage, agreed_by=..., reason=...)
    due_on(rule, day, at)             a ladder's time ("5 working days") from an event

`Refused` is the refusal of every escalation action (re-exported by `actions`): a ladder that
lacks what was asked is the first thing to refuse."""

from __future__ import annotations

import datetime as dt
from functools import cache

from oversight.cases import formatting
from oversight.cases.chronology import period_on, periods
from oversight.cases.constants import Role
from oversight.cases.models import Child, StaffMember
from oversight.escalations.models import Concern
from oversight.policies import load_pack, resolve_policy
from oversight.policies.checks import active_policy
from oversight.policies.schema import Ladder, Pack, Stage
from oversight.timescales.dates import due


class Refused(Exception):
    """An action the ladder or the person's role does not allow. `field` names the input at
    fault ("stage", "agreed_by", ...; "__all__" for none); `forbidden` marks a refusal about who
    is acting rather than what was asked."""

    def __init__(self, message: str, *, field: str = "__all__", forbidden: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.forbidden = forbidden


@cache
def _pack(name: str) -> Pack:
    return load_pack(name)


def pack() -> Pack:
    """The active policy pack (validated, cached per name)."""
    return _pack(active_policy())


def default_ladder() -> str:
    p = pack()
    return p.default_ladder or next(iter(p.ladders))


STATUS_WORDS = {"cp": "on a child protection plan", "lac": "looked after"}


def statuses(child: Child, *, on: dt.date) -> set[str]:
    """What the child is on `on`, in the words of a ladder's `applies_to`: "cp" while a child
    protection plan is open, "lac" while an episode of care is open (both, or neither)."""
    found = periods(child.events.all(), resolve_policy(active_policy()), on)
    kinds = {"cp": "plan", "lac": "episode"}
    return {word for word, kind in kinds.items() if period_on(found, kind, on) is not None}


def ladders_for(child: Child, *, on: dt.date) -> list[str]:
    """The names of the active pack's ladders that apply to `child` on `on` (the day the concern
    is raised): those whose `applies_to` names what the child is that day (`statuses`). The
    first is the one to choose: the pack's default ladder where it applies (for a child both on a
    plan and looked after, the pack's `default_ladder` says which), else the first that applies
    in the pack's order; the chair may choose any of the others. A child neither on a plan nor
    looked after (a child in need) may go on any ladder, the default first."""
    p = pack()
    first = default_ladder()
    status = statuses(child, on=on)
    names = [n for n, ladder in p.ladders.items() if status & set(ladder.applies_to)]
    if not names:
        names = list(p.ladders)
    return sorted(names, key=lambda n: n != first)


def require_ladder_for(child: Child, name: str, *, on: dt.date) -> Ladder:
    """Ladder `name`, when it applies to `child` on `on` (`ladders_for`); otherwise Refused on
    the field `ladder`, naming what the child is and the ladders that apply."""
    ladder = ladder_of(name)
    allowed = ladders_for(child, on=on)
    if name not in allowed:
        status = statuses(child, on=on)
        what = " and ".join(STATUS_WORDS[s] for s in sorted(status))
        names = " or ".join(f"'{ladder_of(n).label}'" for n in allowed)
        raise Refused(
            f"The ladder '{ladder.label}' is not for this child, who is {what} on "
            f"{formatting.short_day(on)}: use {names}",
            field="ladder",
        )
    return ladder


def ladder_of(name: str) -> Ladder:
    ladders = pack().ladders
    if name not in ladders:
        known = ", ".join(ladders) or "none"
        raise Refused(
            f"This council has no ladder called {name!r} (ladders: {known})", field="ladder"
        )
    return ladders[name]


def stage_of(ladder: Ladder, number: int) -> Stage:
    for stage in ladder.stages:
        if stage.number == number:
            return stage
    last = ladder.stages[-1].number
    raise Refused(
        f"The ladder '{ladder.label}' has no stage {number}: its stages are 1 to {last}",
        field="stage",
    )


def next_stage(ladder: Ladder, number: int) -> Stage | None:
    """The stage after stage `number` (0: the informal stage), or None after the last."""
    return next((s for s in ladder.stages if s.number == number + 1), None)


def role_label(role: str) -> str:
    return pack().roles.get(role) or Role(role).label


def records_for(concern: Concern) -> dict[str, str]:
    """The council's names for the records of `concern` (the pack's `records.*`), as the
    messages and the escalation pages call them:

    - "informal": where the informal stage is recorded (its ladder's `informal.record`, else
      `records.informal`; a partner agency's dispute: `records.dispute_episode`, Manchester's
      "MiCare Dispute Resolution episode");
    - "notice": what a formal notice is called (`records.notice`: Camden's "Notice of Concern
      (MOSAIC alert)", Manchester's "Recommendation / starred recommendation");
    - "formal": the record of the formal process, the kind the ladder's `record` names (Camden's
      child protection ladder: `alert_form`, the "CP Alert form"), else `records.formal`;
    - "case_system": the council's case recording system (`records.case_system`), or ""."""
    records = pack().records
    ladder = ladder_of(concern.ladder)
    informal = ladder.informal.record or records.get("informal") or ladder.informal.name
    if concern.is_partner_dispute:
        informal = records.get("dispute_episode") or informal
    formal = records.get("formal") or ladder.label
    if ladder.record is not None:
        formal = records.get(ladder.record) or formal
    return {
        "informal": informal,
        "notice": records.get("notice") or "Notice of concern",
        "formal": formal,
        "case_system": records.get("case_system") or "",
    }


def meeting_attendees(stage: Stage) -> list[str]:
    """Who the pack says meets at `stage` (its meeting's `attendees`, by the council's role
    names, then its `others`: Walsall's stage 3, the Head of Safeguarding with the Manager and
    social worker; Manchester's stage 4, the Strategic Lead); empty without a meeting."""
    if stage.meeting is None:
        return []
    return [role_label(r) for r in stage.meeting.attendees] + list(stage.meeting.others)


def stage_label(concern: Concern, number: int | None = None) -> str:
    ladder = ladder_of(concern.ladder)
    number = concern.stage if number is None else number
    if number == 0:
        return ladder.informal.name
    return stage_of(ladder, number).label


def skip_allowed(
    ladder: Ladder,
    from_stage: int,
    to_stage: int,
    *,
    agreed_by: StaffMember | None,
    reason: str,
) -> str:
    """For a notice at `to_stage` of a concern at `from_stage` that skips stages: the rule that
    allows it (and whose agreement), or Refused. Returns the kind of skip ("enter" from the informal stage, "bypass" between formal
    stages) or "" when the notice is the next stage."""
    if to_stage <= from_stage + 1:
        return ""
    kind = "enter" if from_stage == 0 else "bypass"
    permission = ladder.enter_any_stage if kind == "enter" else ladder.bypass
    if kind == "enter" and permission is None:
        permission = ladder.bypass  # a ladder that allows bypass lets the chair enter higher too
    if permission is None or not permission.allowed:
        words = "enter the formal process above stage 1" if kind == "enter" else "bypass a stage"
        why = f" ({permission.when})" if permission is not None and permission.when else ""
        raise Refused(
            f"The ladder '{ladder.label}' does not let the chair {words}: issue stage "
            f"{from_stage + 1} next{why}",
            field="stage",
        )
    if not reason.strip():
        raise Refused("Give the reason for going straight to this stage", field="bypass_reason")
    if permission.agreement and (
        agreed_by is None or not agreed_by.roles & set(permission.agreement)
    ):
        names = " or ".join(role_label(r) for r in permission.agreement)
        raise Refused(
            f"Going straight to this stage needs the agreement of the {names}",
            field="agreed_by",
        )
    return kind


def record_on_file_by(ladder: Ladder, day: dt.date, at: dt.time | None = None) -> dt.date | None:
    """The day the IRO's record of a step of the formal process (a notice, or the resolution of a
    concern that reached a formal stage), taken on `day` at `at`, is due on the child's file:
    the ladder's `recording.within` (Walsall, seed 002 section 6: "The use of Formal Resolution at
    all Stages, and the outcome will be recorded by the IRO on the child's individual case file
    within 5 working days"), counted as `due_on` counts; None under a ladder without it."""
    if ladder.recording is None:
        return None
    return due_on(ladder.recording.within, day, at)


def due_on(rule: str, day: dt.date, at: dt.time | None = None) -> dt.date:
    """The day a ladder's time (`rule`: "5 working days", "14 days", "3 months", "24 hours")
    falls due from an event of `day` at `at`, on the active pack's calendar, exactly as the
    engine counts it (`oversight.timescales.dates.due`): working days after `day`, which itself
    never counts; an hours rule from the event's clock time (an event without one is read as
    00:00, as the engine reads it), so "12 hours" from 15:00 on a Monday falls on the Tuesday."""
    start = dt.datetime.combine(day, at or dt.time(0))
    found = due(rule, start, resolve_policy(active_policy()))
    return found.date() if isinstance(found, dt.datetime) else found
