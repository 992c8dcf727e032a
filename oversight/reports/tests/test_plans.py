"""Plans by length, second and later plans, RCPCs brought forward and concerns by team and
outcome, on the December 2026 council (`conftest.py`) with seven more children whose plans begin
and end in December: each count worked out by hand below, never by the code under test.

Bea moves from Sami (team 1) to Nia (team 2) on Fri 11 Dec, between the end of her first plan
(Tue 1 Dec) and the start of her second (Mon 14 Dec). A month is the engine's: the same day of
the month, or the month's last day."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.models import Child
from oversight.cases.obligations import recompute_child
from oversight.reports.documents import document
from oversight.reports.figures import Period, Scope, concerns_by_team, figure, figures
from oversight.reports.tests.conftest import MONDAY_11_JANUARY_2027, December, d
from oversight.reports.tests.test_command import run
from oversight.reports.tests.test_pages import DECEMBER, downloaded, figure_text

pytestmark = pytest.mark.django_db

DECEMBER_2026 = Period(d("Tue 2026-12-01"), d("Thu 2026-12-31"))
IC, RC, BK = EventType.ICPC, EventType.RCPC, EventType.MEETING_BOOKED
PLAN, END = {"outcome": "plan"}, {"outcome": "end"}


@pytest.fixture
def plans(council: Any, december: December) -> December:
    sami, nia, isla, owen = (
        council.social_worker, council.other_social_worker, council.iro, council.other_iro
    )  # fmt: skip
    since = d("Mon 2022-11-07")

    def child(first: str, worker: Any, iro: Any, *events: tuple) -> Child:
        made = make_child(first_name=first, last_name="Planson", reference=f"P-{first}")
        allocate(made, worker, Role.SOCIAL_WORKER, since)
        allocate(made, iro, Role.IRO, since)
        for kind, day, data in events:
            record_event(made, kind, d(day), **data)
        december.children[first] = made
        return made

    forward = {"meeting": "rcpc", "brought_forward": True}
    # Vera: Thu 1 Oct to Wed 30 Dec, a day short of 3 months: under 3 months. Her RCPC was
    # brought forward on Tue 1 Dec (the period's first day).
    child("Vera", sami, isla, (IC, "Thu 2026-10-01", PLAN),
          (BK, "Tue 2026-12-01", forward | {"on": "2026-12-30"}),
          (RC, "Wed 2026-12-30", END))  # fmt: skip
    # Walt: Wed 30 Sep to Wed 30 Dec, 3 months to the day: 3 to 6 months, not under 3.
    child("Walt", sami, isla, (IC, "Wed 2026-09-30", PLAN), (RC, "Wed 2026-12-30", END))
    # Xan: Wed 17 Jun to Wed 16 Dec, a day short of 6 months: 3 to 6. His RCPC was brought
    # forward on Mon 30 Nov, in November: not December's.
    child("Xan", nia, owen, (IC, "Wed 2026-06-17", PLAN),
          (BK, "Mon 2026-11-30", forward | {"on": "2026-12-16"}),
          (RC, "Wed 2026-12-16", END))  # fmt: skip
    # Yara: Mon 15 Dec 2025 to Tue 15 Dec 2026, a year to the day: 1 to 2 years. A looked-after
    # review brought forward on Mon 7 Dec is not an RCPC.
    child("Yara", nia, owen, (IC, "Mon 2025-12-15", PLAN), (RC, "Tue 2026-12-15", END),
          (BK, "Mon 2026-12-07", {"meeting": "lac_review", "on": "2026-12-21",
                                  "brought_forward": True}))  # fmt: skip
    # Abe: Mon 2 Dec 2024 to Wed 2 Dec 2026, 2 years to the day: 2 years or more.
    child("Abe", sami, isla, (IC, "Mon 2024-12-02", PLAN), (RC, "Wed 2026-12-02", END))
    # Bea: her first plan Mon 3 Feb 2025 to Tue 1 Dec 2026 (team 1's): 1 to 2 years; her second
    # from Mon 14 Dec (team 2's, after her move), within 2 years of the first's end; its RCPC
    # brought forward on Thu 31 Dec, the month's last day.
    bea = child("Bea", sami, isla, (IC, "Mon 2025-02-03", PLAN), (RC, "Tue 2026-12-01", END),
                (IC, "Mon 2026-12-14", PLAN),
                (BK, "Thu 2026-12-31", forward | {"on": "2027-01-22"}))  # fmt: skip
    held = bea.allocations.get(role=Role.SOCIAL_WORKER)
    held.ends = d("Thu 2026-12-10")
    held.save()
    allocate(bea, nia, Role.SOCIAL_WORKER, d("Fri 2026-12-11"))
    # Zac: his first plan ended Mon 2 Dec 2024; his second from Thu 3 Dec 2026, 2 years and a
    # day after: second, but not within 2 years. An RCPC booked that day is not brought forward.
    child("Zac", nia, owen, (IC, "Mon 2022-12-05", PLAN), (RC, "Mon 2024-12-02", END),
          (IC, "Thu 2026-12-03", PLAN), (BK, "Thu 2026-12-03", {"meeting": "rcpc",
                                                                "on": "2027-02-25"}))  # fmt: skip
    for first in ("Vera", "Walt", "Xan", "Yara", "Abe", "Bea", "Zac"):
        recompute_child(december.children[first], as_of=MONDAY_11_JANUARY_2027)
    return december


KEYS = (
    "plans_started",
    "plans_second_or_later",
    "plans_second_within_2_years",
    "plans_ended",
    "plan_length_under_3_months",
    "plan_length_3_to_6_months",
    "plan_length_6_to_12_months",
    "plan_length_1_to_2_years",
    "plan_length_2_years_or_more",
    "rcpc_brought_forward",
)

# Started: Ava, Ben, Cara, Dan, Gus (each a first plan), Bea's second and Zac's second.
# Ended: Jude's (Mon 1 Jun to Wed 16 Dec: 6 to 12 months), Vera's, Walt's, Xan's, Yara's, Abe's
# and Bea's first.
SERVICE = {
    "plans_started": (7, None),
    "plans_second_or_later": (2, 7),  # Bea, Zac
    "plans_second_within_2_years": (1, 7),  # Bea; Zac's a day too late
    "plans_ended": (7, None),
    "plan_length_under_3_months": (1, 7),  # Vera
    "plan_length_3_to_6_months": (2, 7),  # Walt (3 months to the day), Xan
    "plan_length_6_to_12_months": (1, 7),  # Jude
    "plan_length_1_to_2_years": (2, 7),  # Yara (a year to the day), Bea's first
    "plan_length_2_years_or_more": (1, 7),  # Abe (2 years to the day)
    "rcpc_brought_forward": (2, None),  # Vera's on Tue 1 Dec, Bea's on Thu 31 Dec
}


def numbers(scope: Scope) -> dict[str, tuple[int, int | None]]:
    return {f.key: (f.numerator, f.denominator) for f in figures(scope, DECEMBER_2026, KEYS)}


def test_it_counts_plans_by_length_and_repeat_for_the_service(plans):
    assert numbers(Scope()) == SERVICE


def test_it_counts_a_plan_for_the_team_that_held_the_child_that_day(plans):
    # Team 1: Ava, Ben, Cara (Thu 3 Dec, before her move), Dan started; Vera, Walt, Abe and
    # Bea's first (Tue 1 Dec, before her move) ended.
    assert numbers(Scope(team=plans.team_1)) == {
        "plans_started": (4, None),
        "plans_second_or_later": (0, 4),
        "plans_second_within_2_years": (0, 4),
        "plans_ended": (4, None),
        "plan_length_under_3_months": (1, 4),  # Vera
        "plan_length_3_to_6_months": (1, 4),  # Walt
        "plan_length_6_to_12_months": (0, 4),
        "plan_length_1_to_2_years": (1, 4),  # Bea's first
        "plan_length_2_years_or_more": (1, 4),  # Abe
        "rcpc_brought_forward": (1, None),  # Vera's
    }
    # Team 2: Gus, Bea's second (after her move) and Zac started; Jude, Xan and Yara ended.
    assert numbers(Scope(team=plans.team_2)) == {
        "plans_started": (3, None),
        "plans_second_or_later": (2, 3),  # Bea, Zac
        "plans_second_within_2_years": (1, 3),  # Bea
        "plans_ended": (3, None),
        "plan_length_under_3_months": (0, 3),
        "plan_length_3_to_6_months": (1, 3),  # Xan
        "plan_length_6_to_12_months": (1, 3),  # Jude
        "plan_length_1_to_2_years": (1, 3),  # Yara
        "plan_length_2_years_or_more": (0, 3),
        "rcpc_brought_forward": (1, None),  # Bea's, after her move
    }


def test_it_lists_the_plans_behind_a_figure(plans):
    rows = figure("plans_second_within_2_years", Scope(), DECEMBER_2026).children()
    assert [(r.name, r.what, r.day, r.counted) for r in rows if r.counted or "Planson" in r.name] == [
        ("Zac Planson", "Child protection plan 2 (the last ended Monday 2 December 2024)",
         d("Thu 2026-12-03"), False),
        ("Bea Planson", "Child protection plan 2 (the last ended Tuesday 1 December 2026)",
         d("Mon 2026-12-14"), True),
    ]  # fmt: skip
    forward = figure("rcpc_brought_forward", Scope(), DECEMBER_2026).children()
    assert [(r.name, r.what, r.day) for r in forward] == [
        ("Vera Planson", "RCPC brought forward to Wednesday 30 December 2026", d("Tue 2026-12-01")),
        ("Bea Planson", "RCPC brought forward to Friday 22 January 2027", d("Thu 2026-12-31")),
    ]
    ended = figure("plan_length_3_to_6_months", Scope(), DECEMBER_2026).children()
    assert [(r.name, r.start, r.day) for r in ended if r.counted] == [
        ("Xan Planson", d("Wed 2026-06-17"), d("Wed 2026-12-16")),
        ("Walt Planson", d("Wed 2026-09-30"), d("Wed 2026-12-30")),
    ]


def test_it_counts_the_concerns_by_team(december):
    found = {
        row.team.name: (row.raised.numerator, row.resolved.numerator, row.resolved.denominator)
        for row in concerns_by_team(Scope(), DECEMBER_2026)
    }
    assert found == {
        # Isla's: Ava's and Kit's raised; Hana's and Ava's resolved of those and Kit's
        "IRO team A": (2, 2, 3),
        # Owen's: Gus's raised; Ivo's and Gus's open
        "IRO team B": (1, 0, 2),
        "Social work team 1": (2, 2, 3),  # Sami's, as the IRO team A's
        "Social work team 2": (1, 0, 2),  # Nia's
    }
    team_2 = concerns_by_team(Scope(team=december.team_2), DECEMBER_2026)
    assert [(r.team.name, r.raised.numerator) for r in team_2] == [("Social work team 2", 1)]
    assert [r.name for r in team_2[0].resolved.children() if not r.counted] == [
        "Ivo Reportson",
        "Gus Reportson",
    ]


def test_it_counts_the_concerns_by_outcome(december):
    rows = figure("escalations_resolved_after_notice", Scope(), DECEMBER_2026).children()
    assert [(r.name, r.what, r.counted) for r in rows] == [
        ("Ivo Reportson", "Concern (stage 2)", False),  # still open
        ("Hana Reportson", "Concern (stage 1)", True),
        ("Ava Reportson", "Concern (informal)", False),  # resolved informally
        ("Kit Reportson", "Concern (informal)", False),
        ("Gus Reportson", "Dispute with Northbrook Health Trust (informal)", False),
    ]


def test_the_dashboard_the_documents_the_command_and_the_exports_agree(client, plans):
    _, out, _ = run("dashboard", "--from", "2026-12-01", "--to", "2026-12-31")
    printed = {f["key"]: (f["numerator"], f["denominator"]) for f in json.loads(out)["figures"]}
    assert {k: printed[k] for k in KEYS} == SERVICE
    monthly = document("monthly", Scope(), DECEMBER_2026)
    assert {f.key: (f.numerator, f.denominator) for f in monthly.figures if f.key in KEYS} == (
        SERVICE
    )
    annual = document("annual", Scope(), DECEMBER_2026)
    assert {f.key for f in annual.figures} >= set(KEYS)
    client.force_login(plans.service_manager.user)
    dashboard = client.get(f"/reports/?{DECEMBER}")
    for key, (numerator, denominator) in SERVICE.items():
        shown = figure_text(dashboard, key)
        assert shown.startswith(str(numerator) if denominator is None else f"{numerator} of "
                                f"{denominator}"), key  # fmt: skip
        exported = client.get(f"/reports/children.csv?figure={key}&{DECEMBER}")
        rows = list(csv.reader(io.StringIO(downloaded(exported).decode())))[1:]
        assert sum(row[-1] == "Yes" for row in rows) == numerator, key
        assert len(rows) == (denominator if denominator is not None else numerator), key


def test_the_dashboard_and_its_json_show_the_concerns_by_team(client, december):
    client.force_login(december.service_manager.user)
    page = client.get(f"/reports/?{DECEMBER}").text
    team_1 = december.team_1.pk
    assert f"figure=escalations_raised&amp;team={team_1}" in page
    _, out, _ = run("dashboard", "--from", "2026-12-01", "--to", "2026-12-31")
    tables = [t for s in json.loads(out)["sections"] for t in s["tables"]]
    by_team = next(t for t in tables if t["caption"] == "Concerns by team")
    assert ["Social work team 1", 2, 2, 3] in by_team["rows"]
    assert ["Social work team 2", 1, 0, 2] in by_team["rows"]


def test_it_counts_every_plan_figure_in_one_query_without_reading_a_chronology(plans):
    plan_keys = [key for key in KEYS if key != "rcpc_brought_forward"]
    for scope in (Scope(), Scope(team=plans.team_1), Scope(team=plans.team_2)):
        with CaptureQueriesContext(connection) as read:
            found = figures(scope, DECEMBER_2026, plan_keys)
        # one query of the plans the engine placed when the obligations were recomputed: none
        # of the children's events read and placed again for a report (issue 15)
        assert len(read.captured_queries) == 1
        assert "cases_event" not in read.captured_queries[0]["sql"]
        assert {f.key: (f.numerator, f.denominator) for f in found} == {
            key: numbers(scope)[key] for key in plan_keys
        }
