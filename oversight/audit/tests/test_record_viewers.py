""" "Who has seen this record" is read from a summary kept with every audited view (one row per
child and person), so that it stays a few rows however often a busy record is viewed."""

import datetime as dt
import importlib

import pytest
import time_machine
from django.db import connection

from oversight.audit.models import AuditEntry, RecordViewer

pytestmark = pytest.mark.django_db


NINE = dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC)  # Wed 20 Jan 2027


def test_it_counts_each_persons_views_and_lists_the_latest_first(client, council):
    with time_machine.travel(NINE, tick=False) as clock:

        def view(user, hours: int) -> str:
            clock.move_to(NINE + dt.timedelta(hours=hours))
            client.force_login(user)
            response = client.get(f"/children/{council.child.pk}/")
            assert response.status_code == 200
            return response.content.decode()

        view(council.iro.user, 0)
        view(council.iro.user, 1)
        view(council.social_worker.user, 2)
        rows = list(RecordViewer.objects.filter(child_id=council.child.pk).order_by("-last_seen"))
        assert [(r.user_id, r.times) for r in rows] == [
            (council.social_worker.user_id, 1),  # the latest view first
            (council.iro.user_id, 2),  # two views, one row
        ]
        assert rows[1].first_seen == NINE
        assert rows[1].last_seen == NINE + dt.timedelta(hours=1)

        seen = view(council.iro.user, 3).split('id="seen-by"')[1]
    # the IRO's third view is counted at once and listed first, at midday on Wed 20 Jan 2027
    assert seen.index("Isla Brightwell") < seen.index(council.social_worker.user.last_name)
    assert "Wed 20 Jan 2027 midday" in seen
    assert ">3<" in seen


def test_the_migration_fills_the_summary_from_the_log(council):
    """The migration that made the summary filled it from the views already in the log."""
    migration = importlib.import_module("oversight.audit.migrations.0004_record_viewers")
    fill = migration.Migration.operations[-1].sql
    monday = dt.datetime(2027, 1, 18, 9, 0, tzinfo=dt.UTC)
    for hours, user in ((0, council.iro.user), (5, council.iro.user), (1, council.auditor.user)):
        AuditEntry.objects.create(
            at=monday + dt.timedelta(hours=hours),
            user=user,
            action=AuditEntry.Action.VIEW,
            child_id=council.child.pk,
        )
    AuditEntry.objects.create(  # not a view: not counted
        at=monday, user=council.iro.user, action=AuditEntry.Action.EXPORT, child_id=council.child.pk
    )
    with connection.cursor() as cursor:
        cursor.execute(fill)
    rows = {r.user_id: r for r in RecordViewer.objects.filter(child_id=council.child.pk)}
    assert set(rows) == {council.iro.user_id, council.auditor.user_id}
    assert rows[council.iro.user_id].times == 2
    assert rows[council.iro.user_id].first_seen == monday
    assert rows[council.iro.user_id].last_seen == monday + dt.timedelta(hours=5)
    assert rows[council.auditor.user_id].times == 1


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the one statement is PostgreSQL's data-modifying WITH",
)
def test_on_postgresql_a_remembered_child_page_is_one_statement(client, council):
    """After the access check, a child page the process remembers costs one round trip: the
    audit row, the viewer's count and who has seen the record (issue 12's busiest page)."""
    from django.test.utils import CaptureQueriesContext

    client.force_login(council.social_worker.user)
    client.get(f"/children/{council.child.pk}/")
    client.force_login(council.iro.user)
    client.get(f"/children/{council.child.pk}/")  # the page is now remembered for the IRO
    with CaptureQueriesContext(connection) as again:
        seen = (
            client.get(f"/children/{council.child.pk}/").content.decode().split('id="seen-by"')[1]
        )
    writes = [q["sql"] for q in again if "INSERT" in q["sql"]]
    assert len(writes) == 1 and "SELECT v.id" in writes[0]
    assert (
        len([q for q in again if "audit_recordviewer" in q["sql"]]) == 1
    )  # no second read of who has seen it
    assert AuditEntry.objects.filter(child_id=council.child.pk, action="view").count() == 3
    # the IRO's own row is the one this view counted (two views), listed before the social worker's
    assert seen.index("Isla Brightwell") < seen.index(council.social_worker.user.last_name)
    assert ">2<" in seen and ">1<" in seen
