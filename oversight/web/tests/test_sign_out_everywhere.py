"""Signing out everywhere ends every session of the user, on every computer and every server,
at its next request; other people's sessions go on."""

import pytest
from django.test import Client

from oversight.audit.models import AuditEntry
from oversight.cache import data_version

pytestmark = pytest.mark.django_db


def signed_in(user, password: str) -> Client:
    client = Client()
    response = client.post("/sign-in/", {"username": user.username, "password": password})
    assert response.status_code == 302
    return client


def test_it_ends_every_session_of_the_user_and_no_one_elses(council):
    office = signed_in(council.iro.user, council.password)
    laptop = signed_in(council.iro.user, council.password)
    colleague = signed_in(council.other_iro.user, council.password)
    for client in (office, laptop, colleague):  # each remembers the count it signed in under
        assert client.get("/children/").status_code == 200

    page = office.get("/sign-out/everywhere/")
    assert "This signs you out of Oversight on every computer" in page.text
    response = office.post("/sign-out/everywhere/")
    assert "You have been signed out everywhere" in response.text

    assert office.get("/children/").status_code == 302  # this one
    ended = laptop.get("/children/")  # the other one, signed in before
    assert ended.status_code == 302
    assert ended["Location"].startswith("/sign-in/")
    assert colleague.get("/children/").status_code == 200  # someone else's goes on
    entry = AuditEntry.objects.get(what="auth.signed_out_everywhere")
    assert entry.user == council.iro.user


def test_another_server_sees_it_at_its_next_request(council):
    laptop = signed_in(council.iro.user, council.password)
    assert laptop.get("/children/").status_code == 200
    office = signed_in(council.iro.user, council.password)
    office.post("/sign-out/everywhere/")
    # Another server's memory: empty, so it reads the count from the database afresh.
    data_version.forget()
    assert laptop.get("/children/").status_code == 302


def test_signing_in_again_afterwards_works(council):
    office = signed_in(council.iro.user, council.password)
    office.post("/sign-out/everywhere/")
    again = signed_in(council.iro.user, council.password)
    assert again.get("/children/").status_code == 200
    assert again.get("/children/").status_code == 200


def test_it_needs_the_form_not_a_link(council):
    office = signed_in(council.iro.user, council.password)
    office.get("/sign-out/everywhere/")  # a GET only asks
    assert office.get("/children/").status_code == 200
