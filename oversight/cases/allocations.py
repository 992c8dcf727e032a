"""Allocating IROs and conference chairs, the duty IRO rota and cover for an absent IRO.

Actions (atomic, `acting_user` keyword-only, the audit row in the same transaction):
`allocate_iro`, `set_duty_iro`, `give_cover`. Read helpers for the allocation page:
`unallocated_children`, `caseloads`, `allocation_warnings`, `independence_conflict`,
`suggested_iros`.

The seeds' rules checked here:
- the chair of a child's ICPC stays the chair until the plan ends (Camden, seed 000, s. 3);
- siblings share an IRO; a looked-after young person who is a parent of a looked-after child has
  a different IRO from their child (seed 002, s. 5);
- a team's named IRO is suggested first (Camden, seed 000, s. 3 "Allocated IROs");
- an IRO must not be in the management line of the child's social worker (Camden, seed 000,
  s. 2.1: IROs are not connected with the management of cases) -- refused unless overridden
  with a recorded reason;
- caseload guidance per kind of child held: looked-after children against the pack's
  `numbers.caseload` (IRO Handbook: 50 to 70 looked-after children per full-time IRO), children on
  a plan against `numbers.caseload_cp` where the pack has one (no seed sets one today), each
  scaled by the IRO's FTE;
- a child on a plan or looked after has an allocated social worker at all times (Camden, seed
  000, s. 4.1; Working Together's lead social worker): `social_worker_missing` on the child's
  page, `children_without_social_worker` on the caseloads of the child's IRO and of the managers
  of its last social worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from oversight.audit.actions import record_change
from oversight.cache import data_version
from oversight.cases import formatting
from oversight.cases.access import (
    LINE_MANAGER_ROLES,
    children_remembered,
    left_by_line,
    line_of,
    managers_of,
    open_allocations,
    restriction_filter,
)
from oversight.cases.actions import record_event
from oversight.cases.chronology import Period, may_be_open_on, period_on, periods
from oversight.cases.constants import EventType, Role
from oversight.cases.models import (
    Allocation,
    Child,
    Cover,
    DutyRota,
    Event,
    Obligation,
    StaffMember,
)
from oversight.cases.obligations import active_pack
from oversight.cases.state import iro_allocated_since_lac_start, is_looked_after, plan_icpc
from oversight.policies import load_pack
from oversight.policies.checks import active_policy
from oversight.timescales.dates import calendar_for, working_days_between


def social_worker_missing(spans: Iterable[Period], roles: Iterable[str], today: dt.date) -> bool:
    """On a child protection plan or looked after on `today` (`spans`: the child's plans and
    episodes) while none of the open allocations' `roles` is a social worker's: Camden's "an
    allocated social worker at all times" (seed 000, s. 4.1) broken."""
    found = list(spans)
    held = period_on(found, "plan", today) or period_on(found, "episode", today)
    return held is not None and Role.SOCIAL_WORKER not in set(roles)


def children_without_social_worker(staff: StaffMember, today: dt.date) -> list[Child]:
    """The children on a plan or looked after on `today` with no allocated social worker whom
    `staff` is to be told of: as their IRO (or covering their IRO), or as a manager of the last
    social worker allocated to them (the team that lost the worker), restricted records they are
    not named on left out. By last name. Two queries whatever the caseload: the candidates that
    `may_be_open_on` keeps (a closed case's child has no social worker, and is no candidate),
    and all their events, which `periods` then reads. The candidates without `may_be_open_on`
    follow from the allocations alone, so they are remembered under the access version
    (`_without_social_worker`): a service manager's caseload, rebuilt after each event recorded
    for a child of the line, no longer works out again which of its 2,242 children the line
    left (issue 12's benchmark)."""
    key = ("without-social-worker", staff.pk, today, data_version.current(data_version.ACCESS))
    held = children_remembered(key, lambda: _without_social_worker(staff, today), column="pk")
    candidates = (
        Child.objects.filter(held)
        .filter(may_be_open_on(today))
        .order_by("last_name", "first_name", "pk")
        .prefetch_related("events")
    )
    policy = active_pack().policy
    return [
        child
        for child in candidates
        if social_worker_missing(periods(child.events.all(), policy, today), (), today)
    ]


def _without_social_worker(staff: StaffMember, today: dt.date) -> QuerySet[Child, int]:
    """The ids of the children with no open social-worker allocation on `today` whom `staff`
    holds as IRO (or covers their IRO), or whose last social worker was of their line
    (`left_by_line`), less the restricted records they are not named on."""
    covered = Cover.objects.filter(covering=staff, starts__lte=today, ends__gte=today)
    iros = [staff.pk, *covered.values_list("absent_id", flat=True)]
    line = sorted(line_of(staff) - {staff.pk}) if staff.roles & LINE_MANAGER_ROLES else []
    # One set of children (those I am the IRO of, and those my line left), not an OR of two: with
    # the OR the planner read every child of the council for a manager's few (issue 12).
    held = Allocation.objects.filter(
        open_allocations(today), role=Role.IRO, staff_id__in=iros
    ).values("child_id")
    if line:
        held = held.union(left_by_line(line, today))
    open_worker = Allocation.objects.filter(
        open_allocations(today), child=OuterRef("pk"), role=Role.SOCIAL_WORKER
    )
    return (
        Child.objects.filter(pk__in=held)
        .filter(~Exists(open_worker))
        .filter(restriction_filter(staff))
        .values_list("pk", flat=True)
    )


class AllocationRefused(ValueError):
    """The allocation breaks a rule that needs a recorded override, or lacks what it needs."""


def current_iro(child: Child, as_of: dt.date) -> StaffMember | None:
    allocation = (
        child.allocations.filter(open_allocations(as_of), role=Role.IRO)
        .select_related("staff__user")
        .order_by("-starts", "-id")
        .first()
    )
    return allocation.staff if allocation else None


def _iro_on(child: Child, day: dt.date) -> StaffMember | None:
    return current_iro(child, day)


def social_workers(child: Child, as_of: dt.date) -> list[StaffMember]:
    return [
        a.staff
        for a in child.allocations.filter(open_allocations(as_of), role=Role.SOCIAL_WORKER)
        .select_related("staff__user", "staff__team__named_iro__user")
        .order_by("-starts")
    ]


# ---------------------------------------------------------------- the rules


def independence_conflict(child: Child, iro: StaffMember, as_of: dt.date) -> StaffMember | None:
    """The child's social worker whose management line `iro` is in (or who is `iro`), else None.
    Camden, seed 000, s. 2.1: IROs are not connected with the management of individual cases."""
    for worker in social_workers(child, as_of):
        if worker.pk == iro.pk or iro.pk in managers_of(worker):
            return worker
    return None


def allocation_warnings(child: Child, iro: StaffMember, as_of: dt.date) -> list[str]:
    """What the IRO team manager should weigh before giving `child` to `iro` (not refusals)."""
    warnings: list[str] = []
    icpc = plan_icpc(child)
    if icpc is not None:
        chair = _iro_on(child, icpc.date)
        if chair is not None and chair.pk != iro.pk:
            warnings.append(
                f"{chair} chaired the initial child protection conference on "
                f"{formatting.short_day(icpc.date)} and stays the chair until the plan ends."
            )
    if child.sibling_group_id is not None:
        siblings = (
            Child.objects.filter(sibling_group_id=child.sibling_group_id)
            .exclude(pk=child.pk)
            .order_by("reference")
        )
        for sibling in siblings:
            theirs = current_iro(sibling, as_of)
            if theirs is not None and theirs.pk != iro.pk:
                warnings.append(
                    f"Siblings should share an IRO: {sibling.full_name} ({sibling.reference}) "
                    f"has {theirs}."
                )
    family = []
    if child.parent_id is not None:
        family.append(("parent", child.parent))
    family += [("child", c) for c in child.offspring.order_by("reference")]
    for relation, relative in family:
        assert relative is not None
        if current_iro(relative, as_of) == iro:
            warnings.append(
                f"{iro} is the IRO of this young person's {relation} {relative.full_name} "
                f"({relative.reference}): a looked-after parent and their looked-after child "
                "should have different IROs."
            )
    named = named_iros(child, as_of)
    if named and iro not in named:
        names = " or ".join(str(n) for n in named)
        warnings.append(f"The social work team's named IRO is {names}.")
    return warnings


def named_iros(child: Child, as_of: dt.date) -> list[StaffMember]:
    """The named IROs of the teams of the child's social workers."""
    named: list[StaffMember] = []
    for worker in social_workers(child, as_of):
        team = worker.team
        if team is not None and team.named_iro is not None and team.named_iro not in named:
            named.append(team.named_iro)
    return named


def iros() -> QuerySet[StaffMember]:
    """Every IRO / conference chair with a usable account."""
    return (
        StaffMember.objects.filter(role_set__role=Role.IRO, user__is_active=True)
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name")
        .distinct()
    )


def suggested_iros(child: Child, as_of: dt.date) -> list[StaffMember]:
    """Every IRO, the named IRO of the child's social work team first."""
    named = named_iros(child, as_of)
    return named + [i for i in iros() if i not in named]


# ---------------------------------------------------------------- the allocation page's lists


# The stored obligations a child with no IRO / chair runs against, and what each says of the
# child: the ICPC after a strategy discussion (or one booked), a plan's review conferences, a
# looked-after episode's IRO appointment and reviews. Codes of the catalogue
# (`oversight.timescales.catalogue`); their due dates are the engine's, as stored.
NEEDS_IRO: dict[str, str] = {
    "cp.icpc": "Strategy discussion: ICPC due",
    "booked.icpc": "ICPC booked",
    "cp.rcpc.first": "On a child protection plan: review conference due",
    "cp.rcpc.next": "On a child protection plan: review conference due",
    "booked.rcpc": "On a child protection plan: review conference booked",
    "lac.iro.allocate": "Became looked after",
    "lac.review.first": "Looked after: review due",
    "lac.review.second": "Looked after: review due",
    "lac.review.next": "Looked after: review due",
    "lac.adoption.review": "Looked after: review due",
    "booked.lac_review": "Looked after: review booked",
}


@dataclass
class Unallocated:
    child: Child
    why: str  # NEEDS_IRO's words for the obligation whose clock runs out first
    due: dt.date  # when it runs out (the stored obligation's due date)
    working_days_left: int  # negative when overdue

    @property
    def late_by(self) -> int:
        return -self.working_days_left


def unallocated_children(as_of: dt.date) -> list[Unallocated]:
    """Children with no open IRO allocation on `as_of` and an open obligation of `NEEDS_IRO`
    (a strategy discussion's ICPC, a plan, a looked-after episode, born or unborn), each once,
    by the obligation due first: the earliest statutory clock first. An obligation of a plan or
    episode counts while that plan or episode is open (a review missed before a child left care
    does not call for an IRO now)."""
    has_iro = Allocation.objects.filter(
        open_allocations(as_of), child=OuterRef("child_id"), role=Role.IRO
    )
    rows = list(
        Obligation.objects.filter(
            code__in=NEEDS_IRO,
            status__in=[Obligation.Status.PENDING, Obligation.Status.OVERDUE],
            child__restricted=False,
        )
        .filter(~Exists(has_iro))
        .select_related("child")
        .order_by("due", "child__reference", "pk")
    )
    policy = active_pack().policy
    events: dict[int, list[Event]] = {}
    for event in Event.objects.filter(child_id__in={r.child_id for r in rows}).order_by("pk"):
        events.setdefault(event.child_id, []).append(event)
    open_since: dict[int, dict[str, dt.date]] = {}  # child -> plan / episode -> its start
    for child_id, theirs in events.items():
        spans = periods(theirs, policy, as_of)
        open_since[child_id] = {
            kind: span.start
            for kind in ("plan", "episode")
            if (span := period_on(spans, kind, as_of)) is not None
        }
    cal = calendar_for(policy)
    found: dict[int, Unallocated] = {}
    for row in rows:
        if row.child_id in found:
            continue
        if row.belongs_to:
            start = open_since.get(row.child_id, {}).get(row.belongs_to)
            if start is None or row.trigger_date < start:
                continue
        left = working_days_between(as_of, row.due, cal)
        found[row.child_id] = Unallocated(row.child, NEEDS_IRO[row.code], row.due, left)
    return list(found.values())


# The kinds of child an IRO holds, each weighed against its own number of the pack.
GUIDANCE_KINDS = ("looked_after", "cp")


@dataclass(frozen=True)
class Guidance:
    """One kind's number from the pack, per full-time IRO."""

    low: float | None
    high: float | None
    source: str


def caseload_guidance() -> Mapping[str, Guidance | None]:
    """Each of `GUIDANCE_KINDS` -> the active pack's number per full-time IRO, or None where the
    pack has none (never another kind's): looked-after children against the looked-after
    guidance (`numbers.caseload`: IRO Handbook ch. 7; Walsall seed 002, s. 5.2); children on a
    child protection plan (and any other child an IRO chairs for) against a conference chair's
    (`numbers.caseload_cp`), where the pack has one."""
    return _caseload_guidance(active_policy())


@cache
def _caseload_guidance(pack: str) -> Mapping[str, Guidance | None]:
    """Once per pack, as the other reads of a pack (`load_pack` validates it each call)."""
    numbers = load_pack(pack).numbers
    return {
        "looked_after": _guidance(numbers.get("caseload")),
        "cp": _guidance(numbers.get("caseload_cp")),
    }


def _guidance(number: Any) -> Guidance | None:
    if number is None:
        return None
    source = number.source if isinstance(number.source, str) else ""
    return Guidance(number.min, number.max, source)


@dataclass
class Against:
    """One kind of an IRO's caseload against the pack's number scaled by the IRO's FTE (None
    bounds: the pack has no number for this kind)."""

    count: int = 0
    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def guided(self) -> bool:
        return self.high is not None

    @property
    def over(self) -> bool:
        return self.high is not None and self.count > self.high


@dataclass
class Caseload:
    iro: StaffMember
    fte: Decimal = Decimal("1.00")
    cp: Against = field(default_factory=Against)
    looked_after: Against = field(default_factory=Against)
    children: list[int] = field(default_factory=list)
    looked_after_children: list[int] = field(default_factory=list)

    @property
    def per_fte(self) -> Decimal | None:
        """Children held per full-time equivalent, to one place (None for an FTE of 0)."""
        if not self.fte:
            return None
        return (Decimal(len(self.children)) / self.fte).quantize(Decimal("0.1"))

    @property
    def kinds(self) -> tuple[Against, Against]:
        """The columns' order: child protection, then looked after."""
        return self.cp, self.looked_after

    @property
    def over(self) -> bool:
        return self.cp.over or self.looked_after.over


def _scaled(value: float | None, fte: Decimal) -> Decimal | None:
    return None if value is None else (Decimal(str(value)) * fte).quantize(Decimal("1"))


def caseloads(as_of: dt.date, children: QuerySet[Child] | None = None) -> list[Caseload]:
    """Each IRO's open IRO allocations on `as_of` (of `children` only, when given: a viewer's
    scope): child protection (or other) and looked-after counts, each against the pack's
    guidance for that kind scaled by the IRO's FTE."""
    guidance = caseload_guidance()
    rows = {i.pk: Caseload(i, fte=i.fte) for i in iros()}
    held = Allocation.objects.filter(
        open_allocations(as_of), role=Role.IRO, staff_id__in=rows.keys()
    )
    if children is not None:
        held = held.filter(child_id__in=children.values("pk"))
    allocations = held.values_list("staff_id", "child_id")
    # Each child's last start or end of being looked after, in date order (the last one read
    # wins): no order of the model's to sort by first.
    last_lac = dict(
        Event.objects.filter(
            child_id__in=held.values("child_id"),  # a subquery: no list of a caseload's ids
            type__in=[EventType.LAC_START, EventType.LAC_END],
            date__lte=as_of,
        )
        .order_by("date", "pk")
        .values_list("child_id", "type")
    )
    seen: set[tuple[int, int]] = set()  # an IRO's child counted once, however many allocations
    for staff_id, child_id in allocations.order_by():
        if (staff_id, child_id) in seen:
            continue
        seen.add((staff_id, child_id))
        row = rows[staff_id]
        row.children.append(child_id)
        if last_lac.get(child_id) == EventType.LAC_START:
            row.looked_after.count += 1
            row.looked_after_children.append(child_id)
        else:
            row.cp.count += 1
    for row in rows.values():
        for kind in GUIDANCE_KINDS:
            number = guidance[kind]
            if number is not None:
                against: Against = getattr(row, kind)
                against.low, against.high = (
                    _scaled(number.low, row.fte),
                    _scaled(number.high, row.fte),
                )
    return list(rows.values())


# ---------------------------------------------------------------- actions


def _allocation_json(allocation: Allocation | None) -> dict[str, Any] | None:
    if allocation is None:
        return None
    return {
        "staff_id": allocation.staff_id,
        "staff": str(allocation.staff),
        "role": allocation.role,
        "starts": allocation.starts,
        "ends": allocation.ends,
        "reason": allocation.reason,
    }


def allocate_iro(
    child: Child,
    *,
    iro: StaffMember,
    reason: str,
    acting_user: Any,
    override_reason: str | None = None,
    as_of: dt.date | None = None,
) -> Allocation:
    """Give `child` to `iro` as IRO / conference chair from `as_of` (today), ending the open IRO
    allocation the day before. Refused (AllocationRefused) without a reason, for someone who is not
    an IRO, or when `iro` is in the management line of the child's social worker and no
    `override_reason` is given. Audited (before/after) in the same transaction."""
    as_of = as_of or timezone.localdate()
    reason = reason.strip()
    override_reason = (override_reason or "").strip()
    if not reason:
        raise AllocationRefused("Give a reason for the allocation")
    if Role.IRO not in iro.roles:
        raise AllocationRefused(f"{iro} is not an IRO")
    conflict = independence_conflict(child, iro, as_of)
    if conflict is not None and not override_reason:
        raise AllocationRefused(
            f"{iro} is in the management line of {conflict}, the child's social worker: "
            "an IRO must be independent of the case's management. Give a reason to override."
        )
    with transaction.atomic():
        previous = list(
            child.allocations.select_for_update()
            .filter(open_allocations(as_of), role=Role.IRO)
            .select_related("staff__user")
        )
        if any(p.staff_id == iro.pk for p in previous) and len(previous) == 1:
            raise AllocationRefused(f"{iro} is already this child's IRO")
        before = [_allocation_json(p) for p in previous]
        for p in previous:
            # The day before: the new IRO holds the child from today (an allocation made and ended
            # the same day ends before it starts, so it is never open).
            Allocation.objects.filter(pk=p.pk).update(ends=as_of - dt.timedelta(days=1))
        allocation = Allocation.objects.create(
            child=child, staff=iro, role=Role.IRO, starts=as_of, reason=reason[:300]
        )
        if is_looked_after(child) and (previous or not iro_allocated_since_lac_start(child)):
            # The chronology's "IRO allocated" meets `lac.iro.allocate` (and recomputes); a
            # change of IRO is `reallocated` (Walsall: the current IRO introduces the new one).
            record_event(
                child,
                type=EventType.IRO_ALLOCATED,
                date=as_of,
                data={"reallocated": True} if previous else {},
                acting_user=acting_user,
                as_of=as_of,
            )
        full_reason = reason
        if conflict is not None:
            full_reason += f"\nIndependence override ({conflict} is in {iro}'s line): "
            full_reason += override_reason
        record_change(
            child,
            action="iro.reallocated" if previous else "iro.allocated",
            before={"iro": before},
            after={"iro": [_allocation_json(allocation)]},
            reason=full_reason,
            acting_user=acting_user,
        )
    return allocation


def set_duty_iro(day: dt.date, *, staff: StaffMember | None, acting_user: Any) -> None:
    """Put `staff` on the duty rota for `day` (None clears the day). Audited."""
    with transaction.atomic():
        existing = DutyRota.objects.select_for_update().filter(date=day).first()
        before = {"date": day, "staff": str(existing.staff)} if existing else None
        if existing is not None:
            existing.delete()
        after = None
        if staff is not None:
            DutyRota.objects.create(date=day, staff=staff, set_by=acting_user)
            after = {"date": day, "staff": str(staff), "staff_id": staff.pk}
        record_change(
            None,
            action="duty_rota.set",
            before=before,
            after=after,
            reason="",
            acting_user=acting_user,
        )


def may_give_cover(manager: StaffMember, absent: StaffMember) -> bool:
    """The absent IRO's line manager (anyone above them), the IRO team manager or the
    safeguarding service manager."""
    if manager.roles & {Role.IRO_TEAM_MANAGER, Role.SAFEGUARDING_SERVICE_MANAGER}:
        return True
    return manager.pk in managers_of(absent)


def give_cover(
    absent: StaffMember,
    *,
    covering: StaffMember,
    starts: dt.date,
    ends: dt.date,
    reason: str,
    acting_user: Any,
) -> Cover:
    """`covering` holds `absent`'s caseload from `starts` to `ends` (both days count). Audited."""
    if ends < starts:
        raise AllocationRefused("The cover must end on or after the day it starts")
    if absent.pk == covering.pk:
        raise AllocationRefused("Choose someone other than the absent IRO")
    if not reason.strip():
        raise AllocationRefused("Give a reason for the cover")
    with transaction.atomic():
        cover = Cover.objects.create(
            absent=absent,
            covering=covering,
            starts=starts,
            ends=ends,
            reason=reason.strip()[:300],
            granted_by=acting_user,
            granted_at=timezone.now(),
        )
        record_change(
            None,
            action="cover.given",
            before=None,
            after={
                "absent": str(absent),
                "covering": str(covering),
                "starts": starts,
                "ends": ends,
            },
            reason=reason,
            acting_user=acting_user,
        )
    return cover


def covers(as_of: dt.date) -> QuerySet[Cover]:
    """Covers running on or after `as_of`."""
    return (
        Cover.objects.filter(Q(ends__gte=as_of))
        .select_related("absent__user", "covering__user", "granted_by")
        .order_by("starts")
    )
