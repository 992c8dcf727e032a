"""Benchmark: the JSON API as a council's warehouse calls it, with a token, against the page
benchmark's ceiling measured in the same run, on PostgreSQL.

    .venv/bin/python benchmarks/api.py [--children 100000] [--seconds 10] [--workers 2]
                                       [--postgres-url postgres://postgres@127.0.0.1:5432]
                                       [--database-url postgres://postgres@127.0.0.1:5432/NAME]

Builds the demo council (`oversight demo`, `oversight nightly`) in a database of its own, which it
drops (or measures the one `--database-url` names: a copy of the template to profile against
while the code changes, which would otherwise rebuild the template); serves it with gunicorn
(`oversight serve`) and drives with Debian's `wrk` from loopback:

- obligations across the service manager's caseload (thousands of children at 100,000): the
  first page of 50 (`GET /api/v1/obligations`), with the manager's API token;
- a page of 50 events of each of an IRO's children in turn (`GET /api/v1/children/N/events`),
  with the IRO's token;
- the ceiling: the page benchmark's minimal view (one indexed query, a small template) over the
  same children.

Each: latency with as many connections as workers, throughput with 16 after a run of the
ceiling. Targets: p95 under 100 ms; at least half the ceiling's throughput at 16 connections."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from contextlib import nullcontext

import _council  # the sibling module: benchmarks run as scripts from this folder
import pages
from _council import ROOT

P95_TARGET_MS = 100
FRACTION_TARGET = 0.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database-url", help="a demo council already built: measured as it is")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(_prepare()))
        return 0
    if shutil.which("wrk") is None:
        print("benchmarks/api.py: needs Debian's wrk (apt-get install wrk)", file=sys.stderr)
        return 2

    built = (
        nullcontext(args.database_url)
        if args.database_url
        else _council.council(args.children, args.postgres_url, "oversight_bench_api")
    )
    with built as url:
        shared = tempfile.mkdtemp(prefix="oversight-bench-api-")
        # The benchmark measures the API, not its limit.
        env = _council.served(url, shared, OVERSIGHT_API_RATE="1000000/m")
        server = None
        try:
            targets = json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--prepare"],
                    env=env, check=True, capture_output=True, text=True, cwd=ROOT,
                ).stdout
            )  # fmt: skip
            port = pages._free_port()
            server = pages._serve(port, args.workers, env)
            base = f"http://127.0.0.1:{port}"
            pages._wait_for(f"{base}/healthz")
            return _drive(base, targets, args)
        finally:
            if server is not None:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
            shutil.rmtree(shared, ignore_errors=True)


def _drive(base: str, targets: dict, args: argparse.Namespace) -> int:
    children = targets["children"]
    iro = f"Authorization: Bearer {targets['iro']['token']}"
    manager = f"Authorization: Bearer {targets['manager']['token']}"
    ceiling = [f"/bench/ceiling/{c}/" for c in children]
    runs = [
        (
            f"obligations, service manager's caseload ({targets['manager']['children']:,} "
            "children), first 50",
            ["/api/v1/obligations?limit=50"],
            manager,
        ),
        (
            f"events of the IRO's {len(children)} children in turn, 50 each",
            [f"/api/v1/children/{c}/events?limit=50" for c in children],
            iro,
        ),
    ]
    scripts = {}
    for label, paths, header in [("ceiling", ceiling, iro), *runs]:
        name, value = header.split(": ", 1)
        for path in paths:
            pages.check(base + path, {name: value})
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(f"paths = {{{', '.join(json.dumps(p) for p in paths)}}}\n{pages.LUA}")
        scripts[label] = script.name
    rows = []
    try:
        for label, _paths, header in runs:
            latency = pages.wrk(base, header, args.workers, args.seconds, scripts[label])
            beside = pages.wrk(base, iro, 16, args.seconds, scripts["ceiling"])
            throughput = pages.wrk(base, header, 16, args.seconds, scripts[label])
            rows.append((label, latency, throughput, beside))
    finally:
        for script_name in scripts.values():
            os.unlink(script_name)
    print(
        f"\ngunicorn workers: {args.workers}; wrk {args.seconds} s per run from loopback; "
        f"latency with {args.workers} connections, throughput with 16; each call with an API "
        "token\n"
    )
    header = (
        f"{'call':66} {'p50 ms':>7} {'p95 ms':>7} | {'req/s @16':>9} {'ceiling @16':>11} "
        f"{'of ceiling':>10} | {'p95 target':10} {'throughput target':17}"
    )
    print(header + "\n" + "-" * len(header))
    met = True
    for label, latency, throughput, beside in rows:
        p95 = latency[1] / 1000
        fraction = throughput[2] / beside[2]
        errors = latency[3] + throughput[3]
        ok = p95 < P95_TARGET_MS, fraction >= FRACTION_TARGET
        met = met and all(ok) and not errors
        print(
            f"{label:66} {latency[0] / 1000:7.1f} {p95:7.1f} | {throughput[2]:9.1f} "
            f"{beside[2]:11.1f} {fraction:10.2f} | {pages._met(ok[0]):10} {pages._met(ok[1]):17}"
            + (f"  ({errors} errors)" if errors else "")
        )
    print(f"\ntargets (p95 < {P95_TARGET_MS} ms, >= {FRACTION_TARGET} of the ceiling): "
          f"{'met' if met else 'NOT met'}")  # fmt: skip
    return 0


def _prepare() -> dict:
    """Inside Django: an API token for the IRO nearest 70 children and for the service manager
    with the most, and the IRO's children."""
    import django

    django.setup()
    from django.db.models import Count, Q

    from oversight.api import tokens
    from oversight.cases.access import children_for_user
    from oversight.cases.constants import Role
    from oversight.cases.models import Allocation, StaffMember

    admin = StaffMember.objects.filter(role_set__role=Role.IRO_TEAM_MANAGER).first()
    assert admin is not None

    run = uuid.uuid4().hex[:8]  # a name of its own each run: `--database-url` measures one again

    def token(staff: StaffMember, name: str) -> str:
        return tokens.issue(
            name=f"{name} {run}",
            user=staff.user,
            read_only=True,
            expires_on=None,
            acting_user=admin.user,
        ).secret

    open_now = Q(allocations__ends__isnull=True)
    iros = (
        StaffMember.objects.filter(role_set__role=Role.IRO)
        .annotate(n=Count("allocations", filter=open_now))
        .order_by("pk")
    )
    iro = min(iros, key=lambda s: abs(s.n - 70))
    managers = StaffMember.objects.filter(role_set__role=Role.SERVICE_MANAGER).order_by("pk")
    count, manager = max(((children_for_user(m.user).count(), m) for m in managers),
                         key=lambda pair: pair[0])  # fmt: skip
    children = Allocation.objects.filter(staff=iro, ends__isnull=True).order_by("pk")
    return {
        "iro": {"token": token(iro, "bench IRO"), "staff": iro.pk},
        "manager": {"token": token(manager, "bench manager"), "children": count},
        "children": list(children.values_list("child_id", flat=True)),
    }


if __name__ == "__main__":
    sys.exit(main())
