"""The subject access export: a child's whole record as one zip (record.json and the documents),
for the IRO service's managers only, audited as an export naming the child, never another
child's rows in it, and a restricted record only to those named on it."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from oversight.audit.models import AuditEntry, ChildShown
from oversight.cases.constants import Role
from oversight.cases.factories import make_staff
from oversight.complaints.factories import make_complaint
from oversight.escalations.factories import make_concern
from oversight.meetings.factories import make_document, make_meeting

pytestmark = pytest.mark.django_db


def download(client, child):
    response = client.get(f"/children/{child.pk}/whole-record.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    return zipfile.ZipFile(io.BytesIO(body))


def test_the_service_manager_downloads_the_whole_record_as_one_file(
    client, council, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    child = council.child
    meeting = make_meeting(child)
    document = make_document(meeting, name="icpc-minutes.txt", body=b"ICPC minutes for Poppy")
    make_concern(child, council.iro, issue="Core group not held")
    make_concern(council.other_child, council.other_iro, issue="Milo's plan is late")
    make_complaint(child, summary="The conference did not hear me")
    make_complaint(council.other_child, summary="Milo's complaint")
    manager = make_staff([Role.SAFEGUARDING_SERVICE_MANAGER], council.iro.team)
    client.force_login(council.iro.user)
    client.get(f"/children/{child.pk}/")  # a view, on the audit trail exported
    client.force_login(manager.user)

    archive = download(client, child)
    record = json.loads(archive.read("record.json"))
    assert record["child"][0]["fields"]["reference"] == "C1000001"
    assert [e["fields"]["type"] for e in record["events"]] == [
        "strategy_discussion", "icpc", "core_group", "rcpc",
    ]  # fmt: skip
    assert [c["fields"]["issue"] for c in record["concerns"]] == ["Core group not held"]
    assert [m["pk"] for m in record["meetings"]] == [meeting.pk]
    assert [c["fields"]["summary"] for c in record["complaints"]] == [
        "The conference did not hear me"
    ]
    assert any(a["who"] == "Isla Brightwell" and a["action"] == "Viewed" for a in record["audit"])
    assert "ip_address" not in record["audit"][0]  # the staff's, not the child's
    names = [n for n in archive.namelist() if n.startswith("documents/")]
    assert len(names) == 1 and names[0].startswith(f"documents/{document.pk}-")
    assert archive.read(names[0]) == b"ICPC minutes for Poppy"
    assert "Milo" not in archive.read("record.json").decode()  # nothing of another child

    export = AuditEntry.objects.filter(user=manager.user, what="child.whole_record.zip").get()
    assert list(ChildShown.objects.filter(entry=export).values_list("child_id", flat=True)) == [
        child.pk
    ]


def test_nobody_else_may_export_it(client, council):
    for persona in ("iro", "social_worker", "team_manager", "auditor", "administrator"):
        client.force_login(getattr(council, persona).user)
        response = client.get(f"/children/{council.child.pk}/whole-record.zip")
        assert response.status_code == 404, persona
    assert not AuditEntry.objects.filter(what="child.whole_record.zip").exists()


def test_a_restricted_record_is_exported_only_by_a_manager_named_on_it(client, council):
    child = council.child
    child.restricted = True
    child.restricted_contact = council.iro
    child.save()
    client.force_login(council.iro_team_manager.user)
    assert client.get(f"/children/{child.pk}/whole-record.zip").status_code == 403  # the notice
    child.named_staff.add(council.iro_team_manager)
    assert download(client, child).read("record.json")
