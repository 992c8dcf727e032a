"""Property-based attack on the engine's input (hypothesis): whatever a chronology holds, the
engine answers or refuses it with InputError naming the event and field; nothing else escapes."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.timescales.engine import evaluate
from oversight.timescales.events import EVENT_TYPES, InputError
from oversight.timescales.tests.helpers import POLICY

thursday_3_june_2027 = dt.date(2027, 6, 3)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        ["2027-02-29", "2028-02-29", "2026-12-25", "0000-01-01", "9999-12-31", "24:00"]
    ),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
dates = st.one_of(st.dates().map(dt.date.isoformat), json_scalars)
fields = ["decision", "category", "stage", "concern", "time", "ladder", "outcome", "action", "id"]
events = st.fixed_dictionaries(
    {"type": st.one_of(st.sampled_from(sorted(EVENT_TYPES)), st.text(max_size=12)), "date": dates},
    optional={name: json_values for name in fields},
)
chronologies = st.one_of(st.lists(events, max_size=8), json_values)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chronology=chronologies)
def test_any_chronology_is_answered_or_refused_with_an_input_error(chronology):
    try:
        evaluate(chronology, POLICY, thursday_3_june_2027)
    except InputError as exc:
        assert str(exc)  # a sentence naming what is wrong
