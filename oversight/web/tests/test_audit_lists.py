"""What the audit log keeps of pages and exports about several children, and of refusals: a row
naming each child shown, found again by searching the log for any of them."""

import pytest

from oversight.audit.models import AuditEntry, ChildShown
from oversight.escalations.factories import make_concern

pytestmark = pytest.mark.django_db


def shown_by(entry: AuditEntry) -> set[str]:
    return set(ChildShown.objects.filter(entry=entry).values_list("child_reference", flat=True))


def test_the_challenge_meeting_pack_names_its_children(client, council):
    concern = make_concern(council.child, council.iro)
    concern.on_agenda = True
    concern.save()
    client.force_login(council.iro.user)
    got = client.get("/concerns/challenge-meeting.docx")
    assert got.status_code == 200
    export = AuditEntry.objects.get(what="challenge_meeting.docx")
    assert export.action == AuditEntry.Action.EXPORT
    assert shown_by(export) == {"C1000001"}  # Poppy, and not Milo (another team's)


def test_the_children_search_names_the_children_of_its_page(client, council):
    client.force_login(council.iro_team_manager.user)  # the IRO service sees every child
    client.get("/children/?q=Larkfield")
    entry = AuditEntry.objects.get(what="children.viewed")
    assert shown_by(entry) == {"C1000001", "C1000002"}  # Poppy and her brother Alfie
    assert entry.path == "/children/?q=Larkfield"


def test_a_child_outside_scope_is_refused_and_the_refusal_logged(client, council):
    client.force_login(council.other_social_worker.user)  # holds Milo, not Poppy
    assert client.get(f"/children/{council.child.pk}/").status_code == 404
    refused = AuditEntry.objects.get(action=AuditEntry.Action.REFUSED)
    assert (refused.user, refused.child_reference) == (council.other_social_worker.user, "C1000001")
    assert refused.path == f"/children/{council.child.pk}/"
    # no such child at all: nothing to name, nothing logged
    assert client.get("/children/999999/").status_code == 404
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REFUSED).count() == 1


def test_the_api_logs_a_refusal_too(client, council):
    client.force_login(council.other_social_worker.user)
    got = client.post(
        f"/api/v1/children/{council.child.pk}/concerns",
        {"issue": "Drift", "impact": "Delay"},
        content_type="application/json",
    )
    assert got.status_code == 404
    assert got.status_code == 404
    assert got.json()["detail"] == "There is no such record, or it is not yours to see"
    refused = AuditEntry.objects.get(action=AuditEntry.Action.REFUSED)
    assert refused.child_reference == "C1000001"


def test_searching_the_log_for_a_child_finds_the_lists_that_showed_it(client, council):
    client.force_login(council.iro_team_manager.user)
    client.get("/children/?q=Larkfield")
    client.force_login(council.administrator.user)
    page = client.get("/audit/?child=C1000002")  # Alfie: on the list, never opened
    assert "children.viewed" in page.text
    assert "2 children" in page.text
    assert "auth.sign_in" not in page.text
