"""Writing the audit log. Every read, change or export of a child's record goes through one of
these, in the same transaction as the change it records.

- `record_child_view(request, child, *, reason="")`: a view of a child's record.
- `record_child_view_and_viewers(request, child)`: the same, returning "who has seen this
  record" as it stands after the view (the child page's one statement on PostgreSQL).
- `record_change(child, *, action, before, after, reason, acting_user, request=None)`: a change;
  `action` is a short code ("event.recorded", "event.amended", "iro.allocated"); `before` and
  `after` are JSON-able (dicts or None); `child` may be None for changes to no child (the rota).
- `record_changes(changes, *, acting_user)`: many changes (`Change`: child, action, before,
  after) written together, a row each (an import's batch, an event recorded).
- `record_export(request, *, what, child=None, children=(), reason="")`: an export (CSV, XLSX,
  a report), naming its child or each of its children.
- `record_return(children, *, what, user, request=None)`: a statutory return of many children
  (the CIN census, the SSDA903), one export row naming each child, from a page or a command.
- `record_page_view(request, *, what, children=())`: a view of a page about several children
  (My caseload, the children, the concerns, the messages, the inbox, a report's list): one row,
  naming each child it showed.
- `record_refused(request, child)`: a request for a child outside the user's scope, refused.
- `record_api_call(request)`: a call to the API with a token (the token's name on the row), when
  the call wrote no row of its own from the request.
- `serving(request)`: while a request is served, a change written without it (an action takes
  plain values, not the request) still carries a token call's path, address and `via`, so a
  token's write is one row (`oversight.api.middleware.CallAuditMiddleware` serves every request
  inside it).
- `record_restricted_notice(request, child)`: a manager was shown that a restricted record exists.
- Sign-ins and failed sign-ins are written by `oversight.audit.signals` from Django's signals.
- `pseudonymise(child_id, *, pseudonym, scrub)`: the one rewrite the log allows, an erasure's
  (`oversight.erasure`): the child's rows kept, naming only the pseudonym.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple, Protocol

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from oversight.audit.addresses import request_address
from oversight.audit.models import AuditEntry, ChildShown, RecordViewer


class ChildRecord(Protocol):
    """The child an entry is about, as the log needs it: its id and its reference, both copied
    onto the row (the log outlives the record). `cases.models.Child` is one; the log stands below
    `cases` and knows nothing else of it, so `cases` may write its audit rows in its actions."""

    @property
    def pk(self) -> Any: ...

    @property
    def reference(self) -> str: ...


class Named(NamedTuple):
    """A child as a list page has it (its id and reference, without the row): a `ChildRecord`."""

    pk: int
    reference: str


def named(children: Iterable[tuple[int, str]]) -> list[Named]:
    """Children given as (id, reference) pairs, as the log names them."""
    return [Named(pk, reference) for pk, reference in children]


def _jsonable(value: Any) -> Any:
    """Dates, decimals and the like as strings, so any dict of model values can be stored."""
    if value is None:
        return None
    import json

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _printable(text: str) -> str:
    """`text` without control characters: what a client sends (its user agent, a username it
    typed) is kept as it reads, and PostgreSQL refuses a NUL in a text column outright."""
    return "".join(c if c.isprintable() else "\ufffd" for c in text)


_served: ContextVar[HttpRequest | None] = ContextVar("audit_served_request", default=None)


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    """Serve `request` inside this: the rows its actions write carry it if it is a token's call."""
    held = _served.set(request)
    try:
        yield
    finally:
        _served.reset(held)


def _from_request(request: HttpRequest | None) -> dict[str, Any]:
    if request is None:
        # An action called by a token's API call (the action takes plain values): the row
        # names the token and the call, and the call writes no second row (`record_api_call`).
        # A page's action keeps its rows as they were: the page writes its own.
        served = _served.get()
        if served is None or not getattr(served, "audit_via", ""):
            return {}
        request = served
    request.audit_written = True  # type: ignore[attr-defined]  # see `record_api_call`
    return {
        "path": _printable(request.get_full_path())[:500],
        "ip_address": request_address(request),
        "user_agent": _printable(request.META.get("HTTP_USER_AGENT", ""))[:500],
        "via": getattr(request, "audit_via", "")[:200],
    }


def _entry(
    *,
    action: str,
    user: Any,
    child: ChildRecord | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> AuditEntry:
    """The audit row, not yet written."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEntry(
        at=timezone.now(),
        user=user,
        action=action,
        child_id=child.pk if child is not None else None,
        child_reference=child.reference if child is not None else "",
        **_from_request(request),
        **fields,
    )


def _write(*, children: Iterable[ChildRecord] = (), **entry: Any) -> AuditEntry:
    """The entry and, in the same transaction, a row for each of the `children` it names (each
    once, in the order shown). On PostgreSQL, with children, one statement (a list's view: the
    API's caseload obligations, issue 17's benchmark); elsewhere two in one transaction."""
    written = _entry(**entry)
    named: dict[Any, str] = {}
    for shown in children:
        named.setdefault(shown.pk, shown.reference)
    if named and connection.vendor == "postgresql":
        _write_with_children(written, named)
        return written
    with transaction.atomic():  # the same statements however many children: one insert each
        written.save()
        ChildShown.objects.bulk_create(
            ChildShown(entry=written, child_id=pk, child_reference=reference)
            for pk, reference in named.items()
        )
    return written


def _write_with_children(entry: AuditEntry, named: dict[Any, str]) -> None:
    """PostgreSQL: the entry (every column from the model's own fields, as `_write_and_count`
    prepares them) and its children's rows in one data-modifying WITH, in the order given."""
    shown = ChildShown._meta
    insert, values = _insert_entry(entry)
    sql = (
        f"WITH entry AS ({insert} RETURNING id) "  # noqa: S608 - the models' own tables
        f"INSERT INTO {connection.ops.quote_name(shown.db_table)} "
        "(entry_id, child_id, child_reference) "
        "SELECT entry.id, c.child_id, c.reference FROM entry, "
        "UNNEST(%s::bigint[], %s::text[]) WITH ORDINALITY AS c(child_id, reference, n) "
        "ORDER BY c.n RETURNING entry_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, list(named), list(named.values())])
        entry.pk = cursor.fetchone()[0]
    entry._state.adding = False


def _insert_entry(entry: AuditEntry) -> tuple[str, list[Any]]:
    """The INSERT of `entry`'s row, with every column the model saves, and its values."""
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    insert = (
        f"INSERT INTO {quote(AuditEntry._meta.db_table)} "  # noqa: S608 - the model's own table
        f"({', '.join(quote(str(f.column)) for f in fields)}) "
        f"VALUES ({', '.join('%s' for _ in fields)})"
    )
    values = [f.get_db_prep_save(f.pre_save(entry, add=True), connection) for f in fields]
    return insert, values


def record_child_view(request: HttpRequest, child: ChildRecord, *, reason: str = "") -> None:
    """One row: who viewed which child's record, when, at which path and from where; and, in the
    same transaction, the viewer's row of "who has seen this record" (`RecordViewer`).

    On PostgreSQL both in one statement (a data-modifying WITH: one round trip, one commit,
    issue 6's busiest page); elsewhere two statements in one transaction. The same rows."""
    _record_view(_view_entry(request, child, reason), viewers=False)


def record_child_view_and_viewers(request: HttpRequest, child: ChildRecord) -> list[RecordViewer]:
    """`record_child_view`, and who has seen the record once this view is counted (the
    `VIEWERS_SHOWN` most recent first, each with `first_name`, `last_name` and `username`).

    On PostgreSQL the audit row, the viewer's count and the read are one statement (issue 12: the
    child page's only round trip after the access check); elsewhere three in one transaction."""
    return _record_view(_view_entry(request, child, ""), viewers=True)


VIEWERS_SHOWN = 50


def _view_entry(request: HttpRequest, child: ChildRecord, reason: str) -> AuditEntry:
    return _entry(
        action=AuditEntry.Action.VIEW,
        user=request.user,
        child=child,
        request=request,
        what="child.viewed",
        reason=reason,
    )


def _record_view(entry: AuditEntry, *, viewers: bool) -> list[RecordViewer]:
    if entry.user_id is None:  # no one to count (a view is only ever by someone signed in)
        entry.save()
        return viewers_of(entry.child_id) if viewers else []
    if connection.vendor == "postgresql":
        return _write_and_count(entry, viewers=viewers)
    with transaction.atomic():
        entry.save()
        _count_viewer(entry)
        return viewers_of(entry.child_id) if viewers else []


def viewers_of(child_id: Any) -> list[RecordViewer]:
    """Who has seen child `child_id`'s record, the `VIEWERS_SHOWN` most recent first, each with
    `first_name`, `last_name` and `username` (a read: a page that records no view, a PDF)."""
    return list(
        RecordViewer.objects.filter(child_id=child_id)
        .annotate(
            first_name=F("user__first_name"),
            last_name=F("user__last_name"),
            username=F("user__username"),
        )
        .order_by("-last_seen", "-pk")[:VIEWERS_SHOWN]
    )


# One more view of a child by a user: a first view adds the row.
_COUNT_VIEWER = (
    "INSERT INTO {viewers} (child_id, user_id, first_seen, last_seen, times) "
    "VALUES (%s, %s, %s, %s, 1) ON CONFLICT (child_id, user_id) DO UPDATE "
    "SET last_seen = EXCLUDED.last_seen, times = {viewers}.times + 1"
)


def _count_viewer(entry: AuditEntry) -> None:
    at = connection.ops.adapt_datetimefield_value(entry.at)
    with connection.cursor() as cursor:
        cursor.execute(_count_viewer_sql(), [entry.child_id, entry.user_id, at, at])


def _count_viewer_sql() -> str:
    return _COUNT_VIEWER.format(viewers=connection.ops.quote_name(RecordViewer._meta.db_table))


def _write_and_count(entry: AuditEntry, *, viewers: bool) -> list[RecordViewer]:
    """PostgreSQL: the audit row (every column from the model's own fields, prepared as the
    model would save them) and the viewer's count in one statement; with `viewers`, the same
    statement reads who has seen the record. Its read sees the table as the statement began, so
    the viewer's own row is taken from what the count returns, the others from the table."""
    insert, values = _insert_entry(entry)
    at = connection.ops.adapt_datetimefield_value(entry.at)
    count = [*values, entry.child_id, entry.user_id, at, at]
    if not viewers:
        with connection.cursor() as cursor:
            cursor.execute(f"WITH entry AS ({insert}) {_count_viewer_sql()}", count)
        return []
    return list(
        RecordViewer.objects.raw(
            f"WITH entry AS ({insert}), counted AS ({_count_viewer_sql()} {_RETURNING}) "
            + _read_viewers_sql(),
            [*count, entry.child_id, entry.user_id, VIEWERS_SHOWN],
        )
    )


_RETURNING = "RETURNING id, child_id, user_id, first_seen, last_seen, times"


def _read_viewers_sql() -> str:
    quote = connection.ops.quote_name
    viewers = quote(RecordViewer._meta.db_table)
    users = quote(RecordViewer._meta.get_field("user").related_model._meta.db_table)
    return (
        "SELECT v.id, v.child_id, v.user_id, v.first_seen, v.last_seen, v.times, "  # noqa: S608
        "u.first_name, u.last_name, u.username FROM (SELECT * FROM counted UNION ALL "
        f"SELECT id, child_id, user_id, first_seen, last_seen, times FROM {viewers} "
        "WHERE child_id = %s AND user_id <> %s) v "
        f"JOIN {users} u ON u.id = v.user_id ORDER BY v.last_seen DESC, v.id DESC LIMIT %s"
    )


def record_change(
    child: ChildRecord | None,
    *,
    action: str,
    before: Any,
    after: Any,
    reason: str = "",
    acting_user: Any,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """One row for one change: `action` (a code such as "event.amended"), the record before and
    after (JSON), the stated reason. Call it inside the change's transaction."""
    return _write(
        action=AuditEntry.Action.CHANGE,
        user=acting_user,
        child=child,
        request=request,
        what=action[:100],
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason,
    )


class Change(NamedTuple):
    """One change of many (`record_changes`): as `record_change` takes it."""

    child: ChildRecord | None
    action: str
    before: Any
    after: Any


def record_changes(changes: Iterable[Change], *, acting_user: Any) -> int:
    """A row for each change, as `record_change` writes it (no reason), inserted
    together (an import writes hundreds of thousands); the number written. Call it inside the
    changes' transaction. On PostgreSQL through COPY, the rows as plain values."""
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    at = timezone.now()
    call = _from_request(None)  # a token's call recording events: its path, address and name
    rows = [
        {
            **call,
            "at": at,
            "user_id": user.pk if user is not None else None,
            "action": AuditEntry.Action.CHANGE.value,
            "child_id": c.child.pk if c.child is not None else None,
            "child_reference": c.child.reference if c.child is not None else "",
            "what": c.action[:100],
            "before": c.before,
            "after": c.after,
        }
        for c in changes
    ]
    if connection.vendor != "postgresql":
        AuditEntry.objects.bulk_create(
            (
                AuditEntry(
                    **(row | {"before": _jsonable(row["before"]), "after": _jsonable(row["after"])})
                )
                for row in rows
            ),
            batch_size=1000,
        )
        return len(rows)
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    blank = {f.attname: None if f.null else "" for f in fields}
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(f.column)) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(  # the driver's own cursor: Django's has no COPY
            f"COPY {quote(AuditEntry._meta.db_table)} ({names}) FROM STDIN"
        ) as copy,
    ):
        for row in rows:
            row["before"], row["after"] = json_text(row["before"]), json_text(row["after"])
            copy.write_row([row.get(f.attname, blank[f.attname]) for f in fields])
    return len(rows)


_ENCODER = DjangoJSONEncoder()


def json_text(value: Any, default: Callable[[Any], Any] | None = _ENCODER.default) -> str | None:
    """A JSON column's value as COPY takes it (None: SQL NULL, as the model stores it), for the
    audit rows here and every other table written by COPY (`cases.bulk`): by orjson, a tenth of
    the time of `json` (an import writes a row an event), its dates and times handed to
    `default` (by default the encoder `record_change` stores with, so that they read as they
    always have; None refuses them, as `json.dumps` does)."""
    if value is None:
        return None
    option = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
    return orjson.dumps(value, default=default, option=option).decode()


def record_export(
    request: HttpRequest,
    *,
    what: str,
    child: ChildRecord | None = None,
    children: Iterable[ChildRecord] = (),
    reason: str = "",
) -> AuditEntry:
    """One row for one export (`what`: "children.csv", "annex_a.xlsx", ...), naming its child or
    each of its children."""
    return _write(
        action=AuditEntry.Action.EXPORT,
        user=request.user,
        child=child,
        children=children,
        request=request,
        what=what[:100],
        reason=reason,
    )


def record_return(
    children: Iterable[ChildRecord],
    *,
    what: str,
    user: Any,
    request: HttpRequest | None = None,
) -> int:
    """One export row for each child of a statutory return (`what`: "export.cin 2027"), each
    naming its child, written together; the number written. `request` is None from a command."""
    rows = [
        _entry(
            action=AuditEntry.Action.EXPORT, user=user, child=c, request=request, what=what[:100]
        )
        for c in children
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def record_page_view(
    request: HttpRequest, *, what: str, children: Iterable[ChildRecord] = ()
) -> AuditEntry:
    """One row for one view of a page showing several children's records at once (`what`:
    "caseload.viewed"), naming each child it showed; the path says which page and which page
    of it."""
    return _write(
        action=AuditEntry.Action.VIEW,
        user=request.user,
        children=children,
        request=request,
        what=what[:100],
    )


def record_refused(request: HttpRequest, child: ChildRecord) -> AuditEntry:
    """A request for `child`'s record by someone outside its scope, refused (they were told there
    is no such record)."""
    return _write(
        action=AuditEntry.Action.REFUSED,
        user=request.user,
        child=child,
        request=request,
        what="child.refused",
    )


def record_restricted_notice(request: HttpRequest, child: ChildRecord) -> AuditEntry:
    """A manager of the child's line was shown that this restricted record exists."""
    return _write(
        action=AuditEntry.Action.RESTRICTED,
        user=request.user,
        child=child,
        request=request,
        what="child.restricted_notice",
    )


def record_sign_in(request: HttpRequest | None, user: Any) -> AuditEntry:
    return _write(
        action=AuditEntry.Action.SIGN_IN,
        user=user,
        request=request,
        what="auth.sign_in",
        username=user.get_username()[:150],
    )


def record_failed_sign_in(request: HttpRequest | None, username: str) -> AuditEntry:
    return _write(
        action=AuditEntry.Action.SIGN_IN_FAILED,
        user=None,
        request=request,
        what="auth.sign_in_failed",
        username=_printable(username)[:150],
    )


def record_second_factor(request: HttpRequest, user: Any, *, what: str, passed: bool) -> AuditEntry:
    """A two-factor step of signing in (`what`: "auth.two_factor", "auth.recovery_code",
    "auth.two_factor_failed"): passed, or a wrong code typed."""
    return _write(
        action=AuditEntry.Action.SIGN_IN if passed else AuditEntry.Action.SIGN_IN_FAILED,
        user=user,
        request=request,
        what=what[:100],
        username=user.get_username()[:150],
    )


def record_opened(
    child: ChildRecord,
    *,
    purpose: str,
    reason: str,
    acting_user: Any,
    grant_id: int,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """A break-glass opening of `child`'s record (the duty IRO, a consulted IRO), with its reason."""
    return _write(
        action=AuditEntry.Action.OPEN_RECORD,
        user=acting_user,
        child=child,
        request=request,
        what=f"child.opened.{purpose}",
        reason=reason,
        after={"grant": grant_id, "purpose": purpose},
    )


def record_api_call(request: HttpRequest) -> AuditEntry | None:
    """The row of a call to the API with a token: who (the token's user), how (`via`, the
    token's name) and what was asked (the method and path), written when the call ends, and
    only when the call wrote no row of its own: a read's row (its view, its refusal) and a
    write's (its action's change, `serving`) already name the token, the path and each child,
    so one call is one row (issue 17's benchmark: two rows and two commits per call were most
    of a read's time)."""
    if getattr(request, "audit_written", False):
        return None
    return _write(
        action=AuditEntry.Action.API_CALL,
        user=request.user,
        request=request,
        what=f"api.{(request.method or '').lower()}",
    )


# The columns of an audit row an erasure may rewrite (`pseudonymise`); the trigger of migration
# 0008 lets PostgreSQL change these and no others, and only of the child being erased.
ERASABLE_COLUMNS = ("child_reference", "before", "after", "reason", "path")


def pseudonymise(child_id: int, *, pseudonym: str, scrub: Callable[[str], str]) -> int:
    """Erasure (`oversight.erasure`): every audit row about child `child_id` keeps its time, its
    person, its action and its code, but names the child only by `pseudonym`, and loses what it
    said of the record (before, after, the stated reason); every row that names the child among
    others (a list page, a search) keeps its path with `scrub` applied and no query string (a
    search typed the child's name). The log stays whole: no row is deleted, none is added here.
    Call it inside the erasure's transaction; the number of rows rewritten.

    On PostgreSQL the append-only trigger allows exactly this, for this child, in this
    transaction (`oversight.erasing_child`, set locally); the model's own refusal is passed by
    the base queryset's `update`, here and nowhere else."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('oversight.erasing_child', %s, true)", [str(child_id)]
            )
    own = AuditEntry.objects.filter(child_id=child_id)
    shown = ChildShown.objects.filter(child_id=child_id)
    listed = AuditEntry.objects.filter(children__child_id=child_id).exclude(child_id=child_id)
    paths = [*own.values_list("pk", "path"), *listed.values_list("pk", "path")]
    for entry_id, path in paths:
        cleaned = scrub(path.split("?", 1)[0])
        if cleaned != path:
            models.QuerySet.update(AuditEntry.objects.filter(pk=entry_id), path=cleaned)
    rewritten = models.QuerySet.update(
        own, child_reference=pseudonym, before=None, after=None, reason=""
    )
    models.QuerySet.update(shown, child_reference=pseudonym)
    return rewritten
