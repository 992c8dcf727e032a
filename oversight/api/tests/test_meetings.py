"""Meeting records through the API: parsed by the page's form and refused by the same rules,
all in one round; a strategy discussion and an ICPC recorded as values give the engine's
deadlines on the child's obligations, as the pages would."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from oversight.api import tokens
from oversight.cases.constants import Role
from oversight.cases.factories import allocate, make_child
from oversight.meetings.models import Meeting

pytestmark = pytest.mark.django_db

# Friday 20 November 2026, the day of the ICPC.
FRI = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def call(client, council):
    child = make_child(
        reference="C3000001", first_name="Ivy", last_name="Moorcroft",
        date_of_birth=dt.date(2018, 4, 2),
    )  # fmt: skip
    allocate(child, council.iro, Role.IRO, dt.date(2026, 11, 1))
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 11, 1))
    secret = tokens.issue(
        name="Mosaic", user=council.iro.user, read_only=False, expires_on=None,
        acting_user=council.administrator.user,
    ).secret  # fmt: skip

    def post(kind, values, **headers):
        return client.post(
            f"/api/v1/children/{child.pk}/meetings",
            json.dumps({"kind": kind, "values": values}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
            **headers,
        )

    def get(url):
        return client.get(f"/api/v1{url}", HTTP_AUTHORIZATION=f"Bearer {secret}")

    post.child = child  # type: ignore[attr-defined]
    post.social_worker = council.social_worker  # type: ignore[attr-defined]
    post.get = get  # type: ignore[attr-defined]
    with time_machine.travel(FRI, tick=False):
        yield post


def test_a_strategy_discussion_sets_the_icpc_deadline_and_the_icpc_meets_it(call):
    child = call.child
    made = call("strategy", {"meeting_type": "s47", "date": "2026-11-02"})  # a Monday
    assert made.status_code == 201, made.content
    assert made.json()["outcome"] == "s47"
    obligations = call.get(f"/children/{child.pk}/obligations").json()
    icpc = next(o for o in obligations if o["code"] == "cp.icpc")
    assert icpc["due"] == "2026-11-23"  # 15 working days after Monday 2 November
    held = call(
        "icpc",
        {"date": "2026-11-20", "quorate": "yes", "outcome": "plan", "decided_by": "consensus",
         "categories": ["neglect"], "risks": "Neglect of basic care",
         "what_needs_to_change": "Regular meals and school attendance",
         "lead_social_worker": call.social_worker.pk, "first_core_group": "2026-12-01",
         "next_review": "2027-02-12", "midway_not_needed": "Review in under three months"},
    )  # fmt: skip
    assert held.status_code == 201, held.json()["errors"]
    again = call.get(f"/children/{child.pk}/obligations").json()
    icpc = next(o for o in again if o["code"] == "cp.icpc")
    assert (icpc["status"], icpc["met_on"], icpc["on_time"]) == ("met", "2026-11-20", True)
    first = next(o for o in again if o["code"] == "cp.core_group.first")
    assert first["due"] == "2026-12-04"  # 10 working days after Friday 20 November
    listed = call.get(f"/children/{child.pk}/meetings").json()
    assert [m["kind"] for m in listed] == ["icpc", "strategy"]


def test_every_mistake_of_a_record_in_one_round_and_nothing_saved(call):
    got = call("icpc", {"date": "2026-11-23", "outcome": "plan", "colour": "blue"})
    assert got.status_code == 422
    named = {tuple(e["loc"]) for e in got.json()["errors"]}
    assert ("body", "values", "colour") in named  # not a field of this record
    assert ("body", "values", "quorate") in named  # required
    assert ("body", "values", "decided_by") in named
    assert ("body", "values", "date") in named  # in the future
    assert not Meeting.objects.filter(child=call.child).exists()


def test_an_unknown_kind_and_a_control_character_are_named(call):
    unknown = call("picnic", {"date": "2026-11-02"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == ["body", "kind"]
    control = call(
        "strategy", {"meeting_type": "s47", "date": "2026-11-02", "decisions": "a\u0000"}
    )
    assert control.status_code == 422
    assert ["body", "values", "decisions"] in [e["loc"] for e in control.json()["errors"]]
    assert not Meeting.objects.filter(child=call.child).exists()


def test_a_retried_record_is_one_record(call):
    body = {"meeting_type": "s47", "date": "2026-11-02"}
    first = call("strategy", body, HTTP_IDEMPOTENCY_KEY="strategy-2-nov")
    again = call("strategy", body, HTTP_IDEMPOTENCY_KEY="strategy-2-nov")
    assert first.status_code == again.status_code == 201
    assert Meeting.objects.filter(child=call.child).count() == 1
