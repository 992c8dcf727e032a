"""A first import's tables without their indexes and foreign keys while it writes, and with every
one of them again, as they were, once it has (`cases.bulk.built_after`, PostgreSQL only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from oversight.cases.actions import record_event
from oversight.cases.bulk import built_after
from oversight.cases.constants import EventType
from oversight.cases.factories import make_child
from oversight.cases.models import Child, Event, Obligation

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own indexes"),
    pytest.mark.django_db,
]

TABLES = ["cases_child", "cases_event", "cases_obligation"]


def schema() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The indexes and the foreign keys of the three tables, each with its definition."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1",
            [TABLES],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f'"
            " AND conrelid::regclass::text = ANY(%s) ORDER BY 1",
            [TABLES],
        )
        return indexes, cursor.fetchall()


def test_it_builds_the_empty_tables_indexes_and_keys_again_as_they_were() -> None:
    before = schema()
    with transaction.atomic(), built_after([Child, Event, Obligation]):
        indexes, keys = schema()
        # While it writes: the primary keys and the unique reference only...
        assert sorted(name for name, _ in indexes) == [
            "cases_child_pkey",
            "cases_child_reference_key",
            "cases_event_pkey",
            "cases_obligation_pkey",
        ]
        # ...and the keys to the tables it does not write (the users, the staff) only.
        assert {definition.split(" REFERENCES ")[1].split("(")[0] for _, definition in keys} == {
            "auth_user",
            "cases_siblinggroup",
            "cases_staffmember",
        }
        record_event(
            make_child(),
            type=EventType.ICPC,
            date=dt.date(2026, 11, 30),  # Mon 30 Nov 2026
            data={"outcome": "plan"},
            acting_user=None,
            as_of=dt.date(2026, 12, 3),
        )
    assert schema() == before  # every index and key again, the same names and definitions
    assert Obligation.objects.filter(code="cp.rcpc.first").exists()  # and the rows written


def test_it_leaves_a_table_that_holds_rows_as_it_is() -> None:
    make_child()
    before = schema()
    with transaction.atomic(), built_after([Child]):
        assert schema() == before  # the children's table is not empty: nothing set aside


def test_a_block_that_raises_leaves_every_index_and_key_as_it_was() -> None:
    before = schema()
    with pytest.raises(ZeroDivisionError), transaction.atomic(), built_after([Child, Event]):
        make_child()
        1 / 0  # noqa: B018 (the import refused half way)
    assert schema() == before
