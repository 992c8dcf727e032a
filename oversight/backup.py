"""`oversight backup FILE` and `oversight restore FILE`: the whole database, records and audit
trail, to one file and back.

- SQLite: SQLite's online backup API (a consistent copy while the service runs), then
  `PRAGMA integrity_check` on the copy.
- PostgreSQL: `pg_dump --format=custom` (one consistent snapshot), then `pg_restore --list` on the
  file; restored with `pg_restore --single-transaction --exit-on-error`, so a restore that fails
  leaves the database empty, never half restored.

A backup is written beside FILE and renamed onto it only once checked, so FILE is always a whole
backup. A restore goes only into an empty database (a new one, named by DATABASE_URL), from a
file of the same engine, and then checks that the code knows every migration the backup had
(restoring a newer version's backup into older code would not work).

It is a project module, not one part's: it reads and writes every part's tables."""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"


class BackupError(Exception):
    """A backup or restore refused or failed: one sentence for the person running it."""


def _sqlite_connect(settings: Mapping[str, Any]) -> sqlite3.Connection:
    name = str(settings["NAME"])
    return sqlite3.connect(name, uri=name.startswith("file:"))


def _pg_args(settings: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", str(settings["NAME"])]
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _run(argv: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{argv[0]} is not installed (Debian: postgresql-client)") from None
    if done.returncode != 0:
        raise BackupError(f"{argv[0]} failed: {done.stderr.strip()[:2000]}")
    return done.stdout


def backup(settings: Mapping[str, Any], path: Path) -> None:
    """Write a checked backup of the database `settings` (a Django DATABASES entry) to `path`."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if "sqlite" in settings["ENGINE"]:
            with _sqlite_connect(settings) as source, sqlite3.connect(partial) as copy:
                source.backup(copy)
                (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise BackupError(f"the copy failed SQLite's integrity check: {verdict}")
        else:
            args, env = _pg_args(settings)
            _run(["pg_dump", "--format=custom", "--file", str(partial), *args], env)
            _run(["pg_restore", "--list", str(partial)], env)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _tables(settings: Mapping[str, Any]) -> int:
    if "sqlite" in settings["ENGINE"]:
        name = str(settings["NAME"])
        if not name.startswith("file:") and not Path(name).exists():
            return 0
        with _sqlite_connect(settings) as target:
            (count,) = target.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()
            return int(count)
    args, env = _pg_args(settings)
    out = _run(
        [
            "psql",
            "--no-psqlrc",
            "--tuples-only",
            "--no-align",
            "--command",
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            *args,
        ],
        env,
    )
    return int(out.strip() or 0)


def restore(path: Path, settings: Mapping[str, Any]) -> None:
    """Restore the backup at `path` into the empty database `settings`."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    with path.open("rb") as f:
        header = f.read(16)
    sqlite = "sqlite" in settings["ENGINE"]
    if sqlite and not header.startswith(SQLITE_HEADER):
        raise BackupError(f"{path} is not a backup of a SQLite database")
    if not sqlite and not header.startswith(PG_CUSTOM_HEADER):
        raise BackupError(f"{path} is not a PostgreSQL backup (pg_dump --format=custom)")
    if _tables(settings):
        raise BackupError(
            "the database is not empty: restore into a new database (DATABASE_URL names it)"
        )
    if sqlite:
        with sqlite3.connect(path) as source:
            (verdict,) = source.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise BackupError(f"{path} failed SQLite's integrity check: {verdict}")
            with _sqlite_connect(settings) as target:
                source.backup(target)
    else:
        args, env = _pg_args(settings)
        _run(
            [
                "pg_restore",
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                *args,
                str(path),
            ],
            env,
        )


def unknown_migrations() -> list[str]:
    """Migrations recorded in the (restored) database that this code does not have."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(
        f"{app}.{name}"
        for app, name in set(loader.applied_migrations) - set(loader.disk_migrations)
    )


def main(argv: list[str]) -> int:
    """`oversight backup FILE` | `oversight restore FILE`: exit 0, or 1 with one line."""
    from django.db import connections

    parser = argparse.ArgumentParser(prog="oversight", description=__doc__)
    parser.add_argument("command", choices=["backup", "restore"])
    parser.add_argument("file", type=Path)
    options = parser.parse_args(argv)
    settings = connections["default"].settings_dict
    try:
        if options.command == "backup":
            backup(settings, options.file)
            print(f"Backed up to {options.file}")
            return 0
        restore(options.file, settings)
    except BackupError as exc:
        print(f"oversight {options.command}: {exc}", file=sys.stderr)
        return 1
    unknown = unknown_migrations()
    if unknown:
        print(
            "oversight restore: restored, but the backup is of a newer version of Oversight "
            f"(migrations this code lacks: {', '.join(unknown)}): install that version",
            file=sys.stderr,
        )
        return 1
    print(f"Restored {options.file}; now run `oversight manage migrate` if this version is newer")
    return 0
