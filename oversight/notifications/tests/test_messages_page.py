"""The messages page: each person sees every message about the children they may see, newest
first, with status and attempts; nothing about other children."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.notifications.actions import queue_message
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db


def subjects(response) -> list[str]:
    return [m.subject for m in response.context["page"].object_list]


@pytest.fixture
def messages(council):
    with time_machine.travel(dt.datetime(2027, 5, 20, 10, 0, tzinfo=dt.UTC)):
        queue_message(
            to=council.social_worker, subject="Concern about Poppy", body="…", child=council.child
        )
    with time_machine.travel(dt.datetime(2027, 5, 21, 10, 0, tzinfo=dt.UTC)):
        queue_message(
            to=council.team_manager, subject="Reminder about Poppy", body="…", child=council.child
        )
        queue_message(
            to=council.other_social_worker,
            subject="Concern about Milo",
            body="…",
            child=council.other_child,
        )
        queue_message(to=council.iro, subject="Your weekly digest", body="…")
    Message.objects.filter(subject="Concern about Poppy").update(status="sent", attempts=1)
    Message.objects.filter(subject="Reminder about Poppy").update(
        status="queued", attempts=3, last_error="ConnectionRefusedError"
    )


def test_it_sends_a_signed_out_visitor_to_sign_in(client):
    response = client.get("/messages/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/messages/"


def test_it_shows_the_iro_the_messages_about_their_child_and_to_them_newest_first(
    client, council, messages
):
    client.force_login(council.iro.user)
    response = client.get("/messages/")
    assert subjects(response) == [
        "Your weekly digest",
        "Reminder about Poppy",
        "Concern about Poppy",
    ]
    assert "Concern about Milo" not in response.text  # another IRO's child


def test_it_shows_the_social_worker_messages_sent_to_others_about_their_child(
    client, council, messages
):
    client.force_login(council.social_worker.user)
    response = client.get("/messages/")
    assert subjects(response) == ["Reminder about Poppy", "Concern about Poppy"]
    assert "Your weekly digest" not in response.text  # to someone else, about no child


def test_it_refuses_the_other_teams_iro_the_messages_about_poppy(client, council, messages):
    client.force_login(council.other_iro.user)
    assert subjects(client.get("/messages/")) == ["Concern about Milo"]


def test_it_shows_status_and_attempts(client, council, messages):
    client.force_login(council.iro.user)
    html = client.get("/messages/").text
    assert '<strong class="govuk-tag govuk-tag--green">Sent</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--grey">Queued</strong>' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in html
    assert "3 messages" in html  # two about Poppy, one to the IRO


def test_it_pages_a_long_list(client, council):
    for n in range(55):
        queue_message(
            to=council.social_worker, subject=f"Message {n:02d}", body="…", child=council.child
        )
    client.force_login(council.iro.user)
    first = client.get("/messages/")
    assert len(subjects(first)) == 50
    assert "Page 1 of 2" in first.text
    second = client.get("/messages/", {"page": 2})
    assert subjects(second) == [f"Message {n:02d}" for n in range(4, -1, -1)]


def test_it_shows_a_messages_link_to_oversight_as_a_link_and_other_text_as_text(
    client, council, settings
):
    settings.OVERSIGHT_BASE_URL = "https://oversight.council.invalid"
    queue_message(
        to=council.social_worker,
        subject="A concern to answer",
        body=f"<b>Answer it</b>: https://oversight.council.invalid/children/{council.child.pk}/",
        child=council.child,
    )
    client.force_login(council.iro.user)
    html = client.get("/messages/").text
    assert (
        f'<a class="govuk-link" href="/children/{council.child.pk}/">'
        f"https://oversight.council.invalid/children/{council.child.pk}/</a>"
    ) in html  # followed on this server, as the inbox does
    assert "&lt;b&gt;Answer it&lt;/b&gt;" in html  # the rest escaped
