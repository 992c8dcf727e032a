"""The concern endpoints: session authentication, the pages' access rules, errors naming the field."""

from __future__ import annotations

import pytest

from oversight.api.tests.steps import if_match
from oversight.escalations.models import Concern

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, body, content_type="application/json", **if_match(client, url))


@pytest.fixture
def concern_id(client, line, use_pack):
    use_pack("england")
    c = line.council
    client.force_login(c.iro.user)
    got = post(
        client,
        f"/api/v1/children/{c.child.pk}/concerns",
        {"issue": "Core group not held", "impact": "No plan", "themes": ["core_group"],
         "actions": [{"text": "Hold the core group", "due": "2030-01-04"}]},
    )  # fmt: skip
    assert got.status_code == 201, got.content
    return got.json()["id"]


def test_it_raises_a_concern_with_its_deadline(client, concern_id):
    concern = Concern.objects.get(pk=concern_id)
    assert concern.stage == 0
    assert concern.themes.get().code == "core_group"


def test_it_names_the_missing_field(client, line, use_pack):
    use_pack("england")
    client.force_login(line.council.iro.user)
    got = post(client, f"/api/v1/children/{line.council.child.pk}/concerns", {"impact": "x"})
    assert got.status_code == 422
    assert got.json()["errors"][0]["loc"] == ["body", "issue"]


def test_it_names_a_bad_date_inside_an_action(client, line, use_pack):
    use_pack("england")
    client.force_login(line.council.iro.user)
    got = post(
        client,
        f"/api/v1/children/{line.council.child.pk}/concerns",
        {"issue": "x", "impact": "y", "actions": [{"text": "t", "due": "2027-02-30"}]},
    )
    assert got.status_code == 422
    assert got.json()["errors"][0]["loc"] == ["body", "actions", 0, "due"]


def test_it_names_the_field_of_a_ladder_refusal(client, concern_id, line):
    got = post(client, f"/api/v1/concerns/{concern_id}/notices", {"stage": 9})
    assert got.status_code == 422
    detail = got.json()["errors"][0]
    assert detail["loc"] == ["body", "stage"]
    assert "has no stage 9" in detail["msg"]


def test_it_answers_403_to_a_response_from_someone_not_addressed(client, concern_id, line):
    client.force_login(line.council.iro.user)
    got = post(
        client, f"/api/v1/concerns/{concern_id}/responses", {"accepted": False, "reasons": "No"}
    )
    assert got.status_code == 403
    assert "addressed to" in got.json()["detail"]


def test_it_answers_404_to_an_outsider_before_reading_the_body(client, concern_id, line):
    client.force_login(line.council.other_social_worker.user)
    assert post(client, f"/api/v1/concerns/{concern_id}/responses", {}).status_code == 404
    assert post(client, f"/api/v1/children/{line.council.child.pk}/concerns", {}).status_code == 404


def test_it_answers_401_when_signed_out(client, concern_id):
    client.logout()
    assert (
        post(client, f"/api/v1/concerns/{concern_id}/resolution", {"outcome": "x"}).status_code
        == 401
    )


def test_it_runs_the_ladder_through_the_api(client, concern_id, line):
    c = line.council
    client.force_login(c.team_manager.user)
    got = post(
        client, f"/api/v1/concerns/{concern_id}/responses", {"accepted": False, "reasons": "Held"}
    )
    assert got.status_code == 201
    client.force_login(c.iro.user)
    got = post(client, f"/api/v1/concerns/{concern_id}/notices", {"stage": 1})
    assert got.status_code == 201
    body = got.json()
    assert body["stage"] == 1
    page = client.get(f"/concerns/{concern_id}/").text
    shown = page.split('id="stage">', 1)[1].split("<", 1)[0]
    assert body["stage_label"] == shown  # the stage by the name the concern's page gives it
    assert shown.startswith("Stage 1: ")
    codes = {d["code"] for d in body["deadlines"]}
    assert {"esc.stage.response", "esc.total"} <= codes
    got = post(client, f"/api/v1/concerns/{concern_id}/resolution", {"outcome": "Agreed"})
    assert got.status_code == 200
    assert got.json()["status"] == "resolved"


def test_it_raises_a_safeguarding_concern_straight_at_the_formal_stage(client, line, use_pack):
    use_pack("camden")
    c = line.council
    client.force_login(c.iro.user)
    url = f"/api/v1/children/{c.child.pk}/concerns"
    body = {"issue": "Bruising", "impact": "At risk", "formal_reason": "Unexplained bruising"}
    refused = post(client, url, body)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "agreed_by"]
    assert not Concern.objects.exists()
    got = post(client, url, {**body, "agreed_by": line.safeguarding_service_manager.pk})
    assert got.status_code == 201, got.content
    assert got.json()["stage"] == 1
    deadlines = {(d["code"], d["stage"]) for d in got.json()["deadlines"]}
    assert ("esc.stage.response", 1) in deadlines


def test_it_publishes_its_schema_and_its_docs(client, line):
    client.force_login(line.council.iro.user)
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/children/{child_id}/concerns" in paths
    assert "/api/v1/concerns/{concern_id}/notices" in paths
    assert client.get("/api/v1/docs").status_code == 200
