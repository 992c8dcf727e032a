"""The PostgreSQL suite runs only the tests that use a database (`scripts/run-tests` sets
`OVERSIGHT_TESTS_USING_DATABASE_ONLY=1` for it).

A test that asks for no database — the pure engine, the policy packs, the engine's hypothesis fuzz,
the scans of templates and conventions — runs the same code whatever `DATABASE_URL` says: the
SQLite suite has already run it, and on PostgreSQL it would prove nothing new. A test uses the
database when its fixture closure (`item.fixturenames`: its fixtures and theirs) holds one of
pytest-django's database fixtures, when it is marked `django_db` or `postgres`, or when it is a
Django test case class; everything else is deselected, and the count is printed with the reason.

With pytest-xdist each worker collects and deselects; the controller prints the first worker's
count (every worker collects the same tests) from `workeroutput`."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import pytest

ENVIRONMENT = "OVERSIGHT_TESTS_USING_DATABASE_ONLY"
_REPORT = pytest.StashKey[str]()

# pytest-django's fixtures that reach a database: `db`, `transactional_db` and the django_db
# mark all go through `_django_db_helper`; `live_server`'s requests reach one; a module-scoped
# fixture that builds rows opens the database with `django_db_blocker` on `django_db_setup`.
DATABASE_FIXTURES = frozenset(
    {"_django_db_helper", "db", "transactional_db", "live_server", "django_db_setup"}
)


def uses_database(item: pytest.Item) -> bool:
    if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return True
    if item.get_closest_marker("django_db") or item.get_closest_marker("postgres"):
        return True
    from django.test import SimpleTestCase

    owner = getattr(item, "cls", None)
    return owner is not None and issubclass(owner, SimpleTestCase)


def area(item: pytest.Item) -> str:
    """The package a test belongs to, for the printed reason: `oversight/timescales`, `tests`."""
    parts = item.nodeid.split("::")[0].split("/")
    return "/".join(parts[:2]) if parts[0] == "oversight" else parts[0]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get(ENVIRONMENT) != "1":
        return
    left_out = [item for item in items if not uses_database(item)]
    if not left_out:
        return
    config.hook.pytest_deselected(items=left_out)
    items[:] = [item for item in items if uses_database(item)]
    by_area = Counter(area(item) for item in left_out)
    report = (
        f"{len(left_out)} tests deselected: they use no database "
        f"(no db, transactional_db, live_server, django_db or postgres), so the SQLite suite "
        f"has run them already: " + ", ".join(f"{name} {n}" for name, n in sorted(by_area.items()))
    )
    config.stash[_REPORT] = report
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[ENVIRONMENT] = report


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    report = getattr(node, "workeroutput", {}).get(ENVIRONMENT)
    if report is not None:
        node.config.stash.setdefault(_REPORT, report)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    report = config.stash.get(_REPORT, None)
    if report is not None:
        terminalreporter.write_line(report)
