"""The allocation page: the children waiting for an IRO with the date their clock runs out, each
IRO's caseload against the pack's number for each kind of child, and the child page's
"Allocate" link for whoever may allocate."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.cases import allocations
from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.obligations import recompute_child
from oversight.cases.tests.test_allocations import chair_pack  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

THURSDAY_26_NOVEMBER_2026 = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_it_lists_a_strategy_discussion_by_its_icpc_date_in_words(client, council):
    with time_machine.travel(THURSDAY_26_NOVEMBER_2026, tick=False):
        child = make_child(reference="C3000004", first_name="Wren", last_name="Kettlewell")
        record_event(child, EventType.STRATEGY_DISCUSSION, dt.date(2026, 11, 26))
        recompute_child(child, as_of=dt.date(2026, 11, 26))
        text = get(client, council.iro_team_manager.user, "/allocation/").text
        assert "Wren Kettlewell (C3000004)" in text
        assert "Strategy discussion: ICPC due" in text
        assert "Thursday 17 December 2026" in text  # 15 working days after Thu 26 Nov
        assert "15 working days left" in text
        # the child's page offers the allocation to the IRO team manager
        page = get(client, council.iro_team_manager.user, f"/children/{child.pk}/").text
        assert f'href="/allocation/{child.pk}/"' in page


def test_it_offers_allocate_on_the_child_page_only_to_an_allocator_and_only_without_an_iro(
    client, council
):
    waiting = make_child(first_name="Wren", last_name="Kettlewell")
    allocate(waiting, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 11, 2))
    record_event(waiting, EventType.STRATEGY_DISCUSSION, dt.date(2026, 11, 26))
    link = f'href="/allocation/{waiting.pk}/"'
    assert link not in get(client, council.social_worker.user, f"/children/{waiting.pk}/").text
    assert link in get(client, council.iro_team_manager.user, f"/children/{waiting.pk}/").text
    allocations.allocate_iro(
        waiting, iro=council.iro, reason="Capacity", acting_user=council.iro_team_manager.user
    )
    # the remembered page is not shown again: the child has its chair now
    assert link not in get(client, council.iro_team_manager.user, f"/children/{waiting.pk}/").text
    # Poppy has Isla: nothing to allocate, even for the IRO team manager
    poppy = council.child
    page = get(client, council.iro_team_manager.user, f"/children/{poppy.pk}/").text
    assert f'href="/allocation/{poppy.pk}/"' not in page


def test_it_says_the_pack_has_no_number_for_child_protection_chairs(client, council):
    text = get(client, council.iro_team_manager.user, "/allocation/").text
    # england: the looked-after guidance only, never applied to child protection
    assert "Looked-after children: 50 to 70" in text
    assert (
        "Children on a child protection plan (and others an IRO chairs for): the policy sets no number"
        in text
    )
    assert "No number in the policy" in text


def _hold(iro, n, *, looked_after):
    for _ in range(n):
        child = make_child()
        allocate(child, iro, Role.IRO, dt.date(2026, 9, 1))
        if looked_after:
            record_event(child, EventType.LAC_START, dt.date(2026, 9, 1))


def test_it_flags_each_iro_over_the_number_for_what_they_hold(client, council, chair_pack):  # noqa: F811
    # The test pack: 1 to 2 on a plan, 3 to 4 looked after, per full-time IRO.
    _hold(council.iro, 2, looked_after=False)  # Isla: Poppy and 2 more on a plan, over 2
    _hold(council.other_iro, 4, looked_after=True)  # Owen: Milo and 4 more looked after, over 4
    text = get(client, council.iro_team_manager.user, "/allocation/").text
    rows = {
        name: text.split(f'<td class="govuk-table__cell">{name}</td>', 1)[1].split("</tr>", 1)[0]
        for name in ("Isla Brightwell", "Owen Carrow")
    }
    assert "Over 2" in rows["Isla Brightwell"]  # 3 on a plan
    assert "3 to 4" in rows["Isla Brightwell"]  # no child looked after: within
    assert "Over 4" in rows["Owen Carrow"]  # 5 looked after
    assert "1 to 2" in rows["Owen Carrow"]  # nobody on a plan: within
    assert "Test pack: a child protection number" in text
