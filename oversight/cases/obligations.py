"""Obligations in the database: the engine's answer for each child, stored so that lists can be
filtered, sorted and counted in SQL.

    recompute_child(child, as_of=...)  one child's rows replaced (called by every action that
                                       changes a child's chronology, in its transaction)
    recompute_children(ids, as_of=...) several children's at once (an import's batch)
    recompute_all(as_of=...)           every child, for `oversight nightly`

The rows (and the plans, episodes and placements the engine placed the events in, `Span`) are
derived data: the engine (`oversight.timescales.engine.evaluate`) over the child's
events under the active policy pack is the truth. Each event goes to the engine with its id as an
extra field (`"event": pk`, by `models.engine_event`); the contract hands unknown fields back in
`trigger`, which ties each obligation to the event that triggered it. The engine's obligations are
typed (`timescales.engine.Obligation`: dates as dates), so they are stored as they come.

Owners come from the pack's `owners` table (code -> roles, watchers). Two of its roles are
placeholders resolved here: `addressee` (the addressees of the concern's ladder stage, or of the
informal stage) and `action_owner` (the `owner` named on the action: a role, or a person's
username; with nobody named, the row's `otherwise` roles: a complaint's first point of contact
where its record names one, else the child's IRO)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import connection, transaction

from oversight.audit.actions import json_text
from oversight.cache import data_version
from oversight.cases.constants import Role
from oversight.cases.holders import ladder_named, obligation_addressees
from oversight.cases.labels import category_for
from oversight.cases.models import (
    ENGINE_COLUMNS,
    Allocation,
    Child,
    Event,
    Flag,
    Obligation,
    Span,
    StaffMember,
    engine_event,
)
from oversight.cases.posts import council_posts
from oversight.policies import load_pack, resolve_policy
from oversight.policies.checks import active_policy
from oversight.timescales.engine import evaluate
from oversight.timescales.events import InputError
from oversight.timescales.rules import Policy

log = logging.getLogger(__name__)

# Children per transaction in `recompute_all`, and rows per INSERT.
CHUNK = 2000
BATCH = 5000

_ROLES = frozenset(Role.values)
_BELONGS = {"plan", "episode"}
# A pack's `owners` row as `resolve` gives it: roles, watchers, and the roles when
# `action_owner` finds nobody named on the trigger.
Owners = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
_NOBODY: Owners = ((), (), ())


@dataclass(frozen=True)
class Pack:
    """What recomputation needs from the active pack."""

    policy: Policy
    owners: dict[str, Owners]
    belongs: dict[str, str]
    informal: dict[str, tuple[str, ...]]  # ladder -> informal stage addressees
    warning: dict[str, tuple[str, ...]]  # ladder -> warning step addressees
    stages: dict[tuple[str, int], tuple[str, ...]]  # (ladder, stage) -> addressees
    default_ladder: str


@cache
def _pack(name: str) -> Pack:
    policy = resolve_policy(name)
    full = load_pack(name)
    informal: dict[str, tuple[str, ...]] = {}
    warning: dict[str, tuple[str, ...]] = {}
    stages: dict[tuple[str, int], tuple[str, ...]] = {}
    for ladder_name, ladder in full.ladders.items():
        informal[ladder_name] = tuple(ladder.informal.addressees)
        warning[ladder_name] = tuple(
            ladder.informal.warning.addressees
            if ladder.informal.warning
            else ladder.informal.addressees
        )
        for stage in ladder.stages:
            stages[(ladder_name, stage.number)] = tuple(stage.addressees)
    owners: dict[str, Owners] = dict(
        policy.extra.get("owners") or {}  # type: ignore[call-overload]
    )
    belongs: dict[str, str] = {row.code: row.belongs_to or "" for row in policy.obligations}
    belongs.update(
        {
            "booked.rcpc": "plan",
            "booked.core_group": "plan",
            "booked.midway_review": "plan",
            "booked.lac_review": "episode",
        }
    )
    return Pack(policy, owners, belongs, informal, warning, stages, policy.default_ladder)


def active_pack() -> Pack:
    return _pack(active_policy())


OBLIGATION_COLUMNS = (
    "child_id", "code", "category", "event_id", "trigger_type", "trigger_date", "trigger",
    "belongs_to", "due", "due_at", "status", "met_on", "on_time", "owner_roles", "owner_staff_id",
    "watchers", "as_of",
)  # fmt: skip
FLAG_COLUMNS = ("child_id", "code", "reason", "as_of")
SPAN_COLUMNS = ("child_id", "kind", "number", "start", "end", "details", "as_of")


@dataclass
class Derived:
    """One child's rows before they are written, as dicts of column values."""

    obligations: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    spans: list[dict[str, Any]] = field(default_factory=list)


def _ladders(events: list[dict[str, Any]], default: str) -> dict[object, str]:
    """Each concern's ladder: the first one named on its events (by date), else the default."""
    found: dict[object, str] = {}
    for event in sorted(events, key=lambda e: e["date"]):
        if "ladder" in event and event.get("concern") not in found:
            found[event.get("concern")] = str(event["ladder"])
    return found


def owners_of(
    code: str,
    trigger: dict[str, Any],
    pack: Pack,
    ladder: str,
    staff_ids: dict[str, int],
) -> tuple[list[str], int | None]:
    """The roles that act on obligation `code` (placeholders resolved) and the named person.
    `addressee` is whoever the concern's step is addressed to, as the escalation actions resolve
    it (`oversight.cases.holders.obligation_addressees`)."""
    roles, _, otherwise = pack.owners.get(code, _NOBODY)
    found: list[str] = []
    person = None
    for role in roles:
        if role == "addressee":
            chosen = ladder_named(pack.policy.name, ladder)
            found.extend(obligation_addressees(code, trigger, chosen))
        elif role == "action_owner":
            owner = str(trigger.get("owner") or "")
            if owner in _ROLES:
                found.append(owner)
            else:
                person = staff_ids.get(owner)
                if person is None:
                    found.extend(otherwise)
        else:
            found.append(role)
    return list(dict.fromkeys(found)), person


def derive(
    child_id: int,
    events: list[dict[str, Any]],
    pack: Pack,
    as_of: dt.date,
    staff_ids: dict[str, int],
) -> Derived:
    """The rows of one child. Raises InputError for a chronology the engine calls bad."""
    result = evaluate(events, pack.policy, as_of)
    out = Derived()
    ladders: dict[object, str] | None = None
    for found in result.obligations:
        code = found.code
        trigger = dict(found.trigger)
        event_id = trigger.pop("event", None)
        # An hours rule's due moment (a London datetime) is stored with its day.
        due_at = found.due if isinstance(found.due, dt.datetime) else None
        ladder = pack.default_ladder
        if code.startswith("esc."):
            if ladders is None:
                ladders = _ladders(events, pack.default_ladder)
            ladder = ladders.get(trigger.get("concern"), pack.default_ladder)
        roles, person = owners_of(code, trigger, pack, ladder, staff_ids)
        out.obligations.append(
            {
                "child_id": child_id,
                "code": code,
                "category": category_for(code, trigger),
                "event_id": event_id,
                "trigger_type": trigger["type"],
                "trigger_date": dt.date.fromisoformat(trigger["date"]),
                "trigger": trigger,
                "belongs_to": pack.belongs.get(code, ""),
                "due": due_at.date() if due_at is not None else found.due,
                "due_at": due_at,
                "status": found.status,
                "met_on": found.met_on,
                "on_time": found.on_time,
                "owner_roles": "".join(f"|{r}" for r in roles) + "|" if roles else "",
                "owner_staff_id": person,
                "watchers": list(pack.owners.get(code, _NOBODY)[1]),
                "as_of": as_of,
            }
        )
    out.flags = [
        {"child_id": child_id, "code": f.code, "reason": f.reason, "as_of": as_of}
        for f in result.flags
    ]
    out.spans = [
        _span(child_id, kind, number, start, end, details, as_of)
        for kind, placed in (
            (Span.Kind.PLAN, ((s.start, s.end, {}) for s in result.plans)),
            (Span.Kind.EPISODE, ((s.start, s.end, {}) for s in result.episodes)),
            (Span.Kind.PLACEMENT, ((p.begun.day, p.end, p.begun.raw) for p in result.placements)),
        )
        for number, (start, end, details) in enumerate(placed)
    ]
    return out


def _span(
    child_id: int,
    kind: str,
    number: int,
    start: int,
    end: int | None,
    details: dict[str, Any],
    as_of: dt.date,
) -> dict[str, Any]:
    """A span's row from the engine's day ordinals (a placement's details as `cases.chronology.
    placements` gives them)."""
    return {
        "child_id": child_id,
        "kind": kind,
        "number": number,
        "start": dt.date.fromordinal(start),
        "end": dt.date.fromordinal(end) if end is not None else None,
        "details": dict(details),
        "as_of": as_of,
    }


def _insert(table: str, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    """INSERT many rows in batches, values adapted by the backend (no model instances: a
    council's night writes millions of rows)."""
    if not rows:
        return
    ops = connection.ops
    json_fields = {"trigger", "watchers", "details"}
    date_fields = {"trigger_date", "due", "met_on", "as_of", "start", "end"}
    quote = ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    if connection.vendor == "postgresql":
        # COPY, a fraction of the INSERTs' time: the driver takes dates and datetimes as they
        # are, and JSON as text (`audit.actions.json_text`).
        jsons = [n for n, c in enumerate(columns) if c in json_fields]
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                values = [row[c] for c in columns]
                for n in jsons:
                    values[n] = json_text(values[n])
                copy.write_row(values)
        return
    adapted = []
    for row in rows:
        values = []
        for column in columns:
            value = row[column]
            if column in json_fields:
                value = ops.adapt_json_value(value, None)
            elif column in date_fields:
                value = ops.adapt_datefield_value(value)
            elif column == "due_at":
                value = ops.adapt_datetimefield_value(value)
            values.append(value)
        adapted.append(values)
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})"  # noqa: S608
        for start in range(0, len(adapted), BATCH):
            cursor.executemany(sql, adapted[start : start + BATCH])


def _write(derived: Iterable[Derived]) -> int:
    """Insert the rows; the number of obligations written."""
    obligations: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []
    spans: list[dict[str, Any]] = []
    for d in derived:
        obligations.extend(d.obligations)
        flags.extend(d.flags)
        spans.extend(d.spans)
    _insert(Obligation._meta.db_table, OBLIGATION_COLUMNS, obligations)
    _insert(Flag._meta.db_table, FLAG_COLUMNS, flags)
    _insert(Span._meta.db_table, SPAN_COLUMNS, spans)
    return len(obligations)


def _delete(**child_filter: Any) -> None:
    """Delete the derived rows of the children matched (one statement per table)."""
    Obligation.objects.filter(**child_filter).delete()
    Flag.objects.filter(**child_filter).delete()
    Span.objects.filter(**child_filter).delete()


def _usernames(events: Iterable[dict[str, Any]]) -> dict[str, int]:
    names = {str(e["owner"]) for e in events if e.get("owner") and e["owner"] not in _ROLES}
    if not names:
        return {}
    return dict(
        StaffMember.objects.filter(user__username__in=names).values_list("user__username", "pk")
    )


def recompute_child(child: Child | int, *, as_of: dt.date) -> int:
    """Replace one child's obligations and flags with the engine's answer as of `as_of`; the
    number of obligations. Raises InputError (nothing changed) for a chronology the engine calls
    bad. Runs in the caller's transaction when there is one."""
    child_id = child if isinstance(child, int) else child.pk
    found = recompute_children([child_id], as_of=as_of)
    if found.failed:
        raise found.failed[child_id]
    return found.obligations


@dataclass
class Recomputed:
    """What `recompute_children` wrote: the obligations, those overdue, and each child whose
    chronology the engine called bad (its error)."""

    obligations: int = 0
    overdue: int = 0
    failed: dict[int, InputError] = field(default_factory=dict)


def recompute_children(
    child_ids: list[int],
    *,
    as_of: dt.date,
    whole: Mapping[int, list[dict[str, Any]]] | None = None,
) -> Recomputed:
    """Replace the obligations and flags of several children (an import's batch) with the
    engine's answer as of `as_of`, in a few statements whatever their number: their events read
    at once, their old rows deleted at once, the new ones inserted in bulk. With any child the
    engine refuses (`failed`), nothing is changed. Runs in the caller's transaction when there is
    one. `whole`: children new in the caller's transaction, each with its whole chronology as
    `engine_event` gives it in date and id order (an import's new children, just written): it is
    not read back, and they have no rows to delete (at 10,000 children the read and the deletes
    were 3 s of the import's 42 s, profiled)."""
    whole = whole or {}
    chronologies: dict[int, list[dict[str, Any]]] = {
        pk: list(whole[pk]) if pk in whole else [] for pk in child_ids
    }
    held = [pk for pk in child_ids if pk not in whole]
    for child_id, *row in (
        Event.objects.filter(child_id__in=held)
        .order_by("child_id", "date", "id")
        .values_list("child_id", *ENGINE_COLUMNS)
        if held
        else ()
    ):
        chronologies[child_id].append(engine_event(*row))
    pack = active_pack()
    staff_ids = _usernames(e for events in chronologies.values() for e in events)
    derived: list[Derived] = []
    found = Recomputed()
    for child_id, events in chronologies.items():
        try:
            derived.append(derive(child_id, events, pack, as_of, staff_ids))
        except InputError as exc:
            found.failed[child_id] = exc
    if found.failed:
        return found
    with transaction.atomic():
        before: dict[int, list[Mapping[str, Any]]] = {pk: [] for pk in child_ids}
        if held:
            for row in Obligation.objects.filter(child_id__in=held).values(
                "child_id", "status", "met_on", "owner_staff_id", "owner_roles"
            ):
                before[row["child_id"]].append(row)
            _delete(child_id__in=held)
        found.obligations = _write(derived)
        for child_id in child_ids:
            data_version.bump_child(child_id)  # its page and its holders' caseloads, on commit
        if any(
            _asked_of(d.obligations, as_of) != _asked_of(before[pk], as_of)
            for pk, d in zip(chronologies, derived, strict=True)
        ):
            data_version.bump_access()  # someone is asked to act on a child, or no longer
    found.overdue = sum(
        1 for d in derived for o in d.obligations if o["status"] == Obligation.Status.OVERDUE
    )
    return found


def _asked_of(rows: Iterable[Mapping[str, Any]], as_of: dt.date) -> tuple[frozenset, frozenset]:
    """Whom a child's obligation rows ask to act whoever holds the child (the access rule
    `oversight.cases.access.asked_to_act`): the named owners and the council posts owing one that
    is open on `as_of` or met that day."""
    posts = council_posts()
    named: set[int] = set()
    owing: set[str] = set()
    for row in rows:
        if row["status"] == Obligation.Status.MET and row["met_on"] != as_of:
            continue
        if row["owner_staff_id"] is not None:
            named.add(row["owner_staff_id"])
        owing |= {role for role in posts if f"|{role}|" in row["owner_roles"]}
    return frozenset(named), frozenset(owing)


@dataclass
class Summary:
    children: int = 0
    obligations: int = 0
    seconds: float = 0.0
    failed: list[tuple[int, str]] = field(default_factory=list)


def _chronologies(chunk: int) -> Iterator[list[tuple[int, list[dict[str, Any]]]]]:
    """Every child with its events, in chunks of about `chunk` children, in child id order.

    Children with no events come too (with none), so their stale rows are replaced."""
    child_ids = Child.objects.order_by("pk").values_list("pk", flat=True)
    rows = (
        Event.objects.order_by("child_id", "date", "id")
        .values_list("child_id", *ENGINE_COLUMNS)
        .iterator(chunk_size=20_000)
    )
    pending = next(rows, None)
    batch: list[tuple[int, list[dict[str, Any]]]] = []
    for child_id in child_ids.iterator(chunk_size=20_000):
        events = []
        while pending is not None and pending[0] <= child_id:
            if pending[0] == child_id:
                events.append(engine_event(*pending[1:]))
            pending = next(rows, None)
        batch.append((child_id, events))
        if len(batch) >= chunk:
            yield batch
            batch = []
    if batch:
        yield batch


def recompute_all(*, as_of: dt.date, chunk: int = CHUNK) -> Summary:
    """Every child's obligations and flags replaced as of `as_of`, a chunk of children per
    transaction (a reader sees each child's rows either all old or all new). A child whose
    chronology the engine calls bad keeps no rows and is listed in `failed`."""
    started = time.perf_counter()
    pack = active_pack()
    staff_ids = dict(StaffMember.objects.values_list("user__username", "pk"))
    summary = Summary()
    # Events stream in child order (on PostgreSQL a server-side cursor, held across the chunks'
    # commits); one chunk of children at a time is in memory.
    for batch in _chronologies(chunk):
        derived = []
        for child_id, events in batch:
            try:
                derived.append(derive(child_id, events, pack, as_of, staff_ids))
            except InputError as exc:
                summary.failed.append((child_id, str(exc)))
                log.warning("child %s: %s", child_id, exc)
        with transaction.atomic():
            _delete(child_id__gte=batch[0][0], child_id__lte=batch[-1][0])
            summary.obligations += _write(derived)
            data_version.bump_records()  # every record and caseload, once this commits
        summary.children += len(batch)
    analyze()
    summary.seconds = time.perf_counter() - started
    return summary


# The tables the pages' plans depend on: the three rewritten here, the children and their
# allocations the caseload scope starts from, and the chronology the reports count events of
# (without its statistics the dashboard's plans took a nested loop over every conference: 250 ms
# of its 1 s at 2,000 children, issue 15).
ANALYZED = (Obligation, Flag, Span, Allocation, Child, Event)


def analyze() -> None:
    """Refresh the planner's statistics of the tables the pages read, after the night's rewrite
    of every obligation: a planner that believes the table empty (a new council, or autovacuum
    off or behind) picks plans a hundred times slower (issue 6's benchmark). On PostgreSQL, out
    of a transaction (VACUUM refuses one), the tables are vacuumed too: the rewrite leaves every
    old row dead beside its new one until autovacuum comes, and until then each of the reports'
    counts over a year's obligations reads both (at 20,000 children the dashboard's obligation
    figures took 330 ms before a VACUUM and 125 ms after, issue 15)."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for model in ANALYZED:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"VACUUM (ANALYZE) {table}" if vacuum else f"ANALYZE {table}")
