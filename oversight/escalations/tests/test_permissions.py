"""Who may do what to a concern, per persona; every refusal changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.audit.models import AuditEntry
from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.escalations import actions
from oversight.escalations.models import Concern, Response
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db

wednesday_3_march_2027 = dt.date(2027, 3, 3)


@pytest.fixture
def concern(line, use_pack) -> Concern:
    use_pack("england")
    c = line.council
    return actions.raise_concern(
        c.child, issue="Core group not held", impact="No plan in force", on=dt.date(2027, 3, 1),
        acting_user=c.iro.user,
    )  # fmt: skip


def unchanged(concern: Concern, before: tuple[int, int, int]) -> bool:
    return before == (
        AuditEntry.objects.count(),
        Message.objects.count(),
        concern.child.events.count(),
    )


def counts(concern: Concern) -> tuple[int, int, int]:
    return (AuditEntry.objects.count(), Message.objects.count(), concern.child.events.count())


def test_it_lets_the_addressee_respond(concern, line):
    actions.respond(
        concern, accepted=False, reasons="Held on 2 March", on=wednesday_3_march_2027,
        acting_user=line.council.team_manager.user,
    )  # fmt: skip
    assert Response.objects.get().responded_by == line.council.team_manager


def test_it_lets_the_addressees_manager_respond(concern, line):
    actions.respond(
        concern, accepted=False, reasons="See notes", on=wednesday_3_march_2027,
        acting_user=line.service_manager.user,  # Tara's line manager
    )  # fmt: skip
    assert Response.objects.count() == 1


@pytest.mark.parametrize("persona", ["other_social_worker", "iro", "other_iro", "auditor"])
def test_it_refuses_a_response_by_someone_not_the_addressee_or_their_manager(
    concern, line, persona
):
    before = counts(concern)
    with pytest.raises(actions.Refused, match="addressed to, or their manager") as refused:
        actions.respond(
            concern, accepted=False, reasons="No", on=wednesday_3_march_2027,
            acting_user=getattr(line.council, persona).user,
        )  # fmt: skip
    assert refused.value.forbidden
    assert unchanged(concern, before)


def test_it_refuses_not_accepted_without_reasons(concern, line):
    with pytest.raises(actions.Refused) as refused:
        actions.respond(
            concern,
            accepted=False,
            on=wednesday_3_march_2027,
            acting_user=line.council.social_worker.user,
        )
    assert refused.value.field == "reasons"


@pytest.mark.parametrize("persona", ["social_worker", "team_manager", "auditor"])
def test_it_refuses_a_notice_from_someone_who_is_not_the_chair(concern, line, persona):
    before = counts(concern)
    with pytest.raises(actions.Refused, match="issued by the Independent Reviewing Officer"):
        actions.issue_notice(
            concern,
            stage=1,
            on=wednesday_3_march_2027,
            acting_user=getattr(line.council, persona).user,
        )
    assert unchanged(concern, before)


def test_it_refuses_a_notice_from_an_iro_who_may_only_read_the_record(concern, line):
    from oversight.cases.factories import make_staff

    c = line.council
    colleague = make_staff(["iro"], c.iro.team, first_name="Cal", last_name="Dunmore")  # same team
    with pytest.raises(actions.Refused, match="read this record but not change it"):
        actions.issue_notice(
            concern, stage=1, on=wednesday_3_march_2027, acting_user=colleague.user
        )


@pytest.mark.parametrize("persona", ["social_worker", "team_manager", "other_social_worker"])
def test_it_refuses_a_concern_raised_by_someone_who_is_not_a_chair(line, use_pack, persona):
    use_pack("england")
    with pytest.raises(actions.Refused, match="Only an IRO or conference chair") as refused:
        actions.raise_concern(
            line.council.child,
            issue="x",
            impact="y",
            acting_user=getattr(line.council, persona).user,
        )
    assert refused.value.forbidden


def test_it_refuses_cafcass_for_a_child_who_is_not_looked_after(concern, line):
    with pytest.raises(actions.Refused, match="Only a looked-after child"):
        actions.refer_to_cafcass(
            concern, grounds="g", on=wednesday_3_march_2027, acting_user=line.council.iro.user
        )


def test_it_refuses_cafcass_from_someone_who_is_not_the_childs_iro(concern, line):
    c = line.council
    record_event(c.child, EventType.LAC_START, dt.date(2027, 1, 4))
    with pytest.raises(actions.Refused, match="Only the child's IRO can refer to Cafcass"):
        actions.refer_to_cafcass(
            concern, grounds="g", on=wednesday_3_march_2027, acting_user=c.iro_team_manager.user
        )
    actions.refer_to_cafcass(
        concern, grounds="g", on=wednesday_3_march_2027, acting_user=c.iro.user
    )


def test_it_refuses_a_concern_on_a_ladder_the_pack_lacks(line, use_pack):
    use_pack("england")
    with pytest.raises(actions.Refused, match="no ladder called 'cp'") as refused:
        actions.raise_concern(
            line.council.child,
            issue="x",
            impact="y",
            ladder="cp",
            acting_user=line.council.iro.user,
        )
    assert refused.value.field == "ladder"


def test_it_refuses_anything_more_once_resolved(concern, line):
    c = line.council
    actions.resolve(concern, outcome="Done", on=wednesday_3_march_2027, acting_user=c.iro.user)
    with pytest.raises(actions.Refused, match="resolved"):
        actions.issue_notice(concern, stage=1, on=wednesday_3_march_2027, acting_user=c.iro.user)


def test_it_extends_a_deadline_with_a_reason_only_later(concern, line):
    c = line.council
    notice = actions.issue_notice(concern, stage=1, on=dt.date(2027, 3, 9), acting_user=c.iro.user)
    assert notice.respond_by == dt.date(2027, 3, 16)  # Tue
    with pytest.raises(actions.Refused) as refused:
        actions.extend(concern, respond_by=dt.date(2027, 3, 23), reason="", acting_user=c.iro.user)
    assert refused.value.field == "reason"
    actions.extend(
        concern, respond_by=dt.date(2027, 3, 23), reason="Manager on leave", on=dt.date(2027, 3, 12),
        acting_user=c.iro.user,
    )  # fmt: skip
    from oversight.cases.models import Obligation

    assert Obligation.objects.get(code="esc.stage.response", child=c.child).due == dt.date(
        2027, 3, 23
    )
