"""Meeting records through the API: parsed by the page's form and refused by the same rules,
all in one round; a strategy discussion and an ICPC recorded as values give the engine's
deadlines on the child's obligations, as the pages would."""

from __future__ import annotations

import pytest

from oversight.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_a_strategy_discussion_sets_the_icpc_deadline_and_the_icpc_meets_it(meeting_api):
    made = meeting_api.record("strategy", {"meeting_type": "s47", "date": "2026-11-02"})  # a Monday
    assert made.status_code == 201, made.content
    assert made.json()["outcome"] == "s47"
    obligations = meeting_api.get("/obligations").json()["items"]
    icpc = next(o for o in obligations if o["code"] == "cp.icpc")
    assert icpc["due"] == "2026-11-23"  # 15 working days after Monday 2 November
    held = meeting_api.record(
        "icpc",
        {"date": "2026-11-20", "quorate": "yes", "outcome": "plan", "decided_by": "consensus",
         "categories": ["neglect"], "risks": "Neglect of basic care",
         "what_needs_to_change": "Regular meals and school attendance",
         "lead_social_worker": meeting_api.social_worker.pk, "first_core_group": "2026-12-01",
         "next_review": "2027-02-12", "midway_not_needed": "Review in under three months"},
    )  # fmt: skip
    assert held.status_code == 201, held.json()["errors"]
    again = meeting_api.get("/obligations").json()["items"]
    icpc = next(o for o in again if o["code"] == "cp.icpc")
    assert (icpc["status"], icpc["met_on"], icpc["on_time"]) == ("met", "2026-11-20", True)
    first = next(o for o in again if o["code"] == "cp.core_group.first")
    assert first["due"] == "2026-12-04"  # 10 working days after Friday 20 November
    listed = meeting_api.get("/meetings").json()
    assert [m["kind"] for m in listed["items"]] == ["strategy", "icpc"]  # in the order recorded
    assert listed["next"] is None


def test_every_mistake_of_a_record_in_one_round_and_nothing_saved(meeting_api):
    got = meeting_api.record("icpc", {"date": "2026-11-23", "outcome": "plan", "colour": "blue"})
    assert got.status_code == 422
    named = {tuple(e["loc"]) for e in got.json()["errors"]}
    assert ("body", "values", "colour") in named  # not a field of this record
    assert ("body", "values", "quorate") in named  # required
    assert ("body", "values", "decided_by") in named
    assert ("body", "values", "date") in named  # in the future
    assert not Meeting.objects.filter(child=meeting_api.child).exists()


def test_an_unknown_kind_and_a_control_character_are_named(meeting_api):
    unknown = meeting_api.record("picnic", {"date": "2026-11-02"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == ["body", "kind"]
    control = meeting_api.record(
        "strategy", {"meeting_type": "s47", "date": "2026-11-02", "decisions": "a\u0000"}
    )
    assert control.status_code == 422
    assert ["body", "values", "decisions"] in [e["loc"] for e in control.json()["errors"]]
    assert not Meeting.objects.filter(child=meeting_api.child).exists()


def test_a_retried_record_is_one_record(meeting_api):
    body = {"meeting_type": "s47", "date": "2026-11-02"}
    first = meeting_api.record("strategy", body, HTTP_IDEMPOTENCY_KEY="strategy-2-nov")
    again = meeting_api.record("strategy", body, HTTP_IDEMPOTENCY_KEY="strategy-2-nov")
    assert first.status_code == again.status_code == 201
    assert Meeting.objects.filter(child=meeting_api.child).count() == 1
