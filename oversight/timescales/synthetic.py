"""Synthetic chronologies: every event type, in the statutory rhythm with some lateness and some
disorder, for the differential test of bulk mode and the national-scale benchmark."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

_START = date(2024, 1, 1)


def chronology(rng: random.Random) -> list[dict[str, Any]]:
    """About twenty events for one child, dated from 2024 into 2027, in shuffled order."""
    day = _START + timedelta(days=rng.randrange(0, 700))
    events: list[dict[str, Any]] = []

    def at(offset: int, type_: str, **fields: Any) -> date:
        when = day + timedelta(days=offset)
        events.append({"type": type_, "date": when.isoformat(), **fields})
        return when

    path = rng.random()
    if path < 0.55:
        at(0, "strategy_discussion")
        if rng.random() < 0.12:
            at(rng.randrange(5, 20), "icpc_not_required")
        else:
            icpc = rng.randrange(10, 26)
            interval = rng.choice([None, None, "10 working days", "14 days"])
            extra = {"visit_interval": interval} if interval else {}
            at(
                icpc - rng.randrange(2, 9),
                "meeting_booked",
                meeting="icpc",
                on=(day + timedelta(days=icpc)).isoformat(),
            )
            at(icpc - rng.randrange(1, 5), "conference_reports_received")
            at(icpc, "icpc", outcome="plan", **extra)
            at(icpc + rng.randrange(5, 18), "core_group")
            at(
                icpc,
                "meeting_booked",
                meeting="rcpc",
                on=(day + timedelta(days=icpc + 85)).isoformat(),
            )
            at(
                icpc,
                "meeting_booked",
                meeting="midway_review",
                on=(day + timedelta(days=icpc + 45)).isoformat(),
            )
            for visit in range(rng.randrange(3, 8)):
                at(icpc + 12 * (visit + 1) + rng.randrange(-3, 5), "cp_visit")
            at(
                icpc + rng.randrange(40, 50),
                "midway_review",
                outcome=rng.choice(["held", "not_needed"]),
            )
            at(icpc + rng.randrange(2, 9), "chair_child_discussion")
            at(icpc + rng.randrange(9, 20), "child_discussion_recorded")
            at(icpc + rng.randrange(70, 82), "conference_reports_received")
            at(
                icpc + rng.randrange(80, 100),
                "rcpc",
                outcome=rng.choice(["continue", "continue", "end"]),
            )
    elif path < 0.9:
        at(0, "lac_start")
        placed = rng.choice(["foster", "foster", "residential", "with_parents"])
        at(0, "placement_start", placement_type=placed, until_18=rng.random() < 0.4, area="in")
        for visit in range(rng.randrange(1, 6), 400, rng.randrange(20, 60)):
            at(visit, "lac_visit")
        if rng.random() < 0.3:
            at(rng.randrange(40, 300), "placement_change", placement_type="foster", area="out")
        if rng.random() < 0.1:
            at(rng.randrange(300, 400), "placement_end")
        at(rng.randrange(1, 9), "iro_allocated")
        at(10, "iro_details_sent")
        first = rng.randrange(14, 32)
        at(
            first - 20,
            "meeting_booked",
            meeting="lac_review",
            on=(day + timedelta(days=first)).isoformat(),
        )
        at(first - rng.randrange(3, 25), "sw_consulted")
        at(first - rng.randrange(1, 6), "review_documents_received")
        at(first, "lac_review")
        at(first + rng.randrange(2, 10), "review_decisions_issued")
        at(first + rng.randrange(15, 35), "review_record_issued")
        second = first + rng.randrange(80, 100)
        at(second, "lac_review", **({"adjourned": True} if rng.random() < 0.05 else {}))
        at(second + 3, "iro_allocated", reallocated=True)
        at(second + 8, "iro_handover", introduced="yes")
        if rng.random() < 0.2:
            at(second + 10, "placement_order", plan="adoption")
            if rng.random() < 0.5:
                at(second + 60, "placed_for_adoption")
        _proceedings(day, at)
        _asked(day, at)
        if rng.random() < 0.3:
            at(second + rng.randrange(100, 200), "lac_end")
    else:
        stamp = f"{rng.randrange(8, 18):02d}:{rng.choice(['00', '15', '30', '45'])}"
        outcome = rng.choice(["icpc", "tac", "more_information", "disagree_threshold", "advice"])
        at(0, "consultation", outcome=outcome, time=stamp)
        if outcome == "tac":
            at(rng.randrange(5, 25), "tac_meeting", chair=rng.choice(["iro", "iro", "other"]))
        if outcome == "disagree_threshold":
            at(rng.randrange(0, 3), "service_leader_decision", time=stamp)
        at(
            rng.randrange(1, 5),
            "meeting_booked",
            meeting="tac_meeting",
            on=(day + timedelta(days=20)).isoformat(),
        )

    concern = f"c{rng.randrange(1, 3)}"
    if rng.random() < 0.6:
        at(30, "concern_raised", concern=concern, theme="visits not done")
        if rng.random() < 0.3:
            at(38, "concern_warning", concern=concern)
        if rng.random() < 0.5:
            at(36, "concern_response", concern=concern, accepted=rng.random() < 0.5)
        stage_count = rng.randrange(0, 5)
        for stage in range(1, stage_count + 1):
            at(40 + 7 * stage, "escalation_notice", concern=concern, stage=stage)
            if rng.random() < 0.2:
                at(
                    42 + 7 * stage,
                    "escalation_extended",
                    concern=concern,
                    stage=stage,
                    respond_by=(day + timedelta(days=55 + 7 * stage)).isoformat(),
                )
            if rng.random() < 0.5:
                at(
                    44 + 7 * stage,
                    "escalation_response",
                    concern=concern,
                    stage=stage,
                    accepted=False,
                )
        if stage_count == 4 and rng.random() < 0.3:
            at(80, "cafcass_referral", concern=concern)
            at(81, "legal_advice_sought", concern=concern)
        if rng.random() < 0.4:
            at(90, "concern_resolved", concern=concern)
    action = f"a{rng.randrange(1, 99)}"
    at(
        20,
        "action_set",
        action=action,
        due=(day + timedelta(days=40)).isoformat(),
        owner="social worker",
    )
    if rng.random() < 0.6:
        at(rng.randrange(25, 60), "action_done", action=action)
    rng.shuffle(events)
    _complaint(day, events)
    return events


def _asked(day: date, at: Any) -> None:
    """For a third of looked-after children a care plan visiting every 28 days; for another
    third a visit the child asked for and the child's own application to the court: chosen from
    the first day's ordinal, never drawing from the generator (as `_proceedings`)."""
    choice = day.toordinal() // 4 % 3
    if choice == 0:
        at(0, "care_plan_visits", visit_interval="28 days")
    elif choice == 1:
        at(45, "visit_requested")
        at(60, "court_application", applicant="child", order="contact_in_care")


def _proceedings(day: date, at: Any) -> None:
    """A legal status for every looked-after child and care proceedings for half of them, with
    a guardian, a liaison and papers seen, ended for some: chosen from the first day's ordinal,
    never drawing from the generator (the other events stay as they were for the same seed)."""
    choice = day.toordinal() % 4
    at(0, "legal_status", legal_status="V2" if choice > 1 else "C1")
    if choice > 1:
        return
    at(0, "proceedings_start", court="Family Court")
    at(5, "guardian_appointed", guardian="Cafcass guardian")
    at(12, "guardian_liaison", how="phone")
    at(20, "legal_papers_seen", papers=["swet", "care_plan"])
    if choice == 0:
        at(150, "proceedings_end", outcome="care_order")


def _complaint(day: date, events: list[dict[str, Any]]) -> None:
    """A complaint for a third of the children, answered early, late or not at all: chosen from
    the first day's ordinal, never drawing from the generator (the other events stay as they
    were for the same seed), and put among the events out of order."""
    choice = day.toordinal() % 9
    if choice > 2:
        return
    found: list[dict[str, Any]] = []

    def at(offset: int, type_: str) -> None:
        when = (day + timedelta(days=offset)).isoformat()
        found.append({"type": type_, "date": when, "complaint": f"k{choice}"})

    at(15, "complaint_received")
    if choice == 0:
        at(16, "complaint_acknowledged")
        at(22, "complaint_response")
    elif choice == 1:
        at(40, "complaint_response")
    for event in found:
        events.insert(day.toordinal() % (len(events) + 1), event)


def children(count: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for number in range(count):
        yield {"id": f"child-{number:06d}", "events": chronology(rng)}
