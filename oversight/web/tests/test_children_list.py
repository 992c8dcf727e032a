import datetime as dt

import pytest

from oversight.cases.constants import Role, TeamKind
from oversight.cases.factories import allocate, make_child, make_staff, make_team

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [c.full_name for c in response.context["page"].object_list]


def test_it_sends_a_signed_out_visitor_to_sign_in(client):
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/children/"


def test_it_lists_only_the_iros_own_children(client, council):
    client.force_login(council.iro.user)
    response = client.get("/children/")
    assert names(response) == ["Poppy Larkfield"]
    assert "Milo Oakridge" not in response.text


def test_it_lists_every_child_for_the_iro_team_manager_by_last_name(client, council):
    client.force_login(council.iro_team_manager.user)
    response = client.get("/children/")
    assert names(response) == ["Alfie Larkfield", "Poppy Larkfield", "Milo Oakridge"]
    assert "3 children" in response.text


def test_it_finds_a_child_by_first_name(client, council):
    client.force_login(council.iro_team_manager.user)
    assert names(client.get("/children/", {"q": "poppy"})) == ["Poppy Larkfield"]


def test_it_finds_a_child_by_full_name(client, council):
    client.force_login(council.iro_team_manager.user)
    assert names(client.get("/children/", {"q": "Milo Oakridge"})) == ["Milo Oakridge"]


def test_it_finds_a_child_by_reference(client, council):
    client.force_login(council.iro_team_manager.user)
    assert names(client.get("/children/", {"q": "c2000001"})) == ["Milo Oakridge"]


def test_it_finds_only_the_users_children_when_searching(client, council):
    client.force_login(council.iro.user)
    response = client.get("/children/", {"q": "Oakridge"})
    assert names(response) == []
    assert "No children match your search" in response.text


def test_it_pages_a_long_list(client, council):
    for n in range(60):
        allocate(make_child(last_name=f"Zz{n:02d}"), council.iro, Role.IRO, dt.date(2025, 9, 1))
    client.force_login(council.iro.user)
    first = client.get("/children/")
    assert len(names(first)) == 50
    assert "Page 1 of 2" in first.text
    second = client.get("/children/", {"page": 2})
    assert len(names(second)) == 11


def test_it_keeps_the_search_on_the_next_page(client, council):
    for number in range(51):
        make_child(first_name=f"Child{number:02d}", last_name="Pagewell")
    client.force_login(council.iro_team_manager.user)
    response = client.get("/children/", {"q": "pagewell"})
    # 51 matches: 50 on the first page, and the link to the second keeps the search
    assert len(response.context["page"].object_list) == 50
    assert 'href="?q=pagewell&amp;page=2"' in response.text
    assert len(client.get("/children/", {"q": "pagewell", "page": 2}).context["page"]) == 1


def test_it_finds_a_child_by_nhs_number_typed_with_or_without_spaces(client, council):
    client.force_login(council.iro_team_manager.user)
    # Poppy's number is 999 000 0018
    assert names(client.get("/children/", {"q": "999 000 0018"})) == ["Poppy Larkfield"]
    assert names(client.get("/children/", {"q": "9990000018"})) == ["Poppy Larkfield"]


def test_it_finds_nobody_by_someone_elses_nhs_number(client, council):
    client.force_login(council.iro_team_manager.user)
    # a valid number (check digit 6) that no child here has
    response = client.get("/children/", {"q": "999 000 0026"})
    assert names(response) == []
    assert "No children match your search" in response.text


def test_it_refuses_an_nhs_number_whose_check_digit_is_wrong_under_the_search_box(client, council):
    client.force_login(council.iro_team_manager.user)
    # Poppy's number with its last digit changed: 8 would be right, 9 is not
    response = client.get("/children/", {"q": "999 000 0019"})
    assert response.status_code == 200
    assert names(response) == []
    assert response.text.count("999 000 0019 is not an NHS number") == 2  # summary and field
    assert 'aria-describedby="q-hint q-error"' in response.text
    assert "<title>Error: " in response.text


def test_it_refuses_a_search_longer_than_the_box_takes(client, council):
    client.force_login(council.iro_team_manager.user)
    response = client.get("/children/", {"q": "x" * 101})
    assert response.status_code == 200
    assert names(response) == []
    assert "at most 100 characters" in response.text


def test_the_hint_gives_a_reference_of_a_child_the_user_may_see(client, council):
    client.force_login(council.iro.user)
    # the IRO sees only Poppy (C1000001), not Milo (C2000001)
    assert "a reference such as C1000001" in client.get("/children/").text
    client.force_login(council.duty_iro.user)  # off the rota, holds no child: no example
    assert "a council reference" in client.get("/children/").text


@pytest.mark.parametrize("page", ["/children/", "/complaints/"])
def test_a_role_that_sees_no_child_has_no_childrens_list_and_no_link_to_it(client, council, page):
    """An administrator and a corporate IRO see no child (`docs/access.md`): the children's
    list and the complaints log are no page of theirs, as the allocation page is no one's but
    its managers', and their menu does not offer them."""
    corporate_iro = make_staff(
        [Role.CORPORATE_IRO], make_team("Fostering reviews", TeamKind.IRO),
        first_name="Cora", last_name="Lindqvist", password=council.password,
    )  # fmt: skip
    for staff in (council.administrator, corporate_iro):
        client.force_login(staff.user)
        refused = client.get(page)
        assert refused.status_code == 404
        assert "Milo Oakridge" not in refused.text
        menu = client.get("/messages/").text
        assert f'href="{page}"' not in menu
    client.force_login(council.auditor.user)  # sees every child, read-only: the list is theirs
    assert client.get(page).status_code == 200
    assert f'href="{page}"' in client.get("/messages/").text
