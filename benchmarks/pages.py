"""Benchmark: the pages people open every morning, against a ceiling, on PostgreSQL, with and
without writes, with and without the whole-page cache.

    .venv/bin/python benchmarks/pages.py [--children 100000] [--seconds 10] [--workers 2]
                                         [--cache on,off]
                                         [--postgres-url postgres://postgres@127.0.0.1:5432]
                                         [--database-prefix oversight_bench_pages]

Builds the demo council (`oversight demo`, then `oversight nightly`) in a bench database it creates
(`<prefix>_<random>`) and drops, serves it with gunicorn (`oversight serve`, the same worker count
throughout) twice side by side, once with the whole-page cache (`OVERSIGHT_WHOLE_PAGE_CACHE`) on
and once off, and drives each page with Debian's `wrk` from loopback with a signed-in session
cookie:

- My caseload of an IRO with about 70 children;
- My caseload of a service manager with thousands (the first page of 50);
- a child's page, the IRO's children in turn (one child again and again would measure sixteen
  connections queueing for that one record's row of "who has seen this record", which no
  person does);
- the ceiling, measured in the same run, over the same children in turn: a minimal Django view
  that runs one indexed query and renders a small template.

Three loads, each against both servers: reads only; reads while a writer (another process, as a
member of staff would) records a visit or a core group on one of the IRO's children every second
through `oversight.cases.actions.record_event`, so its child's version moves after each commit as
in production; and the same every 200 ms. Each page has two runs: latency with as many
connections as workers (no queueing), throughput with 16, after a run of the ceiling on the same
server under the same load (this machine's speed drifts over the minutes the benchmark takes),
the page's throughput read as a fraction of that one. Targets for every page in every run: p95
under 100 ms in the latency run; at least half the ceiling's throughput with 16 connections (the
target is set at 1 write/s; the other loads are judged the same way for comparison).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from typing import IO, Any

import _council  # the sibling module: benchmarks run as scripts from this folder
from _council import OVERSIGHT, ROOT

LUA = """
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format(nil, paths[i])
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %d %.2f %d %d\\n", latency:percentile(50),
    latency:percentile(95), summary.requests / (summary.duration / 1e6), errors, summary.requests))
end
"""
# The loads: a label and the writer's interval in seconds (None: no writer).
LOADS = [("reads only", None), ("reads + 1 write/s", 1.0), ("reads + 5 writes/s", 0.2)]
CACHE_MODES = ["on", "off"]
P95_TARGET_MS = 100
FRACTION_TARGET = 0.5
# The writer's bound: never more than this many events, whatever the interval and the time.
MOST_WRITES = 20_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10, help="each wrk run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--cache",
        default=",".join(CACHE_MODES),
        help="the whole-page cache modes to run, comma-separated (on,off; on alone takes half "
        "the time, without the comparison against none)",
    )
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--database-prefix",
        default="oversight_bench_pages",
        help="the bench database is <prefix>_<random>",
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--write-every", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--write-for", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--write-as", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(_prepare()))
        return 0
    if args.write_every is not None:
        print(json.dumps(_write(args.write_every, args.write_for, args.write_as)))
        return 0
    if shutil.which("wrk") is None:
        print("benchmarks/pages.py: needs Debian's wrk (apt-get install wrk)", file=sys.stderr)
        return 2
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database_prefix):
        parser.error("--database-prefix: lower-case letters, digits and _ only")
    args.modes = [mode for mode in CACHE_MODES if mode in args.cache.split(",")]
    if not args.modes or set(args.cache.split(",")) - set(CACHE_MODES):
        parser.error("--cache: on, off or on,off")

    with _council.council(args.children, args.postgres_url, args.database_prefix) as url:
        shared = tempfile.mkdtemp(prefix="oversight-bench-pages-")
        env = _council.served(url, shared, OVERSIGHT_WHOLE_PAGE_CACHE="true")
        servers: list[subprocess.Popen] = []
        try:
            targets = json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--prepare"],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                ).stdout
            )
            bases = {}
            for mode in args.modes:
                port = _free_port()
                mode_env = {**env, "OVERSIGHT_WHOLE_PAGE_CACHE": mode}
                servers.append(_serve(port, args.workers, mode_env))
                bases[mode] = f"http://127.0.0.1:{port}"
            for base in bases.values():
                _wait_for(f"{base}/healthz")
            return _drive(bases, targets, env, args)
        finally:
            for server in servers:
                server.send_signal(signal.SIGTERM)
            for server in servers:
                server.wait(timeout=30)
            shutil.rmtree(shared, ignore_errors=True)


def _serve(port: int, workers: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            OVERSIGHT,
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )


def _drive(bases: dict[str, str], targets: dict, env: dict, args: argparse.Namespace) -> int:
    children = targets["children"]
    iro_cookie = targets["iro"]["cookie"]
    ceiling = ("ceiling (one query, small template)", [f"/bench/ceiling/{c}/" for c in children])
    pages = [
        (
            (f"My caseload, IRO ({targets['iro']['children']} children)", ["/caseload/"]),
            iro_cookie,
        ),
        (
            (
                f"My caseload, service manager ({targets['manager']['children']:,} children)",
                ["/caseload/"],
            ),
            targets["manager"]["cookie"],
        ),
        (
            (
                f"child page (the IRO's {len(children)} in turn)",
                [f"/children/{c}/" for c in children],
            ),
            iro_cookie,
        ),
    ]
    scripts = {}
    for (label, paths), cookie in [(ceiling, iro_cookie), *pages]:
        for base in bases.values():
            for path in paths:
                _check(base + path, cookie)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(f"paths = {{{', '.join(json.dumps(p) for p in paths)}}}\n{LUA}")
        scripts[label] = script.name
    # Runs per load: the ceiling's two and each page's three, on each server.
    runs = len(args.modes) * (2 + 3 * len(pages))
    rows: list[dict[str, Any]] = []
    writes: dict[str, dict] = {}
    try:
        for load, every in LOADS:
            writer = None
            if every is not None:
                bound = runs * (args.seconds + 5) + 60
                writer = _start_writer(every, bound, targets["iro"]["staff"], env)
            try:
                for mode in args.modes:
                    print(f"{load}, whole-page cache {mode} …", file=sys.stderr, flush=True)
                    base = bases[mode]
                    run = {"load": load, "cache": mode}
                    label = ceiling[0]
                    latency = _wrk(base, iro_cookie, args.workers, args.seconds, scripts[label])
                    alone = _wrk(base, iro_cookie, 16, args.seconds, scripts[label])
                    rows.append(_row(run, label, latency, alone, alone[2]))
                    for (label, _paths), cookie in pages:
                        latency = _wrk(base, cookie, args.workers, args.seconds, scripts[label])
                        beside = _wrk(base, iro_cookie, 16, args.seconds, scripts[ceiling[0]])
                        throughput = _wrk(base, cookie, 16, args.seconds, scripts[label])
                        rows.append(_row(run, label, latency, throughput, beside[2]))
            finally:
                if writer is not None:
                    writes[load] = _stop_writer(writer)
    finally:
        for script_name in scripts.values():
            os.unlink(script_name)
    _report(rows, writes, args)
    return 0


def _row(run: dict, label: str, latency: tuple, throughput: tuple, ceiling_rps: float) -> dict:
    return {
        **run,
        "page": label,
        "p50": latency[0] / 1000,
        "p95": latency[1] / 1000,
        "rps": latency[2],
        "rps16": throughput[2],
        "ceiling16": ceiling_rps,
        # no request of the ceiling finished in the run (a machine too loaded to measure): none
        "fraction": throughput[2] / ceiling_rps if ceiling_rps else 0.0,
        "errors": latency[3] + throughput[3],
        "is_ceiling": label.startswith("ceiling"),
    }


def _report(rows: list[dict], writes: dict[str, dict], args: argparse.Namespace) -> None:
    print(
        f"\ngunicorn workers: {args.workers} per server; wrk {args.seconds} s per run from "
        f"loopback; latency with {args.workers} connections, throughput with 16\n"
    )
    for load, done in writes.items():
        print(
            f"writer, {load}: {done['events']} events in {done['seconds']:.0f} s "
            f"({done['events'] / done['seconds']:.2f}/s); record_event p50 "
            f"{done['p50_ms']:.0f} ms, max {done['max_ms']:.0f} ms"
        )
    header = (
        f"{'cache':5} {'load':19} {'page':46} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7} | "
        f"{'req/s @16':>9} {'ceiling @16':>11} {'of ceiling':>10} | {'p95 target':10} "
        f"{'throughput target':17}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for row in rows:
        p95_met = row["is_ceiling"] or row["p95"] < P95_TARGET_MS
        fraction_met = row["is_ceiling"] or row["fraction"] >= FRACTION_TARGET
        print(
            f"{row['cache']:5} {row['load']:19} {row['page']:46} {row['p50']:7.1f} "
            f"{row['p95']:7.1f} {row['rps']:7.1f} | {row['rps16']:9.1f} {row['ceiling16']:11.1f} "
            f"{'' if row['is_ceiling'] else format(row['fraction'], '.2f'):>10} | "
            f"{'' if row['is_ceiling'] else _met(p95_met):10} "
            f"{'' if row['is_ceiling'] else _met(fraction_met):17}"
            + (f"  ({row['errors']} errors)" if row["errors"] else "")
        )
    pages = [row for row in rows if not row["is_ceiling"]]
    print(
        "\n(ceiling @16: the ceiling's throughput on the same server under the same load, "
        "measured just before the page's)"
    )

    if args.modes == CACHE_MODES:
        _compare(pages)
    for mode in args.modes:
        mine = [r for r in pages if r["cache"] == mode]
        late = [r for r in mine if r["p95"] >= P95_TARGET_MS]
        slow = [r for r in mine if r["load"] == LOADS[1][0] and r["fraction"] < FRACTION_TARGET]
        print(
            f"\nwhole-page cache {mode}:\n"
            f"  target p95 < {P95_TARGET_MS} ms unqueued, every page in every run: "
            + _met(not late)
            + "".join(f"\n    {r['load']}, {r['page']}: {r['p95']:.1f} ms" for r in late)
            + f"\n  target at least {FRACTION_TARGET:.2f} of the ceiling at 16 connections with "
            "1 write/s, every page: "
            + _met(not slow)
            + "".join(f"\n    {r['page']}: {r['fraction']:.2f}" for r in slow)
        )


def _compare(pages: list[dict]) -> None:
    print("\nthe whole-page cache against none: each page's fraction of the ceiling, on / off")
    by = {(r["cache"], r["load"], r["page"]): r for r in pages}
    labels = list(dict.fromkeys(r["page"] for r in pages))
    print(f"{'page':46} " + " ".join(f"{load:>26}" for load, _ in LOADS))
    for label in labels:
        cells = []
        for load, _ in LOADS:
            on, off = by[("on", load, label)], by[("off", load, label)]
            cells.append(
                f"{on['fraction']:.2f} / {off['fraction']:.2f} = {on['fraction'] / off['fraction']:4.1f}x"
            )
        print(f"{label:46} " + " ".join(f"{cell:>26}" for cell in cells))


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _start_writer(every: float, bound: float, staff: int, env: dict) -> subprocess.Popen:
    """The writer of `_write` in a process of its own, once it has set Django up."""
    writer = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--write-every",
            str(every),
            "--write-for",
            str(bound),
            "--write-as",
            str(staff),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    _expect_line(writer.stdout, "ready", deadline=time.monotonic() + 60)
    return writer


def _stop_writer(writer: subprocess.Popen) -> dict:
    writer.send_signal(signal.SIGTERM)
    out, _ = writer.communicate(timeout=60)
    if writer.returncode != 0:
        raise RuntimeError(f"the writer stopped with status {writer.returncode}")
    return json.loads(out.strip().splitlines()[-1])


def _expect_line(stream: IO[str] | None, expected: str, deadline: float) -> None:
    """Wait for `stream`'s first line to be `expected` (a line is read whole or not at all)."""
    assert stream is not None
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
            raise RuntimeError(f"the writer did not say {expected!r} in time")
    line = stream.readline().strip()
    if line != expected:
        raise RuntimeError(f"the writer said {line!r}, not {expected!r}")


def _write(every: float, seconds: float, staff_pk: int) -> dict:
    """Inside Django, as the member of staff `staff_pk`: a visit or a core group on each of their
    children in turn, one every `every` seconds (at once when the last took longer, never a
    burst to catch up), through the action a page uses, until SIGTERM, `seconds` or
    `MOST_WRITES` events."""
    import django

    django.setup()
    from django.utils import timezone

    from oversight.cases import actions
    from oversight.cases.constants import EventType
    from oversight.cases.models import Child, StaffMember

    staff = StaffMember.objects.select_related("user").get(pk=staff_pk)
    children = list(
        Child.objects.filter(allocations__staff=staff, allocations__ends__isnull=True)
        .distinct()
        .order_by("pk")
    )
    kinds = [EventType.CP_VISIT, EventType.CORE_GROUP]
    stopped: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _frame: stopped.append(signum))
    print("ready", flush=True)
    started = time.monotonic()
    due = started
    took: list[float] = []
    for n in range(MOST_WRITES):
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        if stopped or time.monotonic() - started > seconds:
            break
        today = timezone.localdate()
        began = time.perf_counter()
        actions.record_event(
            children[n % len(children)],
            type=kinds[n % len(kinds)],
            date=today,
            data={},
            acting_user=staff.user,
            as_of=today,
        )
        took.append(time.perf_counter() - began)
        due = max(due + every, time.monotonic())
    took.sort()
    return {
        "events": len(took),
        "seconds": time.monotonic() - started,
        "p50_ms": took[len(took) // 2] * 1000 if took else 0.0,
        "max_ms": took[-1] * 1000 if took else 0.0,
    }


def _prepare() -> dict:
    """Inside Django: the personas, their caseload sizes and a signed-in session cookie each."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.db.models import Count, Q

    from oversight.cases.access import children_for_user
    from oversight.cases.constants import Role
    from oversight.cases.models import Allocation, StaffMember

    def cookie(staff: StaffMember) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(staff.user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = staff.user.get_session_auth_hash()
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    open_now = Q(allocations__ends__isnull=True)
    iros = (
        StaffMember.objects.filter(role_set__role=Role.IRO)
        .annotate(n=Count("allocations", filter=open_now))
        .order_by("pk")
    )
    iro = min(iros, key=lambda s: abs(s.n - 70))
    managers = StaffMember.objects.filter(role_set__role=Role.SERVICE_MANAGER).order_by("pk")
    sized = [(children_for_user(m.user).count(), m) for m in managers]
    count, manager = max(sized, key=lambda pair: pair[0])
    children = Allocation.objects.filter(staff=iro, ends__isnull=True).order_by("pk")
    return {
        "iro": {"cookie": cookie(iro), "children": iro.n, "staff": iro.pk},
        "manager": {"cookie": cookie(manager), "children": count},
        "children": list(children.values_list("child_id", flat=True)),
    }


def _wrk(url: str, cookie: str, connections: int, seconds: int, script: str) -> tuple:
    return wrk(url, f"Cookie: {cookie}", connections, seconds, script)


def wrk(url: str, header: str, connections: int, seconds: int, script: str) -> tuple:
    """wrk's (p50 µs, p95 µs, requests/s, errors, requests) for `script`'s paths on `url`, each
    request sent with `header` ("Name: value")."""
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(connections, 2)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            script,
            "-H",
            header,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"RESULT (\d+) (\d+) ([\d.]+) (\d+) (\d+)", out)
    if not match:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    return int(match[1]), int(match[2]), float(match[3]), int(match[4]), int(match[5])


def _check(url: str, cookie: str) -> None:
    """The page answers 200 for this cookie (not a redirect to sign in, not an error)."""
    check(url, {"Cookie": cookie})


def check(url: str, headers: dict[str, str]) -> None:
    """`url` answers 200 with these headers (not a redirect to sign in, not an error)."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        if response.status != 200 or "/sign-in/" in response.url:
            raise RuntimeError(f"{url} answered {response.status} at {response.url}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer at {url}")


if __name__ == "__main__":
    sys.exit(main())
