"""Whom a social worker's request for a consultation goes to: the pack's `consultation_route`,
the first of its steps that finds someone.

    route_request(child, social_worker, on=...)   the IRO asked and why, or None
    request_day(on)                               the working day a request made on `on` counts from

Steps (their words are the seeds'):

- `earlier_iro`: after a consultation that asked for more information, the IRO who gave it
  (Stockport, seed 001 section 1: "any subsequent requests for consultation should be made to
  the same IRO"): the IRO the request before it was routed to, else the IRO who recorded it;
- `chair`: while the child is on a child protection plan, the child's chair, or whoever covers
  them that day (Camden, seed 000 section 3: "consult with the Chair of the conference and only
  seek advice from another IRO if the chair is unavailable");
- `named_iro`: the named IRO of the requesting social worker's team (Camden: "approach the IRO
  allocated to their team");
- `duty_iro`: the duty IRO of the request's working day on the rota (Stockport: "contact should
  be made with the duty IRO at the Safeguarding Children Unit").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oversight.cases.access import duty_iro_on
from oversight.cases.allocations import current_iro
from oversight.cases.chronology import period_on, periods
from oversight.cases.constants import EventType, Role
from oversight.cases.holders import chair_now
from oversight.cases.models import Child, Event, StaffMember
from oversight.cases.obligations import active_pack
from oversight.policies import load_pack
from oversight.policies.checks import active_policy
from oversight.policies.schema import CONSULTATION_ROUTES
from oversight.timescales.dates import due_date, is_working_day


@dataclass(frozen=True)
class Routed:
    """The IRO a request goes to, and the step of the route that found them."""

    iro: StaffMember
    route: str

    @property
    def why(self) -> str:
        return CONSULTATION_ROUTES[self.route]


def routes() -> list[str]:
    """The active pack's `consultation_route` (empty: it routes no requests)."""
    return list(load_pack(active_policy()).consultation_route)


def request_day(on: dt.date) -> dt.date:
    """The working day a request made on `on` counts from: `on` itself when it is a working day,
    else the next working day (a request on Boxing Day's substitute Monday reaches the service on
    the Tuesday), on the active pack's calendar."""
    policy = active_pack().policy
    return on if is_working_day(on, policy) else due_date("1 working days", on, policy)


def _earlier_iro(child: Child, on: dt.date) -> StaffMember | None:
    """The IRO of the child's last consultation on or before `on` when it asked for more
    information: the IRO its request was routed to, else the IRO who recorded it."""
    last = (
        child.events.filter(type=EventType.CONSULTATION, date__lte=on)
        .order_by("-date", "-id")
        .first()
    )
    if last is None or last.data.get("outcome") != "more_information":
        return None
    asked: Event | None = (
        child.events.filter(type=EventType.CONSULTATION_REQUESTED, date__lte=last.date)
        .order_by("-date", "-id")
        .first()
    )
    owner = str(asked.data.get("owner") or "") if asked is not None else ""
    found = StaffMember.objects.filter(user__username=owner, user__is_active=True).first()
    if found is None and last.recorded_by_id is not None:
        found = StaffMember.objects.filter(
            user_id=last.recorded_by_id, user__is_active=True, role_set__role=Role.IRO
        ).first()
    return found


def _chair(child: Child, on: dt.date) -> StaffMember | None:
    """The child's chair while on a plan on `on` (or whoever covers them that day)."""
    if period_on(periods(child.events.all(), active_pack().policy, on), "plan", on) is None:
        return None
    chair = current_iro(child, on)
    return chair_now(chair, as_of=on) if chair is not None else None


def _named_iro(social_worker: StaffMember) -> StaffMember | None:
    team = social_worker.team
    named = team.named_iro if team is not None else None
    return named if named is not None and named.user.is_active else None


def route_request(child: Child, social_worker: StaffMember, *, on: dt.date) -> Routed | None:
    """The IRO `social_worker`'s request for a consultation about `child` on working day `on`
    goes to, by the active pack's route; None when no step finds anyone (or the pack has no
    route)."""
    for step in routes():
        if step == "earlier_iro":
            iro = _earlier_iro(child, on)
        elif step == "chair":
            iro = _chair(child, on)
        elif step == "named_iro":
            iro = _named_iro(social_worker)
        else:
            iro = duty_iro_on(on)
        if iro is not None:
            return Routed(iro, step)
    return None
