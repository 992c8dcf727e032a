"""Walsall (seed 002 section 6): "The use of Formal Resolution at all Stages, and the outcome will
be recorded by the IRO on the child's individual case file within 5 working days" (the IRO
ladder's `recording`). Each notice and the resolution of a concern that reached a formal stage
put an action on the IRO's caseload, due 5 working days later, met when the IRO records it.

Milo (looked after from Mon 6 Oct 2025) is on Owen Carrow's caseload; the early May bank holiday
is Mon 3 May 2027."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.actions import record_event
from oversight.cases.constants import EventType
from oversight.cases.models import Event, Obligation
from oversight.escalations import actions
from oversight.escalations.tests.test_ladder_choice import milo  # noqa: F401
from oversight.meetings.tests.conftest import freeze

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_friday_30_april_2027():
    with freeze(dt.date(2027, 4, 30)):
        yield


wednesday_28_april_2027 = dt.date(2027, 4, 28)
friday_30_april_2027 = dt.date(2027, 4, 30)


def _on_file(child):
    return {
        row.trigger["text"]: (row.due, row.status)
        for row in Obligation.objects.filter(child=child, code="action.due")
        if "on the child's file" in row.trigger.get("text", "")
    }


def _stage_1(c, child):
    concern = actions.raise_concern(
        child,
        issue="Care plan not updated since the review",
        impact="Drift",
        on=dt.date(2027, 4, 19),  # Mon 2027-04-19
        acting_user=c.other_iro.user,
    )
    actions.issue_notice(concern, stage=1, on=wednesday_28_april_2027, acting_user=c.other_iro.user)
    return concern


def test_walsall_wants_the_use_of_each_stage_on_file_within_5_working_days(line, use_pack, milo):  # noqa: F811
    use_pack("walsall")
    c = line.council
    _stage_1(c, milo)
    # Wed 28 April + 5 working days, the May bank holiday skipped: Thu 2027-05-06
    assert _on_file(milo) == {
        "Record the use of Stage 1 on the child's file, in the Formal Resolution (set format)": (
            dt.date(2027, 5, 6),
            Obligation.Status.PENDING,
        )
    }
    row = Obligation.objects.get(child=milo, code="action.due")
    assert row.trigger["owner"] == "iro"  # on the IRO's caseload


def test_walsall_wants_the_outcome_on_file_and_the_iro_meets_it(line, use_pack, milo):  # noqa: F811
    use_pack("walsall")
    c = line.council
    concern = _stage_1(c, milo)
    actions.resolve(
        concern,
        outcome="Plan updated",
        on=friday_30_april_2027,
        acting_user=c.other_iro.user,
    )
    outcome = "Record the outcome of the formal process on the child's file, in the Formal Resolution (set format)"
    # Fri 30 April + 5 working days (Mon 3 May a bank holiday): Mon 2027-05-10
    assert _on_file(milo)[outcome] == (dt.date(2027, 5, 10), Obligation.Status.PENDING)
    # the IRO records it on Tue 4 May: met on time
    action = Event.objects.get(child=milo, type=EventType.ACTION_SET, data__text=outcome)
    record_event(
        milo, type=EventType.ACTION_DONE, date=dt.date(2027, 5, 4),
        data={"action": action.data["action"]}, acting_user=c.other_iro.user,
        as_of=dt.date(2027, 5, 4),
    )  # fmt: skip
    assert _on_file(milo)[outcome] == (dt.date(2027, 5, 10), Obligation.Status.MET)


def test_walsall_wants_nothing_on_file_for_a_concern_resolved_informally(line, use_pack, milo):  # noqa: F811
    use_pack("walsall")
    c = line.council
    concern = actions.raise_concern(
        milo, issue="Late PEP", impact="Drift", on=wednesday_28_april_2027,
        acting_user=c.other_iro.user,
    )  # fmt: skip
    actions.resolve(
        concern, outcome="PEP done", on=friday_30_april_2027, acting_user=c.other_iro.user
    )
    # early resolution is not Formal Resolution: nothing to record
    assert _on_file(milo) == {}


def test_a_ladder_without_recording_wants_nothing_on_file(line, use_pack, milo):  # noqa: F811
    use_pack("england")
    c = line.council
    _stage_1(c, milo)
    assert _on_file(milo) == {}
