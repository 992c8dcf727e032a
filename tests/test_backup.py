"""`oversight backup` and `oversight restore`: a backup restored into an empty database holds every
record and the audit trail, row for row; a restore refuses a database that is not empty and a
file that is not a backup."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from oversight.audit.actions import record_change
from oversight.audit.models import AuditEntry
from oversight.backup import BackupError, backup, restore
from oversight.cases.actions import record_event
from oversight.cases.constants import EventType
from oversight.notifications.actions import queue_message

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[1]
monday_14_december_2026 = dt.date(2026, 12, 14)


def some_history(council: Any) -> None:
    """Records of several parts: an event with its obligations and audit row, a message, a
    change on the audit log."""
    record_event(
        council.child,
        type=EventType.STRATEGY_DISCUSSION,
        date=monday_14_december_2026,
        acting_user=council.iro.user,
    )
    queue_message(to=council.social_worker, subject="Strategy discussion", body="A link")
    record_change(
        council.child, action="child.updated", before={}, after={}, acting_user=council.iro.user
    )


def sqlite_rows(path_or_uri: str) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path_or_uri, uri=path_or_uri.startswith("file:")) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {t: db.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}  # noqa: S608


@pytest.mark.sqlite
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup (online backup API)")
def test_a_sqlite_backup_restored_into_an_empty_database_is_identical(council, tmp_path):
    some_history(council)
    file = tmp_path / "oversight.backup"
    backup(connection.settings_dict, file)
    empty = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored.sqlite3")}
    restore(file, empty)

    before = sqlite_rows(connection.settings_dict["NAME"])
    after = sqlite_rows(empty["NAME"])
    assert after == before  # every table, every row
    assert len(after["audit_auditentry"]) == AuditEntry.objects.count() >= 2
    assert "2026-12-14" in {row[2] for row in after["cases_event"]}  # the strategy discussion
    assert after["notifications_message"] != []

    with pytest.raises(BackupError, match="not empty"):
        restore(file, empty)  # a second restore over the first is refused
    html = tmp_path / "page.backup"
    html.write_text("<html>not a backup</html>")
    with pytest.raises(BackupError, match="not a backup of a SQLite database"):
        restore(html, {**empty, "NAME": str(tmp_path / "other.sqlite3")})


def conninfo(settings: dict[str, Any]) -> dict[str, Any]:
    return {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "password": settings["PASSWORD"] or None,
    }


@pytest.fixture
def empty_postgres() -> Iterator[dict[str, Any]]:
    import psycopg

    s = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(**conninfo(s), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**s, "NAME": name}
    finally:
        with psycopg.connect(**conninfo(s), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_rows(settings: dict[str, Any]) -> dict[str, list[str]]:
    import psycopg

    with psycopg.connect(**conninfo(settings)) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            t: sorted(repr(row) for row in db.execute(f'SELECT * FROM "{t}"'))  # noqa: S608
            for t in tables
        }


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backup (pg_dump)")
def test_a_postgres_backup_restored_into_an_empty_database_is_identical(
    council, tmp_path, empty_postgres
):
    some_history(council)
    file = tmp_path / "oversight.backup"
    backup(connection.settings_dict, file)
    restore(file, empty_postgres)

    before = postgres_rows(connection.settings_dict)
    after = postgres_rows(empty_postgres)
    assert after == before  # every table, every row
    assert len(after["audit_auditentry"]) == AuditEntry.objects.count() >= 2
    assert after["notifications_message"] != []

    with pytest.raises(BackupError, match="not empty"):
        restore(file, empty_postgres)
    html = tmp_path / "page.backup"
    html.write_text("<html>not a backup</html>")
    with pytest.raises(BackupError, match="not a PostgreSQL backup"):
        restore(html, empty_postgres)


def test_a_backup_that_cannot_be_written_leaves_no_file(tmp_path):
    broken = {"ENGINE": "django.db.backends.postgresql", "NAME": "no_such_database_here"}
    broken |= {"HOST": "127.0.0.1", "PORT": "1", "USER": "nobody", "PASSWORD": ""}
    file = tmp_path / "oversight.backup"
    with pytest.raises(BackupError, match="pg_dump failed"):
        backup(broken, file)
    assert list(tmp_path.iterdir()) == []  # neither the backup nor its partial copy


def test_the_command_restores_only_into_an_empty_database(tmp_path):
    """`oversight restore` on the command line: a database that is not empty is refused with one
    line and exit 1."""
    database = tmp_path / "live.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE t (x)")
    file = tmp_path / "oversight.backup"
    with sqlite3.connect(file) as db:
        db.execute("CREATE TABLE t (x)")
    done = subprocess.run(
        [sys.executable, "-m", "oversight.cli", "restore", str(file)],
        cwd=REPO,
        env={"DATABASE_URL": f"sqlite:///{database}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "oversight restore: the database is not empty: restore into a new database "
        "(DATABASE_URL names it)"
    )
