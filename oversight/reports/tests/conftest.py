"""A small council for the reports, built by hand around December 2026 (Tue 1 to Thu 31 Dec),
which holds Christmas Day (Fri 25) and the Boxing Day substitute (Mon 28), and ends at a month
end before New Year's Day (Fri 1 Jan 2027, a bank holiday too). Today is Mon 11 Jan 2027.

Social work team 1 is Sami Fairholm's (managed by Tara Elsworth), team 2 Nia Greyling's; Cara
moves from Sami to Nia on Fri 11 Dec. Isla Brightwell chairs and reviews team 1's children and
Cara's, Owen Carrow (half time) the rest. Every count the tests expect is worked out by hand in the
comments here, never by the code under test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import pytest
import time_machine

from oversight.cases.constants import EventType, Role, TeamKind
from oversight.cases.factories import allocate, make_child, make_staff, make_team, record_event
from oversight.cases.models import Child, StaffMember, Team
from oversight.cases.obligations import recompute_child

MONDAY_11_JANUARY_2027 = dt.date(2027, 1, 11)


@dataclass
class December:
    service_manager: StaffMember  # the safeguarding service manager: every child
    team_1: Team
    team_2: Team
    children: dict[str, Child]


@pytest.fixture
def today() -> Iterator[dt.date]:
    with time_machine.travel(dt.datetime(2027, 1, 11, 10, 0, tzinfo=dt.UTC), tick=False):
        yield MONDAY_11_JANUARY_2027


def d(text: str) -> dt.date:
    """A literal date written with its weekday ("Mon 2026-11-30"), checked."""
    weekday, day = text.split()
    found = dt.date.fromisoformat(day)
    assert found.strftime("%a") == weekday, text
    return found


def build_december(council: Any) -> December:
    from oversight.escalations.constants import Kind, Status
    from oversight.escalations.factories import make_concern

    team_1 = council.social_worker.team  # "Social work team 1"
    team_2 = council.other_social_worker.team  # "Social work team 2"
    service_manager = make_staff(
        [Role.SAFEGUARDING_SERVICE_MANAGER],
        make_team("Safeguarding service", TeamKind.MANAGEMENT),
        first_name="Rosa",
        last_name="Penhale",
        password=council.password,
    )
    sami, nia = council.social_worker, council.other_social_worker
    isla, owen = council.iro, council.other_iro
    since = d("Tue 2026-09-01")
    children: dict[str, Child] = {}

    # Dates of birth the tests read (Annex A's ages): fixed, never the factory's running count.
    born = {"Cara": d("Mon 2016-08-15"), "Finn": d("Tue 2017-01-10")}

    def child(first: str, worker: StaffMember, iro: StaffMember, *events: tuple) -> Child:
        made = make_child(
            first_name=first,
            last_name="Reportson",
            reference=f"R-{first}",
            **({"date_of_birth": born[first]} if first in born else {}),
        )
        allocate(made, worker, Role.SOCIAL_WORKER, since)
        allocate(made, iro, Role.IRO, since)
        for kind, day, data in events:
            record_event(made, kind, d(day), **data)
        children[first] = made
        return made

    SD, IC, CG = EventType.STRATEGY_DISCUSSION, EventType.ICPC, EventType.CORE_GROUP
    plan = {"outcome": "plan"}
    # ICPCs, working days from the strategy discussion (day not counted) to the ICPC (counted):
    # Ava: 30 Nov -> 21 Dec, 15 working days: in time (band 11-15); core group Wed 30 Dec in
    # time (due Thu 7 Jan 2027).
    child("Ava", sami, isla, (SD, "Mon 2026-11-30", {}), (IC, "Mon 2026-12-21", plan),
          (CG, "Wed 2026-12-30", {}))  # fmt: skip
    # Ben: 7 Dec -> Tue 29 Dec, 14 working days only because Fri 25 and Mon 28 are bank
    # holidays: in time (band 11-15); no core group in December (due Wed 13 Jan 2027).
    child("Ben", sami, isla, (SD, "Mon 2026-12-07", {}), (IC, "Tue 2026-12-29", plan))
    # Cara: 10 Nov -> Thu 3 Dec, 17 working days: late (band 16-20); core group Fri 18 Dec,
    # late (due Thu 17 Dec), held after she moved to Nia (team 2) on Fri 11 Dec.
    cara = child("Cara", sami, isla, (SD, "Tue 2026-11-10", {}), (IC, "Thu 2026-12-03", plan),
                 (CG, "Fri 2026-12-18", {}))  # fmt: skip
    moved = d("Fri 2026-12-11")
    held = cara.allocations.get(role=Role.SOCIAL_WORKER)
    held.ends = d("Thu 2026-12-10")
    held.save()
    allocate(cara, nia, Role.SOCIAL_WORKER, moved)
    # Dan: 2 Dec -> Fri 4 Dec, 2 working days (band 0-10); core group on its due day, Fri 18 Dec.
    # Child protection visits, each due 10 working days after the ICPC: Dan's on Thu 17 Dec (due
    # Fri 18 Dec) and Cara's on Thu 17 Dec, its due day, in time; Gus's on Wed 30 Dec, late (due
    # Tue 29 Dec across the two bank holidays); Eve's (due Mon 14 Dec) never made. Each next
    # visit falls due in January (Dan's and Cara's on Tue 5 Jan 2027).
    VI = EventType.CP_VISIT
    child("Dan", sami, isla, (SD, "Wed 2026-12-02", {}), (IC, "Fri 2026-12-04", plan),
          (VI, "Thu 2026-12-17", {}), (CG, "Fri 2026-12-18", {}))  # fmt: skip
    record_event(cara, VI, d("Thu 2026-12-17"))
    # Gus: 12 Nov -> Fri 11 Dec, 21 working days: late (band 21+); core group Tue 29 Dec, on its
    # due day across the two bank holidays.
    child("Gus", nia, owen, (SD, "Thu 2026-11-12", {}), (IC, "Fri 2026-12-11", plan),
          (CG, "Tue 2026-12-29", {}), (VI, "Wed 2026-12-30", {}))  # fmt: skip
    # Eve's ICPC is the day before the period, Finn's on the first working day after it.
    child("Eve", sami, isla, (SD, "Mon 2026-11-02", {}), (IC, "Mon 2026-11-30", plan))
    child("Finn", sami, isla, (SD, "Tue 2026-12-01", {}), (IC, "Mon 2027-01-04", plan))
    # RCPCs: Hana's first on Mon 7 Dec, in time (due Tue 8 Dec); Ivo's first on Mon 14 Dec,
    # late (due Thu 3 Dec); Jude's later one on Wed 16 Dec, in time (due Mon 1 Mar 2027), which
    # ends his plan.
    RC, keep = EventType.RCPC, {"outcome": "continue"}
    # Midway reviews booked for December: Jude's for Tue 1 Dec, held; Hana's for Thu 3 Dec, the
    # chair deciding none was needed; Ivo's for Thu 31 Dec, the month's last day, never held.
    BK, MW = EventType.MEETING_BOOKED, EventType.MIDWAY_REVIEW
    child("Hana", sami, isla, (IC, "Tue 2026-09-08", plan),
          (BK, "Tue 2026-09-08", {"meeting": "midway_review", "on": "2026-12-03"}),
          (MW, "Thu 2026-12-03", {"outcome": "not_needed"}),
          (RC, "Mon 2026-12-07", keep))  # fmt: skip
    child("Ivo", nia, owen, (IC, "Thu 2026-09-03", plan),
          (BK, "Thu 2026-09-03", {"meeting": "midway_review", "on": "2026-12-31"}),
          (RC, "Mon 2026-12-14", keep))  # fmt: skip
    child("Jude", nia, owen, (IC, "Mon 2026-06-01", plan), (RC, "Tue 2026-09-01", keep),
          (BK, "Tue 2026-09-01", {"meeting": "midway_review", "on": "2026-12-01"}),
          (MW, "Tue 2026-12-01", {"outcome": "held"}),
          (RC, "Wed 2026-12-16", {"outcome": "end"}))  # fmt: skip
    # Looked after. Kit: IRO allocated Tue 1 Dec, late (due Mon 30 Nov); first review Mon 21 Dec
    # on its due day. Lily: IRO on Wed 9 Dec, its due day; first review Thu 31 Dec, in time
    # (due Mon 4 Jan 2027 over three bank holidays). Mo: a later review Mon 14 Dec, in time (due
    # Mon 29 Mar 2027). Ned: first review Wed 2 Dec, late (due Mon 30 Nov); IRO in November.
    LS, IA, RV = EventType.LAC_START, EventType.IRO_ALLOCATED, EventType.LAC_REVIEW
    # Kit's decisions on Wed 30 Dec, in time only because Fri 25 and Mon 28 are bank holidays
    # (due Wed 30 Dec); Lily's in January; Ned's on Thu 10 Dec, late (due Wed 9 Dec), and his
    # record on Thu 31 Dec, in time (due Mon 4 Jan 2027).
    DI, RI = EventType.REVIEW_DECISIONS_ISSUED, EventType.REVIEW_RECORD_ISSUED
    # Before the reviews, each booked: Kit's (booked Tue 1 Dec for Mon 21 Dec) documents due 3
    # working days before, Wed 16 Dec, received that day; the social worker's consultation was due
    # Mon 30 Nov. Lily's (booked Wed 2 Dec for Thu 31 Dec): the social worker consulted Mon 7
    # Dec (due 15 working days before, Tue 8 Dec); documents received Tue 29 Dec, late (due Thu
    # 24 Dec: 3 working days before, over Christmas Day and the Boxing Day substitute).
    SC, DR = EventType.SW_CONSULTED, EventType.REVIEW_DOCUMENTS_RECEIVED
    review = {"meeting": "lac_review"}
    child("Kit", sami, isla, (LS, "Mon 2026-11-23", {}), (IA, "Tue 2026-12-01", {}),
          (BK, "Tue 2026-12-01", review | {"on": "2026-12-21"}), (DR, "Wed 2026-12-16", {}),
          (RV, "Mon 2026-12-21", {}), (DI, "Wed 2026-12-30", {}))  # fmt: skip
    child("Lily", sami, isla, (LS, "Wed 2026-12-02", {}), (IA, "Wed 2026-12-09", {}),
          (BK, "Wed 2026-12-02", review | {"on": "2026-12-31"}), (SC, "Mon 2026-12-07", {}),
          (DR, "Tue 2026-12-29", {}), (RV, "Thu 2026-12-31", {}),
          (DI, "Fri 2027-01-08", {}))  # fmt: skip
    # Mo asked for a visit on Mon 30 Nov (November's) and on Thu 31 Dec (the month's last day);
    # her placement order of Mon 14 Sep wants a review by Mon 14 Dec, held that day.
    child("Mo", nia, owen, (LS, "Mon 2026-06-01", {}), (RV, "Fri 2026-06-26", {}),
          (RV, "Tue 2026-09-29", {}), (EventType.PLACEMENT_ORDER, "Mon 2026-09-14", {"plan": "adoption"}),
          (EventType.VISIT_REQUESTED, "Mon 2026-11-30", {}),
          (RV, "Mon 2026-12-14", {}), (EventType.VISIT_REQUESTED, "Thu 2026-12-31", {}))  # fmt: skip
    # Ned's IRO sought legal advice on Fri 18 Dec and referred him to Cafcass on Thu 31 Dec; Ned
    # asked the court for contact on Tue 1 Dec (the month's first day).
    asked = {"applicant": "child", "order": "contact_in_care"}
    child("Ned", nia, owen, (LS, "Mon 2026-11-02", {}), (IA, "Tue 2026-11-03", {}),
          (EventType.COURT_APPLICATION, "Tue 2026-12-01", asked),
          (RV, "Wed 2026-12-02", {}), (DI, "Thu 2026-12-10", {}),
          (EventType.LEGAL_ADVICE_SOUGHT, "Fri 2026-12-18", {}),
          (EventType.CAFCASS_REFERRAL, "Thu 2026-12-31", {}),
          (RI, "Thu 2026-12-31", {}))  # fmt: skip
    # Consultations (no plan): Finn's on Wed 2 Dec to ICPC; Quinn's on Tue 1 Dec to TAC, held on
    # Tue 22 Dec, its due day (15 working days); Pia's on Mon 30 Nov (November's) to TAC, held Tue
    # 22 Dec, late (due Mon 21 Dec); Rhys's on Thu 31 Dec for advice.
    CO, TAC = EventType.CONSULTATION, EventType.TAC_MEETING
    record_event(children["Finn"], CO, d("Wed 2026-12-02"), outcome="icpc")
    child("Pia", nia, owen, (CO, "Mon 2026-11-30", {"outcome": "tac"}),
          (TAC, "Tue 2026-12-22", {"chair": "iro"}))  # fmt: skip
    child("Quinn", sami, isla, (CO, "Tue 2026-12-01", {"outcome": "tac"}),
          (TAC, "Tue 2026-12-22", {"chair": "iro"}))  # fmt: skip
    child("Rhys", nia, owen, (CO, "Thu 2026-12-31", {"outcome": "advice"}))
    # The ladder's times (5 working days): Ivo's concern (raised Mon 2 Nov) went to a stage 1
    # notice on Mon 7 Dec, answered Fri 11 Dec (due Mon 14 Dec), in time; Kit's (raised Tue 15
    # Dec) answered informally on Wed 23 Dec, late (due Tue 22 Dec).
    for first, events in (
        ("Ivo", ((EventType.CONCERN_RAISED, "Mon 2026-11-02", {}),
                 (EventType.ESCALATION_NOTICE, "Mon 2026-12-07", {"stage": 1}),
                 (EventType.ESCALATION_RESPONSE, "Fri 2026-12-11", {"stage": 1, "accepted": True}))),
        ("Kit", ((EventType.CONCERN_RAISED, "Tue 2026-12-15", {}),
                 (EventType.CONCERN_RESPONSE, "Wed 2026-12-23", {"accepted": True}))),
    ):  # fmt: skip
        for kind, day, data in events:
            record_event(children[first], kind, d(day), concern=f"{first}-1", **data)
    # Complaints (the England pack: acknowledged within 3 working days, answered within 10).
    # Ava's, received Mon 30 Nov (November's): acknowledged Wed 2 Dec (due Thu 3 Dec) and
    # answered Fri 11 Dec (due Mon 14 Dec), both in time, upheld. Hana's, received Tue 1 Dec:
    # acknowledged Mon 7 Dec, late (due Fri 4 Dec), answered Thu 17 Dec, late (due Tue 15 Dec),
    # partly upheld. Kit's, received Thu 10 Dec: never acknowledged but answered Wed 23 Dec, in
    # time (due Thu 24 Dec), not upheld; the answer meets the acknowledgement, late (due Tue 15
    # Dec). Gus's, received Fri 18 Dec: not acknowledged by Wed 23 Dec (overdue), to be answered by
    # Wed 6 Jan 2027 (across Christmas Day, the Boxing Day substitute and New Year's Day). Ben's,
    # received Wed 23 Dec: acknowledged Tue 29 Dec, in time (due Wed 30 Dec across the two bank
    # holidays), to be answered by Mon 11 Jan 2027.
    CR, CA, CP = (
        EventType.COMPLAINT_RECEIVED,
        EventType.COMPLAINT_ACKNOWLEDGED,
        EventType.COMPLAINT_RESPONSE,
    )
    for first, complaint in (
        ("Ava", ((CR, "Mon 2026-11-30", {}), (CA, "Wed 2026-12-02", {}),
                 (CP, "Fri 2026-12-11", {"outcome": "upheld"}))),
        ("Hana", ((CR, "Tue 2026-12-01", {}), (CA, "Mon 2026-12-07", {}),
                  (CP, "Thu 2026-12-17", {"outcome": "partly_upheld"}))),
        ("Kit", ((CR, "Thu 2026-12-10", {}), (CP, "Wed 2026-12-23", {"outcome": "not_upheld"}))),
        ("Gus", ((CR, "Fri 2026-12-18", {}),)),
        ("Ben", ((CR, "Wed 2026-12-23", {}), (CA, "Tue 2026-12-29", {}))),
    ):  # fmt: skip
        for kind, day, details in complaint:
            record_event(
                children[first],
                kind,
                d(day),
                complaint=f"{first}-k",
                **cast(dict[str, Any], details),
            )
    owen.fte = Decimal("0.50")
    owen.save()
    for made in children.values():
        recompute_child(made, as_of=MONDAY_11_JANUARY_2027)

    from oversight.escalations.models import Theme

    drift, visits = (
        Theme.objects.get_or_create(code=code, defaults={"label": label})[0]
        for code, label in (("drift_delay", "Drift and delay"), ("visits", "Visits not done"))
    )

    def concern(
        first: str, raised: str, resolved: str | None = None, themes: tuple = (), **more: Any
    ) -> None:
        fields: dict[str, Any] = {
            "raised_on": d(raised),
            "resolved_on": d(resolved) if resolved else None,
            "status": Status.RESOLVED if resolved else Status.OPEN,
            "issue": f"{first}'s plan has drifted",
        }
        made = make_concern(children[first], council.iro, **(fields | more))
        made.themes.set(themes)

    # raised and resolved in December: drift and delay
    concern("Ava", "Tue 2026-12-01", "Wed 2026-12-16", (drift,), outcome="The plan was updated")
    # raised on the month's last day, open: a dispute with a partner agency, no theme
    concern("Gus", "Thu 2026-12-31", partner_agency="Northbrook Health Trust")
    # raised before, resolved in December after a stage 1 notice
    concern("Hana", "Mon 2026-11-30", "Fri 2026-12-04", stage=1)
    concern("Ivo", "Mon 2026-11-02", stage=2)  # open through December, at stage 2
    concern("Jude", "Mon 2026-11-02", "Mon 2026-11-30")  # resolved before December
    # raised in December, resolved after: drift and delay, and visits not done
    concern("Kit", "Tue 2026-12-15", "Mon 2027-01-04", (drift, visits))
    concern("Lily", "Thu 2026-12-10", kind=Kind.GOOD_PRACTICE, status=Status.NOTED)  # not a concern
    return December(service_manager, team_1, team_2, children)


@pytest.fixture
def december(council: Any, today: dt.date) -> December:
    return build_december(council)
