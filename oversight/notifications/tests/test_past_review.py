"""The nightly run tells the safeguarding service manager, in their inbox and by email, of each
policy document past its review date, once (Stockport's protocol, "to be reviewed in March
2018": in date on Sat 31 March 2018, past from Sun 1 April 2018); nobody else is told, and a pack
whose documents have no review date tells nobody."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command

from oversight.cases.constants import Role
from oversight.cases.factories import make_staff
from oversight.notifications.models import Message
from oversight.notifications.past_review import tell_past_review
from oversight.policies import load_pack

pytestmark = pytest.mark.django_db

SATURDAY_31_MARCH_2018 = dt.date(2018, 3, 31)  # the last day of "March 2018": still in date
SUNDAY_1_APRIL_2018 = dt.date(2018, 4, 1)  # the first day past it
STOCKPORTS_PROTOCOL = "The role of Independent Reviewing Officers in providing safeguarding"


@pytest.fixture
def manager(council):
    return make_staff(
        [Role.SAFEGUARDING_SERVICE_MANAGER],
        council.iro_team_manager.team,
        first_name="Rosa",
        last_name="Penhale",
        password=council.password,
    )


@pytest.fixture
def stockport(settings):
    settings.OVERSIGHT_POLICY = "stockport"
    return load_pack("stockport")


def nightly(day: dt.date) -> str:
    out = StringIO()
    call_command("nightly", "--as-of", day.isoformat(), stdout=out)
    return out.getvalue()


def told(staff) -> list[Message]:
    return list(Message.objects.filter(recipient=staff).order_by("pk"))


def test_the_service_manager_is_told_the_day_after_the_review_month_not_on_its_last_day(
    council, manager, stockport
):
    assert "past their review date: 0 messages queued" in nightly(SATURDAY_31_MARCH_2018)
    assert told(manager) == []
    assert "past their review date: 1 messages queued" in nightly(SUNDAY_1_APRIL_2018)
    (message,) = told(manager)
    title = stockport.sources["seed001"].title
    assert title.startswith(STOCKPORTS_PROTOCOL)
    assert message.subject == f"Past its review date (March 2018): {title}"
    assert "To be reviewed: March 2018" in message.body
    assert message.body.endswith(
        "See the council's policy in Oversight: http://127.0.0.1:8000/policy/"
    )
    # the least words: no child, nothing of any case
    assert message.child is None and message.queued_by is None
    assert not any(c.reference in message.body for c in (council.child, council.other_child))


def test_only_the_active_safeguarding_service_managers_are_told(council, manager, stockport):
    left = make_staff([Role.SAFEGUARDING_SERVICE_MANAGER], manager.team, first_name="Lee")
    left.user.is_active = False
    left.user.save()
    tell_past_review(stockport, today=SUNDAY_1_APRIL_2018)
    assert len(told(manager)) == 1
    assert told(left) == []
    # the Policy page's other reader, the line's managers and the IROs are not told
    for other in (council.iro_team_manager, council.team_manager, council.iro, council.other_iro):
        assert told(other) == [], other
    assert Message.objects.count() == 1


def test_a_second_night_tells_nobody_again_and_a_new_review_date_does(council, manager, stockport):
    nightly(SUNDAY_1_APRIL_2018)
    assert "past their review date: 0 messages queued" in nightly(dt.date(2018, 4, 2))
    assert len(told(manager)) == 1
    # a manager appointed since is told at their first night, the first one not again
    second = make_staff([Role.SAFEGUARDING_SERVICE_MANAGER], manager.team, first_name="Jo")
    assert tell_past_review(stockport, today=dt.date(2018, 4, 3)) == 1
    assert (len(told(manager)), len(told(second))) == (1, 1)
    # reviewed, the pack gives a new date: in date to Sat 30 June 2018, told again from 1 July
    reviewed = stockport.sources["seed001"].model_copy(update={"review_date": "2018-06-30"})
    pack = stockport.model_copy(update={"sources": {"seed001": reviewed}})
    assert tell_past_review(pack, today=dt.date(2018, 6, 30)) == 0
    assert tell_past_review(pack, today=dt.date(2018, 7, 1)) == 2
    latest = told(manager)[-1]
    assert latest.subject.startswith("Past its review date (Saturday 30 June 2018): ")
    assert "To be reviewed: Saturday 30 June 2018" in latest.body
    assert tell_past_review(pack, today=dt.date(2018, 7, 2)) == 0


@pytest.mark.parametrize("policy", ["walsall", "england"])
def test_a_pack_whose_documents_have_no_review_date_tells_nobody(council, manager, policy):
    assert tell_past_review(load_pack(policy), today=dt.date(2040, 1, 1)) == 0
    assert Message.objects.count() == 0


def test_the_inbox_shows_the_notice_and_its_link_opens_the_policy_page(
    client, council, manager, stockport
):
    nightly(SUNDAY_1_APRIL_2018)
    client.force_login(manager.user)
    html = client.get("/inbox/").text
    assert "Inbox 1 unread" in " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert f"Past its review date (March 2018): {STOCKPORTS_PROTOCOL}" in html
    (href,) = re.findall(r'<a class="govuk-link" href="([^"]+)">http://127\.0\.0\.1:8000', html)
    assert href == "/policy/"
    policy = client.get(href)
    assert policy.status_code == 200
    assert "1 source document is past its review date" in policy.text
