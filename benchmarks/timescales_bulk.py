"""Benchmark: `oversight timescales --bulk` over a national-scale input, against a floor.

(a) the engine: `oversight timescales --bulk` over 100,000 synthetic children (about 17 to 20 events
    each, every event type), output to a file, timed as a whole command;
(b) the floor, in the same run: the standard library's `json` reading each input line and writing
    one output line of the same shape (the real output's objects, re-serialised) to a file.
Target: a/b ≤ 2.0 (must be ≤ 4.0); the engine's peak memory under 500 MB.

    .venv/bin/python benchmarks/timescales_bulk.py [--children N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from oversight.timescales.synthetic import children

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-23"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source, engine_out, floor_out = (
            Path(tmp) / n for n in ("in.jsonl", "out.jsonl", "floor.jsonl")
        )
        events = types = 0
        seen: set[str] = set()
        with source.open("wb") as stream:
            for child in children(args.children, seed=2027):
                events += len(child["events"])
                seen.update(e["type"] for e in child["events"])
                stream.write(orjson.dumps(child) + b"\n")
        types = len(seen)

        command = [
            str(ROOT / ".venv/bin/oversight"),
            "timescales",
            "--bulk",
            str(source),
            "--as-of",
            AS_OF,
        ]
        started = time.perf_counter()
        with engine_out.open("wb") as out:
            subprocess.run(command, stdout=out, check=True)
        engine_seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        floor_seconds = 0.0
        with (
            source.open("rb") as lines,
            engine_out.open("rb") as results,
            floor_out.open("w") as out,
        ):
            for line, result in zip(lines, results, strict=True):
                obj = orjson.loads(result)  # the real output's objects, prepared outside the timing
                started = time.perf_counter()
                json.loads(line)
                out.write(json.dumps(obj) + "\n")
                floor_seconds += time.perf_counter() - started
        obligations = sum(1 for _ in engine_out.open("rb"))

    ratio = engine_seconds / floor_seconds
    print(f"children            {args.children:,}")
    print(f"events              {events:,} ({types} event types)")
    print(f"output lines        {obligations:,}")
    print(f"engine JSON library orjson {orjson.__version__}; floor: the standard library's json")
    print(
        f"(a) engine --bulk   {engine_seconds:.2f} s  ({args.children / engine_seconds:,.0f} children/s, {os.cpu_count()} cores)"
    )
    print(
        f"(b) floor           {floor_seconds:.2f} s  ({args.children / floor_seconds:,.0f} children/s)"
    )
    print(f"ratio a/b           {ratio:.2f}  (target ≤ 2.0, must be ≤ 4.0)")
    print(f"peak memory         {peak_mb:.0f} MB  (target < 500 MB)")
    return 0 if ratio <= 4.0 and peak_mb < 500 else 1


if __name__ == "__main__":
    sys.exit(main())
