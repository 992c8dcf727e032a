"""New model rows inserted in bulk, each given its id: `bulk_create` with PostgreSQL's fast path.

On PostgreSQL the ids are drawn from the table's own sequence first (COPY returns none) and the
rows go in by COPY, where `bulk_create` sends each batch as one INSERT of arrays that Django
compiles and psycopg adapts value by value (a census of 10,000 children, profiled: its events'
and children's `bulk_create` took 10 of the import's 42 s). Elsewhere it is `bulk_create`, which sets
the ids itself. As with `bulk_create`, no model signal is sent: the caller bumps the data version
(the cache's convention test holds a caller of `bulk_insert` to it as to one of `bulk_create`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

from oversight.audit.actions import json_text

# Fields whose Python value the driver writes as Django would prepare it (a date or time with
# `auto_now` aside, and a datetime, which Django makes aware).
PLAIN = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.DateField,
    models.TimeField,
    models.ForeignKey,
)


def bulk_insert[M: models.Model](model: type[M], objs: Sequence[M]) -> Sequence[M]:
    """Insert `objs` (new instances of `model`, their fields' Python defaults set as
    constructing them sets them) and set each one's primary key; returns `objs`."""
    if not objs:
        return objs
    connection = connections[DEFAULT_DB_ALIAS]  # not the proxy, read once a value
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=2000)
        return objs
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if f is not pk]
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(f.column)) for f in (pk, *fields))

    def reader(field: Any) -> Callable[[models.Model], Any]:
        """How a field's value goes to COPY: as it is for the plain types the driver writes
        itself, JSON as text, else as Django prepares it for the database."""
        if isinstance(field, models.JSONField):
            default = field.encoder().default if field.encoder else None
            return lambda obj: json_text(getattr(obj, field.attname), default)
        stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        if isinstance(field, PLAIN) and not isinstance(field, models.DateTimeField) and not stamped:
            return attrgetter(field.attname)
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)

    readers = [reader(f) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objs)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        # The driver's own cursor: Django's has no COPY.
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy:
            for obj, id_ in zip(objs, ids, strict=True):
                obj.pk = id_
                copy.write_row([id_, *(read(obj) for read in readers)])
                obj._state.adding = False
                obj._state.db = connection.alias
    return objs


@contextmanager
def built_after(models: Sequence[type[models.Model]]) -> Iterator[None]:
    """On PostgreSQL, inside the caller's transaction: of each of `models` whose table is empty
    as the block begins, the secondary indexes, and the foreign keys to another of those empty
    tables, are dropped, and made again as they were (the same names and definitions,
    `pg_get_indexdef` and `pg_get_constraintdef`) when it ends. A first import into an empty
    Oversight then fills its tables and builds each index once, sorted, instead of inserting
    every row into each (the obligations' nine, a trigram index among them: most of their COPY's
    time), and checks each foreign key with one join instead of a query a row at the commit (at
    30,000 children, 4 s). A table that holds rows keeps all of them (building them again would
    cost more than it saves), as do the primary keys, the indexes of constraints (a unique
    reference) and a foreign key to a table that is not empty (the staff, the users: dropping it
    would lock that table). Dropping them locks the tables until the transaction ends: while a
    first import writes, a page that reads them waits for it. Raised out of the block, the
    transaction's rollback puts them back. Elsewhere it does nothing."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        yield
        return
    assert connection.in_atomic_block, "indexes are set aside only inside a transaction"
    quote = connection.ops.quote_name
    aside: list[str] = []
    with connection.cursor() as cursor:
        empty = []
        for model in models:
            table = model._meta.db_table
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")  # noqa: S608
            if not cursor.fetchone()[0]:
                empty.append(table)
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE contype = 'f'"
            " AND conrelid::regclass::text = ANY(%s) AND confrelid::regclass::text = ANY(%s)",
            [empty, empty],
        )
        for table, name, definition in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            aside.append(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute(
            "SELECT index.relname, pg_get_indexdef(index.oid) FROM pg_index"
            " JOIN pg_class index ON index.oid = pg_index.indexrelid"
            " WHERE pg_index.indrelid::regclass::text = ANY(%s) AND NOT pg_index.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint"
            " WHERE pg_constraint.conindid = pg_index.indexrelid)",
            [empty],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {quote(name)}")
            aside.insert(0, definition)  # the indexes before the keys, which their checks use
    yield
    if not aside:
        return
    with connection.cursor() as cursor:
        # A table with foreign-key checks still to run takes no index and no constraint: they
        # run now (as they would have at the commit), and the constraints are deferred after.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in aside:
            cursor.execute(statement)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
