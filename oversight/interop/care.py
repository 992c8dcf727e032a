"""Looked-after children's episodes and reviews, as every format that holds them reads them
(SSDA903, the Standard Safeguarding Dataset).

Episodes that follow on without a gap (one begins the day the last ended: a change of placement
or legal status) are one period of care, which begins with a `lac_start` on its first start and
ends with a `lac_end` on its last end (the 903's reason the episode ceased, `REC`, kept as
`reason`). An episode that gives its placement (`Episode.placement`, the event's details) places
the child: the period's first episode a `placement_start` on its start (or the first episode
that gives one, when the period began before its placement: the export's first row of such a
period has no `PLACE`), a later one a `placement_change` on its start when it says the
placement changed (`Episode.moved`; the 903's `RNE`). A child's first episode in the files that
says it continues a period of care begun before it (`Episode.continues`: a return of a later
year, whose first row for the child began with a change of placement or legal status) begins
nothing: only what changed on its start is an event, and Oversight must hold the period's start
already (`actions`). The placement ends with the period's `lac_end`: the 903 knows no
looked-after child without a placement, so an import writes no `placement_end`. An episode's
legal status (the 903's `LS`, where the format gives one) is a `legal_status` event on the
episode's start, when it differs from the status of the episode before it in the same period of
care: the one record of the legal status the child's page and Annex A list 8 read. A review is
a `lac_review`, its participation code (`PN0` to `PN7`) kept as `participation`, and belongs to
an episode of care."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from oversight.cases.constants import LegalStatus
from oversight.cases.formatting import age_on, sentence_day
from oversight.interop.problems import Report
from oversight.interop.records import Children, Fact, Incoming

# The participation codes of the 903 guidance: how the child took part in the review.
PARTICIPATION = {
    "PN0": "Child aged under 4 at the time of the review",
    "PN1": "Child physically attends and speaks for themselves",
    "PN2": "Child physically attends and an advocate speaks on their behalf",
    "PN3": "Child attends and conveys their view symbolically (non-verbally)",
    "PN4": "Child physically attends but does not speak for themselves",
    "PN5": "Child does not attend physically but briefs an advocate to speak for them",
    "PN6": "Child does not attend but conveys their feelings by a facilitative medium",
    "PN7": "Child does not attend nor are their views conveyed to the review",
}


@dataclass
class Episode:
    start: dt.date
    end: dt.date | None
    file: str
    line: str
    start_field: str
    end_field: str
    # The placement the episode gives (a placement event's details), None when it gives none.
    placement: dict[str, Any] | None = None
    # Whether the episode began with a new placement (the 903's `RNE`); None: the file does not
    # say, and a placement other than the last episode's is a new one.
    moved: bool | None = None
    # Why the episode ceased (the 903's `REC`), where the file says.
    reason: str = ""
    legal_status: str = ""  # a 903 LS code, where the format gives one
    legal_status_field: str = ""
    # Whether the episode says it continues a period of care begun before it (the 903's `RNE`
    # other than `S`), and whether its legal status changed on its start (`L`, `B`).
    continues: bool = False
    status_changed: bool = False


@dataclass
class Episodes:
    """Every child's episodes of care in the files, by the child's reference."""

    by_child: dict[str, list[Episode]] = field(default_factory=dict)

    def add(self, child: Incoming, episode: Episode, report: Report) -> None:
        """Keep `episode`, unless it ends before it begins (an error); an unknown legal status
        is an error, the episode kept without it."""
        if episode.legal_status and episode.legal_status not in LegalStatus.values:
            report.error(
                episode.file,
                episode.line,
                episode.legal_status_field,
                f"{episode.legal_status!r} is not a legal status of the 903: "
                + ", ".join(LegalStatus.values),
            )
            episode.legal_status = ""
        if episode.end is not None and episode.end < episode.start:
            report.error(
                episode.file,
                episode.line,
                episode.end_field,
                f"The episode cannot end ({sentence_day(episode.end)}) before it began "
                f"({sentence_day(episode.start)})",
            )
            return
        self.by_child.setdefault(child.reference, []).append(episode)

    def periods(self, children: Children, report: Report) -> None:
        """Episodes that follow on are one period of care: a start and an end each. An episode
        that begins before the one before it ended is an error."""
        for reference, episodes in self.by_child.items():
            child = children.by_reference[reference]
            episodes.sort(key=lambda e: e.start)
            previous: Episode | None = None
            status = ""  # the legal status of the period of care so far
            placed = False  # whether an episode of the period so far gave its placement
            for episode in episodes:
                overlaps = previous is not None and (
                    previous.end is None or episode.start < previous.end
                )
                if previous is not None and overlaps:
                    ended = sentence_day(previous.end) if previous.end else "it has no end"
                    report.error(
                        episode.file,
                        episode.line,
                        episode.start_field,
                        f"This episode begins ({sentence_day(episode.start)}) before the one before it "
                        f"ended ({ended}, {previous.file}, {previous.line})",
                    )
                elif previous is None and episode.continues:
                    # A return of a later year: the period of care began before its first
                    # episode, which holds only what changed on its start.
                    child.continues_care = (episode.file, episode.line)
                    placed = episode.placement is not None
                    if episode.moved:
                        _placed(child, episode, "placement_change")
                    status = "" if episode.status_changed else episode.legal_status
                elif previous is None or episode.start != previous.end:
                    child.add(
                        Fact(
                            "lac_start",
                            episode.start,
                            {},
                            episode.file,
                            episode.line,
                            episode.start_field,
                        )
                    )
                    if previous is not None and previous.end is not None:
                        child.add(_ended(previous))
                    placed = _placed(child, episode, "placement_start")
                    status = ""
                elif not placed:
                    # The period's first placement, on a later episode: it begins there.
                    placed = _placed(child, episode, "placement_start")
                elif _moved(episode, previous):
                    _placed(child, episode, "placement_change")
                if not overlaps and episode.legal_status and episode.legal_status != status:
                    status = episode.legal_status
                    child.add(
                        Fact(
                            "legal_status",
                            episode.start,
                            {"legal_status": status},
                            episode.file,
                            episode.line,
                            episode.legal_status_field,
                        )
                    )
                previous = episode
            if previous is not None and previous.end is not None:
                child.add(_ended(previous))

    def looked_after_on(self, reference: str, when: dt.date) -> bool | None:
        """Whether the child's episodes in these files cover `when` (None: no episodes given)."""
        episodes = self.by_child.get(reference)
        if not episodes:
            return None
        return any(e.start <= when and (e.end is None or when <= e.end) for e in episodes)

    def review(
        self,
        child: Incoming,
        held: dt.date,
        code: str,
        report: Report,
        *,
        file: str,
        line: str,
        date_field: str,
        code_field: str,
    ) -> None:
        """A looked-after review held `held` with participation `code`: an unknown code, PN0 for a
        child of 4 or more, or a day the child's episodes do not cover is an error."""
        if code not in PARTICIPATION:
            report.error(
                file, line, code_field, f"{code!r} is not a participation code: PN0 to PN7"
            )
        born = child.date_of_birth
        if code == "PN0" and born is not None and age_on(born, held) >= 4:
            report.error(
                file,
                line,
                code_field,
                f"PN0 is for a child under 4 at the review; this child was "
                f"{age_on(born, held)} on {sentence_day(held)}",
            )
        if self.looked_after_on(child.reference, held) is False:
            report.error(
                file,
                line,
                date_field,
                f"The child is not looked after on this date ({sentence_day(held)}): a looked-after "
                "review belongs to an episode of care",
            )
        child.add(Fact("lac_review", held, {"participation": code}, file, line, date_field))


def _ended(episode: Episode) -> Fact:
    assert episode.end is not None
    data = {"reason": episode.reason} if episode.reason else {}
    return Fact("lac_end", episode.end, data, episode.file, episode.line, episode.end_field)


def _moved(episode: Episode, previous: Episode) -> bool:
    """Whether `episode`, following on from `previous`, began with a new placement."""
    if episode.placement is None:
        return False
    if episode.moved is not None:
        return episode.moved
    return episode.placement != previous.placement


def _placed(child: Incoming, episode: Episode, kind: str) -> bool:
    """The episode's placement as a `kind` event on its start, where it gives one: whether it
    did."""
    if episode.placement is None:
        return False
    child.add(Fact(kind, episode.start, episode.placement, episode.file, episode.line, "PLACE"))
    return True
