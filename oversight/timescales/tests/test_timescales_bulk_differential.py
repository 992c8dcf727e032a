"""Differential: `--bulk` over 2,000 synthetic children equals the single-child path (`evaluate`
per child, serialised the same way), line for line (docs/spec/timescales.md, `--bulk`)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from oversight.timescales.bulk import evaluate_lines
from oversight.timescales.catalogue import baseline_policy
from oversight.timescales.engine import evaluate
from oversight.timescales.events import EVENT_TYPES
from oversight.timescales.synthetic import children

from .helpers import as_contract

ROOT = Path(__file__).resolve().parents[3]
OVERSIGHT = ROOT / ".venv" / "bin" / "oversight"
if not OVERSIGHT.exists():  # pragma: no cover
    OVERSIGHT = Path(sys.executable).with_name("oversight")
ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in {"SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
}
AS_OF = date(2026, 11, 23)
# The synthetic chronologies run from 2024 to late 2026, so at 2026-11-23 nothing is pending; the
# in-process differential uses an earlier date at which every status occurs.
EARLIER = date(2025, 6, 1)
COUNT = 2_000


@pytest.fixture(scope="module")
def chronologies() -> list[dict]:
    return list(children(COUNT, seed=20261123))


def single_path(child: dict, policy: object, as_of: date = AS_OF) -> dict:
    result = evaluate(child["events"], policy, as_of)  # type: ignore[arg-type]
    return {"id": child["id"], **as_contract(result)}


def test_it_generates_a_varied_input(chronologies: list[dict]) -> None:
    seen = Counter(e["type"] for c in chronologies for e in c["events"])
    # the differential means something only if the input exercises the vocabulary widely
    assert len(seen) >= len(EVENT_TYPES) - 1, sorted(EVENT_TYPES - set(seen))
    for as_of, expected in ((AS_OF, {"met", "overdue"}), (EARLIER, {"met", "overdue", "pending"})):
        outputs = [single_path(c, baseline_policy(), as_of) for c in chronologies]
        statuses = Counter(o["status"] for out in outputs for o in out["obligations"])
        assert expected <= set(statuses), (as_of, statuses)


def test_it_gives_the_same_output_from_bulk_as_from_one_child_at_a_time(
    chronologies: list[dict], tmp_path: Path
) -> None:
    path = tmp_path / "children.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in chronologies))
    done = subprocess.run(
        [str(OVERSIGHT), "timescales", "--bulk", str(path), "--as-of", AS_OF.isoformat()],
        capture_output=True,
        env=ENV,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode().splitlines()
    assert len(lines) == COUNT  # one output line per child
    # the command resolves `england`, the national baseline (oversight/policies/tests/
    # test_england_baseline.py holds them equal over these chronologies)
    policy = baseline_policy()
    for number, (line, child) in enumerate(zip(lines, chronologies, strict=True), start=1):
        # line for line, parsed as JSON
        assert json.loads(line) == single_path(child, policy), f"line {number} ({child['id']})"


def test_it_gives_the_same_output_from_worker_processes_in_process(
    chronologies: list[dict],
) -> None:
    data = "".join(json.dumps(c) + "\n" for c in chronologies).encode()
    out = io.BytesIO()
    # three workers: the batches after the first go through the process pool, whatever the cores
    evaluate_lines(io.BytesIO(data), out, baseline_policy(), EARLIER, workers=3)
    lines = out.getvalue().decode().splitlines()
    assert len(lines) == COUNT
    for line, child in zip(lines, chronologies, strict=True):
        assert json.loads(line) == single_path(child, baseline_policy(), EARLIER), child["id"]
