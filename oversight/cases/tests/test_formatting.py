"""The one formatting layer (`oversight.cases.formatting`): what a person reads of a stored
value."""

from __future__ import annotations

import datetime as dt

from oversight.cases.formatting import age, clock, day, event_details, obligation, value

thu_3_dec_2026 = dt.date(2026, 12, 3)


def test_a_day_is_written_out():
    assert day(thu_3_dec_2026) == "Thursday 3 December 2026"
    assert day("2026-12-03") == "Thursday 3 December 2026"  # as JSON stores it
    assert day(None) == ""
    assert day("not a date") == "not a date"


def test_a_time_is_written_as_govuk_does():
    assert clock(dt.time(14, 0)) == "2pm"
    assert clock("14:00:00") == "2pm"
    assert clock(dt.time(9, 30)) == "9:30am"
    assert clock(dt.time(12, 0)) == "midday"
    assert clock(dt.time(0, 0)) == "midnight"


def test_a_code_is_its_label():
    assert obligation("cp.visit") == "Child protection visit due"
    assert value("icpc") == "Initial child protection conference"
    assert value("disagree_threshold") == "disagree threshold"
    assert value(["neglect", "emotional_abuse"]) == "neglect, emotional abuse"
    assert value("Visit the child's school") == "Visit the child's school"  # text, not a code
    assert value(False) == "No"


def test_an_events_details_leave_out_the_softwares_identifiers():
    details = event_details(
        {"concern": "c67", "action": "m4-1", "accepted": False, "respond_by": "2026-12-07",
         "time": "14:00:00", "categories": ["neglect"]}
    )  # fmt: skip
    assert details == [
        ("Accepted", "No"),
        ("Category of harm", "neglect"),
        ("Response due by", "Monday 7 December 2026"),
        ("Time", "2pm"),
    ]


def test_it_gives_a_childs_age_as_people_say_it():
    tue_29_dec_2026 = dt.date(2026, 12, 29)
    assert age(dt.date(2016, 12, 30), tue_29_dec_2026) == "9 years old"  # ten tomorrow
    assert age(dt.date(2016, 12, 29), tue_29_dec_2026) == "10 years old"  # ten today
    assert age(dt.date(2025, 12, 29), tue_29_dec_2026) == "1 year old"
    assert age(dt.date(2026, 5, 20), tue_29_dec_2026) == "7 months old"
    assert age(dt.date(2026, 11, 30), tue_29_dec_2026) == "29 days old"  # a month less a day
    assert age(dt.date(2026, 11, 29), tue_29_dec_2026) == "1 month old"
    assert age(dt.date(2026, 12, 28), tue_29_dec_2026) == "1 day old"
    # born on 29 February: a year old on 1 March 2025, not on 28 February
    assert age(dt.date(2024, 2, 29), dt.date(2025, 2, 28)) == "11 months old"
    assert age(dt.date(2024, 2, 29), dt.date(2025, 3, 1)) == "1 year old"
    assert age(None, tue_29_dec_2026) == ""  # unborn
