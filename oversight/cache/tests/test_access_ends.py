"""A remembered access decision ends at the earliest end of whatever grants it: a break-glass
grant or a cover that ends within the day stops at its end, not at midnight (issue 12). A fixed
clock: Wednesday 20 January 2027, London on GMT (so UTC)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.cases.access import open_record
from oversight.cases.allocations import give_cover

pytestmark = pytest.mark.django_db

WEDNESDAY_20_JANUARY_2027 = dt.date(2027, 1, 20)


def at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2027, 1, 20, hour, minute, tzinfo=dt.UTC)


def test_a_grant_ending_at_two_gives_access_until_two_and_not_after(client, council):
    child = f"/children/{council.child.pk}/"
    with time_machine.travel(at(9, 0), tick=False) as clock:
        client.force_login(council.other_iro.user)  # an IRO of another team: refused without it
        assert client.get(child).status_code == 404  # before the grant
        open_record(
            council.child.reference,
            purpose="consultation",
            reason="Consulted by the social worker on a new referral",
            acting_user=council.other_iro.user,
            ends_at=at(14, 0),
        )
        assert client.get(child).status_code == 200  # the grant opens the record
        clock.move_to(at(13, 59))
        assert client.get(child).status_code == 200  # a minute before its end: still open
        clock.move_to(at(14, 1))
        assert client.get(child).status_code == 404  # a minute after: refused, the same day


def test_a_grant_without_an_end_lasts_the_day(client, council):
    child = f"/children/{council.child.pk}/"
    with time_machine.travel(at(9, 0), tick=False) as clock:
        client.force_login(council.other_iro.user)
        open_record(
            council.child.reference,
            purpose="consultation",
            reason="Consulted by the social worker on a new referral",
            acting_user=council.other_iro.user,
        )
        clock.move_to(at(23, 59))
        assert client.get(child).status_code == 200  # open all day
        clock.move_to(dt.datetime(2027, 1, 21, 0, 1, tzinfo=dt.UTC))
        assert client.get(child).status_code == 404  # Thursday: refused


def test_a_cover_ending_at_two_on_its_last_day_stops_at_two(client, council):
    child = f"/children/{council.child.pk}/"  # the IRO's, whom the other IRO covers
    with time_machine.travel(at(9, 0), tick=False) as clock:
        client.force_login(council.other_iro.user)
        cover = give_cover(
            council.iro,
            covering=council.other_iro,
            starts=dt.date(2027, 1, 18),  # Monday
            ends=WEDNESDAY_20_JANUARY_2027,
            reason="Annual leave",
            acting_user=council.iro_team_manager.user,
        )
        cover.ends_at = at(14, 0)  # the IRO is back at two
        cover.save()
        assert client.get(child).status_code == 200  # covering
        clock.move_to(at(13, 59))
        assert client.get(child).status_code == 200
        clock.move_to(at(14, 1))
        assert client.get(child).status_code == 404  # the cover has ended
