"""An import larger than a batch: every batch in the one transaction, all or nothing, each event
audited once, and a re-import that changes nothing (`actions.BATCH` made 2 for five children)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from oversight.audit.models import AuditEntry
from oversight.cases.models import Child, Event, Flag, Obligation, Span
from oversight.cases.obligations import recompute_all
from oversight.interop import actions
from oversight.interop.actions import Summary, import_children
from oversight.interop.records import Source
from oversight.interop.tests.helpers import (
    THURSDAY_3_DECEMBER_2026,
    cin_children,
    episode,
    identifiers,
    plan,
    read_cin,
    section47,
)

pytestmark = pytest.mark.django_db

REFERENCES = [f"DfEB{n:07d}" for n in range(1, 6)]


@pytest.fixture(autouse=True)
def _batches_of_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(actions, "BATCH", 2)


def census(tmp_path: Path, *, last_review: str = "2026-09-10", name: str = "cin.xml") -> Source:
    """Five children, each with an enquiry (Mon 1 June), its ICPC (Fri 19 June) and a plan; the
    last child's plan has a review conference on `last_review`."""
    children = [
        identifiers(reference, upn="")
        + episode(
            section47("2026-06-01", "2026-06-19"),
            plan("2026-06-19", reviews=(last_review,) if reference == REFERENCES[-1] else ()),
        )
        for reference in REFERENCES
    ]
    return cin_children(tmp_path, *children, name=name)


def run(found: Source) -> Summary:
    children, report = read_cin(found)
    return import_children(
        "cin", [found], children, report, acting_user=None, as_of=THURSDAY_3_DECEMBER_2026
    )


def test_every_batch_is_written_and_each_event_audited_once(tmp_path: Path) -> None:
    summary = run(census(tmp_path))
    assert (summary.imported, summary.children_added, summary.events_added) == (True, 5, 11)
    assert sorted(Child.objects.values_list("reference", flat=True)) == REFERENCES
    assert AuditEntry.objects.filter(what="child.imported").count() == 5
    audited = sorted(
        AuditEntry.objects.filter(what="event.recorded").values_list("after__id", flat=True)
    )
    assert audited == sorted(Event.objects.values_list("pk", flat=True))
    # Each child's obligations, from the batch it was in (an ICPC held on Fri 19 June: met).
    assert set(
        Obligation.objects.filter(code="cp.icpc").values_list("child__reference", "status")
    ) == {(reference, "met") for reference in REFERENCES}
    assert summary.obligations == Obligation.objects.count()


def test_a_re_import_changes_nothing_in_any_batch(tmp_path: Path) -> None:
    run(census(tmp_path))
    held = list(Obligation.objects.order_by("pk").values_list("pk", "child_id", "code", "status"))
    rows = AuditEntry.objects.count()
    again = run(census(tmp_path))
    assert (again.imported, again.children_added, again.events_added) == (True, 0, 0)
    assert (
        list(Obligation.objects.order_by("pk").values_list("pk", "child_id", "code", "status"))
        == held
    )
    # Only the import's own row is added.
    assert AuditEntry.objects.count() == rows + 1


def test_a_refusal_in_a_later_batch_undoes_the_earlier_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oversight.cases import obligations
    from oversight.timescales.events import InputError

    derive = obligations.derive

    def refusing(child_id, events, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Child.objects.get(pk=child_id).reference == REFERENCES[-1]:
            raise InputError("events[2].outcome: missing")
        return derive(child_id, events, *args, **kwargs)

    monkeypatch.setattr(obligations, "derive", refusing)
    children, report = read_cin(found := census(tmp_path))
    summary = import_children(
        "cin", [found], children, report, acting_user=None, as_of=THURSDAY_3_DECEMBER_2026
    )
    assert summary.imported is False
    # The report names the last child's first event; the first two batches were undone.
    assert [(p.where, p.reason) for p in report.errors] == [
        (
            "Message/Children/Child[5]/CINdetails[1]/Section47[1]/S47ActualStartDate",
            "This event cannot be recorded: missing",
        )
    ]
    assert not Child.objects.exists()
    assert not AuditEntry.objects.exists()


def _derived() -> list[tuple[object, ...]]:
    """Every child's obligations, flags and spans, as values (no row ids)."""
    rows: list[tuple[object, ...]] = []
    for model, names in (
        (Obligation, ("code", "event_id", "trigger", "due", "status", "met_on", "owner_roles")),
        (Flag, ("code", "reason")),
        (Span, ("kind", "number", "start", "end", "details")),
    ):
        for values in model.objects.values_list("child__reference", *names):
            rows.append((model.__name__, *(str(v) for v in values)))
    return sorted(rows)


def test_new_childrens_obligations_from_their_events_in_hand_are_those_read_back(
    tmp_path: Path,
) -> None:
    # New children's chronologies go to the engine as the import wrote them, not read back
    # (record_chronologies' `new_children`); a held child's later review is read with the rest of
    # its chronology. The nightly recompute reads every event back: the same rows.
    run(census(tmp_path, last_review="2026-09-10"))
    later = cin_children(
        tmp_path,
        identifiers(REFERENCES[-1], upn="")
        + episode(
            section47("2026-06-01", "2026-06-19"),
            plan("2026-06-19", reviews=("2026-09-10", "2026-11-30")),
        ),
        name="later.xml",
    )
    assert run(later).events_added == 1
    imported = _derived()
    # The next review is owed from each of the two (the later file's read with the first).
    next_reviews = [r for r in imported if r[1:3] == (REFERENCES[-1], "cp.rcpc.next")]
    assert len(next_reviews) == 2
    recompute_all(as_of=THURSDAY_3_DECEMBER_2026)
    assert _derived() == imported


def test_what_the_process_held_is_collected_again_after_an_import_refused_or_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The writing leaves what was held before it out of the collector's passes (gc.freeze) and
    # puts it back at the end, also when the engine refuses a chronology and all is undone.
    frozen: list[int] = []
    write = actions._write

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        frozen.append(gc.get_freeze_count())
        return write(*args, **kwargs)

    monkeypatch.setattr(actions, "_write", watched)
    assert run(census(tmp_path)).imported
    assert min(frozen) > 0
    assert gc.get_freeze_count() == 0

    from oversight.cases import obligations
    from oversight.timescales.events import InputError

    def refusing(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise InputError("events[2].outcome: missing")

    monkeypatch.setattr(obligations, "derive", refusing)
    frozen.clear()
    assert not run(census(tmp_path, last_review="2026-10-08", name="later.xml")).imported
    assert frozen and gc.get_freeze_count() == 0
