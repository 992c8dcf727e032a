"""Who holds a role for a child: the people a pack's role names resolve to, for every app.

    holders(child, role, as_of=...)          the staff holding `role` for the child
    chair_now(iro, as_of=...)                the chair, or who covers them while they are away
    people_for(child, roles, as_of=...)      each role's holders as a `Person`, each person once
    unheld(child, roles, as_of=...)          the roles nobody holds for the child
    merge(*groups, leave_out=...)            groups of people as one list, each person once
    addressee_roles(ladder, stage, ...)      the roles a concern is addressed to at a step of its
                                             ladder
    obligation_addressees(code, trigger, ladder)
                                             the same question for an `esc.*` obligation, whose
                                             owner the pack names as the placeholder `addressee`

A concern's notice is sent to, and answered by, the people `addressee_roles` names; the obligation
that waits for that answer belongs to the same roles (`oversight.cases.obligations.owners_of`), so
the caseload shows a deadline to the people who were asked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from oversight.cases.access import open_allocations
from oversight.cases.constants import Role
from oversight.cases.models import Allocation, Child, Cover, StaffMember
from oversight.cases.posts import council_posts
from oversight.policies import load_pack

if TYPE_CHECKING:
    from oversight.policies.schema import Ladder

# Roles found up the practice line (from the child's social worker), and up the IRO line (from
# the child's IRO).
PRACTICE_LINE = (
    "team_manager",
    "service_manager",
    "head_of_service",
    "assistant_director",
    "director",
)
IRO_LINE = ("iro_team_manager", "safeguarding_service_manager")


@dataclass(frozen=True)
class Person:
    """A party to a concern: a member of staff holding `role` for the child, or an outside
    contact (`staff` None, `email` set)."""

    role: str
    name: str
    email: str
    staff: StaffMember | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "name": self.name,
            "email": self.email,
            "staff": self.staff.pk if self.staff else None,
        }


def person_of(role: str, staff: StaffMember) -> Person:
    """`staff` as a party under `role`, with their account's email address."""
    return Person(role, str(staff), staff.user.email, staff)


def _chain(staff: StaffMember) -> list[StaffMember]:
    """`staff` and everyone above them in the line_manager chain, nearest first."""
    found = [staff]
    seen = {staff.pk}
    current = staff
    while current.line_manager_id is not None and current.line_manager_id not in seen:
        current = (
            StaffMember.objects.select_related("user", "line_manager")
            .prefetch_related("role_set")
            .get(pk=current.line_manager_id)
        )
        seen.add(current.pk)
        found.append(current)
    return found


def holders(child: Child, role: str, *, as_of: dt.date) -> list[StaffMember]:
    """The staff who hold `role` for `child` on `as_of`, in this order of precedence:

    1. an open allocation of that role for the child (the social worker, the IRO, a team
       manager allocated directly);
    2. up the line: for the practice roles (team manager, service manager, head of service,
       assistant director, director) the nearest holder above each allocated social worker
       (the service manager is the team manager's line manager, and so on); for the IRO
       service's roles (IRO team manager, safeguarding service manager) the nearest holder above
       each allocated IRO;
    3. a council-wide post: the one active member of staff holding the role, when exactly one
       does (a director, a head of safeguarding).

    A role the pack names as a council post (`oversight.cases.posts.council_posts`: Walsall's Head of Safeguarding and
    Quality Assurance, labelled on the neutral `head_of_service`) is never looked for up the
    social worker's line, whose managers run the practice being challenged: it is found up the
    IRO service's own line (above the child's IRO), else as the one holder council-wide.

    Empty when none of these finds anyone."""
    allocated = list(
        StaffMember.objects.filter(
            allocations__in=Allocation.objects.filter(
                open_allocations(as_of), child=child, role=role
            ),
            user__is_active=True,
        )
        .select_related("user")
        .distinct()
    )
    if allocated:
        return allocated
    if role in council_posts():
        start_role: str | None = Role.IRO
    elif role in PRACTICE_LINE:
        start_role = Role.SOCIAL_WORKER
    else:
        start_role = Role.IRO if role in IRO_LINE else None
    found: list[StaffMember] = []
    if start_role is not None:
        starts = StaffMember.objects.filter(
            allocations__in=Allocation.objects.filter(
                open_allocations(as_of), child=child, role=start_role
            )
        ).distinct()
        for start in starts:
            for above in _chain(start)[1:]:
                if role in above.roles:
                    if above.pk not in {s.pk for s in found}:
                        found.append(above)
                    break
    if found:
        return found
    council_wide = list(
        StaffMember.objects.filter(role_set__role=role, user__is_active=True).select_related(
            "user"
        )[:2]
    )
    return council_wide if len(council_wide) == 1 else []


def chair_now(iro: StaffMember, *, as_of: dt.date) -> StaffMember:
    """`iro`, or while they are away the member of staff covering them on `as_of` (a current
    `Cover`, both its days counting): reminders and prompts meant for the chair go to whoever
    holds the caseload that day, not to an absent chair."""
    cover = (
        Cover.objects.filter(absent=iro, starts__lte=as_of, ends__gte=as_of)
        .select_related("covering__user")
        .order_by("-starts", "-pk")
        .first()
    )
    return cover.covering if cover is not None else iro


def people_for(child: Child, roles: Iterable[str], *, as_of: dt.date) -> list[Person]:
    """Each role's holders for `child` (see `holders`), in the order of `roles`, a person listed
    once (under the first role they are found for)."""
    out: list[Person] = []
    seen: set[int] = set()
    for role in roles:
        for staff in holders(child, role, as_of=as_of):
            if staff.pk not in seen:
                seen.add(staff.pk)
                out.append(person_of(role, staff))
    return out


def unheld(child: Child, roles: Iterable[str], *, as_of: dt.date) -> list[str]:
    """The roles of `roles` that nobody holds for `child` on `as_of`."""
    return [r for r in roles if not holders(child, r, as_of=as_of)]


def merge(*groups: Sequence[Person], leave_out: StaffMember | None = None) -> list[Person]:
    """The people of `groups` in order, each once (a member of staff by their record, an outside
    contact by their email address), without `leave_out` (the person acting)."""
    out: list[Person] = []
    seen: set[str] = set()
    for group in groups:
        for person in group:
            key = f"s{person.staff.pk}" if person.staff else person.email.lower()
            if key in seen or (leave_out is not None and person.staff == leave_out):
                continue
            seen.add(key)
            out.append(person)
    return out


# --- Who a concern is addressed to ---------------------------------------------------------------


def addressee_roles(ladder: Ladder, stage: int, *, warning: bool = False) -> list[str]:
    """The roles a concern on `ladder` is addressed to at `stage`: at the informal stage (0) its
    addressees, or with `warning` those of its warning step (the informal stage's own where the
    ladder has none); at a formal stage, that stage's addressees (none for a stage the ladder
    lacks, or for a referral stage that addresses nobody)."""
    if stage == 0:
        step = ladder.informal.warning if warning and ladder.informal.warning else ladder.informal
        return list(step.addressees)
    return next((list(s.addressees) for s in ladder.stages if s.number == stage), [])


def obligation_addressees(
    code: str, trigger: Mapping[str, Any], ladder: Ladder | None
) -> list[str]:
    """The roles that the placeholder owner `addressee` of obligation `code` stands for: who must
    answer the step of the concern the obligation waits on. `esc.stage.response` waits on the
    notice at the trigger's stage, `esc.informal.final` on the informal stage's warning, any
    other on the informal stage. None for a concern on a ladder the pack no longer has (`ladder`
    None) or a notice with no stage."""
    if ladder is None:
        return []
    if code == "esc.stage.response":
        stage = int(trigger.get("stage") or 0)
        return addressee_roles(ladder, stage) if stage else []
    return addressee_roles(ladder, 0, warning=code == "esc.informal.final")


def ladder_named(pack: str, name: str) -> Ladder | None:
    """Ladder `name` of policy pack `pack` (the pack read once per process), or None."""
    return _ladders(pack).get(name)


@cache
def _ladders(pack: str) -> Mapping[str, Ladder]:
    return load_pack(pack).ladders
