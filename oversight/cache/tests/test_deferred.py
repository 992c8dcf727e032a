"""`data_version.deferred()`: the bumps of a block made once at its end, and a bulk load's as one
version of every record."""

from __future__ import annotations

import pytest

from oversight.cache import data_version
from oversight.cases.factories import make_child

pytestmark = pytest.mark.django_db


def test_a_childs_bumps_wait_for_the_end_of_the_block() -> None:
    child = make_child(reference="DV-1")
    before = data_version.child(child.pk)
    records = data_version.current(data_version.RECORDS)
    with data_version.deferred():
        data_version.bump_child(child.pk)  # as each event of an import does
        data_version.bump_child(child.pk)
        assert data_version.child(child.pk) == before  # not yet
    assert data_version.child(child.pk) != before
    assert data_version.current(data_version.RECORDS) == records


def test_more_children_than_the_limit_bump_every_record_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(data_version, "DEFERRED_CHILDREN", 2)
    children = [make_child(reference=f"DV-{n}") for n in range(3)]
    own = {c.pk: data_version.child(c.pk) for c in children}
    records = data_version.current(data_version.RECORDS)
    with data_version.deferred():
        for c in children:
            data_version.bump_child(c.pk)
    assert data_version.current(data_version.RECORDS) != records
    assert {c.pk: data_version.child(c.pk) for c in children} == own  # keyed with RECORDS anyway
