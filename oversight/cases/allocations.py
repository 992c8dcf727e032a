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
- caseload guidance: the pack's `numbers.caseload` (IRO Handbook: 50 to 70 looked-after children
  per full-time IRO), scaled by each IRO's FTE.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from oversight.audit.actions import record_change
from oversight.cases.access import managers_of, open_allocations
from oversight.cases.actions import record_event
from oversight.cases.constants import EventType, Role
from oversight.cases.models import Allocation, Child, Cover, DutyRota, Event, StaffMember
from oversight.cases.state import iro_allocated_since_lac_start, is_looked_after, plan_icpc


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
                f"{icpc.date:%a %-d %b %Y} and stays the chair until the plan ends."
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


@dataclass
class Unallocated:
    child: Child
    why: str  # "ICPC booked" or "Became looked after"
    since: dt.date


def unallocated_children(as_of: dt.date) -> list[Unallocated]:
    """Children who need an IRO / chair: an ICPC booked since the last ICPC held, or looked after
    (last `lac_start` not followed by `lac_end`), with no open IRO allocation on `as_of`."""
    has_iro = Allocation.objects.filter(open_allocations(as_of), child=OuterRef("pk"), role="iro")
    booked = Event.objects.filter(
        child=OuterRef("pk"), type=EventType.MEETING_BOOKED, data__meeting="icpc"
    )
    started = Event.objects.filter(child=OuterRef("pk"), type=EventType.LAC_START)
    candidates = (
        Child.objects.filter(~Exists(has_iro) & (Exists(booked) | Exists(started)))
        .filter(restricted=False)
        .prefetch_related("events")
        .order_by("reference")
    )
    found: list[Unallocated] = []
    for child in candidates:
        events = sorted(child.events.all(), key=lambda e: (e.date, e.pk))
        last_icpc = max((e.date for e in events if e.type == EventType.ICPC), default=None)
        bookings = [
            e
            for e in events
            if e.type == EventType.MEETING_BOOKED
            and e.data.get("meeting") == "icpc"
            and (last_icpc is None or e.date >= last_icpc)
        ]
        lac = [e for e in events if e.type in (EventType.LAC_START, EventType.LAC_END)]
        if bookings:
            found.append(Unallocated(child, "ICPC booked", bookings[-1].date))
        elif lac and lac[-1].type == EventType.LAC_START:
            found.append(Unallocated(child, "Became looked after", lac[-1].date))
    return found


@dataclass
class Caseload:
    iro: StaffMember
    cp: int = 0
    looked_after: int = 0
    fte: Decimal = Decimal("1.00")
    guidance_min: Decimal | None = None
    guidance_max: Decimal | None = None
    children: list[int] = field(default_factory=list)

    @property
    def over(self) -> bool:
        return self.guidance_max is not None and self.looked_after > self.guidance_max


def caseload_guidance() -> tuple[float | None, float | None, str]:
    """(min, max, source) of looked-after children per full-time IRO from the active pack."""
    from oversight.policies import load_pack

    number = load_pack(settings.OVERSIGHT_POLICY).numbers.get("caseload")
    if number is None:
        return None, None, ""
    return number.min, number.max, number.source if isinstance(number.source, str) else ""


def caseloads(as_of: dt.date) -> list[Caseload]:
    """Each IRO's open IRO allocations on `as_of`: child protection (or other) and looked-after
    counts, with the pack's guidance scaled by the IRO's FTE."""
    low, high, _ = caseload_guidance()
    rows = {i.pk: Caseload(i, fte=i.fte) for i in iros()}
    allocations = Allocation.objects.filter(
        open_allocations(as_of), role=Role.IRO, staff_id__in=rows.keys()
    ).values_list("staff_id", "child_id")
    child_ids = {c for _, c in allocations}
    last_lac: dict[int, tuple[dt.date, int, str]] = {}
    for child_id, type_, date, pk in Event.objects.filter(
        child_id__in=child_ids, type__in=[EventType.LAC_START, EventType.LAC_END]
    ).values_list("child_id", "type", "date", "pk"):
        if child_id not in last_lac or (date, pk) > last_lac[child_id][:2]:
            last_lac[child_id] = (date, pk, type_)
    for staff_id, child_id in allocations:
        row = rows[staff_id]
        if child_id in row.children:
            continue
        row.children.append(child_id)
        if child_id in last_lac and last_lac[child_id][2] == EventType.LAC_START:
            row.looked_after += 1
        else:
            row.cp += 1
    for row in rows.values():
        if low is not None:
            row.guidance_min = (Decimal(str(low)) * row.fte).quantize(Decimal("1"))
        if high is not None:
            row.guidance_max = (Decimal(str(high)) * row.fte).quantize(Decimal("1"))
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
        if is_looked_after(child) and not iro_allocated_since_lac_start(child):
            # The chronology's "IRO allocated" meets `lac.iro.allocate` (and recomputes).
            record_event(
                child,
                type=EventType.IRO_ALLOCATED,
                date=as_of,
                data={},
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
