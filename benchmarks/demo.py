"""How fast `oversight demo` builds a council, against the floor of each database.

    .venv/bin/python benchmarks/demo.py [--children 100000] [--seed 1] [--as-of 2026-11-23]
                                        [--databases sqlite,postgres]
                                        [--postgres-url postgres://postgres@127.0.0.1:5432]

For each database, on a freshly migrated empty database:

- demo: the whole of `oversight demo` as the command does it (draw the council, hash the password,
  write every row), timed end to end;
- floor: the same rows, drawn beforehand and not timed, written with the database's fastest bulk
  path and nothing else: `executemany` in one transaction on SQLite, `COPY` through psycopg 3 on
  PostgreSQL.

It prints rows, seconds, rows per second and the ratio demo / floor. Target: under 2 minutes and
within 3 times the floor on each database. SQLite runs on a temporary file; PostgreSQL on a bench
database the run creates and drops. Each measurement runs in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 120.0
TARGET_RATIO = 3.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", dest="as_of", default="2026-11-23")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--measure", choices=["demo", "floor"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(
            json.dumps(
                _measure(args.measure, args.children, args.seed, date.fromisoformat(args.as_of))
            )
        )
        return 0
    if args.children < 1:
        print("benchmarks/demo.py: --children must be 1 or more", file=sys.stderr)
        return 2

    print(f"oversight demo --children {args.children:,} --seed {args.seed} --as-of {args.as_of}")
    results = []
    failed = False
    for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
        if database not in {"sqlite", "postgres"}:
            print(f"benchmarks/demo.py: unknown database {database!r} (sqlite or postgres)")
            return 2
        try:
            outcome = _on_sqlite(args) if database == "sqlite" else _on_postgres(args)
        except subprocess.CalledProcessError as exc:
            lines = (exc.stderr or "").strip().splitlines() or [f"exit status {exc.returncode}"]
            print(f"\n{database}: {' '.join(exc.cmd[-6:])} failed: {lines[-1]}")
            failed = True
            continue
        if outcome is not None:
            results.append(outcome)
    ok = not failed
    for name, demo, floor in results:
        ratio = demo["seconds"] / floor["seconds"]
        within = demo["seconds"] < TARGET_SECONDS and ratio <= TARGET_RATIO
        ok = ok and within
        print(f"\n{name}")
        for label, run in (("demo", demo), ("floor", floor)):
            rate = run["rows"] / run["seconds"]
            print(
                f"  {label:<6} {run['rows']:>11,} rows  {run['seconds']:8.2f} s  {rate:>12,.0f} rows/s"
            )
        print(
            f"  ratio  {ratio:.2f}x the floor  "
            f"({'within' if within else 'OUTSIDE'} target: < {TARGET_SECONDS:.0f} s and <= {TARGET_RATIO:.0f}x)"
        )
        print(
            f"  drawing the rows in Python (and hashing the password once): {floor['draw_seconds']:.2f} s"
        )
        print(
            f"  events {demo['events']:,}  children {demo['children']:,}  staff {demo['staff']:,}"
        )
    return 0 if ok else 1


def _run(measure: str, args: argparse.Namespace, database_url: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "oversight.settings",
    }
    command = [
        sys.executable, __file__, "--measure", measure, "--children", str(args.children),
        "--seed", str(args.seed), "--as-of", args.as_of,
    ]  # fmt: skip
    out = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _migrate(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run(
        [str(ROOT / ".venv/bin/oversight"), "manage", "migrate", "--no-input", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )


def _on_sqlite(args: argparse.Namespace) -> tuple[str, dict[str, Any], dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="oversight-bench-") as folder:
        empty = Path(folder) / "empty.sqlite3"
        _migrate(f"sqlite:///{empty}")
        runs = {}
        for measure in ("demo", "floor"):
            path = Path(folder) / f"{measure}.sqlite3"
            shutil.copyfile(empty, path)
            runs[measure] = _run(measure, args, f"sqlite:///{path}")
    return "SQLite (temporary file)", runs["demo"], runs["floor"]


def _on_postgres(args: argparse.Namespace) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    import psycopg

    server = args.postgres_url.rstrip("/")
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreachable"
        print(f"PostgreSQL at {server} is not available ({first}): skipped")
        return None
    stem = f"oversight_bench_{uuid.uuid4().hex[:8]}"
    names = {m: f"{stem}_{m}" for m in ("empty", "demo", "floor")}
    try:
        admin.execute(f'CREATE DATABASE "{names["empty"]}"')
        _migrate(f"{server}/{names['empty']}")
        runs = {}
        for measure in ("demo", "floor"):
            admin.execute(f'CREATE DATABASE "{names[measure]}" TEMPLATE "{names["empty"]}"')
            runs[measure] = _run(measure, args, f"{server}/{names[measure]}")
    finally:
        for name in names.values():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    return "PostgreSQL", runs["demo"], runs["floor"]


def _measure(measure: str, children: int, seed: int, as_of: date) -> dict[str, Any]:
    """Run inside a fresh process whose DATABASE_URL names an empty, migrated database."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from oversight.cases.demo import build_council, create_demo_council, demo_password_hash

    if measure == "demo":
        started = time.perf_counter()
        council = create_demo_council(children, seed, as_of)
        seconds = time.perf_counter() - started
        return {
            "rows": council.row_count,
            "seconds": seconds,
            "events": len(council.events),
            "children": len(council.children),
            "staff": len(council.staff),
        }

    drawing = time.perf_counter()
    council = build_council(children, seed, as_of, password_hash=demo_password_hash(seed))
    drawn = time.perf_counter() - drawing
    tables = [
        (label.split(".")[0] + "_" + label.split(".")[1].lower(), columns, rows)
        for label, columns, rows in council.tables()
    ]
    connection.ensure_connection()
    raw = connection.connection
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with raw.transaction(), raw.cursor() as cursor:
            for table, columns, rows in tables:
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
    else:
        cursor = raw.cursor()
        cursor.execute("BEGIN")
        for table, columns, rows in tables:
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)
        cursor.execute("COMMIT")
    seconds = time.perf_counter() - started
    return {"rows": council.row_count, "seconds": seconds, "draw_seconds": drawn}


if __name__ == "__main__":
    sys.exit(main())
