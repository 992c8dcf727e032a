"""A ladder's own times (a stage meeting's, the recording's, a shorter deadline's limit) come from
the engine's date rules (`oversight.timescales.dates`): working days as the engine counts them,
and an hours rule from the event's clock time, not from the start of its day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from oversight.escalations import actions
from oversight.escalations.ladders import due_on

pytestmark = pytest.mark.django_db

monday_1_march_2027 = dt.date(2027, 3, 1)
tuesday_2_march_2027 = dt.date(2027, 3, 2)

# A synthetic council whose stage 1 calls for a call between the parties within 12 hours.
HARTSIDE = """
name = "hartside"
council = "Synthetic Borough of Hartside"
extends = "england"

[ladders.default]
label = "Hartside escalation"
applies_to = ["cp", "lac"]
source = "Synthetic protocol, section 1"

[ladders.default.informal]
name = "Informal stage"
addressees = ["team_manager"]
response = "5 working days"
source = "Synthetic protocol, section 1"

[[ladders.default.stages]]
number = 1
label = "Stage 1"
addressees = ["team_manager"]
response = "5 working days"
source = "Synthetic protocol, section 2"

[ladders.default.stages.meeting]
within = "12 hours"
purpose = "A call between the chair and the team manager."
source = "Synthetic protocol, section 2"

[ladders.default.total]
rule = "20 working days"
source = "Synthetic protocol, section 3"
"""


@pytest.fixture
def hartside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_pack) -> None:
    (tmp_path / "hartside.toml").write_text(HARTSIDE, encoding="utf-8")
    monkeypatch.setenv("OVERSIGHT_POLICY_DIRS", str(tmp_path))
    use_pack("hartside")


def test_an_hours_rule_counts_from_the_events_clock_time_across_midnight(use_pack):
    use_pack("england")
    # Mon 1 March 2027 15:00 + 12 hours = Tue 2 March 03:00
    assert due_on("12 hours", monday_1_march_2027, dt.time(15, 0)) == tuesday_2_march_2027
    # an event without a time is read as 00:00, as the engine reads it: Mon 12:00
    assert due_on("12 hours", monday_1_march_2027) == monday_1_march_2027


def test_a_working_days_rule_skips_the_weekend_and_ignores_the_clock(use_pack):
    use_pack("england")
    friday_5_march_2027 = dt.date(2027, 3, 5)
    # Fri + 1 working day = Mon 8 March, whatever the time of day
    assert due_on("1 working day", friday_5_march_2027, dt.time(23, 30)) == dt.date(2027, 3, 8)


def test_a_stage_meeting_in_hours_is_due_the_next_day_after_an_afternoon_notice(line, hartside):
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="Plan not shared", impact="Parents unprepared",
        on=dt.date(2027, 2, 22), acting_user=c.iro.user,
    )  # fmt: skip
    notice = actions.issue_notice(concern, stage=1, on=monday_1_march_2027, acting_user=c.iro.user)
    assert notice.event is not None
    notice.event.time = dt.time(15, 0)  # the notice's event recorded at 15:00 on Mon 1 March
    notice.event.save(update_fields=["time"])
    due = actions.stage_meeting_due(concern)
    assert due is not None
    # 12 hours from Mon 1 March 15:00 is Tue 2 March 03:00 (not Mon 1 March, the notice's day)
    assert due["by"] == tuesday_2_march_2027
