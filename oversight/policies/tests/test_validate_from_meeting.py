"""`from_meeting` on a pack's timescale: only on a rule counted back from a booked meeting, and at
least 1."""

from __future__ import annotations

from pathlib import Path

from oversight.policies import resolve_policy
from oversight.policies.tests.test_validate import problems

DOCUMENTS = '[timescales."lac.review.second"]\nrule = "91 days"'


def test_it_accepts_from_meeting_on_a_before_rule(tmp_path: Path) -> None:
    found = problems(
        tmp_path, DOCUMENTS, '[timescales."lac.review.documents"]\nrule = "3 working days before"\n'
        "from_meeting = 2",
    )  # fmt: skip
    assert found == []


def test_it_refuses_from_meeting_on_a_rule_counted_forward(tmp_path: Path) -> None:
    found = problems(tmp_path, DOCUMENTS, f"{DOCUMENTS}\nfrom_meeting = 2")
    assert found == [
        'timescales."lac.review.second": from_meeting: only a rule counted back from a booked '
        "meeting ('… before') applies from its Nth meeting"
    ]


def test_it_refuses_from_meeting_below_1(tmp_path: Path) -> None:
    found = problems(
        tmp_path, DOCUMENTS, '[timescales."lac.review.documents"]\nrule = "3 working days before"\n'
        "from_meeting = 0",
    )  # fmt: skip
    assert found == [
        'timescales."lac.review.documents".from_meeting: Input should be greater than or equal to 1'
    ]


def test_it_resolves_walsalls_consultation_from_the_second_review() -> None:
    rows = {row.code: row for row in resolve_policy("walsall").obligations}
    assert rows["lac.review.sw_consultation"].from_meeting == 2
    assert rows["lac.review.documents"].from_meeting == 1
    england = {row.code: row for row in resolve_policy("england").obligations}
    assert england["lac.review.sw_consultation"].from_meeting == 1
