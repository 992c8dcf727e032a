"""Every endpoint of the API, read from its own OpenAPI document (so a new endpoint is checked
the day it is added): 401 without credentials; for a caller who may not see the child, 404
whatever was sent; for a read-only token, 403 on every write; and for the child's own IRO, no
refusal about who is calling."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from oversight.api import tokens
from oversight.api.v1 import api as the_api
from oversight.complaints.factories import make_complaint
from oversight.escalations.models import Concern
from oversight.meetings.models import Meeting

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch", "delete")
# Writes only the IRO service's managers make (they see every child): their allowed caller.
MANAGERS_ONLY = {
    ("/api/v1/children", "post"),
    ("/api/v1/children/{child_id}", "patch"),
    ("/api/v1/children/{child_id}/allocations", "post"),
}
# Reads of the service's figures and of the audit log: their readers (not the child's IRO).
READERS = {("/api/v1/reports/{report}", "get"): "manager", ("/api/v1/audit", "get"): "auditor"}
# Paths about no one child: the caller's own list or caseload, the policy packs, the figures
# and the audit log.
NOT_ONE_CHILD = {
    "/api/v1/children",
    "/api/v1/obligations",
    "/api/v1/policies",
    "/api/v1/policies/{name}",
    "/api/v1/reports/{report}",
    "/api/v1/audit",
    "/api/v1/complaints",
}


def operations() -> list[tuple[str, str]]:
    paths = the_api.get_openapi_schema()["paths"]
    return sorted((path, method) for path, item in paths.items() for method in item)


@pytest.fixture
def world(client, line, use_pack):
    use_pack("england")
    c = line.council
    client.force_login(c.iro.user)
    raised = client.post(
        f"/api/v1/children/{c.child.pk}/concerns",
        {"issue": "Core group not held", "impact": "No plan"},
        content_type="application/json",
    )
    assert raised.status_code == 201, raised.content
    client.logout()
    concern = Concern.objects.get(pk=raised.json()["id"])
    complaint = make_complaint(c.child)

    def secret(staff, name, read_only=False):
        return tokens.issue(
            name=name, user=staff.user, read_only=read_only, expires_on=None,
            acting_user=c.administrator.user,
        ).secret  # fmt: skip

    meeting = Meeting.objects.create(
        child=c.child, kind="strategy", created_at=timezone.now(), typed={}
    )
    values = {
        "meeting_id": meeting.pk,
        "child_id": c.child.pk,
        "event_id": c.child.events.order_by("pk").first().pk,
        "concern_id": concern.pk,
        "complaint_id": complaint.pk,
        "name": "england",
        "report": "dashboard",
    }
    return {
        "values": values,
        "outsider": secret(c.other_iro, "outsider"),
        "reader": secret(c.iro, "reader", read_only=True),
        "iro": secret(c.iro, "iro"),
        "manager": secret(c.iro_team_manager, "manager"),
        "auditor": secret(c.auditor, "auditor"),
    }


def call(client, path, method, values, secret=None):
    url = path.format(**values)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    if method == "get":
        return client.get(url, **headers)
    return getattr(client, method)(url, json.dumps({}), content_type="application/json", **headers)


def test_it_reads_the_endpoints_from_the_document():
    found = set(operations())
    assert ("/api/v1/children/{child_id}/events", "post") in found
    assert ("/api/v1/concerns/{concern_id}/notices", "post") in found
    assert len(found) >= 15


@pytest.mark.parametrize("path,method", operations())
def test_without_credentials_401(client, world, path, method):
    got = call(client, path, method, world["values"])
    assert got.status_code == 401, got.content
    assert got["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path,method", [op for op in operations() if op[0] not in NOT_ONE_CHILD])
def test_outside_the_callers_scope_404(client, world, path, method):
    got = call(client, path, method, world["values"], world["outsider"])
    assert got.status_code == 404, got.content
    assert "Poppy" not in got.content.decode() and "C1000001" not in got.content.decode()


@pytest.mark.parametrize("path,method", [op for op in operations() if op[1] in WRITES])
def test_a_read_only_token_writing_403(client, world, path, method):
    got = call(client, path, method, world["values"], world["reader"])
    assert got.status_code == 403, got.content


@pytest.mark.parametrize("path,method", operations())
def test_the_childs_iro_is_not_refused_as_a_caller(client, world, path, method):
    if (path, method) in READERS:
        caller = world[READERS[path, method]]
    else:
        caller = world["manager"] if (path, method) in MANAGERS_ONLY else world["iro"]
    got = call(client, path, method, world["values"], caller)
    # an empty body may be refused as input (422), or by a precondition (428): never 401/403/404
    assert got.status_code not in (401, 403, 404, 500), (path, method, got.content)
