"""The demo council builds only what the active pack allows, under each of the six packs: every
concern on a ladder that applies to the child the day it is raised, no warning step on a ladder
without one, no notice beyond the ladder's stages, a referral to Cafcass only for a child looked
after that day on a ladder that has one, legal advice only on a ladder that has it; every
chronology the engine reads without complaint; a duty IRO for every working day.

A small council (150 children, seed 3) as of Mon 4 January 2027, the Monday after New Year's Day:
its history and its rota run across three Christmases."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command

from oversight.cases.models import Child, DutyRota, Event
from oversight.cases.obligations import recompute_all
from oversight.demo import Command
from oversight.escalations import ladders
from oversight.escalations.models import Concern
from oversight.policies import list_packs, resolve_policy
from oversight.timescales.dates import is_working_day

pytestmark = pytest.mark.django_db

monday_4_january_2027 = dt.date(2027, 1, 4)
CONCERN_TYPES = (
    "concern_raised", "concern_warning", "escalation_notice", "cafcass_referral",
    "legal_advice_sought",
)  # fmt: skip


@pytest.fixture(params=list_packs())
def demo(request, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.OVERSIGHT_POLICY = request.param
    call_command(
        Command(), "--children", "150", "--seed", "3", "--as-of", "2027-01-04", stdout=StringIO()
    )
    return request.param


def concerns() -> dict[tuple[int, str], list[Event]]:
    found: dict[tuple[int, str], list[Event]] = defaultdict(list)
    for event in Event.objects.filter(type__in=CONCERN_TYPES).order_by("date", "pk"):
        found[(event.child_id, event.data["concern"])].append(event)
    return found


def test_the_six_packs_are_the_ones_built():
    assert sorted(list_packs()) == [
        "camden", "england", "leicestershire", "manchester", "stockport", "walsall",
    ]  # fmt: skip


def test_the_demo_keeps_to_the_packs_ladders(demo):
    pack = ladders.pack()
    found = concerns()
    assert len(found) >= 5, "the demo has concerns to check"
    children = {c.pk: c for c in Child.objects.all()}
    for (child_id, key), events in found.items():
        raised = events[0]
        assert raised.type == "concern_raised", (demo, key)
        name = raised.data["ladder"]
        child = children[child_id]
        where = f"{demo}: concern {key} of child {child_id}"
        assert name in ladders.ladders_for(child, on=raised.date), where
        ladder = pack.ladders[name]
        if ladder.informal.warning is None:
            assert not [e for e in events if e.type == "concern_warning"], where
        for notice in (e for e in events if e.type == "escalation_notice"):
            assert 1 <= notice.data["stage"] <= len(ladder.stages), where
        for referral in (e for e in events if e.type == "cafcass_referral"):
            assert ladder.cafcass is not None, where
            assert "lac" in ladders.statuses(child, on=referral.date), where
        if ladder.legal_advice is None:
            assert not [e for e in events if e.type == "legal_advice_sought"], where
    # every open concern has its record, on the ladder its events name
    for concern in Concern.objects.all():
        assert concern.ladder == found[(concern.child_id, concern.engine_key)][0].data["ladder"]


def test_the_engine_reads_every_demo_chronology(demo):
    summary = recompute_all(as_of=monday_4_january_2027)
    assert summary.failed == [], demo


def test_the_demo_has_a_duty_iro_for_every_working_day(demo):
    policy = resolve_policy(demo)
    rota = set(DutyRota.objects.values_list("date", flat=True))
    first, last = min(rota), max(rota)
    # three years back, three months ahead of Mon 4 January 2027
    assert first <= dt.date(2024, 1, 2) and last >= dt.date(2027, 4, 1), demo
    day, missing = first, []
    while day <= last:
        if is_working_day(day, policy) and day not in rota:
            missing.append(day)
        day += dt.timedelta(days=1)
    assert missing == [], demo
    # New Year's Day 2027 is a bank holiday: nobody on duty; the Monday after, somebody
    assert dt.date(2027, 1, 1) not in rota and monday_4_january_2027 in rota


def test_requests_for_consultation_go_to_the_days_duty_iro_where_the_pack_routes_them(demo):
    from oversight.policies import load_pack

    requests = Event.objects.filter(type="consultation_requested")
    if "duty_iro" not in load_pack(demo).consultation_route:
        assert not requests.exists(), demo
        return
    assert requests.exists(), demo
    on_duty = dict(DutyRota.objects.values_list("date", "staff__user__username"))
    for request in requests:
        assert request.data["owner"] == on_duty[request.date], (demo, request.date)
        # the consultation the same day meets it
        assert Event.objects.filter(
            child_id=request.child_id, type="consultation", date=request.date
        ).exists()
