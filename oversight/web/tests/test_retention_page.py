"""Records due for review: the safeguarding service manager's list (audited, naming each child),
the decision on a child's records with a reason (keep them until the next review, whose date the
choice shows, or mark them for disposal by the records manager; a short reason or no decision
refused under its field, nothing changed), the records marked and awaiting disposal, and nobody
else's page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.audit.models import AuditEntry, ChildShown
from oversight.cases.constants import Role
from oversight.cases.factories import make_staff
from oversight.cases.models import RetentionReview
from oversight.cases.retention import flag_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(council):
    # Milo's last event: Mon 6 Oct 2025 (looked after); Poppy's Thu 12 Mar 2026, not yet due
    flag_due(as_of=dt.date(2031, 12, 4), years=6)
    return RetentionReview.objects.get(child=council.other_child)


def test_the_service_manager_reads_the_list_and_keeps_a_childs_records(client, council, due):
    manager = make_staff([Role.SAFEGUARDING_SERVICE_MANAGER], council.iro.team)
    client.force_login(manager.user)
    page = client.get("/retention/")
    assert page.status_code == 200
    assert "Milo Oakridge" in page.text and "Records to review" in page.text
    viewed = AuditEntry.objects.filter(what="retention.viewed").latest("id")
    assert council.other_child.pk in set(
        ChildShown.objects.filter(entry=viewed).values_list("child_id", flat=True)
    )

    short = client.post("/retention/", {"review": due.pk, "decision": "keep", "reason": "keep"})
    assert "in at least 10 characters" in short.text
    assert RetentionReview.objects.get(pk=due.pk).decided_on is None  # nothing changed
    undecided = client.post("/retention/", {"review": due.pk, "reason": "A reason long enough"})
    assert "Choose whether to keep the records or mark them for disposal" in undecided.text
    unknown = client.post(
        "/retention/", {"review": 999999, "decision": "keep", "reason": "A reason long enough"}
    )
    assert "Choose a child whose records are due for review" in unknown.text
    assert RetentionReview.objects.get(pk=due.pk).decided_on is None

    kept = client.post(
        "/retention/",
        {"review": due.pk, "decision": "keep", "reason": "Care proceedings for a sibling"},
    )
    assert kept.status_code == 302
    review = RetentionReview.objects.get(pk=due.pk)
    assert review.decided_by == manager and review.reason == "Care proceedings for a sibling"
    assert review.decision == "keep"
    assert "No child's records are due for review" in client.get("/retention/").text


# decided on Thu 4 Dec 2031 (noon in London): the next review six years on, Fri 4 Dec 2037
@time_machine.travel(dt.datetime(2031, 12, 4, 12, tzinfo=dt.UTC), tick=False)
def test_the_keep_choice_shows_the_next_review_date(client, council, due):
    manager = make_staff([Role.SAFEGUARDING_SERVICE_MANAGER], council.iro.team)
    client.force_login(manager.user)
    page = client.get("/retention/")
    assert "Keep the records until the next review, on Friday 4 December 2037" in page.text
    client.post(
        "/retention/",
        {"review": due.pk, "decision": "keep", "reason": "Care proceedings for a sibling"},
    )
    assert RetentionReview.objects.get(pk=due.pk).next_review_on == dt.date(2037, 12, 4)


def test_records_marked_for_disposal_wait_for_the_records_manager(client, council, due):
    manager = make_staff([Role.SAFEGUARDING_SERVICE_MANAGER], council.iro.team)
    client.force_login(manager.user)
    marked = client.post(
        "/retention/",
        {"review": due.pk, "decision": "dispose", "reason": "Retention period passed"},
    )
    assert marked.status_code == 302
    review = RetentionReview.objects.get(pk=due.pk)
    assert (review.decision, review.next_review_on) == ("dispose", None)
    assert council.other_child.__class__.objects.filter(pk=council.other_child.pk).exists()
    page = client.get("/retention/")
    assert "No child's records are due for review" in page.text
    assert "1 child's records marked for disposal" in page.text
    assert "Milo Oakridge" in page.text and "Retention period passed" in page.text
    viewed = AuditEntry.objects.filter(what="retention.viewed").latest("id")
    assert council.other_child.pk in set(
        ChildShown.objects.filter(entry=viewed).values_list("child_id", flat=True)
    )


def test_nobody_else_has_the_page(client, council, due):
    for persona in ("iro", "iro_team_manager", "auditor", "administrator"):
        client.force_login(getattr(council, persona).user)
        assert client.get("/retention/").status_code == 404, persona
