"""`benchmarks/load.py --servers 2`'s figures per app server, read from locust's log of each
request: the count, failures, the nearest-rank p50 and p95, and requests per second of each
server (the benchmark itself runs with `make bench`)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import load  # noqa: E402  the benchmark, as `make bench` runs it


def test_the_nearest_rank_percentile():
    twenty = [float(ms) for ms in range(10, 210, 10)]  # 10 … 200 ms
    assert load._percentile(twenty, 95) == 190.0  # the 19th of 20, not the largest
    assert load._percentile(twenty, 50) == 100.0
    assert load._percentile([42.0], 95) == 42.0


def test_each_app_server_has_its_own_figures(capsys):
    lines = [
        *({"server": "127.0.0.1:8001", "ms": float(ms), "failed": False} for ms in range(1, 21)),
        {"server": "127.0.0.1:8002", "ms": 300.0, "failed": True},
        {"server": "127.0.0.1:8002", "ms": 100.0, "failed": False},
        {"acknowledged": "cp_visit", "child": 7},  # not a request: left out
    ]
    load._per_server(lines, seconds=10)
    rows = capsys.readouterr().out.splitlines()[1:]
    assert [row.split() for row in rows] == [
        ["127.0.0.1:8001", "20", "0", "10", "19", "2.0"],
        ["127.0.0.1:8002", "2", "1", "100", "300", "0.2"],
    ]
