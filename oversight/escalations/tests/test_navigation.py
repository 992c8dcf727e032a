"""The navigation links of issue 8 (open concerns, the challenge meeting pack, messages), each
shown only to the people who may use it; each view of the messages page audited (one row)."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

CONCERNS = 'href="/concerns/"'
MEETING = 'href="/concerns/challenge-meeting/"'
MESSAGES = 'href="/messages/"'


def links(client, staff) -> set[str]:
    client.force_login(staff.user)
    page = client.get("/", follow=True).text  # their first page
    return {name for name, href in [("concerns", CONCERNS), ("meeting", MEETING),
            ("messages", MESSAGES)] if href in page}  # fmt: skip


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("iro", {"concerns", "meeting", "messages"}),
        ("duty_iro", {"concerns", "meeting", "messages"}),
        ("iro_team_manager", {"concerns", "meeting", "messages"}),
        ("social_worker", {"concerns", "messages"}),  # the concerns on the children they see
        ("team_manager", {"concerns", "messages"}),
        ("auditor", {"concerns", "messages"}),
        ("administrator", {"messages"}),  # sees no child
    ],
)
def test_it_shows_each_link_only_to_those_who_may_use_it(client, council, persona, expected):
    assert links(client, getattr(council, persona)) == expected


def test_the_safeguarding_service_manager_gets_the_open_concerns(client, line):
    assert links(client, line.safeguarding_service_manager) == {"concerns", "meeting", "messages"}


def test_the_service_manager_who_answers_a_stage_gets_the_open_concerns(client, line):
    assert links(client, line.service_manager) == {"concerns", "messages"}


@pytest.mark.parametrize(
    "path",
    ["/concerns/", "/concerns/open.csv", "/concerns/open.xlsx", "/concerns/challenge-meeting/"],
)
def test_a_role_that_sees_no_child_finds_no_list_of_concerns(client, council, path):
    """As its menu offers none: a 404, not an empty list that suggests there is nothing to see."""
    client.force_login(council.administrator.user)
    assert client.get(path).status_code == 404
    client.force_login(council.iro.user)
    assert client.get(path).status_code == 200


def test_a_signed_out_visitor_gets_no_links(client, council):
    page = client.get("/sign-in/").text
    assert CONCERNS not in page and MEETING not in page and MESSAGES not in page


def test_the_current_page_is_marked(client, council):
    client.force_login(council.iro_team_manager.user)
    page = client.get("/concerns/challenge-meeting/").text
    assert f'{MEETING} aria-current="true"' in page
    assert f'{CONCERNS} aria-current="true"' not in page


def test_each_view_of_the_messages_page_writes_one_audit_row(client, council):
    client.force_login(council.iro.user)
    before = AuditEntry.objects.count()
    assert client.get("/messages/").status_code == 200
    assert client.get("/messages/?page=2").status_code == 200
    rows = list(AuditEntry.objects.order_by("pk")[before:])
    assert [(r.action, r.what, r.path, r.user_id) for r in rows] == [
        ("view", "messages.viewed", "/messages/", council.iro.user.pk),
        ("view", "messages.viewed", "/messages/?page=2", council.iro.user.pk),
    ]
