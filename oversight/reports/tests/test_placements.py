"""The placement figures and the social workers' visits to looked-after children, on the
December 2026 council (`conftest.py`) with five more children placed: each count worked out by
hand below, never by the code under test.

The period is December 2026, across Christmas and the bank holidays of Fri 25 and Mon 28
December (reg 28 counts visits in calendar days: they move nothing) to Thu 31 December, the
month's last day. Its 12 months begin Wed 31 December 2025 (the engine's months). Cleo, Dev,
Eli and Fay are Sami's (team 1), Gil is Nia's (team 2)."""

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
from oversight.reports.figures import Period, Scope, figure, figures
from oversight.reports.tests.conftest import MONDAY_11_JANUARY_2027, December, d
from oversight.reports.tests.test_command import run
from oversight.reports.tests.test_pages import DECEMBER, downloaded, figure_text

pytestmark = pytest.mark.django_db

DECEMBER_2026 = Period(d("Tue 2026-12-01"), d("Thu 2026-12-31"))
E = EventType
START, CHANGE, VISIT = E.PLACEMENT_START, E.PLACEMENT_CHANGE, E.LAC_VISIT


def placed(kind: str, area: str, miles: int | None = None, provider: str = "Carer") -> dict:
    details: dict[str, Any] = {"placement_type": kind, "provider": provider, "area": area,
                               "until_18": False}  # fmt: skip
    if miles is not None:
        details["distance"] = miles
    return details


@pytest.fixture
def placements(council: Any, december: December) -> December:
    sami, nia, isla, owen = (
        council.social_worker, council.other_social_worker, council.iro, council.other_iro
    )  # fmt: skip
    since = d("Mon 2024-11-04")

    def child(first: str, worker: Any, iro: Any, *events: tuple) -> Child:
        made = make_child(first_name=first, last_name="Placeson", reference=f"L-{first}")
        allocate(made, worker, Role.SOCIAL_WORKER, since)
        allocate(made, iro, Role.IRO, since)
        for kind, day, data in events:
            record_event(made, kind, d(day), **data)
        recompute_child(made, as_of=MONDAY_11_JANUARY_2027)
        december.children[first] = made
        return made

    # Cleo: three placements since Mon 1 June, the last from Mon 14 December, a children's home
    # out of the area 31 miles away, visited on its due day Mon 21 December (7 days).
    child("Cleo", sami, isla, (E.LAC_START, "Mon 2026-06-01", {}),
          (START, "Mon 2026-06-01", placed("foster", "in", 5)),
          (CHANGE, "Tue 2026-09-01", placed("foster", "in", 8)),
          (CHANGE, "Mon 2026-12-14", placed("residential", "out", 31, "Hillside")),
          (VISIT, "Mon 2026-12-21", {}))  # fmt: skip
    # Dev: placed with parents on Mon 30 November, visited weekly until the first review (none
    # yet): due Mon 7 Dec, visited Tue 8 Dec (late); due Tue 15 Dec, visited that day; due Tue
    # 22 Dec, never visited.
    child("Dev", sami, isla, (E.LAC_START, "Mon 2026-11-30", {}),
          (START, "Mon 2026-11-30", placed("with_parents", "in", 0, "Parents")),
          (VISIT, "Tue 2026-12-08", {}), (VISIT, "Tue 2026-12-15", {}))  # fmt: skip
    # Eli: his first placement ended Wed 31 December 2025, the 12 months' first day: not one of
    # them. Two in 12 months; out of the area, 21 miles away (over 20).
    child("Eli", sami, isla, (E.LAC_START, "Mon 2025-06-02", {}),
          (START, "Mon 2025-06-02", placed("foster", "in", 3)),
          (CHANGE, "Wed 2025-12-31", placed("foster", "in", 4)),
          (CHANGE, "Fri 2026-05-01", placed("connected_person", "out", 21, "Aunt")))  # fmt: skip
    # Fay: ceased to be looked after Thu 31 December, her placement (out of the area, 25 miles)
    # ending with it: in no placement on the month's last day. Her visit due Mon 7 Dec (42 days
    # after Mon 26 Oct) was made Fri 4 Dec.
    child("Fay", sami, isla, (E.LAC_START, "Mon 2026-09-07", {}),
          (START, "Mon 2026-09-07", placed("foster", "out", 25)),
          (VISIT, "Mon 2026-09-14", {}), (VISIT, "Mon 2026-10-26", {}),
          (VISIT, "Fri 2026-12-04", {}), (E.LAC_END, "Thu 2026-12-31", {}))  # fmt: skip
    # Gil: secure accommodation out of the area from Tue 1 December, no distance recorded; his
    # first visit, due Tue 8 Dec, made Tue 29 Dec after the bank holidays (late).
    child("Gil", nia, owen, (E.LAC_START, "Tue 2026-12-01", {}),
          (START, "Tue 2026-12-01", placed("secure", "out", None, "Secure unit")),
          (VISIT, "Tue 2026-12-29", {}))  # fmt: skip
    return december


KEYS = ("lac_sw_visit_in_time", "placement_moves", "placed_out_of_area", "placed_over_20_miles")
# In a placement on Thu 31 December: Cleo, Dev, Eli, Gil (not Fay).
SERVICE = {
    # Due in December: Cleo's (21 Dec), Dev's three (7, 15, 22 Dec), Fay's (7 Dec), Gil's
    # (8 Dec); in time: Cleo's, Dev's of 15 Dec, Fay's.
    "lac_sw_visit_in_time": (3, 6),
    "placement_moves": (1, 4),  # Cleo
    "placed_out_of_area": (3, 4),  # Cleo, Eli, Gil
    "placed_over_20_miles": (2, 4),  # Cleo (31), Eli (21)
}


def numbers(scope: Scope) -> dict[str, tuple[int, int | None]]:
    return {f.key: (f.numerator, f.denominator) for f in figures(scope, DECEMBER_2026, KEYS)}


def test_it_counts_the_visits_and_placements_for_the_service(placements):
    assert numbers(Scope()) == SERVICE


def test_it_counts_a_team_by_who_held_the_child_on_the_periods_last_day(placements):
    assert numbers(Scope(team=placements.team_1)) == {
        "lac_sw_visit_in_time": (3, 5),  # Cleo's, Dev's of 15 Dec, Fay's; Dev's two late
        "placement_moves": (1, 3),  # Cleo, of Cleo, Dev, Eli
        "placed_out_of_area": (2, 3),  # Cleo, Eli
        "placed_over_20_miles": (2, 3),
    }
    assert numbers(Scope(team=placements.team_2)) == {
        "lac_sw_visit_in_time": (0, 1),  # Gil's, late
        "placement_moves": (0, 1),
        "placed_out_of_area": (1, 1),  # Gil
        "placed_over_20_miles": (0, 1),  # no distance recorded
    }


def test_it_lists_the_children_behind_each_placement_figure(placements):
    rows = figure("placement_moves", Scope(), DECEMBER_2026).children()
    assert [(r.name, r.what, r.start, r.counted) for r in rows] == [
        ("Cleo Placeson", "3 placements in 12 months; Children's home, out of the area, 31 miles",
         d("Mon 2026-12-14"), True),
        ("Dev Placeson", "1 placement in 12 months; Placed with parents, in the area, 0 miles",
         d("Mon 2026-11-30"), False),
        ("Eli Placeson", "2 placements in 12 months; Foster care with a relative, friend or "
         "connected person, out of the area, 21 miles", d("Fri 2026-05-01"), False),
        ("Gil Placeson", "1 placement in 12 months; Secure accommodation, out of the area",
         d("Tue 2026-12-01"), False),
    ]  # fmt: skip
    visits = figure("lac_sw_visit_in_time", Scope(), DECEMBER_2026).children()
    assert [(r.name, r.due, r.day, r.counted) for r in visits] == [
        ("Dev Placeson", d("Mon 2026-12-07"), d("Tue 2026-12-08"), False),
        ("Fay Placeson", d("Mon 2026-12-07"), d("Fri 2026-12-04"), True),
        ("Gil Placeson", d("Tue 2026-12-08"), d("Tue 2026-12-29"), False),
        ("Dev Placeson", d("Tue 2026-12-15"), d("Tue 2026-12-15"), True),
        ("Cleo Placeson", d("Mon 2026-12-21"), d("Mon 2026-12-21"), True),
        ("Dev Placeson", d("Tue 2026-12-22"), None, False),
    ]


def test_the_dashboard_the_documents_the_command_and_the_exports_agree(client, placements):
    _, out, _ = run("dashboard", "--from", "2026-12-01", "--to", "2026-12-31")
    printed = {f["key"]: (f["numerator"], f["denominator"]) for f in json.loads(out)["figures"]}
    assert {k: printed[k] for k in KEYS} == SERVICE
    annual = document("annual", Scope(), DECEMBER_2026)
    sections = {s.heading: [f.key for f in s.figures] for s in annual.sections}
    assert sections["IRO visits and contact between reviews"] == [
        "lac_sw_visit_in_time",
        "cp_visit_in_time",
    ]
    assert sections["Placements"] == list(KEYS[1:])
    client.force_login(placements.service_manager.user)
    dashboard = client.get(f"/reports/?{DECEMBER}")
    for key, (numerator, denominator) in SERVICE.items():
        assert figure_text(dashboard, key).startswith(f"{numerator} of {denominator}"), key
        exported = client.get(f"/reports/children.csv?figure={key}&{DECEMBER}")
        rows = list(csv.reader(io.StringIO(downloaded(exported).decode())))[1:]
        assert sum(row[-1] == "Yes" for row in rows) == numerator, key
        assert len(rows) == denominator, key


def test_it_counts_every_placement_figure_in_one_query_without_reading_a_chronology(placements):
    keys = [key for key in KEYS if key != "lac_sw_visit_in_time"]
    for scope in (Scope(), Scope(team=placements.team_1), Scope(team=placements.team_2)):
        with CaptureQueriesContext(connection) as read:
            found = figures(scope, DECEMBER_2026, keys)
        # one query of the placements the engine placed when the obligations were recomputed
        assert len(read.captured_queries) == 1
        assert "cases_event" not in read.captured_queries[0]["sql"]
        assert {f.key: (f.numerator, f.denominator) for f in found} == {
            key: numbers(scope)[key] for key in keys
        }
    assert numbers(Scope())["placement_moves"] == (1, 4)  # Cleo, as by hand above
