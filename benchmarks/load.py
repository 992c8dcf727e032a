"""Benchmark: the whole service under a realistic load, then the same load with the database's
connections cut in the middle (issue 18, reliability 6).

    .venv/bin/python benchmarks/load.py [--children 100000] [--seconds 300] [--users 50]
                                        [--workers 5] [--servers 1]
                                        [--postgres-url postgres://postgres@127.0.0.1:5432]
                                        [--database-prefix oversight_bench_load]

Builds the demo council on PostgreSQL in a bench database it creates (`<prefix>_<random>`) and
drops (`benchmarks/_council.py`), serves it with `oversight serve` (gunicorn) on loopback as
`make run` serves the demo (DEBUG off, plain HTTP on loopback), and drives it with locust,
headless, from `--users` simulated IROs (`benchmarks/_load_users.py`): 70% My caseload and child
pages, 20% recording visits and opening meeting forms, 10% the reports dashboard (as a manager)
and API reads. After a warm-up of a fifth of the run (at least 10 s, not counted: each worker's
first pages are built once), prints p95, requests per second and errors per kind of request.

`--servers 2` runs two app servers (each `--workers` gunicorn workers) on the one PostgreSQL and
one Redis (Debian's `redis-server`, started on a free loopback port, as `CACHE_URL` with
`OVERSIGHT_HOSTS=2`: the guide's deployment on several servers), spreads the users over them in
turn as a load balancer would, and prints each server's figures (from locust's own log of each
request: count, failures, p50, p95, requests per second) beside the whole run's.

Then the same mix again, and halfway through PostgreSQL is restarted (`--interrupt restart`, the
default: `pg_ctlcluster … restart -m fast` on the Debian cluster listening on the URL's port, which
needs root or the cluster's owner) or, where that cannot be done or with `--interrupt cut`, every
connection of the app to its database is ended (`pg_terminate_backend`: what a restart or a
fail-over does to the app). Every request must succeed, or fail cleanly with a 503;
and every visit the app acknowledged (a redirect after the post, in locust's own log) must be in
the database afterwards. Targets: no error in the first run, p95 under 300 ms; in the second,
nothing but 503s and no acknowledged write lost."""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import _council  # the sibling module: benchmarks run as scripts from this folder
from _council import ROOT
from pages import _free_port, _serve, _wait_for

P95_TARGET_MS = 300
REDIS_SERVER = "/usr/bin/redis-server"
LOCUST = str(ROOT / ".venv/bin/locust")
USERS_FILE = str(Path(__file__).with_name("_load_users.py"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=300, help="each of the two runs")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers per server")
    parser.add_argument(
        "--servers", type=int, default=1, help="app servers (more than one: on a shared Redis)"
    )
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--interrupt",
        choices=("restart", "cut"),
        default="restart",
        help="halfway through the second run: restart PostgreSQL, or end the app's connections",
    )
    parser.add_argument("--database-prefix", default="oversight_bench_load")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count-visits", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(_prepare(args.users)))
        return 0
    if args.count_visits:
        print(json.dumps(_visits()))
        return 0
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database_prefix):
        parser.error("--database-prefix: lower-case letters, digits and _ only")
    if args.servers < 1:
        parser.error("--servers: at least 1")
    if args.servers > 1 and not os.access(REDIS_SERVER, os.X_OK):
        parser.error(
            f"--servers {args.servers} needs {REDIS_SERVER} (apt-get install redis-server)"
        )

    with _council.council(args.children, args.postgres_url, args.database_prefix) as url:
        return _measure(url, args)


def _measure(url: str, args: argparse.Namespace) -> int:
    """The warm-up, the steady run and the run with PostgreSQL's connections cut, on `url`."""
    name = url.rsplit("/", 1)[1]
    work = Path(tempfile.mkdtemp(prefix="oversight-bench-load-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "600",
        "DJANGO_SETTINGS_MODULE": "oversight.settings",
        "DEBUG": "false",
        "SECRET_KEY": "load-benchmark-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "OVERSIGHT_BASE_URL": "http://127.0.0.1:8000",
        "OVERSIGHT_LOOPBACK_DEMO": "true",
        "OVERSIGHT_SECURE_COOKIES": "false",
        "PYTHONPATH": str(ROOT),
        "OVERSIGHT_PAGE_VERSIONS_DIR": str(work / "page-versions"),
        "OVERSIGHT_SESSIONS_DIR": str(work / "sessions"),
    }
    servers: list[subprocess.Popen] = []
    redis = None
    try:
        if args.servers > 1:
            redis, env["CACHE_URL"] = _redis(work)
            env["OVERSIGHT_HOSTS"] = str(args.servers)
        targets = work / "targets.json"
        targets.write_text(_inside(["--prepare", "--users", str(args.users)], env))
        bases = []
        for _ in range(args.servers):
            port = _free_port()
            servers.append(_serve(port, args.workers, env))
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            _wait_for(f"{base}/healthz")
        env["OVERSIGHT_LOAD_SERVERS"] = ",".join(bases)
        base = bases[0]
        print(
            f"\n{args.users} simulated IROs for {args.seconds} s each run, "
            f"{args.servers} app server{'s' if args.servers > 1 else ''} of "
            f"{args.workers} gunicorn workers"
            + (" on one Redis" if redis is not None else "")
            + f", {args.children:,} children\n",
            flush=True,
        )
        # Each gunicorn worker's first pages (its templates, its compiled queries, the whole-page
        # cache) are built once: a run that does not measure them first.
        warm = argparse.Namespace(**{**vars(args), "seconds": max(10, args.seconds // 5)})
        _run("warm-up", base, targets, work, env, warm, cut=None)
        steady = _run("steady", base, targets, work, env, args, cut=None)
        before = json.loads(_inside(["--count-visits"], env))
        label = "PostgreSQL restarted" if _cluster(args) else "connections cut"
        cut = _run(label, base, targets, work, env, args, cut=name)
        after = json.loads(_inside(["--count-visits"], env))
        return _judge(steady, cut, before, after, args)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def _redis(work: Path) -> tuple[subprocess.Popen, str]:
    """Debian's redis-server on a free loopback port, keeping nothing on disk; it and its URL."""
    port = _free_port()
    redis = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(work)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return redis, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    redis.kill()
    raise RuntimeError(f"redis-server did not answer on port {port}")


def _inside(argv: list[str], env: dict[str, str]) -> str:
    """This script's output run with `argv` inside Django."""
    done = subprocess.run(
        [sys.executable, __file__, *argv], env=env, capture_output=True, text=True, cwd=ROOT
    )
    if done.returncode != 0:
        raise RuntimeError(f"load.py {' '.join(argv)} failed:\n{done.stderr}")
    return done.stdout


def _run(
    label: str,
    base: str,
    targets: Path,
    work: Path,
    env: dict[str, str],
    args: argparse.Namespace,
    *,
    cut: str | None,
) -> dict[str, Any]:
    """One locust run; with `cut` (the database's name), every connection to it is ended
    halfway through."""
    print(f"== {label} …", file=sys.stderr, flush=True)
    log = work / f"{label.replace(' ', '-')}.jsonl"
    prefix = work / label.replace(" ", "-")
    locust = subprocess.Popen(
        [
            LOCUST,
            "-f",
            USERS_FILE,
            "--headless",
            "--host",
            base,
            "--users",
            str(args.users),
            "--spawn-rate",
            str(max(1, args.users // 5)),
            "--run-time",
            f"{args.seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--stop-timeout",
            "10",
        ],
        env={**env, "OVERSIGHT_LOAD_TARGETS": str(targets), "OVERSIGHT_LOAD_LOG": str(log)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    ended: list[int] = []
    if cut is not None:
        timer = threading.Timer(args.seconds / 2, lambda: ended.append(_cut(cut, args)))
        timer.start()
    locust.wait(timeout=args.seconds + 120)
    if cut is not None:
        timer.join()
    rows = list(csv.DictReader((work / f"{prefix.name}_stats.csv").open()))
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    return {"label": label, "rows": rows, "lines": lines, "ended": sum(ended)}


def _cluster(args: argparse.Namespace) -> list[str] | None:
    """`pg_ctlcluster`'s version and name of the cluster on the URL's port, when `--interrupt
    restart` asks for a restart and this user may make one; else None (the connections are cut)."""
    if args.interrupt != "restart" or shutil.which("pg_ctlcluster") is None:
        return None
    port = re.search(r":(\d+)$", args.postgres_url.rstrip("/"))
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True)
    wanted = port.group(1) if port else "5432"
    for line in listed.stdout.splitlines():
        version, name, cluster_port, _status, owner = line.split()[:5]
        if cluster_port == wanted and (os.geteuid() == 0 or owner == os.environ.get("USER")):
            return [version, name]
    return None


def _cut(database: str, args: argparse.Namespace) -> int:
    """Restart PostgreSQL (`_cluster`), or end every connection to `database` but this one; how
    many of the app's connections were ended."""
    import psycopg

    cluster = _cluster(args)
    with psycopg.connect(f"{args.postgres_url}/postgres", autocommit=True) as admin:
        if cluster is not None:
            open_ = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (database,)
            ).fetchone()
    if cluster is not None:
        started = time.perf_counter()
        subprocess.run(["pg_ctlcluster", *cluster, "restart", "-m", "fast"], check=True)
        print(
            f"   PostgreSQL {'/'.join(cluster)} restarted in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        return int(open_[0]) if open_ else 0
    with psycopg.connect(f"{args.postgres_url}/postgres", autocommit=True) as admin:
        ended = admin.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchone()
    print(f"   {ended[0] if ended else 0} database connections ended", file=sys.stderr)
    return int(ended[0]) if ended else 0


def _judge(
    steady: dict[str, Any], cut: dict[str, Any], before: dict, after: dict, args: argparse.Namespace
) -> int:
    ok = True
    for run in (steady, cut):
        print(
            f"{run['label']}"
            + (f" ({run['ended']} connections ended halfway)" if run["ended"] else "")
        )
        print(
            f"  {'request':22} {'count':>7} {'failures':>8} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7}"
        )
        for row in run["rows"]:
            print(
                f"  {row['Name'] or row['Type']:22} {row['Request Count']:>7} "
                f"{row['Failure Count']:>8} {row['50%']:>7} {row['95%']:>7} "
                f"{float(row['Requests/s']):7.1f}"
            )
        statuses = Counter(line["status"] for line in run["lines"] if "status" in line)
        print(f"  statuses: {dict(sorted(statuses.items()))}")
        if args.servers > 1:
            _per_server(run["lines"], args.seconds)
    total = next(row for row in steady["rows"] if row["Name"] == "Aggregated")
    errors = int(total["Failure Count"])
    p95 = float(total["95%"])
    print(
        f"\nsteady: {float(total['Requests/s']):.1f} requests/s, p95 {p95:.0f} ms, {errors} errors"
        f"  target p95 < {P95_TARGET_MS} ms and no error: "
        + ("met" if p95 < P95_TARGET_MS and errors == 0 else "NOT met")
    )
    ok &= errors == 0
    unclean = [
        line for line in cut["lines"]
        if "status" in line and line["status"] not in (200, 302, 503)
    ]  # fmt: skip
    clean = sum(1 for line in cut["lines"] if line.get("status") == 503)
    print(
        f"{cut['label']}: {clean} clean 503s, {len(unclean)} other failures"
        + "".join(f"\n    {u['method']} {u['name']}: {u['status']} {u['error']}" for u in unclean[:10])
        + "  target none: " + ("met" if not unclean else "NOT met")
    )  # fmt: skip
    ok &= not unclean
    acknowledged = Counter(
        str(line["child"]) for line in cut["lines"] if line.get("acknowledged") == "cp_visit"
    )
    lost = {
        child: n
        for child, n in acknowledged.items()
        if after.get(child, 0) - before.get(child, 0) < n
    }
    print(
        f"acknowledged visits in the second run: {sum(acknowledged.values())}, "
        f"found in the database: {sum(after.get(c, 0) - before.get(c, 0) for c in acknowledged)}"
        f", lost: {sum(lost.values())}  target none lost: " + ("met" if not lost else "NOT met")
    )
    ok &= not lost
    return 0 if ok else 1


def _per_server(lines: list[dict[str, Any]], seconds: int) -> None:
    """Each app server's figures from locust's log of each request (its server, time, failure)."""
    print(
        f"  {'app server':22} {'count':>7} {'failures':>8} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7}"
    )
    by_server: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        if "ms" in line:
            by_server.setdefault(line["server"], []).append(line)
    for server, requests in sorted(by_server.items()):
        times = sorted(line["ms"] for line in requests)
        failures = sum(1 for line in requests if line["failed"])
        print(
            f"  {server:22} {len(times):>7} {failures:>8} {_percentile(times, 50):>7.0f} "
            f"{_percentile(times, 95):>7.0f} {len(times) / seconds:7.1f}"
        )


def _percentile(ordered: list[float], percent: int) -> float:
    """The nearest-rank percentile of the ordered `ordered` (as locust's own, to a millisecond)."""
    return ordered[max(0, -(-len(ordered) * percent // 100) - 1)]


def _visits() -> dict[str, int]:
    """Inside Django: the visits dated the run's day, by child."""
    import django

    django.setup()
    from django.db.models import Count
    from django.utils import timezone

    from oversight.cases.constants import EventType
    from oversight.cases.models import Event

    counted = (
        Event.objects.filter(type=EventType.CP_VISIT, date=timezone.localdate())
        .values("child_id")
        .annotate(n=Count("id"))
    )
    return {str(row["child_id"]): row["n"] for row in counted}


def _prepare(users: int) -> dict[str, Any]:
    """Inside Django: up to `users` IROs with a signed-in session each and their children, a
    service manager's session for the reports, and the day visits are recorded on."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.utils import timezone

    from oversight.cases.constants import Role
    from oversight.cases.models import Allocation, StaffMember

    def session(staff: StaffMember) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(staff.user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = staff.user.get_session_auth_hash()
        store.create()
        return str(store.session_key)

    iros = []
    for iro in StaffMember.objects.filter(role_set__role=Role.IRO).order_by("pk")[:users]:
        children = list(
            Allocation.objects.filter(staff=iro, ends__isnull=True)
            .order_by("child_id")
            .values_list("child_id", flat=True)
        )
        if children:
            iros.append({"session": session(iro), "children": children})
    manager = StaffMember.objects.filter(role_set__role=Role.SERVICE_MANAGER).order_by("pk")[0]
    return {
        "iros": iros,
        "manager": {"session": session(manager)},
        "today": timezone.localdate().isoformat(),
    }


if __name__ == "__main__":
    sys.exit(main())
