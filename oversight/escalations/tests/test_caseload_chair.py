"""My caseload shows both sides of an unanswered concern: the addressee "Response to the notice
of concern due", the chair (once it is overdue) "No response — escalate or extend", each linked
to the escalation record; the queries stay as many for a large caseload as for a small one."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from oversight.cases.obligations import recompute_all
from oversight.escalations import actions
from oversight.escalations.caseload import CHAIR_LABEL

pytestmark = pytest.mark.django_db

THU_18_MARCH_2027 = dt.datetime(2027, 3, 18, 9, 0, tzinfo=dt.UTC)


def rows(response) -> list[str]:
    body = response.text[response.text.find('id="caseload"') :]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body, re.S)[1:]
    ]


@pytest.fixture
def unanswered(line, use_pack):
    """England: raised Mon 1 March 2027, stage 1 issued Tue 9 March (due Tue 16 March), no
    response by Thu 18 March."""
    use_pack("england")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="Plan not updated", impact="Drift", on=dt.date(2027, 3, 1),
        acting_user=c.iro.user,
    )  # fmt: skip
    actions.issue_notice(concern, stage=1, on=dt.date(2027, 3, 9), acting_user=c.iro.user)
    recompute_all(as_of=dt.date(2027, 3, 18))
    with time_machine.travel(THU_18_MARCH_2027, tick=False):
        yield concern


def test_the_chair_sees_no_response_escalate_or_extend(client, line, unanswered):
    client.force_login(line.council.iro.user)
    page = client.get("/caseload/")
    chair = [r for r in rows(page) if CHAIR_LABEL in r]
    assert len(chair) == 1
    assert "Tue 16 Mar 2027" in chair[0]
    assert "Team manager" in chair[0]  # whose response it is
    assert f'href="/concerns/{unanswered.pk}/"' in page.text


def test_the_addressee_keeps_response_due(client, line, unanswered):
    client.force_login(line.council.team_manager.user)
    page = client.get("/caseload/")
    listed = rows(page)
    assert any("Response to the notice of concern due" in r for r in listed)
    assert not any(CHAIR_LABEL in r for r in listed)
    assert f'href="/concerns/{unanswered.pk}/"' in page.text  # where they respond


def test_before_the_deadline_the_chair_is_not_prompted(client, line, use_pack):
    use_pack("england")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", on=dt.date(2027, 3, 1), acting_user=c.iro.user
    )
    actions.issue_notice(concern, stage=1, on=dt.date(2027, 3, 9), acting_user=c.iro.user)
    recompute_all(as_of=dt.date(2027, 3, 15))
    with time_machine.travel(dt.datetime(2027, 3, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(c.iro.user)
        listed = rows(client.get("/caseload/"))
    assert not any(CHAIR_LABEL in r for r in listed)
    assert not any("Response to the notice of concern due" in r for r in listed)  # not mine yet


def test_another_iro_sees_nothing_of_it(client, line, unanswered):
    client.force_login(line.council.other_iro.user)
    page = client.get("/caseload/", {"mine": "0", "status": "all"})
    assert CHAIR_LABEL not in page.text


def test_the_chairs_caseload_runs_as_many_queries_with_many_unanswered_concerns(
    client, line, unanswered, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oversight.cases.constants import Role
    from oversight.cases.factories import allocate, make_child

    c = line.council
    client.force_login(c.iro.user)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/caseload/").status_code == 200
    for i in range(8):
        child = make_child(last_name=f"Extra{i:03d}")
        allocate(child, c.iro, Role.IRO, dt.date(2026, 1, 5))
        allocate(child, c.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 1, 5))
        concern = actions.raise_concern(
            child, issue="x", impact="y", on=dt.date(2027, 3, 1), acting_user=c.iro.user
        )
        actions.issue_notice(concern, stage=1, on=dt.date(2027, 3, 9), acting_user=c.iro.user)
    recompute_all(as_of=dt.date(2027, 3, 18))
    with django_assert_max_num_queries(len(small)):
        page = client.get("/caseload/")
    assert sum(1 for r in rows(page) if CHAIR_LABEL in r) == 9


def test_the_action_plan_due_after_an_accepted_recommendation_links_to_its_concern(
    client, line, use_pack
):
    """Manchester: the starred recommendation issued Tue 9 March 2027, accepted Wed 10 March with
    the plan to follow: the plan is due Tue 16 March (5 working days from the notice) and is met
    only by a plan of that concern, so "Act" opens the concern's record, never a bare action
    form (whose action would not meet it)."""
    use_pack("manchester")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="Plan not updated", impact="Drift", on=dt.date(2027, 3, 1),
        acting_user=c.iro.user,
    )  # fmt: skip
    actions.issue_notice(concern, stage=1, on=dt.date(2027, 3, 9), acting_user=c.iro.user)
    actions.respond(
        concern,
        accepted=True,
        reasons="Agreed: the plan follows once the family has been seen",
        on=dt.date(2027, 3, 10),
        acting_user=c.team_manager.user,
    )
    recompute_all(as_of=dt.date(2027, 3, 11))
    with time_machine.travel(dt.datetime(2027, 3, 11, 9, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(c.team_manager.user)
        page = client.get("/caseload/", {"mine": "0", "status": "all"})
    plan = [r for r in rows(page) if "Action plan after the notice of concern" in r]
    assert len(plan) == 1 and "Tue 16 Mar 2027" in plan[0]
    assert f'href="/concerns/{concern.pk}/"' in page.text
    assert "/events/new/?type=action_set" not in page.text
