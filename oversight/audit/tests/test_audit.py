import datetime as dt

import pytest
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from oversight.audit.actions import pseudonymise, record_change, record_export
from oversight.audit.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db


def test_it_writes_one_row_per_view_of_a_child(client, council):
    client.force_login(council.iro.user)
    url = f"/children/{council.child.pk}/"
    client.get(url, HTTP_USER_AGENT="Synthetic browser/1.0", REMOTE_ADDR="192.0.2.7")
    client.get(url)
    entries = AuditEntry.objects.filter(action="view").order_by("id")
    assert entries.count() == 2
    first = entries[0]
    assert first.user == council.iro.user
    assert first.action == "view"
    assert first.child_id == council.child.pk
    assert first.child_reference == "C1000001"
    assert first.path == url
    assert first.ip_address == "192.0.2.7"
    assert first.user_agent == "Synthetic browser/1.0"


def test_it_writes_a_refusal_when_the_child_is_refused(client, council):
    client.force_login(council.other_iro.user)
    assert client.get(f"/children/{council.child.pk}/").status_code == 404
    (refused,) = AuditEntry.objects.all()  # nothing viewed; the refusal, naming the child
    assert (refused.action, refused.child_reference) == ("refused", "C1000001")


def test_it_writes_one_row_naming_the_children_of_the_list(client, council):
    client.force_login(council.iro.user)
    client.get("/children/")
    (row,) = AuditEntry.objects.all()
    assert (row.action, row.what, row.child_id) == ("view", "children.viewed", None)
    assert list(row.children.values_list("child_reference", flat=True)) == ["C1000001"]


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


def test_it_records_a_change_with_before_after_and_reason(council):
    row = record_change(
        council.child,
        action="event.amended",
        before={"date": dt.date(2026, 3, 12)},
        after={"date": dt.date(2026, 3, 13)},
        reason="Typed the wrong day",
        acting_user=council.iro.user,
    )
    row.refresh_from_db()
    assert row.action == "change"
    assert row.what == "event.amended"
    assert row.before == {"date": "2026-03-12"}  # dates stored as ISO strings
    assert row.after == {"date": "2026-03-13"}
    assert row.reason == "Typed the wrong day"
    assert row.child_reference == "C1000001"


def test_it_records_an_export(rf, council):
    request = rf.get("/reports/children.csv", REMOTE_ADDR="192.0.2.9")
    request.user = council.iro_team_manager.user
    row = record_export(request, what="children.csv")
    assert (row.action, row.what, row.ip_address) == ("export", "children.csv", "192.0.2.9")


def test_it_records_a_sign_in_and_a_failed_sign_in(client, council):
    client.post(
        "/sign-in/",
        {"username": council.iro.user.username, "password": "wrong"},
        REMOTE_ADDR="192.0.2.10",
    )
    failed = AuditEntry.objects.get(action="sign_in_failed")
    assert failed.username == "isla.brightwell"
    assert failed.user is None
    assert failed.ip_address == "192.0.2.10"
    client.post("/sign-in/", {"username": council.iro.user.username, "password": council.password})
    signed_in = AuditEntry.objects.get(action="sign_in")
    assert signed_in.user == council.iro.user


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database's own refusal is PostgreSQL's trigger"
)
def test_it_has_postgresql_refuse_to_change_or_delete_an_entry(council):
    row = entry(council)
    plain: models.QuerySet[AuditEntry] = models.QuerySet(
        model=AuditEntry
    )  # past the model's own refusal, to the database
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        plain.filter(pk=row.pk).update(action="change")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        plain.filter(pk=row.pk).delete()
    row.refresh_from_db()
    assert row.action == "view"


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database's own refusal is PostgreSQL's trigger"
)
def test_while_erasing_postgresql_lets_only_that_childs_erasable_columns_change(council):
    """An erasure (`pseudonymise`) rewrites its child's rows; in the same transaction another
    child's row, a column of `ERASABLE_COLUMNS`' complement and any DELETE are still refused."""
    mine = entry(council)
    other = AuditEntry.objects.create(
        at=timezone.now(), user=council.iro.user, action="view", child_id=council.other_child.pk
    )
    plain: models.QuerySet[AuditEntry] = models.QuerySet(model=AuditEntry)
    with transaction.atomic():
        pseudonymise(council.child.pk, pseudonym="ERASED-TEST", scrub=lambda text: text)
        for refused in (
            lambda: plain.filter(pk=other.pk).update(child_reference="ERASED-TEST"),
            lambda: plain.filter(pk=mine.pk).update(action="change"),
            lambda: plain.filter(pk=mine.pk).delete(),
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                refused()
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.child_reference, mine.action) == ("ERASED-TEST", "view")
    assert other.child_reference == ""


def test_a_control_character_from_the_client_is_kept_readable_not_refused(client, council):
    """A user agent with a NUL would make PostgreSQL refuse the audit row,
    and with it the page: the row keeps the rest, the character shown as a replacement."""
    client.force_login(council.iro.user)
    got = client.get(f"/children/{council.child.pk}/", HTTP_USER_AGENT="Probe\x00/1.0\x1b")
    assert got.status_code == 200
    row = AuditEntry.objects.filter(child_id=council.child.pk, action="view").latest("pk")
    assert row.user_agent == "Probe\ufffd/1.0\ufffd"
