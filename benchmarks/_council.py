"""The benchmarks' demo council, built on a bench database with the project's own commands, as a
council's deployment builds it: migrate, `oversight demo`, `oversight nightly`.

A council of 100,000 children takes minutes to build and every benchmark writes to its own, so the
first benchmark to need a size builds it once as a template database named by the size and a hash
of the code that builds it, and each run works on a copy (`CREATE DATABASE … TEMPLATE`, a file copy
of seconds). A change to the code makes a new template; the old one of that size is dropped."""

from __future__ import annotations

import hashlib
import os
import secrets
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OVERSIGHT = str(ROOT / ".venv/bin/oversight")
AS_OF = "2026-11-23"


# One per run, as `scripts/run-env` makes one per checkout: `oversight serve` refuses a weak one.
_SECRET_KEY = secrets.token_urlsafe(50)


def environment(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a benchmark's commands and servers: the service as `make run` serves it
    (DEBUG off, plain HTTP on loopback, `scripts/run-env`), so that what is measured is what a
    council gets, never the debug toolbar's or the debug page's slower paths."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": _SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "OVERSIGHT_LOOPBACK_DEMO": "true",
        "OVERSIGHT_SECURE_COOKIES": "false",
        "PYTHONPATH": str(ROOT),
        **settings,
    }


def served(database_url: str, folder: str, **settings: str) -> dict[str, str]:
    """The environment of a benchmark's app servers (`environment`, with the pages' settings):
    connections kept, and the data versions and sessions in `folder`, the run's own, so that
    another run, or the development server of this checkout, shares neither."""
    return environment(
        database_url,
        DATABASE_CONN_MAX_AGE="600",
        DJANGO_SETTINGS_MODULE="benchmarks._pages_settings",
        OVERSIGHT_PAGE_VERSIONS_DIR=str(Path(folder) / "page-versions"),
        OVERSIGHT_SESSIONS_DIR=str(Path(folder) / "sessions"),
        **settings,
    )


def run(argv: list[str], env: dict[str, str]) -> None:
    subprocess.run(argv, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def build(children: int, env: dict[str, str]) -> None:
    """Migrate the database `env` names, build `children` demo children as of `AS_OF` and
    compute their obligations, printing how long each took."""
    started = time.perf_counter()
    run([OVERSIGHT, "manage", "migrate", "--no-input", "-v", "0"], env)
    run([OVERSIGHT, "demo", "--children", str(children), "--seed", "1", "--as-of", AS_OF], env)
    built = time.perf_counter() - started
    run([OVERSIGHT, "nightly", "--as-of", AS_OF], env)
    computed = time.perf_counter() - started - built
    print(
        f"demo council of {children:,} children on PostgreSQL: built in {built:.0f} s, "
        f"obligations computed in {computed:.0f} s",
        flush=True,
    )


_TEMPLATE = "oversight_bench_council"


@contextmanager
def council(children: int, postgres_url: str, prefix: str) -> Iterator[str]:
    """A copy of the demo council of `children` children as of `AS_OF` in a database of its own
    named from `prefix`, dropped afterwards; yields its URL."""
    import psycopg

    server = postgres_url.rstrip("/")
    template = f"{_TEMPLATE}_{children}_{_code_hash()}"
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        # Another checkout's template under construction is not stale: dropped, its build fails
        # halfway (two engineers benchmarking at once on different code dropped each other's).
        stale = admin.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s "
            "AND datname NOT LIKE %s",
            [f"{_TEMPLATE}_{children}_%", template, "%\\_building"],
        ).fetchall()
        for (old,) in stale:
            admin.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{template}_building"')
            try:
                build(children, environment(f"{server}/{template}_building"))
            except BaseException:
                admin.execute(f'DROP DATABASE IF EXISTS "{template}_building" WITH (FORCE)')
                raise
            admin.execute(f'ALTER DATABASE "{template}_building" RENAME TO "{template}"')
        else:
            print(f"demo council of {children:,} children: copied from {template}", flush=True)
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _code_hash() -> str:
    """A hash of everything that builds the council: the code, its packs and its migrations."""
    digest = hashlib.sha256(AS_OF.encode())
    for path in sorted((ROOT / "oversight").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            if "static" in path.parts or "tests" in path.parts:
                continue
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
