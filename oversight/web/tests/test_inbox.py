"""The inbox (`/inbox/`): the messages the outbox addressed to me that someone else (or Oversight,
a reminder) queued, newest first, the unread counted in the navigation of every page (the
remembered child page too), marked read one at a time or all at once; each view audited naming
every child it shows."""

from __future__ import annotations

import re

import pytest

from oversight.audit.models import AuditEntry
from oversight.notifications.actions import queue_message
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db


def tell(to, *, by, subject, child=None):
    return queue_message(
        to=to, subject=subject, body="See the record.", child=child, acting_user=by
    )


def unread_in_navigation(html: str) -> str:
    """The navigation's "Inbox" link as a person reads it ("Inbox", "Inbox 2 unread")."""
    found = re.search(r'href="/inbox/"[^>]*>(.*?)</a>', html, re.S)
    assert found, "no Inbox in the navigation"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_it_lists_what_others_sent_me_and_not_what_i_sent(client, council):
    sw, iro = council.social_worker, council.iro
    tell(sw, by=iro.user, subject="Concern raised: a response is needed", child=council.child)
    tell(sw, by=None, subject="Reminder: the response is due tomorrow", child=council.child)
    tell(sw, by=sw.user, subject="A copy of what I sent")  # mine: not in my inbox
    tell(iro, by=sw.user, subject="For the IRO only", child=council.child)  # someone else's
    client.force_login(sw.user)
    text = client.get("/inbox/").text
    assert "Concern raised: a response is needed" in text
    assert "Reminder: the response is due tomorrow" in text
    assert "A copy of what I sent" not in text
    assert "For the IRO only" not in text
    assert "2 unread of 2 messages" in text
    assert "Isla Brightwell" in text  # who did it
    assert "Oversight" in text  # the reminder's sender


def test_it_counts_the_unread_in_the_navigation_and_marks_one_read(client, council):
    sw, iro = council.social_worker, council.iro
    first = tell(sw, by=iro.user, subject="First", child=council.child)
    tell(sw, by=iro.user, subject="Second", child=council.child)
    client.force_login(sw.user)
    assert unread_in_navigation(client.get("/caseload/").text) == "Inbox 2 unread"
    response = client.post("/inbox/read/", {"message": first.pk})
    assert response.status_code == 302
    assert unread_in_navigation(client.get("/caseload/").text) == "Inbox 1 unread"
    first.refresh_from_db()
    assert first.read_at is not None
    client.post("/inbox/read/")  # mark all
    assert unread_in_navigation(client.get("/caseload/").text) == "Inbox"
    assert Message.objects.filter(recipient=sw, read_at__isnull=True).count() == 0


def test_it_never_marks_another_persons_message(client, council):
    theirs = tell(council.iro, by=council.social_worker.user, subject="For the IRO")
    client.force_login(council.social_worker.user)
    client.post("/inbox/read/", {"message": theirs.pk})
    client.post("/inbox/read/")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_it_says_what_is_wrong_with_a_message_that_is_no_number(client, council):
    mine = tell(council.social_worker, by=council.iro.user, subject="First")
    client.force_login(council.social_worker.user)
    response = client.post("/inbox/read/", {"message": "first"})
    assert response.status_code == 200
    assert "Choose a message from your inbox to mark read" in response.text
    mine.refresh_from_db()
    assert mine.read_at is None  # nothing changed


def test_the_remembered_child_page_shows_the_count_of_now(client, council):
    sw = council.social_worker
    client.force_login(sw.user)
    page = f"/children/{council.child.pk}/"
    assert unread_in_navigation(client.get(page).text) == "Inbox"
    # no change to the child's record, so the page is the one remembered: the count is not
    tell(sw, by=council.iro.user, subject="A notice was issued to you")
    assert unread_in_navigation(client.get(page).text) == "Inbox 1 unread"


def test_each_view_is_audited_naming_every_child_it_shows(client, council):
    manager = council.iro_team_manager  # sees every child
    tell(manager, by=council.iro.user, subject="About Poppy", child=council.child)
    tell(manager, by=council.iro.user, subject="About Poppy again", child=council.child)
    tell(manager, by=council.iro.user, subject="About Milo", child=council.other_child)
    tell(manager, by=council.iro.user, subject="About no child")
    client.force_login(manager.user)
    client.get("/inbox/")
    entry = AuditEntry.objects.get(what="inbox.viewed", user=manager.user)  # one row a view
    shown = entry.children.values_list("child_reference", flat=True)
    assert sorted(shown) == ["C1000001", "C2000001"]  # each child once


def test_it_keeps_out_a_message_about_a_child_i_may_no_longer_see(client, council):
    sw = council.social_worker  # Poppy's social worker, not Milo's
    tell(sw, by=council.iro.user, subject="About Milo", child=council.other_child)
    client.force_login(sw.user)
    text = client.get("/inbox/").text
    assert "About Milo" not in text
    assert unread_in_navigation(text) == "Inbox"


def test_it_is_for_members_of_staff_only(client, django_user_model):
    someone = django_user_model.objects.create_user("not.staff", password="x-long-password")
    client.force_login(someone)
    assert client.get("/inbox/").status_code == 403
    assert client.post("/inbox/read/").status_code == 403


def test_the_count_is_the_inbox_s_unread_asked_only_of_their_children(council):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oversight.notifications import inbox

    sw, iro = council.social_worker, council.iro
    tell(sw, by=iro.user, subject="About Poppy", child=council.child)
    tell(sw, by=iro.user, subject="About Poppy again", child=council.child)
    tell(sw, by=None, subject="About nobody")
    tell(sw, by=iro.user, subject="About Milo", child=council.other_child)  # not Sami's child
    tell(sw, by=sw.user, subject="Mine", child=council.child)  # queued by Sami
    read = tell(sw, by=iro.user, subject="Read already", child=council.child)
    Message.objects.filter(pk=read.pk).update(read_at=read.created_at)
    listed = inbox.received(sw).filter(read_at__isnull=True)
    assert sorted(m.subject for m in listed) == ["About Poppy", "About Poppy again", "About nobody"]
    with CaptureQueriesContext(connection) as queries:
        assert inbox.unread_count(sw) == 3
    assert len(queries) == 2  # the unread messages' children, then which of them Sami may see
