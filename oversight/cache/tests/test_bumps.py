"""A write that bypasses the model signals bumps the data version in the same function, or is listed
here with the reason it needs none (issue 12: the convention `oversight.cache` states, enforced).

The test reads every module of `oversight` (tests and migrations aside) with `ast` and finds, in
each function, the calls that write without Django's signals: `.update(...)` on a queryset,
`bulk_create`, `bulk_update`, `oversight.cases.bulk.bulk_insert` (its fast twin), raw SQL (`cursor.execute`, `executemany`, `copy`, `RawSQL`). A
queryset's `.delete()` needs nothing: Django sends `post_delete` for each row of a model with
receivers, as every watched model has. Querysets of a model that nothing remembered depends on
(`watched.NOT_WATCHED`, and the models of other packages) are left out when the call names the
model (`Message.objects.filter(...).update(...)`).

And every model of Oversight is in exactly one of the registry's lists, so that a new model is
a decision, not an accident."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps

from oversight.cache import watched

ROOT = Path(__file__).resolve().parents[2]  # the oversight package

# Calls that write past the signals and need no bump where they are, with the reason.
NEEDS_NO_BUMP: dict[tuple[str, str], str] = {
    ("cases/access.py", "line_of"): "reads only: a recursive SELECT of the management line",
    ("api/tokens.py", "working"): "when a token was last used: nothing remembered decides by it",
    ("cases/access.py", "managers_of"): "reads only: a recursive SELECT up the management line",
    ("cases/allocations.py", "allocate_iro"): (
        "ends the old IRO allocation with update(); the Allocation it creates next, in the same "
        "transaction, bumps through its signal"
    ),
    ("cases/demo.py", "insert_rows"): (
        "the demo's bulk load, for create_demo_council; the demo command bumps once it is in"
    ),
    ("cases/demo.py", "_copy"): "the demo's bulk load (COPY), for insert_rows",
    ("cases/demo.py", "_checks_after_load"): "the demo's bulk load: constraints, no rows",
    ("cases/demo.py", "_indexes_after_load"): "the demo's bulk load: indexes, no rows",
    ("cases/obligations.py", "_insert"): (
        "writes obligations and flags in bulk for recompute_child and recompute_all, which bump"
    ),
    ("cases/obligations.py", "analyze"): "ANALYZE: statistics, no rows",
    ("cases/bulk.py", "built_after"): (
        "a first import's indexes and keys set aside and made again: no rows (import_children, "
        "its caller, writes them through bulk_insert and bumps)"
    ),
    ("cases/bulk.py", "bulk_insert"): (
        "bulk_create's COPY path: each caller of bulk_insert is held to the convention instead"
    ),
    ("escalations/demo.py", "adopt_demo_concerns"): (
        "the demo's concerns in bulk; its only caller, the demo command, bumps after it"
    ),
    ("backup.py", "backup"): "PRAGMA integrity_check on the backup's copy, not the live database",
    ("backup.py", "_tables"): "reads only: counts the tables of the database to restore into",
    ("backup.py", "restore"): (
        "PRAGMA integrity_check on the backup; the database restored into is new and empty, "
        "and a restored service starts with its caches empty"
    ),
    ("notifications/health.py", "database_takes_a_write"): (
        "the health probe: SQLite's busy timeout, PostgreSQL's lock timeout, a row rolled back"
    ),
    ("notifications/worker.py", "_reclaim_leases"): (
        "the outboxes' delivery (status, attempts, leases): the remembered unread count reads "
        "none of it"
    ),
    ("audit/actions.py", "_count_viewer"): "the audit log's summary, which nothing remembers",
    ("cases/actions.py", "record_chronologies"): (
        "inserts the events in bulk; recompute_children, in the same transaction, bumps each child"
    ),
    ("interop/actions.py", "_add_children"): (
        "inserts an import's new children in bulk; the events recorded next for each of them "
        "(record_chronologies, in the same transaction) bump each child"
    ),
    ("audit/actions.py", "record_changes"): "the audit log (COPY): nothing remembers it",
    ("audit/actions.py", "pseudonymise"): "sets the erasure's local setting and rewrites the audit "
    "log, which nothing remembers (the erasure bumps everything: `oversight.erasure.erase`)",
    ("audit/actions.py", "_write_with_children"): (
        "an audit row and the children it names in one statement: nothing remembers the audit log"
    ),
    ("complaints/demo.py", "_complaint"): (
        "the demo's complaints' events, for create_demo_council; the demo command bumps once it is in"
    ),
    ("notifications/tasks.py", "_deliver"): (
        "the outboxes' delivery (status, attempts, leases): the remembered unread count reads "
        "none of it"
    ),
    (
        "audit/actions.py",
        "_write_and_count",
    ): "the audit log and its summary: nothing remembers them",
}

QUERYSET_METHODS = {
    "all", "filter", "exclude", "select_for_update", "select_related", "prefetch_related",
    "order_by", "using", "annotate", "alias", "only", "defer", "distinct", "none",
}  # fmt: skip
RAW_SQL_METHODS = {"execute", "executemany"}


@dataclass(frozen=True)
class Write:
    path: str
    function: str
    line: int
    what: str


def _model_names(labels: object) -> set[str]:
    return {label.rsplit(".", 1)[-1] for label in labels}  # type: ignore[attr-defined]


def _unwatched_model(node: ast.expr) -> bool:
    """True when the chain begins `Model.objects` with a model nothing remembered reads."""
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            root = node.value
            if isinstance(root, ast.Name):
                watched_names = _model_names(watched.WATCHED) | _model_names(
                    watched.BUMPED_BY_WRITER
                )
                return root.id not in watched_names and root.id[:1].isupper()
            return False
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


def _queryset_like(node: ast.expr, querysets: set[str]) -> bool:
    """A queryset expression: `X.objects…`, a queryset method's result (`child.allocations
    .filter(…)`), or a name that one was assigned to in the same function."""
    if isinstance(node, ast.Name):
        return node.id in querysets
    if isinstance(node, ast.Attribute):
        return node.attr == "objects" or _queryset_like(node.value, querysets)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in QUERYSET_METHODS  # on a manager, related manager or queryset
    return False


def _own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of `function`'s body, not those of the functions defined inside it."""
    for child in ast.iter_child_nodes(function):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        yield child
        yield from _own_nodes(child)


def _writes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[tuple[int, str]]:
    nodes = list(_own_nodes(function))
    querysets = {
        target.id
        for node in nodes
        if isinstance(node, ast.Assign) and _queryset_like(node.value, set())
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in nodes:
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "RawSQL":
            yield node.lineno, "RawSQL"
        if isinstance(func, ast.Name) and func.id == "bulk_insert":
            yield node.lineno, "bulk_insert"
        if not isinstance(func, ast.Attribute):
            continue
        receiver = func.value
        if func.attr in {"bulk_create", "bulk_update"} and not _unwatched_model(receiver):
            yield node.lineno, func.attr
        elif func.attr == "update" and _queryset_like(receiver, querysets):
            if not _unwatched_model(receiver):
                yield node.lineno, "QuerySet.update"
        elif func.attr in RAW_SQL_METHODS:
            yield node.lineno, f"raw SQL ({func.attr})"
        elif func.attr == "copy" and "cursor" in ast.unparse(receiver):
            yield node.lineno, "raw SQL (copy)"


def _bumps(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for node in _own_nodes(function):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name.startswith("bump"):  # bump, bump_access, bump_child, bump_records
                return True
    return False


def writes_without_a_bump() -> list[Write]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not _bumps(node):
                for line, what in _writes(node):
                    found.append(Write(relative, node.name, line, what))
    return found


def test_every_write_past_the_signals_bumps_or_says_why_it_need_not():
    unlisted = [
        f"{w.path}:{w.line} {w.function}: {w.what}"
        for w in writes_without_a_bump()
        if (w.path, w.function) not in NEEDS_NO_BUMP
    ]
    assert unlisted == [], (
        "these writes bypass the model signals: call oversight.cache.data_version.bump() in the "
        "same function, or list the function in NEEDS_NO_BUMP with the reason"
    )


def test_every_listed_exception_is_still_a_write():
    found = {(w.path, w.function) for w in writes_without_a_bump()}
    stale = sorted(set(NEEDS_NO_BUMP) - found)
    assert stale == [], "listed in NEEDS_NO_BUMP but no longer a write without a bump"


def test_the_check_finds_a_forgotten_bump(tmp_path):
    source = (
        "def end_allocations(child):\n"
        "    Allocation.objects.filter(child=child).update(ends=None)\n"
        "    rows = child.allocations.filter(role='iro')\n"
        "    rows.update(ends=None)\n"
        "    StaffRole.objects.bulk_create([])\n"
        "    bulk_insert(StaffRole, [])\n"
        "    cursor.execute('UPDATE cases_child SET restricted = true')\n"
        "    WebhookDelivery.objects.filter(pk=1).update(status='sent')\n"  # not watched: fine
        "    {}.update(a=1)\n"  # a dict: fine
        "def ends_and_bumps(child):\n"
        "    Allocation.objects.filter(child=child).update(ends=None)\n"
        "    data_version.bump()\n"
    )
    tree = ast.parse(source)
    first, second = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert [what for _line, what in _writes(first)] == [
        "QuerySet.update",
        "QuerySet.update",
        "bulk_create",
        "bulk_insert",
        "raw SQL (execute)",
    ]
    assert _bumps(second) and not _bumps(first)


def test_every_model_is_watched_bumped_by_its_writer_or_said_to_be_unwatched():
    listed = [
        *watched.WATCHED,
        *watched.BUMPED_BY_WRITER,
        *watched.NOT_WATCHED,
    ]
    assert len(listed) == len(set(listed)), "a model is in more than one list"
    ours = {
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("oversight.")
    }
    assert ours - set(listed) == set(), "models the registry does not name"
    from django.conf import settings

    assert set(listed) - ours - {settings.AUTH_USER_MODEL} == set(), "names no model"
