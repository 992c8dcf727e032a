"""The benchmarks' demo council, built on a bench database with the project's own commands, as a
council's deployment builds it: migrate, `oversight demo`, `oversight nightly`."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OVERSIGHT = str(ROOT / ".venv/bin/oversight")
AS_OF = "2026-11-23"


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
