"""API tokens: made by an administrator on a page that shows the secret once, kept as a digest,
acting as their user with that user's access, read-only when made so, ending at their expiry or
revocation, and every call audited under the token's name."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from oversight.api import tokens
from oversight.api.models import ApiToken
from oversight.audit.actions import record_change
from oversight.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

WED = dt.datetime(2027, 1, 20, 10, 0, tzinfo=dt.UTC)  # Wednesday 20 January 2027


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def make(council, user=None, *, read_only=False, expires_on=None, name="Mosaic bridge"):
    return tokens.issue(
        name=name,
        user=(user or council.iro).user,
        read_only=read_only,
        expires_on=expires_on,
        acting_user=council.administrator.user,
        today=dt.date(2027, 1, 20),
    )


def test_an_administrator_makes_a_token_on_the_page_and_sees_it_once(client, council):
    client.force_login(council.administrator.user)
    page = client.post(
        "/api-tokens/",
        {"name": "Warehouse", "user": council.iro.user.username, "scope": "read"},
    )
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    shown = re.search(r'id="new-token"[^>]*>(ovs_[^<]+)<', page.content.decode())
    assert shown is not None
    secret = shown[1]
    token = ApiToken.objects.get(name="Warehouse")
    assert token.read_only and token.user == council.iro.user
    assert secret not in (token.digest, token.prefix)  # only a digest is kept
    assert token.digest == tokens.digest(secret)
    again = client.get("/api-tokens/").content.decode()
    assert secret not in again and "Warehouse" in again and token.prefix in again
    issued = AuditEntry.objects.get(what="api_token.issued")
    assert issued.user == council.administrator.user
    assert issued.after == {**(issued.after or {}), "name": "Warehouse"}


def test_only_administrators_have_the_page(client, council):
    for person in (council.iro, council.iro_team_manager, council.auditor):
        client.force_login(person.user)
        assert client.get("/api-tokens/").status_code == 404


def test_a_name_in_use_and_an_expiry_in_the_past_are_refused_by_field(client, council):
    make(council, name="Warehouse")
    client.force_login(council.administrator.user)
    with time_machine.travel(WED, tick=False):
        page = client.post(
            "/api-tokens/",
            {
                "name": "Warehouse",
                "user": council.iro.user.username,
                "scope": "write",
                "expires_on": "19 1 2027",
            },
        ).content.decode()
    assert "A token with this name already exists" in page
    assert ApiToken.objects.count() == 1


def test_a_token_acts_as_its_user_and_is_audited_by_name(client, council):
    secret = make(council).secret
    got = client.get(f"/api/v1/children/{council.child.pk}", **bearer(secret))
    assert got.status_code == 200
    assert got.json()["reference"] == "C1000001"
    # the IRO's token cannot see another IRO's child: 404, as on the pages
    assert (
        client.get(f"/api/v1/children/{council.other_child.pk}", **bearer(secret)).status_code
        == 404
    )
    rows = AuditEntry.objects.filter(via="API token: Mosaic bridge", user=council.iro.user)
    # one row a call: the view and the refusal each name the token and their child
    assert [(r.action, r.child_id) for r in rows.order_by("pk")] == [
        ("view", council.child.pk),
        ("refused", council.other_child.pk),
    ]


def test_a_token_call_that_writes_no_row_of_its_own_is_audited_once(client, council):
    secret = make(council).secret
    assert client.get("/api/v1/policies", **bearer(secret)).status_code == 200
    rows = AuditEntry.objects.filter(via="API token: Mosaic bridge")
    assert [(r.action, r.path) for r in rows] == [("api_call", "/api/v1/policies")]


def test_a_token_write_is_one_row_the_actions_own_naming_the_token(client, council):
    """The action's change row carries the token's name, the path and the address, so the call
    writes no second row; and a change written afterwards outside any call carries none."""
    secret = make(council).secret
    before = max(AuditEntry.objects.values_list("pk", flat=True), default=0)
    url = f"/api/v1/children/{council.child.pk}/events"
    with time_machine.travel(WED, tick=False):
        got = client.post(
            url, {"type": "cp_visit", "date": "2027-01-19"}, content_type="application/json",
            REMOTE_ADDR="203.0.113.9", **bearer(secret),
        )  # fmt: skip
    assert got.status_code == 201, got.content
    rows = AuditEntry.objects.filter(pk__gt=before)
    assert [(r.action, r.what, r.via, r.path, r.child_id, r.user_id) for r in rows] == [
        (
            "change",
            "event.recorded",
            "API token: Mosaic bridge",
            url,
            council.child.pk,
            council.iro.user.pk,
        )
    ]
    assert rows.get().ip_address == "203.0.113.9"
    later = record_change(
        None, action="rota.changed", before=None, after={}, acting_user=council.iro.user
    )
    assert (later.via, later.path) == ("", "")


def test_a_session_write_through_the_api_keeps_its_rows_as_the_pages_do(client, council):
    client.force_login(council.iro.user)
    before = max(AuditEntry.objects.values_list("pk", flat=True), default=0)
    with time_machine.travel(WED, tick=False):
        got = client.post(
            f"/api/v1/children/{council.child.pk}/events",
            {"type": "cp_visit", "date": "2027-01-19"},
            content_type="application/json",
        )
    assert got.status_code == 201, got.content
    rows = AuditEntry.objects.filter(pk__gt=before)
    assert [(r.action, r.what, r.via) for r in rows] == [("change", "event.recorded", "")]


def test_a_revoked_an_expired_and_a_made_up_token_get_401(client, council):
    revoked = make(council, name="Old bridge")
    tokens.revoke(revoked.token, acting_user=council.administrator.user)
    expiring = make(council, name="Pilot", expires_on=dt.date(2027, 1, 22))  # a Friday
    url = f"/api/v1/children/{council.child.pk}"
    with time_machine.travel(dt.datetime(2027, 1, 22, 17, 0, tzinfo=dt.UTC), tick=False):
        assert client.get(url, **bearer(expiring.secret)).status_code == 200  # its last day
    with time_machine.travel(dt.datetime(2027, 1, 25, 9, 0, tzinfo=dt.UTC), tick=False):
        gone = client.get(url, **bearer(expiring.secret))
    assert gone.status_code == 401
    assert gone["Content-Type"] == "application/problem+json"
    assert gone.json()["status"] == 401
    assert client.get(url, **bearer(revoked.secret)).status_code == 401
    assert client.get(url, **bearer("ovs_" + "x" * 43)).status_code == 401
    assert client.get(url).status_code == 401


def test_a_read_only_token_may_read_and_not_write(client, council):
    secret = make(council, read_only=True).secret
    url = f"/api/v1/children/{council.child.pk}/events"
    assert client.get(url, **bearer(secret)).status_code == 200
    refused = client.post(
        url,
        {"type": "cp_visit", "date": "2027-01-19"},
        content_type="application/json",
        **bearer(secret),
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "This token may only read"
    assert council.child.events.filter(type="cp_visit", date=dt.date(2027, 1, 19)).count() == 0


def test_a_token_of_a_user_who_left_stops_working(client, council):
    secret = make(council).secret
    assert client.get("/api/v1/children", **bearer(secret)).status_code == 200  # remembered
    council.iro.user.is_active = False
    council.iro.user.save()
    assert client.get("/api/v1/children", **bearer(secret)).status_code == 401


def test_the_last_use_is_shown_to_the_administrator(client, council):
    made = make(council)
    with time_machine.travel(WED, tick=False):
        client.get("/api/v1/children", **bearer(made.secret))
    made.token.refresh_from_db()
    assert made.token.last_used_at == WED
    client.force_login(council.administrator.user)
    assert "Wed 20 Jan 2027" in client.get("/api-tokens/").content.decode()


def test_revoking_on_the_page(client, council):
    made = make(council)
    assert client.get("/api/v1/children", **bearer(made.secret)).status_code == 200  # remembered
    client.force_login(council.administrator.user)
    client.post(f"/api-tokens/{made.token.pk}/revoke/")
    made.token.refresh_from_db()
    assert made.token.revoked_at is not None and made.token.revoked_at <= timezone.now()
    assert client.get("/api/v1/children", **bearer(made.secret)).status_code == 401
