"""The Policy page: the IRO service's managers see the pack's documents and which are past their
review date (Stockport's protocol, "to be reviewed in March 2018"); nobody else has the page or
its menu item."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.constants import Role
from oversight.cases.factories import make_staff
from oversight.meetings.tests.conftest import freeze

pytestmark = pytest.mark.django_db

THURSDAY_3_DECEMBER_2026 = dt.date(2026, 12, 3)


@pytest.fixture
def safeguarding_service_manager(council):
    return make_staff(
        [Role.SAFEGUARDING_SERVICE_MANAGER],
        council.iro_team_manager.team,
        first_name="Rosa",
        last_name="Penhale",
        password=council.password,
    )


def _page(client, staff, password):
    client.force_login(staff.user)
    with freeze(THURSDAY_3_DECEMBER_2026):
        return client.get("/policy/")


def test_the_service_manager_sees_stockports_protocol_past_its_review(
    client, council, settings, safeguarding_service_manager
):
    settings.OVERSIGHT_POLICY = "stockport"
    response = _page(client, safeguarding_service_manager, council.password)
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 source document is past its review date" in html
    row = html[html.index("The role of Independent Reviewing Officers") :]
    row = row[: row.index("</tr>")]
    assert "March 2018" in row and "Past its review date" in row
    assert 'href="/policy/"' in html  # the menu item


def test_under_walsall_nothing_is_past_review(client, council, settings):
    settings.OVERSIGHT_POLICY = "walsall"
    html = _page(client, council.iro_team_manager, council.password).content.decode()
    assert "past its review date" not in html.lower()
    assert "No review date recorded" in html
    assert "1.7 Practice Standards for Child Protection Conference Chairs" in html


@pytest.mark.parametrize("persona", ["iro", "social_worker", "team_manager", "administrator"])
def test_nobody_else_has_the_page_or_its_menu_item(client, council, persona):
    staff = getattr(council, persona)
    assert _page(client, staff, council.password).status_code == 403
    with freeze(THURSDAY_3_DECEMBER_2026):
        home = client.get("/inbox/")
    assert 'href="/policy/"' not in home.content.decode()


def _ladder_section(html: str) -> str:
    return html[html.index('id="fostering-ladder"') :]


def test_manchesters_page_shows_its_ladder_for_concerns_about_carers(client, council, settings):
    settings.OVERSIGHT_POLICY = "manchester"
    section = _ladder_section(_page(client, council.iro_team_manager, council.password).text)
    rows = section[section.index("<tbody") : section.index("</tbody>")].split("</tr>")[:-1]
    assert len(rows) == 3
    assert "Fostering Team Manager" in rows[0] and "5 working days" in rows[0]
    assert "Seed 003, Stage 1" in rows[0]
    assert "Head of Service, Fostering and Adoption" in rows[2]
    assert "Fostering Services (England) Regulations 2011" in section  # the ladder's source
    assert "no ladder for concerns about foster carers" not in section


def test_a_pack_without_one_says_there_is_none(client, council, settings):
    settings.OVERSIGHT_POLICY = "stockport"
    section = _ladder_section(_page(client, council.iro_team_manager, council.password).text)
    assert "This policy has no ladder for concerns about foster carers" in section
    assert "Fostering Team Manager" not in section
