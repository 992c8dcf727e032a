"""Obligations in the database: recomputed by every action on the chronology and by the nightly
run, with owners from the pack. Dates are literal, with their weekdays."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from oversight.audit.models import AuditEntry
from oversight.cases import actions
from oversight.cases.constants import EventType
from oversight.cases.factories import make_child, record_event
from oversight.cases.labels import OBLIGATIONS, label_for
from oversight.cases.models import Flag, Obligation, Span
from oversight.cases.obligations import recompute_all, recompute_child
from oversight.timescales.catalogue import CODES

pytestmark = pytest.mark.django_db

monday_4_january_2027 = dt.date(2027, 1, 4)
tuesday_5_january_2027 = dt.date(2027, 1, 5)
tuesday_19_january_2027 = dt.date(2027, 1, 19)
wednesday_20_january_2027 = dt.date(2027, 1, 20)


def visit(child: Any) -> Obligation:
    return Obligation.objects.get(child=child, code="cp.visit", trigger_type="icpc")


def test_it_has_a_label_for_every_code_of_the_catalogue():
    assert set(OBLIGATIONS) >= CODES
    assert label_for("cp.rcpc.next") == "Review conference due"


def test_it_recomputes_when_an_event_is_recorded(council):
    child = council.other_child
    user = council.social_worker.user
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC)):
        actions.record_event(
            child,
            type=EventType.ICPC,
            date=tuesday_5_january_2027,
            data={"outcome": "plan"},
            acting_user=user,
        )
        # ICPC Tue 5 Jan 2027 + 10 working days: Tue 19 Jan 2027; as of Wed 20 Jan, overdue
        row = visit(child)
        assert row.due == tuesday_19_january_2027
        assert row.status == "overdue"
        assert row.owner_roles == "|social_worker|"  # the pack's owners table
        assert row.watchers == ["iro", "team_manager"]
        assert row.event is not None and row.event.type == "icpc"

        actions.record_event(
            child, type=EventType.CP_VISIT, date=wednesday_20_january_2027, acting_user=user
        )
        row = visit(child)
        assert row.status == "met"
        assert row.met_on == wednesday_20_january_2027
        assert row.on_time is False  # a day late

    audit = AuditEntry.objects.filter(child_id=child.pk, what="event.recorded")
    assert audit.count() == 2
    latest: Any = audit.first()
    assert latest.after["type"] == "cp_visit"


def test_it_recomputes_when_an_event_is_amended_and_audits_the_change(council):
    child = council.other_child
    user = council.social_worker.user
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC)):
        actions.record_event(
            child, type=EventType.ICPC, date=tuesday_5_january_2027,
            data={"outcome": "plan"}, acting_user=user,
        )  # fmt: skip
        seen = actions.record_event(
            child, type=EventType.CP_VISIT, date=wednesday_20_january_2027, acting_user=user
        )
        with pytest.raises(ValidationError):
            actions.amend_event(seen, changes={"date": tuesday_19_january_2027}, reason=" ",
                                acting_user=user)  # fmt: skip
        actions.amend_event(
            seen, changes={"date": tuesday_19_january_2027}, reason="Typed the wrong day",
            acting_user=user,
        )  # fmt: skip
        row = visit(child)
        assert row.met_on == tuesday_19_january_2027
        assert row.on_time is True  # on the due date itself
    entry: Any = AuditEntry.objects.get(child_id=child.pk, what="event.amended")
    assert entry.before["date"] == "2027-01-20"
    assert entry.after["date"] == "2027-01-19"
    assert entry.reason == "Typed the wrong day"


def test_it_recomputes_when_an_event_is_removed(council):
    child = council.other_child
    user = council.social_worker.user
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC)):
        actions.record_event(
            child, type=EventType.ICPC, date=tuesday_5_january_2027,
            data={"outcome": "plan"}, acting_user=user,
        )  # fmt: skip
        seen = actions.record_event(
            child, type=EventType.CP_VISIT, date=tuesday_19_january_2027, acting_user=user
        )
        actions.remove_event(seen, reason="Recorded on the wrong child", acting_user=user)
        assert visit(child).status == "overdue"  # the visit is gone: late again
    entry: Any = AuditEntry.objects.get(child_id=child.pk, what="event.removed")
    assert entry.before["type"] == "cp_visit"
    assert entry.after is None


def test_it_refuses_a_chronology_the_engine_cannot_read_and_saves_nothing(council):
    child = council.other_child
    before = child.events.count()
    with pytest.raises(ValidationError):
        actions.record_event(
            child, type=EventType.ICPC, date=tuesday_5_january_2027, data={},  # no outcome
            acting_user=council.iro.user, as_of=wednesday_20_january_2027,
        )  # fmt: skip
    assert child.events.count() == before
    assert not AuditEntry.objects.filter(child_id=child.pk, what="event.recorded").exists()


def test_it_turns_an_obligation_overdue_at_the_nightly_run_for_a_new_date():
    child = make_child()
    record_event(child, EventType.ICPC, tuesday_5_january_2027, outcome="plan")
    call_command("nightly", "--as-of", "2027-01-19", stdout=StringIO())
    assert visit(child).status == "pending"  # due today, Tue 19 Jan 2027: not late yet
    out = StringIO()
    call_command("nightly", "--as-of", "2027-01-20", stdout=out)
    assert visit(child).status == "overdue"  # Wed 20 Jan 2027: a day late
    assert "Wed 20 Jan 2027" in out.getvalue()


def test_it_replaces_rows_and_keeps_flags_at_the_nightly_run():
    child = make_child()
    record_event(child, EventType.ICPC, dt.date(2025, 1, 6), outcome="plan")
    # Mon 6 Jan 2025 + 18 months = Sun 6 Jul 2026: the panel flag from then on
    recompute_all(as_of=dt.date(2026, 7, 5))
    assert not Flag.objects.filter(child=child).exists()
    count = Obligation.objects.filter(child=child).count()
    summary = recompute_all(as_of=dt.date(2026, 7, 6))
    assert Flag.objects.get(child=child).code == "cp.support_challenge_panel"
    assert Obligation.objects.filter(child=child).count() == count  # replaced, not added
    assert summary.children >= 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_it_leaves_the_chronology_with_planner_statistics_after_the_nightly_run():
    child = make_child()
    record_event(child, EventType.ICPC, dt.date(2025, 1, 6), outcome="plan")
    record_event(child, EventType.RCPC, dt.date(2025, 4, 7), outcome="continue")
    recompute_all(as_of=dt.date(2026, 7, 6))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stats WHERE tablename = %s AND attname = 'type'",
            ["cases_event"],
        )
        (found,) = cursor.fetchone()
    assert found == 1  # the reports' plans read events by type: the planner knows how many


def test_it_resolves_the_addressee_of_a_notice_and_the_owner_of_an_action(council):
    child = council.child
    record_event(child, EventType.ESCALATION_NOTICE, monday_4_january_2027, stage=2)
    record_event(
        child, EventType.ACTION_SET, monday_4_january_2027, action="a1",
        due="2027-01-11", owner=council.iro.user.username,
    )  # fmt: skip
    recompute_child(child, as_of=tuesday_5_january_2027)
    notice = Obligation.objects.get(child=child, code="esc.stage.response")
    assert notice.owner_roles == "|service_manager|"  # stage 2 of the baseline ladder
    action = Obligation.objects.get(child=child, code="action.due")
    assert action.owner_staff_id == council.iro.pk
    assert action.category == "action"


def test_it_stores_the_plans_episodes_and_placements_the_engine_placed_and_replaces_them():
    child = make_child()
    record_event(child, EventType.ICPC, dt.date(2025, 1, 6), outcome="plan")  # Mon 6 Jan 2025
    record_event(child, EventType.RCPC, dt.date(2025, 4, 7), outcome="end")  # Mon 7 Apr 2025
    record_event(child, EventType.ICPC, dt.date(2025, 6, 2), outcome="plan")  # Mon 2 Jun 2025
    record_event(child, EventType.LAC_START, dt.date(2025, 7, 1))  # Tue 1 Jul 2025
    record_event(child, EventType.PLACEMENT_START, dt.date(2025, 7, 1), placement_type="foster")
    record_event(
        child, EventType.PLACEMENT_CHANGE, dt.date(2025, 9, 1), placement_type="residential"
    )  # Mon 1 Sep 2025
    recompute_child(child, as_of=dt.date(2025, 10, 1))

    def spans() -> list[tuple]:
        return list(
            Span.objects.filter(child=child)
            .order_by("kind", "number")
            .values_list("kind", "number", "start", "end", "details__placement_type")
        )

    assert spans() == [
        ("episode", 0, dt.date(2025, 7, 1), None, None),  # looked after from Tue 1 Jul, open
        # the foster placement until the change on Mon 1 Sep; the children's home open since
        ("placement", 0, dt.date(2025, 7, 1), dt.date(2025, 9, 1), "foster"),
        ("placement", 1, dt.date(2025, 9, 1), None, "residential"),
        ("plan", 0, dt.date(2025, 1, 6), dt.date(2025, 4, 7), None),  # ended at the RCPC
        ("plan", 1, dt.date(2025, 6, 2), None, None),  # the second plan, open
    ]
    record_event(child, EventType.RCPC, dt.date(2025, 9, 15), outcome="end")  # Mon 15 Sep 2025
    recompute_all(as_of=dt.date(2025, 10, 1))
    assert spans()[-1] == ("plan", 1, dt.date(2025, 6, 2), dt.date(2025, 9, 15), None)  # ended
    assert len(spans()) == 5  # replaced, not added
