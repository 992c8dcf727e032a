"""Manchester's ladder for concerns about carers: each stage answered within 5 working days of
the concern reaching it, the day itself not counted, bank holidays skipped."""

from __future__ import annotations

import datetime as dt

from oversight.fostering import ladder


def test_manchester_answers_each_stage_within_5_working_days(use_pack):
    use_pack("manchester")
    assert [s.answered_by for s in ladder.stages()] == [
        "Fostering Team Manager",
        "Fostering Service Lead",
        "Head of Service, Fostering and Adoption",
    ]
    wednesday_23_december_2026 = dt.date(2026, 12, 23)
    # Thu 24, Tue 29, Wed 30, Thu 31, Mon 4 Jan: Christmas Day, Boxing Day's substitute Mon 28
    # and New Year's Day skipped
    assert ladder.response_due(1, wednesday_23_december_2026) == dt.date(2027, 1, 4)
    assert ladder.stage(4) is None


def test_a_council_without_it_has_no_stages(use_pack):
    use_pack("stockport")
    assert ladder.stages() == []
    assert ladder.response_due(1, dt.date(2026, 12, 23)) is None
