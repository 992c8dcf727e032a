"""Changing a child's details through the API: If-Match with the child's ETag (428 without,
412 stale: of two systems holding one ETag, one wins), the registration's rules by field
with nothing changed, the IRO service's managers only, and the change audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from oversight.api import tokens
from oversight.audit.models import AuditEntry
from oversight.cases.models import Child

pytestmark = pytest.mark.django_db

# Tuesday 29 December 2026, between Christmas and New Year's bank holidays.
TUE = dt.datetime(2026, 12, 29, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def call(client, council):
    def secret(staff, name):
        return tokens.issue(
            name=name, user=staff.user, read_only=False, expires_on=None,
            acting_user=council.administrator.user,
        ).secret  # fmt: skip

    callers = {
        "manager": secret(council.iro_team_manager, "Mosaic"),
        "iro": secret(council.iro, "IRO's bridge"),
    }

    def send(method, url, body=None, *, who="manager", **headers):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {callers[who]}"}
        if method == "get":
            return client.get(f"/api/v1{url}", **auth, **headers)
        return getattr(client, method)(
            f"/api/v1{url}", json.dumps(body), content_type="application/json", **auth, **headers
        )

    with time_machine.travel(TUE, tick=False):
        yield send


def test_a_corrected_name_with_the_current_etag_is_kept_and_audited(call, council):
    url = f"/children/{council.child.pk}"
    tag = call("get", url)["ETag"]
    got = call("patch", url, {"last_name": "Larkfield-Hale"}, HTTP_IF_MATCH=tag)
    assert got.status_code == 200, got.content
    assert got.json()["last_name"] == "Larkfield-Hale"
    assert got.json()["first_name"] == "Poppy"  # left out, so left as it was
    assert got["ETag"] != tag
    row = AuditEntry.objects.get(what="child.changed")
    before, after = row.before or {}, row.after or {}
    assert (row.child_id, before["last_name"], after["last_name"]) == (
        council.child.pk,
        "Larkfield",
        "Larkfield-Hale",
    )


def test_without_if_match_428_and_with_a_stale_etag_412(call, council):
    url = f"/children/{council.child.pk}"
    assert call("patch", url, {"first_name": "Poppie"}).status_code == 428
    tag = call("get", url)["ETag"]
    first = call("patch", url, {"first_name": "Poppie"}, HTTP_IF_MATCH=tag)
    second = call("patch", url, {"first_name": "Pip"}, HTTP_IF_MATCH=tag)  # the same ETag
    assert (first.status_code, second.status_code) == (200, 412)
    assert Child.objects.get(pk=council.child.pk).first_name == "Poppie"


def test_the_registrations_rules_refuse_by_field_and_nothing_changes(call, council):
    url = f"/children/{council.child.pk}"
    tag = call("get", url)["ETag"]
    got = call(
        "patch",
        url,
        {"reference": "C2000001", "date_of_birth": "2026-12-30", "nhs_number": "9990000019"},
        HTTP_IF_MATCH=tag,
    )
    assert got.status_code == 422
    named = {e["loc"][1]: e["msg"] for e in got.json()["errors"]}
    assert named["reference"] == "A child with this reference is already held"  # Milo's
    assert "today or in the past" in named["date_of_birth"]  # Wednesday 30 December: tomorrow
    assert "check digit" in named["nhs_number"]
    cleared = call("patch", url, {"last_name": None}, HTTP_IF_MATCH=tag)
    assert cleared.json()["errors"][0]["loc"] == ["body", "last_name"]
    child = Child.objects.get(pk=council.child.pk)
    assert (child.reference, child.date_of_birth, child.last_name) == (
        "C1000001",
        dt.date(2016, 3, 14),
        "Larkfield",
    )
    assert not AuditEntry.objects.filter(what="child.changed").exists()


def test_an_unborn_child_born_takes_a_date_of_birth_and_loses_the_expected_date(call, council):
    made = call(
        "post", "/children",
        {"reference": "C4000009", "last_name": "Brook", "expected_date_of_delivery": "2027-01-04"},
    )  # fmt: skip
    assert made.status_code == 201, made.content
    url = f"/children/{made.json()['id']}"
    tag = call("get", url)["ETag"]
    both = call("patch", url, {"date_of_birth": "2026-12-28"}, HTTP_IF_MATCH=tag)
    assert both.json()["errors"][0]["loc"] == ["body", "expected_date_of_delivery"]
    born = call(
        "patch", url, {"date_of_birth": "2026-12-28", "expected_date_of_delivery": None},
        HTTP_IF_MATCH=tag,
    )  # fmt: skip
    assert born.status_code == 200, born.content
    assert (born.json()["date_of_birth"], born.json()["expected_date_of_delivery"]) == (
        "2026-12-28",  # Monday 28 December, a bank holiday (Boxing Day substitute)
        None,
    )


def test_the_childs_iro_may_not_change_its_details(call, council):
    url = f"/children/{council.child.pk}"
    tag = call("get", url, who="iro")["ETag"]
    got = call("patch", url, {"first_name": "Pip"}, who="iro", HTTP_IF_MATCH=tag)
    assert got.status_code == 403
    assert Child.objects.get(pk=council.child.pk).first_name == "Poppy"
