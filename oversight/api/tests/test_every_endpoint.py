"""Every endpoint of the API, read from its own OpenAPI document (so a new endpoint is checked
the day it is added): 401 without credentials; for a caller who may not see the child, 404
whatever was sent; for a read-only token, 403 on every write; for the child's own IRO, no
refusal about who is calling; every write that changes an existing resource (`updates`: those
whose document requires If-Match) 428 without If-Match and 412 with a stale one, and no other
428; and a write reads a JSON body exactly when its document declares one."""

from __future__ import annotations

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


def call(client, path, method, values, secret=None, data="{}", **headers):
    url = path.format(**values)
    if secret:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    if method == "get":
        return client.get(url, **headers)
    return getattr(client, method)(url, data, content_type="application/json", **headers)


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


def _answer_schema(operation: dict) -> object:
    """What an operation answers on success, as the document says (None for no body)."""
    for status, answer in sorted(operation["responses"].items(), key=lambda pair: str(pair[0])):
        if str(status).startswith("2"):
            return answer.get("content", {}).get("application/json", {}).get("schema")
    return None


def _requires_if_match(operation: dict) -> bool:
    return any(
        p["in"] == "header" and p["name"] == "If-Match" and p["required"]
        for p in operation["parameters"]
    )


def updates() -> list[tuple[str, str, str]]:
    """Every write whose document requires If-Match, with the path of the resource whose ETag
    it takes: its own path when that is a resource one reads, else its parent's (a draft's
    values, a concern's agenda or step, a complaint's step, a draft's completion)."""
    paths = the_api.get_openapi_schema()["paths"]
    found = []
    for path, item in paths.items():
        for method, operation in item.items():
            if method in WRITES and _requires_if_match(operation):
                resource = path if "get" in item else path.rsplit("/", 1)[0]
                assert "get" in paths.get(resource, {}), (path, method)
                found.append((path, method, resource))
    return sorted(found)


def test_the_updates_are_the_changes_to_a_resource_its_answer_shows():
    """Every PATCH, PUT and DELETE requires If-Match, and every POST whose answer is the resource
    at its parent path (a step); a POST answering anything else makes a new one, and a create
    takes no If-Match."""
    paths = the_api.get_openapi_schema()["paths"]
    for path, item in paths.items():
        parent = path.rsplit("/", 1)[0]
        for method, operation in item.items():
            step = (
                method == "post"
                and "get" in paths.get(parent, {})
                and _answer_schema(operation) == _answer_schema(paths[parent]["get"])
            )
            changes = method in ("patch", "put", "delete") or step
            assert _requires_if_match(operation) == changes, (path, method)


def test_the_updates_are_every_step_and_no_create():
    found = {(path, method) for path, method, _ in updates()}
    assert ("/api/v1/concerns/{concern_id}/responses", "post") in found
    assert ("/api/v1/complaints/{complaint_id}/acknowledgement", "post") in found
    assert ("/api/v1/complaints/{complaint_id}/concern", "post") in found
    assert ("/api/v1/children/{child_id}/meetings/{meeting_id}/completion", "post") in found
    assert ("/api/v1/children/{child_id}/events/{event_id}", "delete") in found
    assert ("/api/v1/children/{child_id}/concerns", "post") not in found
    assert ("/api/v1/children/{child_id}/meetings/drafts", "post") not in found
    assert ("/api/v1/children", "post") not in found


def _updater(world, path, method):
    return world["manager"] if (path, method) in MANAGERS_ONLY else world["iro"]


@pytest.mark.parametrize("path,method,resource", updates())
def test_every_update_without_if_match_428_and_stale_412(client, world, path, method, resource):
    caller = _updater(world, path, method)
    without = call(client, path, method, world["values"], caller)
    assert without.status_code == 428, (path, method, without.content)
    stale = call(client, path, method, world["values"], caller, HTTP_IF_MATCH='"stale"')
    assert stale.status_code == 412, (path, method, stale.content)


@pytest.mark.parametrize("path,method,resource", updates())
def test_every_update_with_the_resources_etag_passes_the_precondition(
    client, world, path, method, resource
):
    caller = _updater(world, path, method)
    tag = call(client, resource, "get", world["values"], caller)["ETag"]
    got = call(client, path, method, world["values"], caller, HTTP_IF_MATCH=tag)
    # an empty body may be refused as input (422) or by the record's state (409)
    assert got.status_code not in (412, 428, 500), (path, method, got.content)


@pytest.mark.parametrize(
    "path,method",
    sorted(
        {op for op in operations() if op[1] in WRITES}
        - {(path, method) for path, method, _ in updates()}
    ),
)
def test_a_write_whose_document_takes_no_if_match_never_asks_for_one(client, world, path, method):
    got = call(client, path, method, world["values"], _updater(world, path, method))
    assert got.status_code != 428, (path, method, got.content)


def _precondition(client, world, path, method, caller):
    """The headers a write needs to reach its body: its resource's ETag, when it is an update."""
    resource = {(p, m): r for p, m, r in updates()}.get((path, method))
    if resource is None:
        return {}
    return {"HTTP_IF_MATCH": call(client, resource, "get", world["values"], caller)["ETag"]}


@pytest.mark.parametrize("path,method", [op for op in operations() if op[1] in WRITES])
def test_a_write_reads_a_body_exactly_when_its_document_declares_one(client, world, path, method):
    """Sent a body that is not JSON, past the access check and the precondition: refused as
    not JSON by the writes that read a body (or, before reading it, by the record's state: the
    409 its document gives), never by one that reads none."""
    operation = the_api.get_openapi_schema()["paths"][path][method]
    caller = _updater(world, path, method)
    headers = _precondition(client, world, path, method, caller)
    got = call(client, path, method, world["values"], caller, data="{not json", **headers)
    not_json = got.status_code == 422 and got.json()["errors"][0]["type"] == "json_invalid"
    if "requestBody" in operation:
        assert not_json or (got.status_code == 409 and 409 in operation["responses"]), (
            path, method, got.content,
        )  # fmt: skip
    else:
        assert not not_json, (path, method, got.content)
