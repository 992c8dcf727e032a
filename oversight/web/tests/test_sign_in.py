import pytest

pytestmark = pytest.mark.django_db


def test_it_signs_in_and_goes_to_my_caseload(client, council):
    response = client.post(
        "/sign-in/", {"username": council.iro.user.username, "password": council.password}
    )
    assert response.status_code == 302
    assert response["Location"] == "/caseload/"


def test_it_shows_an_error_summary_for_a_wrong_password(client, council):
    response = client.post(
        "/sign-in/", {"username": council.iro.user.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "There is a problem" in response.text
    assert "<title>Error: Sign in" in response.text


def test_it_asks_for_a_missing_username(client, council):
    response = client.post("/sign-in/", {"username": "", "password": ""})
    assert "Enter your username" in response.text
    assert "Enter your password" in response.text


def test_it_signs_out_with_a_post(client, council):
    client.force_login(council.iro.user)
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert client.get("/children/").status_code == 302  # signed out: back to sign in


def test_it_shows_the_service_and_council_names_without_a_crown(client, settings):
    settings.OVERSIGHT_COUNCIL_NAME = "Synthetic Borough Council"
    text = client.get("/sign-in/").text
    assert "Synthetic Borough Council" in text
    assert "govuk-service-navigation__service-name" in text
    assert "Skip to main content" in text
    assert "govuk-header__logotype" not in text
    assert "crown" not in text.lower()
    assert 'href="/static/govuk/oversight.css"' in text


def test_it_sends_the_home_page_to_the_sign_in_page_or_the_persons_first_page(client, council):
    assert client.get("/")["Location"] == "/sign-in/"
    for persona, first in [("iro", "/caseload/"), ("auditor", "/children/"),
                           ("administrator", "/audit/")]:  # fmt: skip
        client.force_login(getattr(council, persona).user)
        assert client.get("/")["Location"] == first, persona
