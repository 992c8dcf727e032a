"""Writing an import: all or nothing, audited, and only what Oversight does not hold yet.

`import_children` takes what a reader found (`records.Children`, `problems.Report`) and

1. checks the children against Oversight (a child whose date of birth differs from the one
   Oversight holds is an error), from what the files say of each child, not their events;
2. then takes the children with their events (`Children.whole()`: a census's are read back from
   where its reader set them aside, so only a batch's events are held at once), `BATCH` at a
   time, and works out what is new: a child is matched on the council's reference, an event on
   the child, its type and its date; with any error or with `dry_run` it only counts;
3. else, in one transaction, a batch of `BATCH` children at a time: the new children (an audit
   row each), then every new event through `oversight.cases.actions.record_chronologies` (the
   pages' own action, `record_event`, for many children at once: each event's audit row, the
   engine's check of each chronology, the children's obligations recomputed together), all
   inserted in bulk; then the workers' allocations of the Standard Safeguarding Dataset's
   involvements (`_staff_of`: the member of staff by username or email address, else a
   warning), an audit row each; and one audit row for the import (who, when, each file's SHA-256, the
   counts). A chronology the engine refuses is an error of the report and the whole import is
   undone. Into empty tables (a first import), the children's, events' and obligations' indexes
   and the foreign keys between them are made once the rows are written, in the same
   transaction (`_built_after`).

Events are recorded with no `acting_user`, as the demo's are: an imported fact was recorded in
the council's old system, not by the person importing it (and an import prompts no actions, such
as the plan's discharge when a child on a plan becomes looked after, that it does not hold). The
import's own audit row names who ran it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from oversight.audit.actions import Change, record_change, record_changes
from oversight.cache import data_version
from oversight.cases.actions import NewEvent, record_chronologies
from oversight.cases.bulk import built_after, bulk_insert
from oversight.cases.chronology import periods, visit_minimum_on
from oversight.cases.constants import Role
from oversight.cases.formatting import sentence_day
from oversight.cases.models import Allocation, Child, Event, Flag, Obligation, Span, StaffMember
from oversight.cases.obligations import Recomputed, active_pack
from oversight.cases.proceedings import proceedings_of
from oversight.cases.rules import event_problems
from oversight.interop import cin, events, ssd, ssda903
from oversight.interop.problems import Report
from oversight.interop.records import Children, Fact, Incoming, Involvement, Meter, Progress, Source
from oversight.timescales.rules import Policy

# The name an imported child carries: the census and the 903 hold no names.
NO_NAME = "(name not in the return)"
# Each format's reader, by the name the command and the page give it.
READERS = {"cin": cin.read, "903": ssda903.read, "ssd": ssd.read, "events": events.read}
# Children per query when matching a file's children with Oversight's.
CHUNK = 500
# Children written together: their rows inserted in bulk, their obligations recomputed at once.
BATCH = 1000


@dataclass
class Summary:
    """What an import did (or, with `dry_run` or errors, would have done)."""

    kind: str
    files: list[dict[str, str]]
    children_in_files: int = 0
    children_added: int = 0
    events_in_files: int = 0
    events_added: int = 0
    events_already_held: int = 0
    # Workers' allocations (the Standard Safeguarding Dataset's involvements).
    allocations_added: int = 0
    obligations: int = 0
    overdue: int = 0
    dry_run: bool = False
    imported: bool = False
    # Who ran the command on the server (the import page names its user instead).
    run_by: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, found: dict[str, Any]) -> Summary:
        return cls(**found)


@dataclass
class _Work:
    incoming: Incoming
    child: Child | None
    new: list[Fact] = field(default_factory=list)


@dataclass
class _Allocating:
    involvement: Involvement
    staff: StaffMember


class _Refused(Exception):
    """The engine refused a chronology: the transaction is undone (the report says why)."""


def _check_held(children: Children, report: Report, *, holds: bool) -> int:
    """The files' children against Oversight's, before anything is written (a child whose date
    of birth differs from the one Oversight holds, or new with neither date, or new with a first
    episode that continues a period of care, is an error): how many are new. Reads only what
    the files hold of each child, not their events; nothing when Oversight `holds` no child."""
    added = 0
    incoming = list(children)
    for start in range(0, len(incoming), CHUNK):
        chunk = incoming[start : start + CHUNK]
        held = dict(
            Child.objects.filter(reference__in=[c.reference for c in chunk]).values_list(
                "reference", "date_of_birth"
            )
            if holds
            else ()
        )
        for one in chunk:
            if one.reference not in held:
                added += 1
                if one.continues_care is not None:
                    file, where = one.continues_care
                    report.error(
                        file,
                        where,
                        "RNE",
                        "This child's first episode here continues a period of care begun "
                        "before it, which Oversight does not hold: import the return that holds "
                        "the period's start (RNE S) first",
                    )
                if one.date_of_birth is None and one.expected_date_of_birth is None:
                    report.error(
                        one.file,
                        one.where,
                        "date of birth",
                        "The child is new to Oversight and has neither a date of birth nor an "
                        "expected date of birth",
                    )
                continue
            born = held[one.reference]
            if born and one.date_of_birth and born != one.date_of_birth:
                file, where = one.born_at
                report.error(
                    file or one.file,
                    where or one.where,
                    "date of birth",
                    f"This child has two dates of birth: {sentence_day(one.date_of_birth)} here and "
                    f"{sentence_day(born)} in Oversight",
                )
    return added


@dataclass(frozen=True)
class _Row:
    """An event as `cases.chronology.periods` and `cases.proceedings` read it: Oversight's or
    the file's (a negative `pk`, after Oversight's on the same day)."""

    pk: int
    type: str
    date: dt.date
    time: dt.time | None
    data: dict[str, Any]


def check_chronologies(children: Children, report: Report, *, as_of: dt.date) -> None:
    """Each event the files give as the event form's fields (`Fact.record`) judged by the
    form's rule, `cases.rules.event_problems`, against the child's chronology as it stood on
    the event's day (Oversight's events and the files', less the event itself; one Oversight
    holds already is neither written again nor judged again): a placement on
    a day the child was not looked after, proceedings begun while others are open, a booking
    dated before it was made, an action done that was never set. Each problem an error of the
    report, in the form's words, naming the event's line and the column of the field."""
    ruled = [c for c in children if any(f.record is not None for f in c.facts)]
    policy = active_pack().policy
    for start in range(0, len(ruled), CHUNK):
        chunk = ruled[start : start + CHUNK]
        held: dict[str, list[_Row]] = {}
        for event in (
            Event.objects.filter(child__reference__in=[c.reference for c in chunk])
            .select_related("child")
            .order_by("date", "pk")
        ):
            held.setdefault(event.child.reference, []).append(
                _Row(event.pk, event.type, event.date, event.time, dict(event.data))
            )
        for one in chunk:
            theirs = held.get(one.reference, [])
            known = {(r.type, r.date) for r in theirs}
            # The file's events Oversight holds already are not written again, nor judged.
            new = [(n, f) for n, f in enumerate(one.facts, 1) if f.key not in known]
            rows = theirs + [_Row(-n, f.type, f.date, f.time, f.data) for n, f in new]
            # The plans and episodes, of what begins and ends them (no ruled event does: one
            # the rule is about to refuse would leave the engine unable to read the rest).
            found = periods(
                [r for r in rows if r.pk > 0 or one.facts[-r.pk - 1].record is None],
                policy,
                as_of,
            )
            for n, fact in new:
                if fact.record is None:
                    continue
                others = [r for r in rows if r.pk != -n]
                done = {str(r.data.get("action")) for r in others if r.type == "action_done"}
                problems = event_problems(
                    fact.record,
                    periods=[p for p in found if p.start <= fact.date],
                    open_actions={
                        str(r.data.get("action"))
                        for r in others
                        if r.type == "action_set" and str(r.data.get("action")) not in done
                    },
                    proceedings=proceedings_of(others),
                    visit_minimum=partial(visit_minimum_on, others, policy),
                )
                for name, problem in problems.items():
                    report.error(fact.file, fact.where, name, problem)


def _batches(children: Children, *, holds: bool) -> Iterator[list[_Work]]:
    """The files' children, `BATCH` at a time, each with Oversight's child (None: new) and its
    events Oversight does not hold yet (a streamed census's read back from its spool). When
    Oversight `holds` no child as the import begins, none is looked for: each of the files'
    children is new, and the batches before wrote only others (a reference comes once)."""
    batch: list[Incoming] = []
    for one in children.whole():
        batch.append(one)
        if len(batch) == BATCH:
            yield _plan(batch, holds)
            batch = []
    if batch:
        yield _plan(batch, holds)


def _plan(batch: list[Incoming], holds: bool) -> list[_Work]:
    found = Child.objects.filter(reference__in=[c.reference for c in batch]) if holds else ()
    held = {c.reference: c for c in found}
    keys: dict[int, set[tuple[str, dt.date]]] = {}
    for child_id, type_, date in Event.objects.filter(child__in=held.values()).values_list(
        "child_id", "type", "date"
    ):
        keys.setdefault(child_id, set()).add((type_, date))
    work: list[_Work] = []
    for one in batch:
        child = held.get(one.reference)
        known = keys.get(child.pk, set()) if child is not None else set()
        work.append(_Work(one, child, [f for f in one.facts if f.key not in known]))
    return work


def _staff_of(involvements: list[Involvement], report: Report) -> list[_Allocating]:
    """Each involvement with the member of Oversight's staff it names, by the stated rule: the
    one whose username or email address (either case) is the file's professional, and who holds
    the involvement's role. An involvement of nobody, or of someone without the role, is a
    warning and is left out; one Oversight holds already (the child, the member of staff, the
    role and the start) is left out too (a re-import adds nothing)."""
    if not involvements:
        return []
    named = {i.professional.lower() for i in involvements if i.professional}
    by_name: dict[str, StaffMember] = {}
    for member in (
        StaffMember.objects.select_related("user")
        .prefetch_related("role_set")
        .annotate(username_lower=Lower("user__username"), email_lower=Lower("user__email"))
        .filter(Q(username_lower__in=named) | Q(email_lower__in=named))
    ):
        by_name.setdefault(member.user.username.lower(), member)
        if member.user.email:
            by_name.setdefault(member.user.email.lower(), member)
    held = set(
        Allocation.objects.filter(
            child__reference__in={i.reference for i in involvements}
        ).values_list("child__reference", "staff_id", "role", "starts")
    )
    allocating: list[_Allocating] = []
    for one in involvements:
        role = Role(one.role).label.lower()
        staff = by_name.get(one.professional.lower()) if one.professional else None
        if staff is None:
            report.warning(
                one.file,
                one.where,
                "invo_professional_id",
                f"No member of Oversight's staff has the username or email address "
                f"{one.professional!r}: this {role}'s allocation is not imported",
            )
        elif one.role not in staff.roles:
            report.warning(
                one.file,
                one.where,
                "invo_professional_id",
                f"{staff} ({one.professional}) is not a {role} in Oversight: this allocation "
                "is not imported",
            )
        elif (one.reference, staff.pk, one.role, one.start) not in held:
            allocating.append(_Allocating(one, staff))
    return allocating


def _allocate(allocating: list[_Allocating], acting_user: Any) -> None:
    """The workers' allocations, inserted together, an audit row each (the children written)."""
    children = {
        c.reference: c
        for c in Child.objects.filter(
            reference__in={a.involvement.reference for a in allocating}
        ).only("pk", "reference")
    }
    made = Allocation.objects.bulk_create(
        Allocation(
            child=children[a.involvement.reference],
            staff=a.staff,
            role=a.involvement.role,
            starts=a.involvement.start,
            ends=a.involvement.end,
            reason=f"Imported from {a.involvement.file}, {a.involvement.where}",
        )
        for a in allocating
    )
    record_changes(
        (
            Change(
                allocation.child,
                "allocation.imported",
                None,
                {
                    "role": allocation.role,
                    "staff": str(a.staff),
                    "starts": allocation.starts,
                    "ends": allocation.ends,
                    "from": f"{a.involvement.file}, {a.involvement.where}",
                },
            )
            for allocation, a in zip(made, allocating, strict=True)
        ),
        acting_user=acting_user,
    )
    # Past the models' signals: who may see each child, and its record.
    data_version.bump_access()
    for allocation in made:
        data_version.bump_child(allocation.child_id)


def _add_children(incoming: list[Incoming], acting_user: Any) -> list[Child]:
    """The children new to Oversight, inserted together, an audit row each."""
    children = [
        Child(
            reference=one.reference,
            last_name=NO_NAME,
            date_of_birth=one.date_of_birth,
            expected_date_of_delivery=None if one.date_of_birth else one.expected_date_of_birth,
        )
        for one in incoming
    ]
    for child in children:
        # Unique references are `_plan`'s: each is new to Oversight and once in the files.
        child.full_clean(validate_unique=False, validate_constraints=False)
    bulk_insert(Child, children)
    record_changes(
        (
            Change(
                child,
                "child.imported",
                None,
                {
                    "reference": child.reference,
                    "date_of_birth": child.date_of_birth,
                    "expected_date_of_delivery": child.expected_date_of_delivery,
                    "upn": one.upn,
                    "from": f"{one.file}, {one.where}",
                },
            )
            for child, one in zip(children, incoming, strict=True)
        ),
        acting_user=acting_user,
    )
    return children


def import_children(
    kind: str,
    sources: Iterable[Source],
    children: Children,
    report: Report,
    *,
    acting_user: Any,
    as_of: dt.date,
    dry_run: bool = False,
    run_by: str = "",
    progress: Progress | None = None,
) -> Summary:
    """Import what a reader found from `sources` (`kind`: a name of `READERS`); see the module.
    `progress` hears ("importing", children written, children) as it goes."""
    summary = Summary(
        kind,
        [{"name": s.name, "sha256": s.sha256()} for s in sources],
        children_in_files=len(children),
        dry_run=dry_run,
        run_by=run_by,
    )
    # A first import: Oversight holds no child to match the files' with.
    holds = Child.objects.exists()
    summary.children_added = _check_held(children, report, holds=holds)
    check_chronologies(children, report, as_of=as_of)
    allocating = _staff_of(children.involvements, report)
    summary.allocations_added = len(allocating)
    writing = not (report.errors or dry_run)
    try:
        # The data versions bumped once for the whole import, after it commits.
        with _held_apart(), data_version.deferred(), transaction.atomic(), _built_after(writing):
            done = 0
            for work in _batches(children, holds=holds):
                if progress is not None and writing:
                    progress("importing", done, len(children))
                summary.events_in_files += sum(len(w.incoming.facts) for w in work)
                summary.events_added += sum(len(w.new) for w in work)
                if writing:
                    found = _write(work, report, acting_user, as_of)
                    summary.obligations += found.obligations
                    summary.overdue += found.overdue
                done += len(work)
            summary.events_already_held = summary.events_in_files - summary.events_added
            if not writing:
                return summary
            if allocating:
                _allocate(allocating, acting_user)
            if progress is not None:
                progress("importing", done, len(children))
            record_change(
                None,
                action=f"import.{kind}",
                before=None,
                after={
                    k: v
                    for k, v in summary.as_json().items()
                    if k not in {"obligations", "overdue", "imported"}
                },
                acting_user=acting_user,
            )
    except _Refused:
        summary.obligations = summary.overdue = 0
        return summary
    summary.imported = True
    return summary


def _built_after(writing: bool) -> AbstractContextManager[None]:
    """The indexes and foreign keys of the children, their chronologies and their obligations,
    while their tables are empty (a first import), made once the import has written its rows
    (`cases.bulk.built_after`)."""
    return built_after([Child, Event, Obligation, Flag, Span]) if writing else nullcontext()


@contextmanager
def _held_apart() -> Iterator[None]:
    """What the process holds as the writing begins (the files' children, Django, the packs) is
    left out of the garbage collector's passes until it ends (`gc.freeze`), so that each full
    pass, which the import's many new objects set off, does not walk all of it again (10,000
    children on PostgreSQL: 1.2 s of collecting to 0.45 s); refused or not, it is put back."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _write(batch: list[_Work], report: Report, acting_user: Any, as_of: dt.date) -> Recomputed:
    """One batch of children: the new ones added, every new event recorded, their obligations
    recomputed (`record_chronologies`). A chronology the engine refuses is an error of the report
    naming the child's first new event (the engine reads the whole chronology), and `_Refused`."""
    # A child Oversight holds with nothing new is left as it is (a re-import changes nothing).
    batch = [w for w in batch if w.child is None or w.new]
    added = _add_children([w.incoming for w in batch if w.child is None], acting_user)
    made = iter(added)
    children = [w.child if w.child is not None else next(made) for w in batch]
    new = [sorted(w.new, key=lambda f: f.date) for w in batch]
    try:
        _, found = record_chronologies(
            [
                (child, [NewEvent(f.type, f.date, f.time, f.data) for f in facts])
                for child, facts in zip(children, new, strict=True)
            ],
            acting_user=None,
            as_of=as_of,
            new_children={c.pk for c in added},
        )
    except ValidationError as exc:
        refused = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        for one, facts in zip(batch, new, strict=True):
            for message in refused.get(one.incoming.reference, []):
                first = facts[0] if facts else None
                report.error(
                    first.file if first else one.incoming.file,
                    first.where if first else one.incoming.where,
                    first.field if first else "events",
                    message,
                )
        for message in refused.get("", []):
            report.error(batch[0].incoming.file, "the file", "events", message)
        raise _Refused from None
    return found


def run_import(
    kind: str,
    sources: list[Source],
    *,
    acting_user: Any,
    as_of: dt.date,
    policy: Policy,
    dry_run: bool = False,
    run_by: str = "",
    progress: Progress | None = None,
) -> tuple[Summary, Report]:
    """Read and check `sources` as `kind`, then import them (see the module): the command's, the
    page's and the background worker's one way in. `progress` hears ("checking", bytes read,
    bytes) while the files are read, then ("importing", children written, children)."""
    if progress is not None:
        meter = Meter(sum(s.path.stat().st_size for s in sources), progress)
        sources = [dataclasses.replace(s, meter=meter) for s in sources]
    children, report = READERS[kind](sources, as_of=as_of, policy=policy)
    summary = import_children(
        kind,
        sources,
        children,
        report,
        acting_user=acting_user,
        as_of=as_of,
        dry_run=dry_run,
        run_by=run_by,
        progress=progress,
    )
    return summary, report
