"""Events on many children's chronologies at once (an import's batch): audited one row per event
as `record_event` writes it, the obligations of each child recomputed, and all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from oversight.audit.models import AuditEntry
from oversight.cases.actions import NewEvent, record_chronologies, snapshot
from oversight.cases.factories import make_child
from oversight.cases.models import Event, Obligation

pytestmark = pytest.mark.django_db

tuesday_5_january_2027 = dt.date(2027, 1, 5)
monday_2_november_2026 = dt.date(2026, 11, 2)
friday_20_november_2026 = dt.date(2026, 11, 20)


def test_it_records_each_childs_events_with_an_audit_row_each_and_their_obligations() -> None:
    amira, ben = make_child(reference="AM-1"), make_child(reference="BE-2")
    recorded, found = record_chronologies(
        [
            (amira, [NewEvent("strategy_discussion", monday_2_november_2026)]),
            (
                ben,
                [
                    NewEvent("strategy_discussion", monday_2_november_2026),
                    NewEvent("icpc", friday_20_november_2026, data={"outcome": "plan"}),
                ],
            ),
        ],
        acting_user=None,
        as_of=tuesday_5_january_2027,
    )
    assert [[e.type for e in events] for events in recorded] == [
        ["strategy_discussion"],
        ["strategy_discussion", "icpc"],
    ]
    rows = AuditEntry.objects.filter(what="event.recorded").order_by("pk")
    # One row per event, naming its child, with the event as the audit log keeps it.
    assert [(r.child_reference, r.after) for r in rows] == [
        ("AM-1", snapshot(recorded[0][0])),
        ("BE-2", snapshot(recorded[1][0])),
        ("BE-2", snapshot(recorded[1][1])),
    ]
    # Amira's ICPC is owed (15 working days after Mon 2 Nov: Mon 23 Nov) and late; Ben's was held.
    assert list(
        Obligation.objects.filter(child=amira, code="cp.icpc").values_list("due", "status")
    ) == [(dt.date(2026, 11, 23), "overdue")]
    assert Obligation.objects.get(child=ben, code="cp.icpc").status == "met"
    assert found.obligations == Obligation.objects.count()
    assert found.overdue == Obligation.objects.filter(status="overdue").count()


def test_a_chronology_the_engine_refuses_is_named_by_reference_and_nothing_is_saved() -> None:
    amira, ben = make_child(reference="AM-1"), make_child(reference="BE-2")
    with pytest.raises(ValidationError) as refused:
        record_chronologies(
            [
                (amira, [NewEvent("strategy_discussion", monday_2_november_2026)]),
                (ben, [NewEvent("icpc", friday_20_november_2026)]),  # no outcome
            ],
            acting_user=None,
            as_of=tuesday_5_january_2027,
        )
    assert list(refused.value.message_dict) == ["BE-2"]
    assert "This event cannot be recorded" in refused.value.message_dict["BE-2"][0]
    # Amira's good event went too: all or nothing.
    assert not Event.objects.exists()
    assert not AuditEntry.objects.filter(what="event.recorded").exists()
    assert not Obligation.objects.exists()
