"""What the concern pages show in words: the names of a ladder's stages, and the escalation
record's deadlines.

Stages: every page names a stage the same way (`stage_names`): the informal stage by its name,
a formal one as "Stage 2: Service manager".

Deadlines: each stored `esc.*` obligation in words, with nothing a person missed left out.

The engine reports one obligation per deadline and counts it met by whatever ends the wait
(`esc.informal.response` by a response, a warning, a notice or the resolution; an
`esc.stage.response` by the response, the resolution or a higher notice), with the last
extension's date as its due date. A person reading the record needs more: whether it was
answered or the chair moved on without an answer, whether it was answered late (and by how many
working days: `working_days_between` of the stored due and met dates, given as `working_days`),
and the first date of an extended deadline, missed or not. The history (the concern's steps) holds the rest: each notice
step keeps the response date it set, each extension step its new date, each response step its
stage and day.

    stage_names(ladder) -> {0: "Informal stage", 1: "Stage 1: Team manager", ...}
    concern_stage(concern) -> "Stage 2: Service manager"
    deadline_rows(obligations, steps, stage_names, working_days) -> [Deadline, ...]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from oversight.cases.labels import label_for
from oversight.escalations import ladders
from oversight.escalations.constants import StepKind
from oversight.escalations.models import Concern
from oversight.policies.schema import Ladder

# What ends the wait without an answer, as a step of the history: (kind, in words).
_CLOSERS = {
    StepKind.WARNING: "warning of formal notification given",
    StepKind.NOTICE: "notice issued",
    StepKind.RESOLVED: "resolved",
}
# The deadlines that wait for an answer, and the stage whose response answers them (None: the
# stage the obligation's trigger names).
_ANSWERED_AT = {"esc.informal.response": 0, "esc.informal.final": 0, "esc.stage.response": None}


def stage_names(ladder: Ladder) -> dict[int, str]:
    """Each stage of a ladder as every concern page names it: 0 by the informal stage's name, a
    formal stage as "Stage 2: Service manager" (the record, its history, its notices, its
    deadlines, the lists and the child's page say the same)."""
    names = {0: ladder.informal.name}
    for stage in ladder.stages:
        number = f"Stage {stage.number}"
        names[stage.number] = (
            stage.label if stage.label.startswith(number) else f"{number}: {stage.label}"
        )  # Walsall's IRO ladder names its stages "Stage 1" ... "Stage 6"
    return names


def names_of(concern: Concern) -> dict[int, str]:
    """`stage_names` of the concern's ladder ({} for a ladder the active pack no longer has)."""
    ladder = ladders.pack().ladders.get(concern.ladder)
    return stage_names(ladder) if ladder is not None else {}


def concern_stage(concern: Concern) -> str:
    """The concern's current stage by its name."""
    return names_of(concern).get(concern.stage, f"Stage {concern.stage}")


class StoredObligation(Protocol):
    code: str
    trigger: dict[str, Any]
    due: dt.date
    status: str
    met_on: dt.date | None
    on_time: bool | None


class HistoryStep(Protocol):
    kind: str
    stage: int
    on: dt.date
    data: dict[str, Any]


@dataclass(frozen=True)
class Deadline:
    """One line of the record's deadlines. `first_due`: an extended deadline's first date
    (`missed`: it had passed when it was extended). `status`: "Met", "Met late (4 working
    days)", "Not answered", "Overdue" or "Due"; `detail`: what ended it, in words."""

    what: str
    due: dt.date
    status: str
    on: dt.date | None = None
    first_due: dt.date | None = None
    extended_on: dt.date | None = None
    missed: bool = False
    detail: str = ""
    late: bool = False


def _day(value: object) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def _stage_of(row: StoredObligation) -> int | None:
    stage = (row.trigger or {}).get("stage")
    return int(stage) if stage is not None else None


def _what(row: StoredObligation, stage_names: Mapping[int, str]) -> str:
    """The obligation in words; a stage's response names its stage ("Stage 2: Service
    manager"). `esc.total` runs from the first notice to the resolution whatever the stage, so
    it names none."""
    label = label_for(row.code)
    stage = _stage_of(row)
    if row.code == "esc.stage.response" and stage is not None:
        return f"{label} ({stage_names.get(stage, f'stage {stage}')})"
    return label


def _extension(
    row: StoredObligation, steps: Sequence[HistoryStep]
) -> tuple[dt.date | None, dt.date | None]:
    """(first due, the day of the first extension) of a stage's response deadline: the date its
    notice step set, when an extension step of that stage moved it later."""
    stage = _stage_of(row)
    if row.code != "esc.stage.response" or stage is None:
        return None, None
    issued = _day((row.trigger or {}).get("date"))
    notice = next(
        (s for s in steps if s.kind == StepKind.NOTICE and s.stage == stage and s.on == issued),
        None,
    )
    extended = [s for s in steps if s.kind == StepKind.EXTENDED and s.stage == stage]
    first = _day(notice.data.get("respond_by")) if notice is not None else None
    if not extended or first is None or first == row.due:
        return None, None
    return first, min(s.on for s in extended)


def _closed_without_answer(
    row: StoredObligation, steps: Sequence[HistoryStep]
) -> HistoryStep | None:
    """The step that met a deadline waiting for an answer when it was not a response: None when
    a response of the stage it waits on is dated on the day it was met (or it waits for none)."""
    if row.code not in _ANSWERED_AT or row.met_on is None:
        return None
    stage = _ANSWERED_AT[row.code]
    stage = _stage_of(row) if stage is None else stage
    answered = any(
        s.kind == StepKind.RESPONSE and s.stage == stage and s.on == row.met_on for s in steps
    )
    if answered:
        return None
    return next((s for s in steps if s.kind in _CLOSERS and s.on == row.met_on), None)


# Working days in (start, end]: `oversight.timescales.dates.working_days_between` on the pack's
# calendar.
WorkingDays = Callable[[dt.date, dt.date], int]


def _late_by(row: StoredObligation, working_days: WorkingDays) -> str:
    assert row.met_on is not None
    n = working_days(row.due, row.met_on)
    return f"{n} working day{'' if n == 1 else 's'}"


def deadline(
    row: StoredObligation,
    steps: Sequence[HistoryStep],
    stage_names: Mapping[int, str],
    working_days: WorkingDays,
) -> Deadline:
    """One stored obligation of the concern as the record shows it."""
    what = _what(row, stage_names)
    first_due, extended_on = _extension(row, steps)
    missed = first_due is not None and extended_on is not None and extended_on > first_due
    common: dict[str, Any] = {
        "what": what,
        "due": row.due,
        "first_due": first_due,
        "extended_on": extended_on,
        "missed": missed,
    }
    if row.status != "met":
        status = "Overdue" if row.status == "overdue" else "Due"
        return Deadline(status=status, late=row.status == "overdue", **common)
    closer = _closed_without_answer(row, steps)
    if closer is not None:
        detail = _CLOSERS[StepKind(closer.kind)]
        if closer.kind == StepKind.NOTICE:
            detail = f"{detail} ({stage_names.get(closer.stage, f'stage {closer.stage}')})"
        late = row.on_time is False
        if late:
            detail = f"{detail}, {_late_by(row, working_days)} after the deadline"
        return Deadline(status="Not answered", on=row.met_on, detail=detail, late=late, **common)
    if row.on_time is False:
        return Deadline(
            status=f"Met late ({_late_by(row, working_days)})", on=row.met_on, late=True, **common
        )
    return Deadline(status="Met", on=row.met_on, **common)


def deadline_rows(
    obligations: Sequence[StoredObligation],
    steps: Sequence[HistoryStep],
    stage_names: Mapping[int, str],
    working_days: WorkingDays,
) -> list[Deadline]:
    """Every stored obligation of the concern, in due order, as the record shows it."""
    rows = sorted(obligations, key=lambda r: (r.due, r.code))
    return [deadline(row, steps, stage_names, working_days) for row in rows]
