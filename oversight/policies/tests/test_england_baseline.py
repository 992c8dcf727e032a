"""The `england` pack is the engine's national baseline (docs/spec/timescales.md, "The obligation
catalogue (national baseline, pack `england`)"): the same obligations and flags, child for child,
over the engine's varied synthetic chronologies. The engine's own tests use the baseline; this is
what lets `oversight timescales`, which resolves `england` by default, be compared with them."""

from __future__ import annotations

from datetime import date

import pytest

from oversight.policies import resolve_policy
from oversight.timescales.catalogue import baseline_policy
from oversight.timescales.engine import evaluate
from oversight.timescales.synthetic import children

AS_OF = date(2026, 11, 23)
EARLIER = date(2025, 6, 1)  # every status occurs at this date


@pytest.mark.parametrize("as_of", [AS_OF, EARLIER], ids=["2026-11-23", "2025-06-01"])
def test_it_takes_the_england_pack_to_be_the_national_baseline(as_of: date) -> None:
    england, baseline = resolve_policy("england"), baseline_policy()
    # the same chronologies as the engine's bulk differential (seed 20261123, 2,000 children)
    for child in children(2_000, seed=20261123):
        assert evaluate(child["events"], england, as_of) == evaluate(
            child["events"], baseline, as_of
        ), child["id"]
