import pytest
from django.utils import timezone

from oversight.audit.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db


def test_it_writes_one_row_per_view_of_a_child(client, council):
    client.force_login(council.iro.user)
    url = f"/children/{council.child.pk}/"
    client.get(url, HTTP_USER_AGENT="Synthetic browser/1.0", REMOTE_ADDR="192.0.2.7")
    client.get(url)
    entries = AuditEntry.objects.order_by("id")
    assert entries.count() == 2
    first = entries[0]
    assert first.user == council.iro.user
    assert first.action == "view"
    assert first.child_id == council.child.pk
    assert first.child_reference == "C1000001"
    assert first.path == url
    assert first.ip_address == "192.0.2.7"
    assert first.user_agent == "Synthetic browser/1.0"


def test_it_writes_no_row_when_the_child_is_refused(client, council):
    client.force_login(council.other_iro.user)
    assert client.get(f"/children/{council.child.pk}/").status_code == 404
    assert not AuditEntry.objects.exists()


def test_it_writes_no_row_for_the_children_list(client, council):
    client.force_login(council.iro.user)
    client.get("/children/")
    assert not AuditEntry.objects.exists()


def entry(council) -> AuditEntry:
    return AuditEntry.objects.create(
        at=timezone.now(), user=council.iro.user, action="view", child_id=council.child.pk
    )


def test_it_refuses_to_change_an_entry(council):
    row = entry(council)
    row.action = "change"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=row.pk).update(action="change")


def test_it_refuses_to_delete_an_entry(council):
    row = entry(council)
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1
