"""The benchmarks' demo council, built on a bench database with the project's own commands, as a
council's deployment builds it: migrate, `oversight demo`, `oversight nightly`."""

from __future__ import annotations

import os
import secrets
import subprocess
import time
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
