"""A social worker's request for a consultation, routed as the council's pack says.

Stockport (seed 001, section 1): to the duty IRO of the day, the telephone discussion the same
working day; after a consultation that asked for more information, back to the same IRO.
Camden (seed 000, section 3): to the chair once the child is on a plan, else the team's named
IRO. The rota: Dev Dunmore on duty Thu 24 December 2026, Owen Carrow on Tue 29 December 2026
(Mon 28 December is Boxing Day's substitute bank holiday)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from oversight.cases.access import caseload_scope, child_for_user
from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.cases.models import Obligation
from oversight.cases.obligations import recompute_child
from oversight.escalations.caseload import overdue_for_watchers
from oversight.meetings.actions import request_consultation
from oversight.meetings.tests.conftest import freeze
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db

thursday_24_december_2026 = dt.date(2026, 12, 24)
monday_28_december_2026 = dt.date(2026, 12, 28)
tuesday_29_december_2026 = dt.date(2026, 12, 29)


@pytest.fixture
def rota(council):
    from oversight.cases.allocations import set_duty_iro

    set_duty_iro(thursday_24_december_2026, staff=council.duty_iro, acting_user=None)
    set_duty_iro(tuesday_29_december_2026, staff=council.other_iro, acting_user=None)


def ask(council, child, on: dt.date):
    with freeze(on):
        return request_consultation(
            child, on=on, at=dt.time(10, 15), question="Is this threshold for an ICPC?",
            team_leader_agreed=True, acting_user=council.social_worker.user,
        )  # fmt: skip


def consulted(child, iro, outcome: str) -> None:
    """`iro` records the consultation of Thu 24 December 2026 with `outcome`."""
    record_event(
        child, EventType.CONSULTATION, thursday_24_december_2026, outcome=outcome,
        recorded_by=iro.user,
    )  # fmt: skip
    recompute_child(child, as_of=thursday_24_december_2026)


def on_caseload(staff, today) -> tuple[bool, bool]:
    """(on `staff`'s caseload, on their "mine to act on") for the request's deadline."""
    scope, mine = caseload_scope(staff, today, watched_when_overdue=overdue_for_watchers())
    deadline = Obligation.objects.filter(code="consult.request")
    return deadline.filter(scope).exists(), deadline.filter(scope).filter(mine).exists()


def test_stockport_routes_a_request_to_the_duty_iro_due_the_same_working_day(
    council, use_pack, rota, new_child
):
    use_pack("stockport")
    event, routed = ask(council, new_child, thursday_24_december_2026)
    assert routed.iro == council.duty_iro
    assert event.date == thursday_24_december_2026
    deadline = Obligation.objects.get(child=new_child, code="consult.request")
    # The same working day: Christmas Eve is a working day
    assert deadline.due == thursday_24_december_2026
    assert deadline.owner_staff == council.duty_iro
    # On the duty IRO's caseload and theirs to act on; Rosa's own IRO is not asked
    assert on_caseload(council.duty_iro, thursday_24_december_2026) == (True, True)
    assert on_caseload(council.iro, thursday_24_december_2026) == (True, False)
    # Dev, who holds no role for Rosa, may open her record while the request waits
    assert child_for_user(council.duty_iro.user, new_child.pk, as_of=thursday_24_december_2026)
    told = Message.objects.get(to_email=council.duty_iro.user.email)
    assert told.subject == "Consultation requested for C3000001"
    assert "Thursday 24 December 2026 at 10:15am" in told.body


def test_a_request_made_on_a_bank_holiday_counts_from_the_next_working_day(
    council, use_pack, rota, new_child
):
    use_pack("stockport")
    event, routed = ask(council, new_child, monday_28_december_2026)
    # Made on Mon 28 December (a bank holiday): received, routed and due on Tue 29 December
    assert event.date == tuesday_29_december_2026
    assert event.data["made_on"] == "2026-12-28"
    assert routed.iro == council.other_iro
    deadline = Obligation.objects.get(child=new_child, code="consult.request")
    assert deadline.due == tuesday_29_december_2026


def test_a_request_after_more_information_goes_back_to_the_same_iro(
    council, use_pack, rota, new_child
):
    use_pack("stockport")
    ask(council, new_child, thursday_24_december_2026)
    consulted(new_child, council.duty_iro, "more_information")
    met = Obligation.objects.get(child=new_child, code="consult.request")
    assert (met.status, met.met_on) == ("met", thursday_24_december_2026)
    _event, routed = ask(council, new_child, tuesday_29_december_2026)
    # Owen is on duty on Tue 29 December, but Dev asked for more information
    assert (routed.iro, routed.route) == (council.duty_iro, "earlier_iro")
    later = Obligation.objects.get(child=new_child, code="consult.request", status="pending")
    assert (later.due, later.owner_staff) == (tuesday_29_december_2026, council.duty_iro)


def test_a_request_after_advice_goes_to_the_days_duty_iro(council, use_pack, rota, new_child):
    use_pack("stockport")
    ask(council, new_child, thursday_24_december_2026)
    consulted(new_child, council.duty_iro, "advice")
    _event, routed = ask(council, new_child, tuesday_29_december_2026)
    assert (routed.iro, routed.route) == (council.other_iro, "duty_iro")


def test_with_nobody_on_duty_the_request_is_refused_and_nothing_written(
    council, use_pack, new_child
):
    use_pack("stockport")
    before = new_child.events.count()
    with pytest.raises(ValidationError) as refused:
        ask(council, new_child, thursday_24_december_2026)
    assert refused.value.message_dict["on"] == [
        "Nobody is on the duty rota for Thursday 24 December 2026: ask the IRO team manager"
    ]
    assert new_child.events.count() == before


def test_camden_routes_to_the_chair_once_the_child_is_on_a_plan(council, use_pack):
    use_pack("camden")
    council.social_worker.team.named_iro = council.other_iro
    council.social_worker.team.save()
    # Poppy has been on a plan since her ICPC of Fri 19 September 2025; Isla chairs it
    _event, routed = ask(council, council.child, thursday_24_december_2026)
    assert (routed.iro, routed.route) == (council.iro, "chair")
    # Camden's seed gives the consultation no time: nothing is due
    assert not Obligation.objects.filter(code="consult.request").exists()


def test_camden_routes_to_the_teams_named_iro_before_a_plan(council, use_pack, new_child):
    use_pack("camden")
    council.social_worker.team.named_iro = council.other_iro
    council.social_worker.team.save()
    # Rosa is not on a plan (a strategy discussion only): the team's named IRO, not her IRO
    _event, routed = ask(council, new_child, thursday_24_december_2026)
    assert (routed.iro, routed.route) == (council.other_iro, "named_iro")


def test_under_england_no_request_is_routed(council, use_pack, new_child):
    use_pack("england")
    with pytest.raises(ValidationError) as refused:
        ask(council, new_child, thursday_24_december_2026)
    assert "routes no requests" in str(refused.value)
    assert not new_child.events.filter(type=EventType.CONSULTATION_REQUESTED).exists()


def test_the_social_worker_asks_on_the_page_and_the_duty_iro_finds_it_on_their_caseload(
    client, council, use_pack, rota, new_child
):
    use_pack("stockport")
    with freeze(thursday_24_december_2026):
        client.force_login(council.social_worker.user)
        page = client.get(f"/children/{new_child.pk}/")
        assert "Request a consultation" in page.text
        form = f"/children/{new_child.pk}/consultation-request/"
        blank = client.post(form, {"on": "24 12 2026", "question": ""})
        # A clear error on the field; nothing recorded
        assert blank.status_code == 200
        assert "Say what you would like advice on" in blank.text
        assert not new_child.events.filter(type=EventType.CONSULTATION_REQUESTED).exists()
        sent = client.post(
            form,
            {"on": "24 12 2026", "at": "10:15", "question": "Threshold for an ICPC?",
             "team_leader_agreed": "on"},
        )  # fmt: skip
        assert sent.status_code == 302
        client.force_login(council.duty_iro.user)
        caseload = client.get("/caseload/")
        assert "Consultation requested: discuss it with the social worker" in caseload.text
        assert "Rosa Penhale" in caseload.text
        # Act opens the consultation record
        assert f"/children/{new_child.pk}/meetings/consultation/new/" in caseload.text


def test_no_request_button_under_a_pack_that_routes_none(client, council, use_pack, new_child):
    use_pack("england")
    with freeze(thursday_24_december_2026):
        client.force_login(council.social_worker.user)
        assert "Request a consultation" not in client.get(f"/children/{new_child.pk}/").text


def test_camden_routes_to_whoever_covers_the_chair_while_away(council, use_pack):
    from oversight.cases.models import Cover

    use_pack("camden")
    # Isla is away from Wed 23 December 2026 to Mon 4 January 2027; Owen holds her caseload
    Cover.objects.create(
        absent=council.iro, covering=council.other_iro, starts=dt.date(2026, 12, 23),
        ends=dt.date(2027, 1, 4), reason="Annual leave", granted_by=council.iro_team_manager.user,
        granted_at=dt.datetime(2026, 12, 22, 12, tzinfo=dt.UTC),
    )  # fmt: skip
    _event, routed = ask(council, council.child, thursday_24_december_2026)
    assert (routed.iro, routed.route) == (council.other_iro, "chair")
