"""What the escalation record shows of each deadline (`display.deadline_rows`), from plain
values: stored obligations as the engine wrote them and the concern's history. The working days
late are counted by the engine's public date API on England's calendar."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from oversight.escalations.display import deadline_rows, stage_names
from oversight.policies import load_pack, resolve_policy
from oversight.timescales.dates import calendar_for, working_days_between

NAMES = stage_names(load_pack("england").ladders["default"])
ENGLAND_CALENDAR = calendar_for(resolve_policy("england"))

mon_2_nov = dt.date(2026, 11, 2)
fri_6_nov = dt.date(2026, 11, 6)
mon_9_nov = dt.date(2026, 11, 9)
wed_11_nov = dt.date(2026, 11, 11)
mon_16_nov = dt.date(2026, 11, 16)
wed_18_nov = dt.date(2026, 11, 18)
fri_20_nov = dt.date(2026, 11, 20)
mon_23_nov = dt.date(2026, 11, 23)
wed_25_nov = dt.date(2026, 11, 25)
fri_27_nov = dt.date(2026, 11, 27)
mon_30_nov = dt.date(2026, 11, 30)


def working_days(start: dt.date, end: dt.date) -> int:
    return working_days_between(start, end, ENGLAND_CALENDAR)


def obligation(code, due, status, *, met_on=None, on_time=None, stage=None, on=None):
    trigger = {"concern": "concern-1", "date": (on or mon_2_nov).isoformat()}
    if stage is not None:
        trigger["stage"] = stage
    return SimpleNamespace(
        code=code, trigger=trigger, due=due, status=status, met_on=met_on, on_time=on_time
    )


def step(kind, stage, on, **data):
    return SimpleNamespace(kind=kind, stage=stage, on=on, data=data)


def rows(obligations, steps):
    return deadline_rows(obligations, steps, NAMES, working_days)


def test_a_response_on_time_is_met():
    found = rows(
        [obligation("esc.informal.response", mon_9_nov, "met", met_on=fri_6_nov, on_time=True)],
        [step("raised", 0, mon_2_nov), step("response", 0, fri_6_nov)],
    )
    assert [(r.status, r.on, r.late) for r in found] == [("Met", fri_6_nov, False)]


def test_a_response_four_working_days_late_says_so():
    found = rows(
        [obligation("esc.stage.response", mon_23_nov, "met", met_on=fri_27_nov, on_time=False,
                    stage=3, on=mon_16_nov)],
        [step("notice", 3, mon_16_nov, respond_by="2026-11-23"), step("response", 3, fri_27_nov)],
    )  # fmt: skip
    (row,) = found
    # Mon 23 Nov due, Fri 27 Nov answered: Tue, Wed, Thu, Fri late.
    assert row.status == "Met late (4 working days)"
    assert row.late
    assert row.what == "Response to the notice of concern due (Stage 3: Head of service)"


def test_an_informal_stage_nobody_answered_is_not_met():
    # Raised Mon 2 Nov, due Mon 9 Nov, no response; the chair issued stage 1 on Wed 11 Nov.
    found = rows(
        [obligation("esc.informal.response", mon_9_nov, "met", met_on=wed_11_nov, on_time=False)],
        [step("raised", 0, mon_2_nov), step("notice", 1, wed_11_nov, respond_by="2026-11-18")],
    )
    (row,) = found
    assert row.status == "Not answered"
    assert row.on == wed_11_nov
    # Tue 10 and Wed 11 Nov: two working days after the deadline.
    assert row.detail == "notice issued (Stage 1: Team manager), 2 working days after the deadline"
    assert row.late


def test_an_extended_deadline_keeps_its_first_date_and_says_it_was_missed():
    # Stage 1 issued Wed 11 Nov, due Wed 18 Nov; extended on Fri 20 Nov to Mon 30 Nov.
    found = rows(
        [obligation("esc.stage.response", mon_30_nov, "pending", stage=1, on=wed_11_nov)],
        [step("notice", 1, wed_11_nov, respond_by="2026-11-18"),
         step("extended", 1, fri_20_nov, respond_by="2026-11-30")],
    )  # fmt: skip
    (row,) = found
    assert (row.due, row.first_due, row.extended_on) == (mon_30_nov, wed_18_nov, fri_20_nov)
    assert row.missed  # extended two days after it had passed
    assert row.status == "Due"


def test_a_deadline_extended_before_it_passed_is_not_missed():
    found = rows(
        [obligation("esc.stage.response", mon_30_nov, "pending", stage=1, on=wed_11_nov)],
        [step("notice", 1, wed_11_nov, respond_by="2026-11-18"),
         step("extended", 1, mon_16_nov, respond_by="2026-11-30")],
    )  # fmt: skip
    (row,) = found
    assert (row.first_due, row.missed) == (wed_18_nov, False)


def test_the_whole_process_deadline_names_no_stage():
    # esc.total runs from the first notice (stage 1) whatever the stage the concern is at now.
    found = rows(
        [obligation("esc.total", dt.date(2026, 12, 9), "pending", stage=1, on=wed_11_nov)],
        [step("notice", 1, wed_11_nov), step("notice", 4, wed_25_nov)],
    )
    assert [r.what for r in found] == ["Formal dispute resolution to be concluded"]


def test_stages_are_named_one_way():
    assert NAMES == {
        0: "Informal resolution",
        1: "Stage 1: Team manager",
        2: "Stage 2: Service manager",
        3: "Stage 3: Head of service",
        4: "Stage 4: Director of children's services",
    }
    walsall = load_pack("walsall").ladders["iro"]
    assert stage_names(walsall)[2] == "Stage 2"  # its own label already says it
