"""A child protection visit counts as the statutory visit only where the pack says: Camden's
child "is seen at home by the social worker every 10 days" (seed 000, s. 4.1); under a pack that
names no place (england) a visit anywhere the child is seen counts.

The plan starts at an ICPC on Thu 17 December 2026; the first visit is due 10 working days later,
Tue 5 January 2027 (Christmas Day, Boxing Day's substitute Mon 28 December and New Year's Day
skipped). The child is seen at school on Wed 30 December and at home on Mon 4 January."""

from __future__ import annotations

import datetime as dt

from oversight.meetings import rules
from oversight.meetings.tests.conftest import facts, numbers, plan
from oversight.policies import resolve_policy
from oversight.timescales.engine import evaluate

thursday_17_december_2026 = dt.date(2026, 12, 17)
wednesday_30_december_2026 = dt.date(2026, 12, 30)
monday_4_january_2027 = dt.date(2027, 1, 4)
tuesday_5_january_2027 = dt.date(2027, 1, 5)
friday_8_january_2027 = dt.date(2027, 1, 8)


def visit_events(pack: str, day: dt.date, where: str) -> list[dict]:
    """The chronology events a visit record of `day` at `where` writes under `pack`."""
    known = facts(periods=(plan(thursday_17_december_2026),), numbers=numbers(pack))
    record = rules.Record(
        "cp_visit", {"date": day, "seen": "yes", "seen_alone": "yes", "where": where}
    )
    return [{"type": p.type, "date": p.date.isoformat()} for p in rules.planned(record, known, "v")]


def first_visit(pack: str, *visits: tuple[dt.date, str]):
    events = [{"type": "icpc", "date": "2026-12-17", "outcome": "plan"}]
    for day, where in visits:
        events += visit_events(pack, day, where)
    found = evaluate(events, resolve_policy(pack), friday_8_january_2027)
    return next(o for o in found.obligations if o.code == "cp.visit")


def test_camden_counts_only_a_visit_at_home():
    # Seen at school: recorded, but not the statutory visit
    assert visit_events("camden", wednesday_30_december_2026, "school") == []
    school_only = first_visit("camden", (wednesday_30_december_2026, "school"))
    assert (school_only.due, school_only.status) == (tuesday_5_january_2027, "overdue")
    at_home = first_visit(
        "camden", (wednesday_30_december_2026, "school"), (monday_4_january_2027, "home")
    )
    assert (at_home.status, at_home.met_on) == ("met", monday_4_january_2027)


def test_a_pack_naming_no_place_counts_a_visit_wherever_the_child_is_seen():
    school = first_visit("england", (wednesday_30_december_2026, "school"))
    assert (school.status, school.met_on) == ("met", wednesday_30_december_2026)
