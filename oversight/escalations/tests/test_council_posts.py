"""A council-wide post resolves to the person holding it, never up the case's management line.

Walsall's Head of Safeguarding and Quality Assurance (the neutral `head_of_service`, named in
the pack's `council_posts`) heads the Safeguarding and Review Service, the IROs' own service.
Here the two people differ: Hana Juniper is the head of service over Poppy's social worker's
line (Sami → Tara → Sol → Hana), whose practice is challenged; Quinn Ravel is the Head of
Safeguarding and QA over the IRO service (Isla → Wren → Greta → Quinn)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.cases.access import caseload_scope
from oversight.cases.constants import EventType, Role
from oversight.cases.factories import make_staff, record_event
from oversight.cases.holders import holders
from oversight.cases.models import Obligation
from oversight.escalations import actions
from oversight.escalations.caseload import overdue_for_watchers
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db

monday_1_march_2027 = dt.date(2027, 3, 1)
tuesday_9_march_2027 = dt.date(2027, 3, 9)
tuesday_16_march_2027 = dt.date(2027, 3, 16)
tuesday_23_march_2027 = dt.date(2027, 3, 23)


def names(notice) -> list[str]:
    return [f"{p['role']}: {p['name']}" for p in notice.recipients]


@pytest.fixture
def quinn(line):
    """The Head of Safeguarding and QA, over the safeguarding service manager, not over the
    social worker's line."""
    c = line.council
    head = make_staff(
        [Role.HEAD_OF_SERVICE], line.safeguarding_service_manager.team,
        first_name="Quinn", last_name="Ravel", password=c.password,
        line_manager=line.assistant_director,
    )  # fmt: skip
    line.safeguarding_service_manager.line_manager = head
    line.safeguarding_service_manager.save()
    return head


def test_it_finds_walsalls_head_of_safeguarding_in_post_not_up_the_case_line(line, use_pack, quinn):
    c = line.council
    use_pack("england")
    # Under the baseline the head of service is the case's own: up the social worker's line
    assert holders(c.child, "head_of_service", as_of=monday_1_march_2027) == [line.head_of_service]
    use_pack("walsall")
    assert holders(c.child, "head_of_service", as_of=monday_1_march_2027) == [quinn]


def test_walsalls_formal_protocol_copies_the_head_of_safeguarding(line, use_pack, quinn):
    use_pack("walsall")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="Plan not updated", impact="Drift", on=monday_1_march_2027,
        acting_user=c.iro.user,
    )  # fmt: skip
    assert concern.ladder == "cp"
    notice = actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.iro.user)
    assert names(notice) == [
        "service_manager: Sol Ibbotson",
        "safeguarding_service_manager: Greta Holloway",
        "head_of_service: Quinn Ravel",
    ]
    assert not Message.objects.filter(to_email=line.head_of_service.user.email).exists()


def test_walsalls_iro_stages_2_and_3_go_to_the_head_of_safeguarding(line, use_pack, quinn):
    use_pack("walsall")
    c = line.council
    record_event(c.child, EventType.LAC_START, dt.date(2027, 1, 4))  # Mon 2027-01-04
    concern = actions.raise_concern(
        c.child, issue="Plan not updated", impact="Drift", ladder="iro",
        on=monday_1_march_2027, acting_user=c.iro.user,
    )  # fmt: skip
    actions.issue_notice(concern, stage=1, on=tuesday_9_march_2027, acting_user=c.iro.user)
    second = actions.issue_notice(
        concern, stage=2, on=tuesday_16_march_2027, acting_user=c.iro.user
    )
    third = actions.issue_notice(concern, stage=3, on=tuesday_23_march_2027, acting_user=c.iro.user)
    assert names(second) == [
        "service_manager: Sol Ibbotson",
        "safeguarding_service_manager: Greta Holloway",
        "head_of_service: Quinn Ravel",
    ]
    assert names(third)[0] == "head_of_service: Quinn Ravel"
    assert "head_of_service: Hana Juniper" not in names(second) + names(third)
    # Quinn answers stage 3: the addressee may respond, the case's head of service may not
    assert actions.may_respond(concern, quinn, as_of=tuesday_23_march_2027)
    assert not actions.may_respond(concern, line.head_of_service, as_of=tuesday_23_march_2027)


def stage_3_response_for(staff, today) -> tuple[bool, bool]:
    """(on `staff`'s caseload, on their "mine to act on") for the stage 3 response deadline."""
    scope, mine = caseload_scope(staff, today, watched_when_overdue=overdue_for_watchers())
    deadline = Obligation.objects.filter(code="esc.stage.response", trigger__stage=3)
    return deadline.filter(scope).exists(), deadline.filter(scope).filter(mine).exists()


def stage_3_issued(c, ladder: str) -> None:
    record_event(c.child, EventType.LAC_START, dt.date(2027, 1, 4))  # Mon 2027-01-04
    concern = actions.raise_concern(
        c.child, issue="Plan not updated", impact="Drift", ladder=ladder,
        on=monday_1_march_2027, acting_user=c.iro.user,
    )  # fmt: skip
    for stage, on in enumerate(
        [tuesday_9_march_2027, tuesday_16_march_2027, tuesday_23_march_2027], start=1
    ):
        actions.issue_notice(concern, stage=stage, on=on, acting_user=c.iro.user)


def test_walsalls_stage_3_deadline_is_the_head_of_safeguardings_to_act_on(line, use_pack, quinn):
    use_pack("walsall")
    stage_3_issued(line.council, "iro")
    assert stage_3_response_for(quinn, tuesday_23_march_2027) == (True, True)
    # Hana still holds the child through her line, but the council post is not hers to answer
    assert stage_3_response_for(line.head_of_service, tuesday_23_march_2027) == (True, False)


def test_under_england_the_stage_3_deadline_follows_the_management_lines(line, use_pack, quinn):
    use_pack("england")
    stage_3_issued(line.council, "default")
    # No council posts: a head of service up either line holds the role for the child
    assert stage_3_response_for(line.head_of_service, tuesday_23_march_2027) == (True, True)
    assert stage_3_response_for(quinn, tuesday_23_march_2027) == (True, True)


def test_with_nobody_above_the_iro_the_post_is_its_one_holders_council_wide(line, use_pack, quinn):
    use_pack("walsall")
    stage_3_issued(line.council, "iro")
    # The IRO service reports to the assistant director; Hana has left: Quinn is the one head
    line.safeguarding_service_manager.line_manager = line.assistant_director
    line.safeguarding_service_manager.save()
    line.head_of_service.user.is_active = False
    line.head_of_service.user.save()
    assert holders(line.council.child, "head_of_service", as_of=tuesday_23_march_2027) == [quinn]
    _scope, mine = caseload_scope(
        quinn, tuesday_23_march_2027, watched_when_overdue=overdue_for_watchers()
    )
    assert Obligation.objects.filter(mine, code="esc.stage.response", trigger__stage=3).exists()


thursday_1_april_2027 = dt.date(2027, 4, 1)
friday_2_april_2027 = dt.date(2027, 4, 2)


def at_nine(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


@pytest.fixture
def quinn_outside_the_lines(line, use_pack, quinn):
    """Walsall; stage 3 issued Tue 23 March 2027. The IRO service reports to the assistant
    director, so Quinn is above neither Poppy's IRO nor her social worker, and Hana (the head of
    service over the social worker's line) has left: Quinn is the post's one holder."""
    use_pack("walsall")
    stage_3_issued(line.council, "iro")
    line.safeguarding_service_manager.line_manager = line.assistant_director
    line.safeguarding_service_manager.save()
    line.head_of_service.user.is_active = False
    line.head_of_service.user.save()
    return quinn


def test_the_head_of_safeguarding_sees_the_child_whose_deadline_she_owes(
    client, line, quinn_outside_the_lines
):
    from oversight.cases.access import child_for_user

    quinn = quinn_outside_the_lines
    deadline = Obligation.objects.get(code="esc.stage.response", trigger__stage=3)
    # 5 working days from Tue 23 March: Good Friday 26 March and Easter Monday 29 March skipped
    assert deadline.due == thursday_1_april_2027
    assert stage_3_response_for(quinn, tuesday_23_march_2027) == (True, True)
    # The assistant director holds Poppy through the IRO service's line, but the post is Quinn's
    assert stage_3_response_for(line.assistant_director, tuesday_23_march_2027) == (True, False)
    child = line.council.child
    assert child_for_user(quinn.user, child.pk, as_of=tuesday_23_march_2027) == child
    with time_machine.travel(at_nine(tuesday_23_march_2027), tick=False):
        client.force_login(quinn.user)
        caseload = client.get("/caseload/")
        assert "Poppy Larkfield" in caseload.text
        assert client.get(f"/children/{child.pk}/").status_code == 200


def test_the_head_of_safeguarding_sees_the_child_until_the_day_she_answers_ends(
    line, quinn_outside_the_lines
):
    from django.http import Http404

    from oversight.cases.access import child_for_user

    quinn = quinn_outside_the_lines
    concern = line.council.child.concerns.get()
    actions.respond(
        concern, accepted=False, reasons="The plan is being rewritten", on=thursday_1_april_2027,
        acting_user=quinn.user,
    )  # fmt: skip
    child = line.council.child
    # Answered on Thu 1 April (on time): hers to see for the rest of that day, then no longer
    assert child_for_user(quinn.user, child.pk, as_of=thursday_1_april_2027) == child
    with pytest.raises(Http404):
        child_for_user(quinn.user, child.pk, as_of=friday_2_april_2027)
    assert stage_3_response_for(quinn, friday_2_april_2027) == (False, False)
