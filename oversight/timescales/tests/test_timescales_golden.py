"""Golden files: whole chronologies with their expected output, in golden/*.json.

Each file holds `description`, `policy`, `as_of`, `events` and `expected` ({obligations, flags}).
Every expected date in them was checked by hand against docs/spec/timescales.md when committed (the
`review` list in each file says how, obligation by obligation).

To regenerate after a deliberate change of the engine:

    UPDATE_GOLDEN=1 .venv/bin/pytest oversight/timescales/tests/test_timescales_golden.py

then read the diff (`git diff oversight/timescales/tests/golden`) and check each changed date by
hand against the spec before committing — a regenerated golden file proves nothing by itself."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from oversight.timescales.catalogue import baseline_policy
from oversight.timescales.engine import evaluate

from .helpers import as_contract

GOLDEN = Path(__file__).parent / "golden"
FILES = sorted(GOLDEN.glob("*.json"))


def test_it_has_the_golden_chronologies() -> None:
    # a full CP journey, a looked-after journey with reviews, an escalation to stage 4
    assert {f.stem for f in FILES} >= {"cp_journey", "lac_journey", "escalation_to_stage_4"}


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_it_matches_the_golden_output(path: Path) -> None:
    golden = json.loads(path.read_text())
    assert golden["policy"] == "england"  # the golden files are for the national baseline
    result = evaluate(golden["events"], baseline_policy(), date.fromisoformat(golden["as_of"]))
    got = as_contract(result)  # as the command writes it
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden["expected"] = got
        path.write_text(json.dumps(golden, indent=2, ensure_ascii=False) + "\n")
        pytest.skip(f"rewrote {path.name}: review its dates by hand before committing")
    assert got == golden["expected"]
    # and the same whatever the order of the events
    reversed_result = evaluate(
        golden["events"][::-1], baseline_policy(), date.fromisoformat(golden["as_of"])
    )
    assert as_contract(reversed_result)["obligations"] == golden["expected"]["obligations"]
