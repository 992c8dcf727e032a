"""Records due for review: the safeguarding service manager's list (audited, naming each child),
keeping a child's records with a reason (a short one refused under its field, nothing changed),
and nobody else's page."""

from __future__ import annotations

import datetime as dt

import pytest

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

    short = client.post("/retention/", {"review": due.pk, "reason": "keep"})
    assert "in at least 10 characters" in short.text
    assert RetentionReview.objects.get(pk=due.pk).kept_on is None  # nothing changed
    unknown = client.post("/retention/", {"review": 999999, "reason": "A reason long enough"})
    assert "Choose a child whose records are due for review" in unknown.text

    kept = client.post(
        "/retention/", {"review": due.pk, "reason": "Care proceedings for a sibling"}
    )
    assert kept.status_code == 302
    review = RetentionReview.objects.get(pk=due.pk)
    assert review.kept_by == manager and review.reason == "Care proceedings for a sibling"
    assert "No child's records are due for review" in client.get("/retention/").text


def test_nobody_else_has_the_page(client, council, due):
    for persona in ("iro", "iro_team_manager", "auditor", "administrator"):
        client.force_login(getattr(council, persona).user)
        assert client.get("/retention/").status_code == 404, persona
