"""The OpenAPI document describes the conventions every operation keeps, walked operation by
operation (so a new endpoint is held to them the day it is added): a write's body has a schema
among the components, every update requires If-Match, every POST takes Idempotency-Key, and
every problem is `application/problem+json`. That each declaration is what the endpoint does is
`test_every_endpoint`'s (it calls each one)."""

from __future__ import annotations

import pytest
from ninja import Schema

from oversight.api import v1
from oversight.api.v1 import api

DOCUMENT = api.get_openapi_schema()
OPERATIONS = sorted((path, method) for path, item in DOCUMENT["paths"].items() for method in item)
WRITES = [
    (path, method) for path, method in OPERATIONS if method in ("post", "put", "patch", "delete")
]


def _operation(path: str, method: str) -> dict:
    return DOCUMENT["paths"][path][method]


def _header(operation: dict, name: str) -> dict | None:
    found = [p for p in operation["parameters"] if p["in"] == "header" and p["name"] == name]
    assert len(found) <= 1, found
    return found[0] if found else None


def _component(ref: str) -> dict:
    prefix = "#/components/schemas/"
    assert ref.startswith(prefix), ref
    return DOCUMENT["components"]["schemas"][ref.removeprefix(prefix)]


def test_it_walks_every_write():
    assert ("/api/v1/concerns/{concern_id}/responses", "post") in WRITES
    assert ("/api/v1/children/{child_id}/events/{event_id}", "delete") in WRITES
    assert len(WRITES) >= 25


@pytest.mark.parametrize("path,method", WRITES)
def test_a_writes_body_is_json_with_a_schema_among_the_components(path, method):
    body = _operation(path, method).get("requestBody")
    if body is None:  # the warning step reads none (the behaviour: test_every_endpoint)
        return
    schema = _component(body["content"]["application/json"]["schema"]["$ref"])
    assert schema["type"] == "object" and schema["properties"], (path, method)


def test_a_body_that_requires_nothing_is_not_required():
    # a child's change sends only what changes: an empty body is read as {} and changes nothing
    assert _operation("/api/v1/children/{child_id}", "patch")["requestBody"]["required"] is False
    # a concern's response must say whether it is accepted
    responses = _operation("/api/v1/concerns/{concern_id}/responses", "post")
    assert responses["requestBody"]["required"] is True


@pytest.mark.parametrize(
    "path,method", [(p, m) for p, m in WRITES if m in ("put", "patch", "delete")]
)
def test_every_patch_put_and_delete_requires_if_match(path, method):
    operation = _operation(path, method)
    if_match = _header(operation, "If-Match")
    assert if_match is not None and if_match["required"] is True, (path, method)
    assert {412, 428} <= set(operation["responses"]), (path, method)


@pytest.mark.parametrize("path,method", OPERATIONS)
def test_only_an_update_declares_412_and_428(path, method):
    operation = _operation(path, method)
    requires = _header(operation, "If-Match") is not None
    assert ({412, 428} <= set(operation["responses"])) == requires, (path, method)


@pytest.mark.parametrize("path,method", [(p, m) for p, m in WRITES if m == "post"])
def test_every_post_takes_an_idempotency_key(path, method):
    key = _header(_operation(path, method), "Idempotency-Key")
    # optional: a caller that never retries need not send one
    assert key is not None and key["required"] is False, (path, method)
    assert key["schema"]["maxLength"] == 200


@pytest.mark.parametrize("path,method", OPERATIONS)
def test_every_problem_is_problem_details(path, method):
    operation = _operation(path, method)
    problems = {s: r for s, r in operation["responses"].items() if str(s)[0] == "4"}
    # every operation: no credentials, too many calls, and any other refusal
    assert {401, 429, "4XX"} <= set(problems), (path, method)
    for status, answer in problems.items():
        assert answer["description"], (path, method, status)
        schema = answer["content"]["application/problem+json"]["schema"]
        assert _component(schema["$ref"])["required"] == ["type", "title", "status", "detail"]


@pytest.mark.parametrize("path,method", OPERATIONS)
def test_a_path_naming_a_record_declares_404_and_a_query_400(path, method):
    operation = _operation(path, method)
    where = {p["in"] for p in operation["parameters"]}
    assert ("path" in where) == (404 in operation["responses"]), (path, method)
    if "query" in where:
        assert 400 in operation["responses"], (path, method)


def test_no_two_schemas_share_a_name():
    """The document keeps one schema a name: two classes of one name would leave one
    operation described by the other's schema."""
    names: dict[str, type] = {}

    def walk(cls: type) -> None:
        sub: type
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("oversight.api"):
                assert names.setdefault(sub.__name__, sub) is sub, sub.__name__
            walk(sub)

    walk(Schema)
    assert "ConcernOut" in names and "ComplaintDeadlineOut" in names
    assert v1.PROBLEM is DOCUMENT["components"]["schemas"]["Problem"]


@pytest.mark.parametrize("path,method", [(p, m) for p, m in OPERATIONS if m == "get"])
def test_every_list_is_a_page_with_a_cursor(path, method):
    """No read answers a bare array: a list is `{"items": [...], "next": cursor}`, read with
    `cursor` and `limit` (`conventions.page`)."""
    operation = _operation(path, method)
    schema = operation["responses"][200]["content"]["application/json"]["schema"]
    assert schema.get("type") != "array", path
    answer = _component(schema["$ref"]) if "$ref" in schema else schema
    if "items" in answer.get("properties", {}):
        assert set(answer["required"]) == {"items", "next"}, path
        assert answer["properties"]["items"]["type"] == "array", path
        query = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
        assert {"cursor", "limit"} <= query, path


def test_a_childs_lists_are_pages():
    for name in ("allocations", "obligations", "flags", "events", "meetings", "concerns"):
        schema = _operation(f"/api/v1/children/{{child_id}}/{name}", "get")["responses"][200]
        ref = schema["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("Page"), name
