"""What leaves the building: an address typed into the API (a partner agency's contact) is
emailed only when it is a valid address at one of the council's allowed domains; anything else is
refused naming the field, and nothing is raised or queued."""

from __future__ import annotations

import pytest

from oversight.escalations.models import Concern
from oversight.notifications.actions import queue_message
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def partner_domains(settings):
    settings.OVERSIGHT_EMAIL_DOMAINS = ["council.invalid", "police.invalid"]


def raise_with(client, line, partner_email: str):
    c = line.council
    client.force_login(c.iro.user)
    return client.post(
        f"/api/v1/children/{c.child.pk}/concerns",
        {"issue": "Strategy discussion not held", "impact": "No plan",
         "partner_agency": "Police", "partner_contact": "DS Reed", "partner_email": partner_email},
        content_type="application/json",
    )  # fmt: skip


@pytest.mark.parametrize(
    "address, says",
    [
        ("not an email", "Enter an email address in the correct format"),
        ("reed@police.invalid.attacker.example", "only to the council's partner domains"),
        (
            "reed@gmail.com",
            "only to the council's partner domains (council.invalid, police.invalid)",
        ),
    ],
)
def test_it_refuses_an_address_it_may_not_email(client, line, use_pack, address, says):
    use_pack("england")
    got = raise_with(client, line, address)
    assert got.status_code == 422
    problem = got.json()["errors"][0]
    assert problem["loc"] == ["body", "partner_email"]
    assert says in problem["msg"]
    assert not Concern.objects.exists()
    assert not Message.objects.exists()


def test_it_emails_an_address_at_an_allowed_domain_or_its_subdomain(client, line, use_pack):
    use_pack("england")
    got = raise_with(client, line, "reed@met.police.invalid")
    assert got.status_code == 201, got.content
    assert Message.objects.filter(to_email="reed@met.police.invalid").exists()


def test_with_no_domains_allowed_only_staff_are_emailed(client, line, use_pack, settings):
    use_pack("england")
    settings.OVERSIGHT_EMAIL_DOMAINS = []
    got = raise_with(client, line, "reed@police.invalid")
    assert got.status_code == 422
    assert "only to staff" in got.json()["errors"][0]["msg"]


def test_the_outbox_itself_refuses_an_address_it_may_not_email():
    with pytest.raises(ValueError, match="correct format"):
        queue_message(to="not an email", subject="Hello", body="x")
    with pytest.raises(ValueError, match="partner domains"):
        queue_message(to="someone@elsewhere.example", subject="Hello", body="x")
    assert not Message.objects.exists()
