"""Who may see which child. `child_for_user` and `children_for_user` are the only ways a view or
endpoint fetches a child; a child outside someone's scope is "not found" (404), never
"forbidden", so that its existence is not disclosed.

The API the pages use (other rooms call these, never query Allocation for access themselves):

- `child_for_user(user, child_id, *, as_of=None) -> Child`: the child, or `Http404`; for a
  restricted child seen by a manager of its line who is not named, `RestrictedChild` (a subclass
  of `Http404`, so a page that does not handle it still says "not found"; the web middleware
  `oversight.web.access_middleware` turns it into the "record exists, ask X" page, audited).
- `children_for_user(user, *, as_of=None) -> QuerySet[Child]`: every child the user may see.
- `caseload_scope(staff, today, *, watched_when_overdue) -> (Q, Q)`: My caseload's obligations,
  all of them and those that are mine to act on, by the same rules without evaluating each child;
  `caseload_scope_remembered(staff, today)`: its first Q from the children's ids, remembered.
- `can_edit(user, child, *, as_of=None) -> bool`: False for read-only viewers (an IRO's team
  colleagues, the auditor). Forms and actions that change a child's record refuse (403) when
  it is False. Call it after `child_for_user`.
- `access_for(user, child, *, as_of=None) -> Access | None`: why the user sees the child
  (`basis`, `can_edit`, the break-glass `grant`), for the child page's notice.
- `child_and_access_for_user(user, child_id, *, as_of=None) -> (Child, Access)`:
  `child_for_user` and `access_for` in one query, for a page that needs both.
- `may_allocate(user)`, `may_read_audit(user)`, `may_open_any_record(user, as_of)`: the pages
  of the IRO team manager, of the audit log and of break-glass access; `has_caseload(user)`,
  `sees_children(user)`, `reads_only(user)`: My caseload, the children's list, and the auditor's
  notice on every page.

Each role's scope, as the council's information governance decides it (issue 14, bug 10:
least privilege, need to know; `docs/access.md` is the table people read, and
`oversight/web/tests/test_access_convention.py` holds the code to it), one rule per line:
- anyone allocated to the child (any role, open allocation) sees it and may edit;
- an IRO sees, read-only, the children allocated as IRO to the IROs of their own IRO team;
- a covering IRO sees and may edit the absent IRO's children for the period of the cover;
- the duty IRO has no standing view of every child: on their day on the duty rota (and any IRO
  a social worker consults) they open one child at a time with a stated reason, an
  `AccessGrant` valid that day only and on the audit log (may edit: the consultation is
  recorded on the child's file, Stockport's seed);
- the management line (team manager, service manager, head of service, assistant director,
  director) sees and may edit the children whose allocated staff report to them, directly or
  down the `line_manager` chain: the director's line is the whole service, a team manager's
  their team; never the children of another line; and a child with no allocated social worker
  whose last social worker did (`left_by_line`: the team that lost the worker still answers for
  the child until another is allocated);
- the IRO team manager and the safeguarding service manager see and may edit every child of the
  IRO service (every child Oversight holds: it records only children known to the service);
- someone asked to act on one of the child's deadlines sees and may edit it while the deadline
  is open and on the day it is met (`asked_to_act`): its named owner (an action's, the IRO a
  consultation request is routed to), or the holder of a council post that owes it as
  `oversight.cases.holders.holders` resolves the post (Walsall's Head of Safeguarding and QA,
  who is in neither the child's IRO's line nor its social worker's);
- the auditor sees every child, read-only, with the notice on every page, and reads the audit
  log; an administrator sees no child (accounts, imports and the audit log) unless also given
  a case role;
- a restricted child: only its named people see the content (with the rights the rules above
  give them, read-only if none); a manager who would otherwise see it gets `RestrictedChild`;
  anyone else 404. The auditor is not exempt: restriction wins over every role.

Who has a caseload (`has_caseload`): everyone but the administrator, the auditor and the
corporate IRO, who hold no child themselves (an empty My caseload is not offered to them).

The foster carers (`may_see_carers`): the corporate IRO, who reviews them, and the IRO team
manager and the safeguarding service manager; nobody else (a carer's page is 404 to them). A
corporate IRO with no other role sees no child (`sees_children`): a carer's page names the
children placed with the household, and nothing more of them.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
    When,
)
from django.http import Http404, HttpRequest
from django.utils import timezone

from oversight.audit.actions import record_change, record_opened
from oversight.cache import data_version
from oversight.cache.compiled import MARK, Compiled, compile_marked
from oversight.cases.constants import Role, TeamKind
from oversight.cases.models import (
    AccessGrant,
    Allocation,
    Child,
    Cover,
    DutyRota,
    Obligation,
    StaffMember,
    StaffRole,
)
from oversight.cases.posts import PostHeld, council_posts, posts_held
from oversight.policies.schema import BreakGlass

# Roles whose holders manage a line of staff and see the children their line holds.
LINE_MANAGER_ROLES = frozenset(
    {
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.HEAD_OF_SERVICE,
        Role.ASSISTANT_DIRECTOR,
        Role.DIRECTOR,
        Role.IRO_TEAM_MANAGER,
        Role.SAFEGUARDING_SERVICE_MANAGER,
    }
)
# Roles that see every child of the IRO service.
IRO_SERVICE_ROLES = frozenset({Role.IRO_TEAM_MANAGER, Role.SAFEGUARDING_SERVICE_MANAGER})
# Roles that may be put on the duty rota, and that may open a record when consulted.
DUTY_ROLES = frozenset({Role.IRO, Role.DUTY_IRO})
# The audit page: the auditor, administrators and the safeguarding service manager.
AUDIT_READER_ROLES = frozenset(
    {Role.AUDITOR, Role.ADMINISTRATOR, Role.SAFEGUARDING_SERVICE_MANAGER}
)
# Roles that hold no child themselves: no caseload (the administrator also sees no child).
NO_CASELOAD_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR, Role.CORPORATE_IRO})
# Roles that see no child at all (no children's list): their work is not a child's record.
NO_CHILD_ROLES = frozenset({Role.ADMINISTRATOR, Role.CORPORATE_IRO})
# The foster carers and their reviews: the corporate IRO who reviews them, and the IRO
# service's managers who answer for the service.
FOSTERING_ROLES = frozenset(
    {Role.CORPORATE_IRO, Role.IRO_TEAM_MANAGER, Role.SAFEGUARDING_SERVICE_MANAGER}
)

User = AbstractBaseUser | AnonymousUser
# A rule that may give a member of staff children: (basis, may edit, Q over Child).
Rule = tuple[str, bool, Q]


class RestrictedChild(Http404):
    """The child exists but is restricted; the user is a manager of its line, not named."""

    def __init__(self, child: Child) -> None:
        super().__init__("Restricted record")
        self.child = child


class OutOfScope(Http404):
    """The child exists and the user may not see it: 404 as for no such child (nothing says it
    exists), and the refusal is audited (`oversight.web.access`, `oversight.api`)."""

    def __init__(self, child: Child) -> None:
        super().__init__("No such child")
        self.child = child


@dataclass(frozen=True)
class Access:
    """Why a user sees a child: `basis` in plain words, and whether they may change it."""

    basis: str
    can_edit: bool
    grant: AccessGrant | None = None
    cover: Cover | None = None


def staff_for_user(user: User) -> StaffMember | None:
    """The active staff member behind a signed-in user, or None: read once per user, day and
    access version in each process (`oversight.cache.data_version`; every page asks)."""
    if not user.is_authenticated or not user.is_active:
        return None
    cached: StaffMember | None = getattr(user, "_oversight_staff", None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    found = data_version.remember(
        ("staff", user.pk, today, data_version.current(data_version.ACCESS)),
        lambda: _staff_of(user.pk, today),
    )
    if found is None:
        return None
    staff = copy.copy(found)  # the remembered one is shared by every request of this process
    setattr(user, "_oversight_staff", staff)  # noqa: B010 - a per-request cache
    return staff


def _staff_of(user_id: int, today: dt.date) -> StaffMember | None:
    """One query: the member, their team, their roles (aggregated, not prefetched) and whether
    they are on today's duty rota (the navigation's "Open a record")."""
    staff = (
        StaffMember.objects.filter(user_id=user_id)
        .select_related("team")
        .annotate(
            _role_names=StringAgg("role_set__role", delimiter=Value("|"), default=Value("")),
            _on_duty=Exists(DutyRota.objects.filter(date=today, staff=OuterRef("pk"))),
        )
        .first()
    )
    if staff is not None:
        _remember_roles(staff, staff._role_names)  # type: ignore[attr-defined]
        staff._duty_days = {today: staff._on_duty}  # type: ignore[attr-defined]
    return staff


def _remember_roles(staff: StaffMember, names: str) -> None:
    """`staff.role_set.all()` (and so `staff.roles`) from the aggregated role names, as
    `prefetch_related("role_set")` would leave it, without a second query."""
    roles = sorted({name for name in names.split("|") if name})
    rows = staff.role_set.all()
    rows._result_cache = [StaffRole(staff=staff, role=role) for role in roles]  # type: ignore[attr-defined]
    rows._prefetch_done = True  # type: ignore[attr-defined]
    staff._prefetched_objects_cache = {"role_set": rows}  # type: ignore[attr-defined]


def on_duty(staff: StaffMember, day: dt.date) -> bool:
    """Whether `staff` is the duty IRO of `day` (from `staff_for_user`'s query for today)."""
    known: dict[dt.date, bool] = getattr(staff, "_duty_days", {})
    if day in known:
        return known[day]
    return DutyRota.objects.filter(date=day, staff=staff).exists()


def open_allocations(as_of: dt.date) -> Q:
    """Allocations that have begun on or before `as_of` and end on or after it (or never)."""
    return Q(starts__lte=as_of) & (Q(ends__isnull=True) | Q(ends__gte=as_of))


def line_of(staff: StaffMember) -> set[int]:
    """The ids of `staff` and everyone who reports to them, directly or down the chain: one
    recursive query (UNION, not UNION ALL, so that a cycle in the chain ends)."""
    table = connection.ops.quote_name(StaffMember._meta.db_table)
    sql = (
        "WITH RECURSIVE line(id) AS ("  # noqa: S608 - the table name is the model's own
        f"SELECT id FROM {table} WHERE id = %s "
        f"UNION SELECT s.id FROM {table} s INNER JOIN line ON s.line_manager_id = line.id"
        ") SELECT id FROM line"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [staff.pk])
        return {row[0] for row in cursor.fetchall()} | {staff.pk}


def managers_of(staff: StaffMember) -> set[int]:
    """The ids of everyone above `staff` in the `line_manager` chain (not `staff` themself):
    one recursive query."""
    if staff.line_manager_id is None:
        return set()
    table = connection.ops.quote_name(StaffMember._meta.db_table)
    sql = (
        "WITH RECURSIVE above(id) AS ("  # noqa: S608 - the table name is the model's own
        f"SELECT line_manager_id FROM {table} WHERE id = %s AND line_manager_id IS NOT NULL "
        f"UNION SELECT s.line_manager_id FROM {table} s INNER JOIN above ON s.id = above.id "
        "WHERE s.line_manager_id IS NOT NULL"
        ") SELECT id FROM above"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [staff.pk])
        return {row[0] for row in cursor.fetchall()} - {staff.pk}


def duty_iro_on(day: dt.date) -> StaffMember | None:
    """The duty IRO of `day` from the rota, or None."""
    rota = DutyRota.objects.filter(date=day).select_related("staff__user").first()
    return rota.staff if rota else None


def _team_iros(staff: StaffMember) -> Q:
    """IRO allocations held by the IROs of `staff`'s IRO team (staff included)."""
    return Q(role=Role.IRO, staff__team_id=staff.team_id)


def moment_of(as_of: dt.date) -> dt.datetime | None:
    """The moment access on `as_of` is judged at: now when `as_of` is today, so that a grant or a
    cover that ends within the day stops at its end; None on another day (the whole day counts)."""
    return timezone.now() if as_of == timezone.localdate() else None


def _not_ended(at: dt.datetime | None) -> Q:
    """A break-glass grant or a cover that has not ended within its day by `at`."""
    return Q() if at is None else Q(ends_at__isnull=True) | Q(ends_at__gt=at)


# The rule of a role that sees every child (the IRO service's managers, the auditor).
EVERY_CHILD = Q(pk__isnull=False)


def _rules(staff: StaffMember, as_of: dt.date, at: dt.datetime | None) -> list[Rule]:
    """Each rule that may give `staff` children on `as_of` at `at` (`moment_of`): (basis, may
    edit, Q over open allocations or children). Q objects are over `Child`."""
    roles = staff.roles
    open_q = open_allocations(as_of)

    def via(allocation: Q) -> Q:
        return Q(Exists(Allocation.objects.filter(open_q & allocation, child=OuterRef("pk"))))

    rules: list[Rule] = []
    rules.append(("allocated", True, via(Q(staff=staff))))
    if Role.IRO in roles and staff.team is not None and staff.team.kind == TeamKind.IRO:
        rules.append(("IRO team", False, via(_team_iros(staff))))
    covered = Cover.objects.filter(
        _not_ended(at), covering=staff, starts__lte=as_of, ends__gte=as_of
    )
    rules.append(("cover", True, via(Q(staff_id__in=covered.values("absent_id")))))
    grants = AccessGrant.objects.filter(
        _not_ended(at), staff=staff, date=as_of, approved_at__isnull=False
    )
    rules.append(("break-glass", True, Q(pk__in=grants.values("child_id"))))
    if roles & LINE_MANAGER_ROLES:
        line = line_of(staff)
        rules.append(("line", True, via(Q(staff_id__in=line))))
        rules.append(("line", True, Q(pk__in=left_by_line(sorted(line - {staff.pk}), as_of))))
    asked = Obligation.objects.filter(asked_to_act(staff, as_of)).values("child_id")
    rules.append(("asked to act", True, Q(pk__in=asked)))
    if roles & IRO_SERVICE_ROLES:
        rules.append(("IRO service", True, EVERY_CHILD))
    if Role.AUDITOR in roles:
        rules.append(("auditor", False, EVERY_CHILD))
    return rules


def _access_columns(
    staff: StaffMember, as_of: dt.date, at: dt.datetime | None
) -> tuple[list[Rule], dict]:
    """The rules for `staff` and, for one query over Child, each rule as a boolean column and
    whether `staff` is named on the child (for a restricted record)."""
    rules = _rules(staff, as_of, at)
    columns: dict[str, Any] = {
        f"rule_{i}": Case(
            When(q, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
        for i, (_basis, _edit, q) in enumerate(rules)
    }
    named_here = Child.named_staff.through.objects.filter(
        child_id=OuterRef("pk"), staffmember_id=staff.pk
    )
    columns["named"] = Exists(named_here)
    return rules, columns


def _decide(
    staff: StaffMember,
    child: Child,
    rules: list[Rule],
    row: dict[str, Any],
    as_of: dt.date,
    at: dt.datetime | None,
) -> Access | None:
    """The access the rule columns of `row` give `staff` to `child` (restriction applied)."""
    matched = [(basis, edit) for i, (basis, edit, _q) in enumerate(rules) if row.get(f"rule_{i}")]
    named = bool(row.get("named"))
    if child.restricted and not named:  # restriction wins over every role
        return None
    if not matched and named:
        return Access("named on a restricted record", False)
    if not matched:
        return None
    edit = [basis for basis, e in matched if e]
    basis = edit[0] if edit else matched[0][0]
    grant = None
    cover = None
    if basis == "break-glass":
        grant = AccessGrant.objects.filter(
            _not_ended(at), staff=staff, date=as_of, child=child, approved_at__isnull=False
        ).last()
    if basis == "cover":
        cover = (
            Cover.objects.filter(_not_ended(at), covering=staff, starts__lte=as_of, ends__gte=as_of)
            .select_related("absent__user")
            .first()
        )
    return Access(basis, bool(edit), grant, cover)


def access_for(user: User, child: Child, *, as_of: dt.date | None = None) -> Access | None:
    """Why `user` may see `child`'s content on `as_of`, or None (restriction applied)."""
    as_of = as_of or timezone.localdate()
    staff = staff_for_user(user)
    if staff is None:  # signed out, deactivated, or not a member of staff
        return None
    return _child_with_access(staff, child.pk, as_of, moment_of(as_of))[1]


def _access_query(
    staff: StaffMember, as_of: dt.date, at: dt.datetime | None
) -> tuple[Compiled[Child], list[Rule], list[str], dt.datetime | None]:
    """The query of one child with each of `staff`'s rules on `as_of` at `at` as a boolean column,
    compiled; the rules; the columns; and the moment it stops being true (`_access_ends`)."""
    rules, columns = _access_columns(staff, as_of, at)
    query = Child.objects.filter(pk=MARK).annotate(
        **{f"_access_{k}": v for k, v in columns.items()}
    )
    return compile_marked(query), rules, list(columns), _access_ends(staff, as_of, at)


def _access_ends(staff: StaffMember, as_of: dt.date, at: dt.datetime | None) -> dt.datetime | None:
    """The earliest moment after `at` at which a break-glass grant or a cover of `staff` on
    `as_of` ends within its day (None when none does, or on a day other than today: what is
    remembered for the day ends with the day's key). One query."""
    if at is None:
        return None
    grants = AccessGrant.objects.filter(
        staff=staff, date=as_of, ends_at__gt=at, approved_at__isnull=False
    )
    covers = Cover.objects.filter(
        covering=staff, starts__lte=as_of, ends__gte=as_of, ends_at__gt=at
    )
    ends = grants.values_list("ends_at", flat=True).union(covers.values_list("ends_at", flat=True))
    return min((end for end in ends if end is not None), default=None)


def _child_with_access(
    staff: StaffMember, child_id: int, as_of: dt.date, at: dt.datetime | None
) -> tuple[Child | None, Access | None]:
    """The child `child_id` (None when there is none) and the access the rules give `staff` to
    it at `at` (None when they give none; restriction applied). Remembered per member of staff,
    child, day and access version in each process (the child's row and everything the rules
    read bump it) until the earliest end within the day of a grant or cover of
    theirs; an id no child has is not remembered (the URL's id is the request's to choose)."""
    version = data_version.current(data_version.ACCESS)
    child, access, _ends = data_version.remember(
        ("child-access", staff.pk, child_id, as_of, version),
        lambda: _read_child_with_access(staff, child_id, as_of, at, version),
        until=lambda found: found[2] if found[0] is not None else data_version.NOT_KEPT,
    )
    # A copy of the child: the remembered one is shared by every request of this process.
    return (copy.copy(child) if child is not None else None), access


def _read_child_with_access(
    staff: StaffMember, child_id: int, as_of: dt.date, at: dt.datetime | None, version: str
) -> tuple[Child | None, Access | None, dt.datetime | None]:
    """One query, its SQL built once per member of staff, day and access version in each process
    (building it costs more than running it), again after the earliest end within the day of a
    grant or cover of theirs (the SQL holds the moment it was built at); and that end."""
    query, rules, columns, ends = data_version.remember(
        ("access", staff.pk, as_of, version),
        lambda: _access_query(staff, as_of, at),
        until=lambda built: built[3],
    )
    found = query.run(child_id)
    if not found:  # no such child
        return None, None, ends
    child = found[0]
    row = {k: getattr(child, f"_access_{k}") for k in columns}
    return child, _decide(staff, child, rules, row, as_of, at), ends


def _manager_of_line(staff: StaffMember, child: Child, as_of: dt.date) -> bool:
    """True when `staff` is a manager who would see `child` were it not restricted."""
    roles = staff.roles
    if roles & IRO_SERVICE_ROLES:
        return True
    if not roles & LINE_MANAGER_ROLES:
        return False
    return Allocation.objects.filter(
        open_allocations(as_of), child=child, staff_id__in=line_of(staff)
    ).exists()


# The largest id a row can have (a 64-bit signed integer): a larger number in a URL names no
# record, and must not reach the database (SQLite refuses it with an error, not an empty result).
LARGEST_ID = 2**63 - 1


def real_id(value: int, what: str = "record") -> int:
    """`value` as a record's id, or Http404 when no row can have it."""
    if not 1 <= value <= LARGEST_ID:
        raise Http404(f"No such {what}")
    return value


def child_and_access_for_user(
    user: User, child_id: int, *, as_of: dt.date | None = None
) -> tuple[Child, Access]:
    """`child_for_user`, with the `Access` it found (for a page that also needs `can_edit` or
    the "how you see this record" notice): the child and its rules in one query."""
    as_of = as_of or timezone.localdate()
    real_id(child_id, "child")
    staff = staff_for_user(user)
    if staff is None:  # signed out, deactivated, or not a member of staff
        raise Http404("No such child")
    child, access = _child_with_access(staff, child_id, as_of, moment_of(as_of))
    if child is None:  # no such child
        raise Http404("No such child")
    if access is not None:  # one of the rules, restriction applied
        return child, access
    if child.restricted and _manager_of_line(staff, child, as_of):  # "exists, ask X"
        raise RestrictedChild(child)
    raise OutOfScope(child)  # outside scope


def child_for_user(user: User, child_id: int, *, as_of: dt.date | None = None) -> Child:
    """The child `child_id` if `user` may see it; otherwise Http404 when there is no such child,
    OutOfScope (an Http404) when it is outside their scope, or RestrictedChild for a manager of a
    restricted child's line who is not named."""
    return child_and_access_for_user(user, child_id, as_of=as_of)[0]


def children_for_user(user: User, *, as_of: dt.date | None = None) -> QuerySet[Child]:
    """Every child `user` may see, by the same rules as `child_for_user` (restricted children
    only for their named people)."""
    as_of = as_of or timezone.localdate()
    staff = staff_for_user(user)
    if staff is None:
        return Child.objects.none()
    scope = Q(pk__in=[])
    for _basis, _edit, q in _rules(staff, as_of, moment_of(as_of)):
        if q == EVERY_CHILD:  # the others need not be asked of each child (a service manager)
            scope = Q()
            break
        scope |= q
    named = Child.named_staff.through.objects.filter(staffmember=staff).values("child_id")
    unrestricted = Q(restricted=False)
    return Child.objects.filter((scope & unrestricted) | Q(restricted=True, pk__in=named))


def restriction_filter(staff: StaffMember, *, child_id: str = "pk") -> Q:
    """Among children a rule already gives `staff` (held through an open allocation of theirs,
    of an IRO they cover for, or of their line: the "allocated", "cover" and "line" rules of
    `children_for_user`), those whose content they see: unrestricted, or restricted with
    `staff` named. `child_id` names the child's id: "pk" over Child, "child_id" over a model
    with a `child` key. A caseload of thousands filters this way without the whole rule set,
    and without reading every child: restricted records are few (a partial index finds them)."""
    named = Child.named_staff.through.objects.filter(staffmember=staff).values("child_id")
    hidden = Child.objects.filter(restricted=True).exclude(pk__in=named).values("pk")
    return ~Q(**{f"{child_id}__in": hidden})


def left_by_line(staff_ids: list[int], as_of: dt.date) -> QuerySet[Any, Any]:
    """The ids of the children with no open social-worker allocation on `as_of` whose last
    social worker (the allocation that ended last before `as_of`) is one of `staff_ids`."""
    open_worker = Allocation.objects.filter(
        open_allocations(as_of), child=OuterRef("pk"), role=Role.SOCIAL_WORKER
    )
    last_worker = Subquery(
        Allocation.objects.filter(child=OuterRef("pk"), role=Role.SOCIAL_WORKER, ends__lt=as_of)
        .order_by("-ends", "-pk")
        .values("staff_id")[:1]
    )
    # Only the children one of them has left, by the index of allocations on staff: the last
    # social worker of every child of the council is not worked out to find a line's few.
    theirs = Allocation.objects.filter(
        role=Role.SOCIAL_WORKER, staff_id__in=staff_ids, ends__lt=as_of
    ).values("child_id")
    return (
        Child.objects.filter(pk__in=theirs)
        .filter(~Exists(open_worker))
        .annotate(last_worker=last_worker)
        .filter(last_worker__in=staff_ids)
        .values("pk")
    )


def _held_by(staff_ids: list[int], today: dt.date, **allocation: Any) -> Exists:
    return Exists(
        Allocation.objects.filter(
            open_allocations(today),
            child=OuterRef("child_id"),
            staff_id__in=staff_ids,
            **allocation,
        )
    )


def _caseload_staff(staff: StaffMember, today: dt.date) -> tuple[list[int], list[int]]:
    """(me and the IROs I cover for on `today`, everyone down my line if I manage one): the
    people whose open allocations make up my caseload. Two queries."""
    covered = list(
        Cover.objects.filter(covering=staff, starts__lte=today, ends__gte=today).values_list(
            "absent_id", flat=True
        )
    )
    line = sorted(line_of(staff) - {staff.pk}) if staff.roles & LINE_MANAGER_ROLES else []
    return [staff.pk, *covered], line


def caseload_holders(staff: StaffMember, today: dt.date) -> list[int]:
    """`staff` and the IROs they cover for on `today`: the people whose caseload versions key
    `staff`'s caseload (`oversight.cache.data_version.holders`; a manager's own version already
    follows their line). Remembered per member of staff, day and access version (cover bumps
    it)."""
    mine_ids, _line = _caseload_staff_remembered(staff, today)
    return mine_ids


def _caseload_staff_remembered(staff: StaffMember, today: dt.date) -> tuple[list[int], list[int]]:
    """`_caseload_staff`, remembered per member of staff, day and access version (a cover and a
    change of line manager bump it): My caseload asks for it on every request, a rebuild twice."""
    return data_version.remember(
        ("caseload-staff", staff.pk, today, data_version.current(data_version.ACCESS)),
        lambda: _caseload_staff(staff, today),
    )


def caseload_scope(
    staff: StaffMember, today: dt.date, *, watched_when_overdue: Mapping[str, Sequence[str]]
) -> tuple[Q, Q]:
    """(the obligations of the children I hold, those of them that are mine to act on), as Q
    over Obligation.

    I hold a child through an open allocation of mine, of an IRO I cover for, or, for a manager,
    of anyone down my line; and I see, besides, a child I am asked to act on (`asked_to_act`: a
    deadline named to me, or owed by a council post of mine, open or met today). Mine to act on: an owner role of the obligation is a role I hold for
    that child through such an allocation (a manager: a managerial role of mine, for a child of
    my line; a council post of the pack's `council_posts`: only where I hold the post for that
    child as `oversight.cases.holders.holders` resolves it, see `oversight.cases.posts`), or I
    am the action's named owner, or the obligation is overdue and its code is one that
    `watched_when_overdue` (role → codes: the pack's watchers, e.g. a concern's chair, from
    `escalations.caseload.overdue_for_watchers`) has a role of mine watch for that child.

    A manager also sees a child with no allocated social worker whose last one was of their line
    (`left_by_line`). Every child held, left or asked of me this way is one `children_for_user`
    gives me by its "allocated", "cover", "line" or "asked to act" rule, so the scope is those children less the
    restricted records I am not named on (`restriction_filter`): the same set, without
    evaluating every rule per child."""
    mine_ids, line = _caseload_staff_remembered(staff, today)
    roles = staff.roles
    posts = council_posts()
    owed = _owed_to(staff, roles & posts, today)
    # One set of children, not an OR of three: an OR had the planner read every obligation of
    # the council to count an IRO's seventy children's (issue 12's benchmark).
    scope = Q(child_id__in=_held(staff, today, mine_ids, line, owed))

    mine = owed
    allocated_roles = set(
        Allocation.objects.filter(open_allocations(today), staff_id__in=mine_ids)
        .values_list("role", flat=True)
        .distinct()
    )
    for role in sorted(allocated_roles):
        mine |= Q(owner_roles__contains=f"|{role}|") & Q(_held_by(mine_ids, today, role=role))
    # An overdue concern response is also its chair's (issue 8): the pack's watchers of it.
    for role, codes in sorted(watched_when_overdue.items()):
        if role in allocated_roles:
            due = Q(code__in=codes, status=Obligation.Status.OVERDUE)
            mine |= due & Q(_held_by(mine_ids, today, role=role))
    for role in sorted((roles & LINE_MANAGER_ROLES) - posts):
        if line:
            mine |= Q(owner_roles__contains=f"|{role}|") & Q(_held_by(line, today))
    return scope, mine


def _held(
    staff: StaffMember, today: dt.date, mine_ids: list[int], line: list[int], owed: Q
) -> QuerySet[Any]:
    """The ids of the children of `caseload_scope` (as one column, `child_id`): held through an
    open allocation of `mine_ids` or `line`, asked of `staff` (`owed`, open or met today), or
    left by `line`; less the restricted records `staff` is not named on."""
    held = (
        Allocation.objects.filter(
            open_allocations(today), staff_id__in=sorted(set(mine_ids) | set(line))
        )
        .filter(restriction_filter(staff, child_id="child_id"))
        .values("child_id")
    )
    hidden = restriction_filter(staff, child_id="child_id")
    asked = Obligation.objects.filter(owed & _open_on(today)).filter(hidden).values("child_id")
    held = held.union(asked)
    if line:
        held = held.union(left_by_line(line, today).filter(restriction_filter(staff)))
    return held


def caseload_scope_remembered(
    staff: StaffMember, today: dt.date, *, paged_by_id: bool = False
) -> Q:
    """`caseload_scope`'s first Q (the obligations of the children `staff` holds on `today`)
    from the children's ids, remembered per member of staff, day and access version (an
    allocation, a cover, a restriction and a change in who is asked to act each bump it); on
    PostgreSQL the ids are one array value, written once (`= ANY('{3,5,9}'::bigint[])`), not a
    parameter each.

    For a caller that reads a large caseload's obligations again and again (the API's
    `/obligations`, a page each; My caseload, rebuilt after each write to a child of the line):
    the set is read once, where the set as a subquery was planned and worked out again each time
    and joined row by row (issue 17's benchmark: a service manager's 5,000 children, 135 ms a
    page; 5,000 parameters were 100 ms of Python a page, an array field's 5,000 values prepared
    one by one 90 ms; issue 12's: the children their line left, 2,242 of them, were found again
    by each of My caseload's two queries). `paged_by_id`: for a query that reads the
    obligations a page at a time in id order (`children_remembered`)."""

    def build() -> Iterable[int]:
        mine_ids, line = _caseload_staff_remembered(staff, today)
        owed = _owed_to(staff, staff.roles & council_posts(), today)
        return (row["child_id"] for row in _held(staff, today, mine_ids, line, owed))

    key = ("caseload-children", staff.pk, today, data_version.current(data_version.ACCESS))
    return children_remembered(key, build, paged_by_id=paged_by_id)


# A set of at least this many children read a page at a time in id order is matched without
# the planner's estimate of each id (`children_remembered`).
MANY_CHILDREN = 1_000


def children_remembered(
    key: Hashable,
    build: Callable[[], Iterable[int]],
    *,
    column: str = "child_id",
    paged_by_id: bool = False,
) -> Q:
    """The children `build()` gives the ids of, remembered under `key` (`data_version.remember`:
    the key holds the access version, the day and everyone whose allocations make the set, so
    it holds only sets that nothing but who may see what and the day change), as Q on `column`
    (`pk` over Child): on PostgreSQL the ids are one array value, written once
    (`= ANY('{3,5,9}'::bigint[])`), not a parameter each.

    `paged_by_id`, for a query that reads rows a page at a time in id order (the API's caseload
    obligations): a set of `MANY_CHILDREN` or more is matched as `(column + 0) = ANY(...)`, the
    same rows, which the planner takes for most of the table without estimating each id from
    the column's statistics, work that grows with the set (issue 17's benchmark: a service
    manager's 5,732 children, 3 to 7 ms of planning a page). Such a set is one child in a
    hundred or more of a council of 100,000, so the page is found by reading the rows in id
    order and keeping those of the set (a few thousand rows), the plan the estimate chose too;
    a smaller set keeps the estimate, which reads its children's rows by the column's index."""

    def ids() -> tuple[list[int], str]:
        found = sorted(set(build()))
        return found, "{" + ",".join(str(pk) for pk in found) + "}"

    found, array = data_version.remember(key, ids)
    if connection.vendor != "postgresql":
        return Q(**{f"{column}__in": found})
    if paged_by_id and len(found) >= MANY_CHILDREN:
        return Q(
            _AnyOf(
                F(column),
                Value(array),
                arg_joiner=" + 0) = ANY(",
                template="(%(expressions)s::bigint[])",
            )
        )
    return Q(_AnyOf(F(column), Value(array)))


class _AnyOf(Func):
    """`column = ANY(array)` (PostgreSQL), the array given as its text (`{3,5,9}`): one
    parameter however many values (`children_remembered` writes the column `(column + 0)`)."""

    template = "%(expressions)s::bigint[])"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def _owed_to(staff: StaffMember, posts: set[str] | frozenset[str], today: dt.date) -> Q:
    """Obligations owed by `staff` themself, whoever holds the child (as Q over Obligation): they
    are the named owner, or they hold on `today` one of `posts` (council posts of theirs) that
    owes it, as `holders` resolves the post for the child (`_post_mine`)."""
    owed = Q(owner_staff_id=staff.pk)
    for role, held in sorted(posts_held(posts).items()):
        owed |= Q(owner_roles__contains=f"|{role}|") & _post_mine(staff, role, held, today)
    return owed


def _open_on(day: dt.date) -> Q:
    """Obligations open on `day`, or met that day (the person who met it still sees the child
    for the rest of the day: the record they have just made, the page it returns them to)."""
    return Q(status__in=[Obligation.Status.PENDING, Obligation.Status.OVERDUE]) | Q(met_on=day)


def asked_to_act(staff: StaffMember, as_of: dt.date) -> Q:
    """The obligations `staff` is asked to act on whoever holds the child, open on `as_of` or
    met that day (as Q over Obligation): the "asked to act" access rule, and the children it adds
    to My caseload beside those `staff` holds."""
    return _owed_to(staff, staff.roles & council_posts(), as_of) & _open_on(as_of)


def _post_mine(staff: StaffMember, role: str, held: PostHeld, today: dt.date) -> Q:
    """The children for which `staff` holds council post `role` as `holders` resolves it (the
    allocated holder is the allocation rule's): nobody active is allocated the role, and
    `staff` is the nearest holder above one of the child's IROs, or, with nobody holding it
    above any of them, its one active holder council-wide. Never up the social worker's line,
    whose managers run the practice being challenged."""
    allocated = Exists(
        Allocation.objects.filter(
            open_allocations(today),
            child=OuterRef("child_id"),
            role=role,
            staff__user__is_active=True,
        )
    )
    below = sorted(pk for pk, holder in held.above.items() if holder == staff.pk)
    found = Q(_held_by(below, today, role=Role.IRO)) if below else Q(pk__in=[])
    if held.active == (staff.pk,):
        found |= ~Q(_held_by(sorted(held.above), today, role=Role.IRO))
    return ~Q(allocated) & found


def can_edit(user: User, child: Child, *, as_of: dt.date | None = None) -> bool:
    """True when `user` may change `child`'s record (record, amend or remove events, allocate)."""
    access = access_for(user, child, as_of=as_of)
    return access is not None and access.can_edit


def may_allocate(user: User) -> bool:
    """The allocation, duty rota and cover pages: the IRO team manager and the safeguarding
    service manager."""
    staff = staff_for_user(user)
    return staff is not None and bool(staff.roles & IRO_SERVICE_ROLES)


def may_read_audit(user: User) -> bool:
    """The audit page: the auditor, administrators and the safeguarding service manager."""
    staff = staff_for_user(user)
    return staff is not None and bool(staff.roles & AUDIT_READER_ROLES)


def may_read_reports(user: User) -> bool:
    """The reports (the dashboard, its documents and lists, and the API's figures): the IRO team
    manager, the safeguarding service manager and the management line (team manager up to
    director), each over the children their access gives them."""
    staff = staff_for_user(user)
    return staff is not None and bool(staff.roles & LINE_MANAGER_ROLES)


def has_caseload(user: User) -> bool:
    """My caseload: a member of staff with a role that holds children (not only an
    administrator's or the auditor's)."""
    staff = staff_for_user(user)
    return staff is not None and bool(staff.roles - NO_CASELOAD_ROLES)


def sees_children(user: User) -> bool:
    """The children's list (and the concerns on them): everyone but an administrator or a
    corporate IRO who holds no other role."""
    staff = staff_for_user(user)
    return staff is not None and bool(staff.roles - NO_CHILD_ROLES)


def may_see_carers(user: User) -> bool:
    """The foster carers, their reviews and the concerns about them: the corporate IRO, the IRO
    team manager and the safeguarding service manager."""
    staff = staff_for_user(user)
    return staff is not None and bool(staff.roles & FOSTERING_ROLES)


def reads_only(user: User) -> bool:
    """The auditor with no other role: every record read-only, a notice on every page."""
    staff = staff_for_user(user)
    return staff is not None and Role.AUDITOR in staff.roles and not staff.roles - NO_CASELOAD_ROLES


def may_open_any_record(user: User, *, as_of: dt.date | None = None) -> list[str]:
    """The purposes for which `user` may open any child's record on `as_of` (break-glass): the
    duty IRO of the day ("duty"), any IRO consulted by a social worker ("consultation")."""
    as_of = as_of or timezone.localdate()
    staff = staff_for_user(user)
    if staff is None:
        return []
    purposes = []
    if on_duty(staff, as_of):
        purposes.append(AccessGrant.Purpose.DUTY.value)
    if Role.IRO in staff.roles:
        purposes.append(AccessGrant.Purpose.CONSULTATION.value)
    return purposes


class OpenRecordRefused(ValueError):
    """A break-glass opening without a purpose the user holds today, or without a reason that
    says enough; `field` is the form's field it is about."""

    def __init__(self, message: str, *, field: str = "reference") -> None:
        super().__init__(message)
        self.field = field


def break_glass_rules() -> BreakGlass:
    """The active pack's rules for break-glass openings (the national baseline's by default)."""
    from oversight.policies import load_pack
    from oversight.policies.checks import active_policy

    rules = load_pack(active_policy()).break_glass
    return (
        rules
        if rules is not None
        else load_pack("england").break_glass or BreakGlass(source="Oversight's default")
    )


def open_record(
    reference: str,
    *,
    purpose: str,
    reason: str,
    acting_user: User,
    as_of: dt.date | None = None,
    ends_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> AccessGrant:
    """Break-glass: the duty IRO of the day, or an IRO a social worker consults, opens the child
    with council reference `reference` for `as_of` (today) only, until `ends_at` when that is
    within the day, stating why in at least the pack's `break_glass.reason_min_chars`. Writes the
    grant and its audit row in one transaction. The record opens at once, or, when the pack's
    `break_glass.approval_required`, once an IRO team manager approves (`approve_opening`).
    Restricted records cannot be opened this way."""
    from django.db import transaction

    as_of = as_of or timezone.localdate()
    staff = staff_for_user(acting_user)
    reason = reason.strip()
    rules = break_glass_rules()
    if staff is None or purpose not in may_open_any_record(acting_user, as_of=as_of):
        raise OpenRecordRefused("You cannot open records for this purpose today")
    if not reason:
        raise OpenRecordRefused("Say why you need to open this record", field="reason")
    if len(reason) < rules.reason_min_chars:
        raise OpenRecordRefused(
            f"Say why you need to open this record in at least {rules.reason_min_chars} "
            "characters: what you need it for, and for whom",
            field="reason",
        )
    child = Child.objects.filter(reference__iexact=reference.strip(), restricted=False).first()
    if child is None:
        raise OpenRecordRefused("There is no child with that reference you can open")
    now = timezone.now()
    with transaction.atomic():
        grant = AccessGrant.objects.create(
            child=child,
            staff=staff,
            date=as_of,
            ends_at=ends_at,
            purpose=purpose,
            reason=reason[:500],
            granted_at=now,
            approved_at=None if rules.approval_required else now,
        )
        record_opened(
            child,
            purpose=purpose,
            reason=reason,
            acting_user=acting_user,
            grant_id=grant.pk,
            request=request,
        )
    return grant


def may_approve_openings(user: User) -> bool:
    """Whether `user` approves break-glass openings: an IRO team manager."""
    staff = staff_for_user(user)
    return staff is not None and Role.IRO_TEAM_MANAGER in staff.roles


def openings_waiting(as_of: dt.date) -> QuerySet[AccessGrant]:
    """Today's break-glass openings waiting for approval, the first asked first."""
    return (
        AccessGrant.objects.filter(date=as_of, approved_at__isnull=True)
        .select_related("child", "staff__user")
        .order_by("granted_at", "pk")
    )


def approve_opening(
    grant_id: int, *, acting_user: User, request: HttpRequest | None = None
) -> None:
    """An IRO team manager approves today's break-glass opening `grant_id`: the record opens to
    the IRO who asked, until the end of the day. Audited."""
    from django.db import transaction

    staff = staff_for_user(acting_user)
    if staff is None or not may_approve_openings(acting_user):
        raise OpenRecordRefused("Only an IRO team manager approves a record's opening")
    with transaction.atomic():
        grant = (
            openings_waiting(timezone.localdate())
            .select_for_update(of=("self",))
            .filter(pk=grant_id)
            .first()
        )
        if grant is None:
            raise OpenRecordRefused("That opening is not waiting for approval")
        grant.approved_at = timezone.now()
        grant.approved_by = staff
        grant.save(update_fields=["approved_at", "approved_by"])
        record_change(
            grant.child,
            action="child.opening_approved",
            before=None,
            after={"grant": grant.pk, "opened_by": grant.staff.user.get_username()},
            acting_user=acting_user,
            request=request,
        )
