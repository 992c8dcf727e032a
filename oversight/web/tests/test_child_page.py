import datetime as dt
import re

import pytest

from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event

pytestmark = pytest.mark.django_db


def page(client, user, child):
    client.force_login(user)
    return client.get(f"/children/{child.pk}/")


@pytest.mark.parametrize(
    "persona, status",
    [
        ("iro", 200),  # the IRO on the case
        ("other_iro", 404),  # an IRO of another team
        ("social_worker", 200),  # the social worker on the case
        ("other_social_worker", 404),  # a social worker not on it
        ("team_manager", 200),
        ("iro_team_manager", 200),
        ("duty_iro", 404),  # only with a stated reason (break-glass), see test_access_pages
        ("auditor", 200),  # read-only
        ("administrator", 404),
    ],
)
def test_it_shows_the_child_only_to_those_who_may_see_it(client, council, persona, status):
    response = page(client, getattr(council, persona).user, council.child)
    assert response.status_code == status


def test_it_shows_the_not_found_page_to_those_refused(client, council):
    response = page(client, council.other_social_worker.user, council.child)
    assert "Page not found" in response.text
    assert "Poppy" not in response.text


def test_it_shows_the_childs_details(client, council):
    text = page(client, council.iro.user, council.child).text
    assert '<h1 class="govuk-heading-l">Poppy Larkfield' in text
    assert "999 000 0018" in text
    assert "Monday 14 March 2016" in text  # date of birth
    assert "SG-ROSE" in text
    assert "Alfie Larkfield" not in text  # the sibling is not allocated to this IRO


def test_it_names_the_people_allocated(client, council):
    text = page(client, council.iro.user, council.child).text
    assert "Isla Brightwell" in text
    assert "Sami Fairholm" in text
    assert "Owen Carrow" not in text


def test_it_shows_the_chronology_newest_first(client, council):
    text = page(client, council.iro.user, council.child).text
    dates = re.findall(r'<time datetime="([0-9-]+)">', text)
    assert dates == ["2026-03-12", "2025-09-29", "2025-09-19", "2025-09-01"]
    assert "Review child protection conference" in text
    assert "Outcome: continue" in text


def test_it_orders_events_of_one_day_by_time_newest_first(client, council):
    record_event(council.child, EventType.CP_VISIT, dt.date(2026, 4, 1), time=dt.time(9, 0))
    record_event(council.child, EventType.CORE_GROUP, dt.date(2026, 4, 1), time=dt.time(15, 30))
    text = page(client, council.iro.user, council.child).text
    assert text.index("3:30pm") < text.index("9am")


def test_it_shows_an_unborn_childs_expected_date_of_delivery(client, council):
    unborn = make_child(
        first_name="",
        last_name="Mossley",
        date_of_birth=None,
        expected_date_of_delivery=dt.date(2027, 2, 14),
    )
    allocate(unborn, council.iro, Role.IRO, dt.date(2026, 10, 1))
    text = page(client, council.iro.user, unborn).text
    assert "Expected date of delivery" in text
    assert "Sunday 14 February 2027" in text
    assert "Unborn" in text


def test_it_links_siblings_the_user_may_see(client, council):
    text = page(client, council.iro_team_manager.user, council.child).text
    assert "Alfie Larkfield" in text
