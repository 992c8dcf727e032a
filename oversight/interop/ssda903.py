"""The SSDA903 return (looked-after children): its header, episodes and reviews tables, as CSV.

Each file is known by the columns of its first line:

- header (`CHILD`, `DOB`, optional `UPN`): the child's date of birth and UPN;
- episodes (`CHILD`, `DECOM`, `DEC`): episodes that follow on without a gap (one begins the day
  the last ended: a change of placement or legal status) are one period of care, which begins
  with a `lac_start` on its first `DECOM` and ends with a `lac_end` on its last `DEC` (its `REC`
  kept as `reason`); its legal status `LS` (C1, C2, V2 …) a `legal_status` on `DECOM` where it
  changes. An episode's placement (`PLACE` given) is the details of the placement
  event the pages record (`placement_details`): the period's first a `placement_start`, a later
  episode's a `placement_change` where `RNE` says the placement changed (`P`, `T`, `U`, `B`; an
  `L` is a change of legal status alone), its `REASON_PLACE_CHANGE` kept as `reason`. A
  placement's details are judged by the pages' one rule for them
  (`cases.rules.placement_problems`) asked of the 903's columns: its provider
  (`PLACE_PROVIDER`; none asked of a temporary or other placement, T0-T4 and Z1, as the 903
  guidance says) and whether it is in or out of the area (`PL_LOCATION`); `PL_LA` and `URN`
  are checked as the Department's validator checks them (`_PL_LA`, `_URN`, rules 230 and
  242). A child's first episode whose `RNE` is not `S` continues a period of care begun before
  the file (`care`);
- reviews (`CHILD`, `DOB`, `REVIEW`, `REVIEW_CODE`): a `lac_review` on each `REVIEW`, its
  participation code (`PN0` to `PN7`) kept as `participation`.

Episodes and reviews are read as every looked-after format reads them (`care`). Dates are
`DD/MM/YYYY`. Every problem names the file's line (the first line, of the column
names, is line 1) and the column."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from oversight.cases import formatting
from oversight.cases.constants import EventType, PlacementProvider
from oversight.cases.rules import EventRecord, placement_problems
from oversight.interop.care import PARTICIPATION, Episode, Episodes
from oversight.interop.identifiers import upn_problem
from oversight.interop.problems import Report
from oversight.interop.records import (
    Children,
    Incoming,
    Source,
    check_children,
    check_reference,
    columns,
    readable_csvs,
    rows,
)
from oversight.timescales.rules import Policy

# The tables, by the columns that name them, in the order they are read (a review is checked
# against the episodes, whatever order the files are given in).
TABLES: tuple[tuple[str, frozenset[str]], ...] = (
    ("header", frozenset({"CHILD", "DOB"})),
    ("episodes", frozenset({"CHILD", "DECOM", "DEC"})),
    ("reviews", frozenset({"CHILD", "DOB", "REVIEW", "REVIEW_CODE"})),
)
_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
# The 903's placement types (`PLACE`) as Oversight's (`cases.constants.PlacementType`).
PLACE = {
    **dict.fromkeys(("A3", "A4", "A5", "A6"), "other"),  # placed for adoption
    "H5": "supported",  # supported accommodation
    "K1": "secure",  # secure children's home
    "K2": "residential",  # children's home
    "P1": "with_parents",  # placed with own parents or others with parental responsibility
    **dict.fromkeys(("P2", "P3", "R2", "R3", "R5", "Z1"), "other"),
    "R1": "residential",  # residential care home
    "S1": "residential",  # residential school
    **dict.fromkeys(("T0", "T1", "T2", "T3", "T4"), "other"),  # temporary placements
    **dict.fromkeys(("U1", "U2", "U3"), "connected_person"),  # foster with a relative or friend
    **dict.fromkeys(("U4", "U5", "U6"), "foster"),
}
# Long-term fostering: the placements the 903 says are intended to last (reg 28's 3 months).
LONG_TERM = frozenset({"U1", "U4"})
# Oversight's placement types as the 903 writes a placement recorded in the pages (no `place`).
PLACE_OF = {
    ("foster", True): "U4",
    ("foster", False): "U6",
    ("connected_person", True): "U1",
    ("connected_person", False): "U3",
    ("residential", False): "K2",
    ("supported", False): "H5",
    ("secure", False): "K1",
    ("with_parents", False): "P1",
    ("other", False): "Z1",
}
# Who provides the placement (`PLACE_PROVIDER`): kept as the pages keep it (`place_provider`),
# and in its words as the placement's provider, the carer, home or agency the 903 does not name.
PROVIDERS = dict(PlacementProvider.choices)
# The placements the 903 guidance (2.2.9) asks no provider of: temporary (T0-T4) and other (Z1).
# Their provider is said in words, so that the pages' rule (a placement names its provider)
# holds of them too.
NO_PROVIDER_PLACES = frozenset({"T0", "T1", "T2", "T3", "T4", "Z1"})
NO_PROVIDER = "None asked: a temporary or other placement"
# The 903's column of each detail of the pages' placement event.
PLACEMENT_COLUMNS = {
    "placement_type": "PLACE",
    "provider": "PLACE_PROVIDER",
    "area": "PL_LOCATION",
    "until_18": "PLACE",
    "distance": "PL_DISTANCE",
}
# How an episode began (`RNE`): those that begin a new placement.
BEGINNINGS = frozenset({"S", "L", "P", "T", "U", "B"})
MOVED = frozenset({"S", "P", "T", "U", "B"})
# Why the placement changed (`REASON_PLACE_CHANGE`) and why the episode ceased (`REC`).
CHANGE_REASONS = frozenset(
    {"CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE",
     "CUSTOD", "OTHER"}
)  # fmt: skip
CEASED = frozenset(
    {"X1", "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48",
     "E5", "E6", "E7", "E9", "E14", "E15", "E16", "E17", "E8"}
)  # fmt: skip
# The placement's postcode as the 903 writes it: the outward code and the inward's first digit.
_POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]? ?\d?")
_DISTANCE = re.compile(r"\d+(\.\d+)?")
# The placement's local authority (`PL_LA`): its ONS code (E06-E10 in England, W06 in Wales, S12
# in Scotland, N09 in Northern Ireland, and six digits), as the Department's 903 validator reads
# it (rule 230 takes a code beginning N, W or S as a placement outside England), or the
# Department's older three-digit LA number (201 to 938), or where the 903 guidance's derived
# "local authority of placement" is not an English council: NIR, WAL, SCO, CON (a confidential
# placement) or NUK (outside the UK).
_PL_LA = re.compile(r"(?:E0[6-9]|E10|W06|S12|N09)\d{6}|\d{3}|NIR|WAL|SCO|CON|NUK")
# The provider's Ofsted unique reference number (`URN`): "SC" and six digits (a children's
# social care setting) or six or seven digits (one registered before the SC numbers), or
# XXXXXXX where the placement has none, which the validator's rule 242 allows only for a
# placement for adoption or with foster carers (A3-A6, U1-U6).
_URN = re.compile(r"SC\d{6}|\d{6,7}")
NO_URN = "XXXXXXX"
NO_URN_PLACES = frozenset({"A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"})
# The validator's rule 230: a placement in supported accommodation (H5) in England open on or
# after this day needs the provider's URN.
H5_URN_FROM = dt.date(2023, 10, 28)


def _table(columns: set[str]) -> str | None:
    """The table whose columns the file has (the most specific first)."""
    for name, needs in reversed(TABLES):
        if needs <= columns:
            return name
    return None


class _Reader:
    def __init__(self, children: Children, report: Report) -> None:
        self.children, self.report = children, report
        self.episodes = Episodes()

    def date(self, row: dict[str, str], name: str, file: str, line: str) -> dt.date | None:
        text = row.get(name, "")
        if not text:
            return None
        match = _DATE.fullmatch(text)
        try:
            if match is None:
                raise ValueError
            d, m, y = (int(part) for part in match.groups())
            return dt.date(y, m, d)
        except ValueError:
            self.report.error(
                file, line, name, f"{text!r} is not a date: the 903 writes DD/MM/YYYY"
            )
            return None

    def child(self, row: dict[str, str], file: str, line: str) -> Incoming | None:
        reference = row.get("CHILD", "")
        if not check_reference(reference, self.report, file, line, "CHILD"):
            return None
        child = self.children.get(reference, file, line)
        born = self.date(row, "DOB", file, line)
        if born is not None:
            self.children.born(child, born, self.report, file, line, "DOB")
        return child

    def header(self, source: Source) -> None:
        for line, row in rows(source):
            child = self.child(row, source.name, line)
            upn = row.get("UPN", "")
            if child is None or not upn or upn.startswith("UN"):  # UN1-UN10: why it is unknown
                continue
            problem = upn_problem(upn)
            if problem:
                self.report.error(source.name, line, "UPN", problem)
            child.upn = upn

    def code(
        self, row: dict[str, str], name: str, known: Iterable[str], file: str, line: str
    ) -> str:
        """The code in column `name` (blank: ""), or "" and an error when it is not one of
        `known`."""
        code = row.get(name, "")
        if code and code not in known:
            self.report.error(file, line, name, f"{code!r} is not a code of the 903's {name}")
            return ""
        return code

    def placement(
        self, row: dict[str, str], end: dt.date | None, file: str, line: str
    ) -> dict[str, Any] | None:
        """The placement event's details of an episode's row (`placement_details`) ending `end`,
        or None when the row gives no `PLACE`; each bad code an error naming its column."""
        place = self.code(row, "PLACE", PLACE, file, line)
        la, urn = row.get("PL_LA", "").upper(), row.get("URN", "").upper()
        if la and not _PL_LA.fullmatch(la):
            self.report.error(
                file, line, "PL_LA", f"{la!r} is not a local authority's code: its ONS code "
                "(E06000001 to E10000034, W06, S12 or N09 and six digits), its three-digit "
                "LA number, or NIR, WAL, SCO, CON or NUK"
            )  # fmt: skip
        if urn == NO_URN and place and place not in NO_URN_PLACES:
            self.report.error(
                file, line, "URN", f"{NO_URN} (no URN) is only for a placement for adoption or "
                f"with foster carers (A3 to A6, U1 to U6), not {place}"
            )  # fmt: skip
        elif urn and urn != NO_URN and not _URN.fullmatch(urn):
            self.report.error(
                file, line, "URN", f"{urn!r} is not an Ofsted URN: SC and six digits, or six "
                f"or seven digits ({NO_URN} where the placement has none)"
            )  # fmt: skip
        elif (
            place == "H5"
            and urn in ("", NO_URN)
            and (end is None or end >= H5_URN_FROM)
            and not la.startswith(("N", "W", "S"))
        ):
            self.report.error(
                file, line, "URN", "A placement in supported accommodation in England open on "
                f"or after {formatting.plain_day(H5_URN_FROM)} needs the provider's Ofsted URN"
            )  # fmt: skip
        provider = self.code(row, "PLACE_PROVIDER", PROVIDERS, file, line)
        location = self.code(row, "PL_LOCATION", ("IN", "OUT"), file, line)
        reason = self.code(row, "REASON_PLACE_CHANGE", CHANGE_REASONS, file, line)
        postcode, distance = row.get("PL_POST", "").upper(), row.get("PL_DISTANCE", "")
        if postcode and not _POSTCODE.fullmatch(postcode):
            self.report.error(
                file, line, "PL_POST", f"{postcode!r} is not a postcode as the 903 writes it "
                "(the first part and the first digit of the second: T28 2)"
            )  # fmt: skip
        if distance and not _DISTANCE.fullmatch(distance):
            self.report.error(
                file, line, "PL_DISTANCE", f"{distance!r} is not a distance in miles (0 or more)"
            )
            distance = ""
        if not place:
            return None
        if not provider and place in NO_PROVIDER_PLACES:
            provider = NO_PROVIDER
        # The pages' one rule for a placement's details (`placement_problems`), asked of the
        # 903's own columns: a provider (PLACE_PROVIDER) and in or out of area (PL_LOCATION).
        for name, problem in placement_problems(
            EventRecord(
                EventType.PLACEMENT_START,
                None,
                placement_type=PLACE[place],
                provider=PROVIDERS.get(provider, provider),
                area=location.lower(),
                until_18="yes" if place in LONG_TERM else "no",
            )
        ).items():
            if not row.get(PLACEMENT_COLUMNS[name]):
                self.report.error(
                    file,
                    line,
                    PLACEMENT_COLUMNS[name],
                    f"{problem} (the 903's {PLACEMENT_COLUMNS[name]})",
                )
        return placement_details(
            place,
            provider=provider,
            urn=urn,
            postcode=postcode,
            la=la,
            location=location,
            distance=distance,
            reason=reason,
        )

    def episodes_of(self, source: Source) -> None:
        for line, row in rows(source):
            child = self.child(row, source.name, line)
            start = self.date(row, "DECOM", source.name, line)
            end = self.date(row, "DEC", source.name, line)
            began = self.code(row, "RNE", BEGINNINGS, source.name, line)
            ceased = self.code(row, "REC", CEASED, source.name, line)
            placement = self.placement(row, end, source.name, line)
            if child is None or start is None:
                if child is not None and not row.get("DECOM"):
                    self.report.error(source.name, line, "DECOM", "The episode's start is missing")
                continue
            episode = Episode(
                start,
                end,
                source.name,
                line,
                "DECOM",
                "DEC",
                placement=placement,
                moved=(began in MOVED) if began else None,
                reason="" if ceased == "X1" else ceased,  # X1: a new episode the same day
                legal_status=row.get("LS", "").strip(),
                legal_status_field="LS",
                continues=bool(began) and began != "S",
                status_changed=began in ("L", "B"),
            )
            self.episodes.add(child, episode, self.report)

    def reviews(self, source: Source) -> None:
        for line, row in rows(source):
            child = self.child(row, source.name, line)
            held = self.date(row, "REVIEW", source.name, line)
            code = row.get("REVIEW_CODE", "")
            if child is None or held is None:
                if code not in PARTICIPATION:
                    self.report.error(
                        source.name,
                        line,
                        "REVIEW_CODE",
                        f"{code!r} is not a participation code: PN0 to PN7",
                    )
                if child is not None and not row.get("REVIEW"):
                    self.report.error(source.name, line, "REVIEW", "The review's date is missing")
                continue
            self.episodes.review(
                child,
                held,
                code,
                self.report,
                file=source.name,
                line=line,
                date_field="REVIEW",
                code_field="REVIEW_CODE",
            )


def placement_details(
    place: str,
    *,
    provider: str = "",
    urn: str = "",
    postcode: str = "",
    la: str = "",
    location: str = "",
    distance: str = "",
    reason: str = "",
) -> dict[str, Any]:
    """A placement event's details of the 903's cells: the pages' own (`placement_type`,
    `provider`, `place_provider`, `area`, `distance`, `until_18`) and the 903's kept beside them
    (`place`, `urn`, `postcode`, `la`, and on a change `reason`), so that the return writes back
    what it read. The 903 names no carer, home or agency: `provider` is who provides the
    placement, in words (`PROVIDERS`), or `NO_PROVIDER`."""
    details: dict[str, Any] = {
        "place": place,
        "placement_type": PLACE[place],
        "until_18": place in LONG_TERM,
    }
    found = {
        "provider": PROVIDERS.get(provider, provider),
        "place_provider": provider if provider in PROVIDERS else "",
        "urn": urn,
        "postcode": postcode,
        "la": la,
        "area": location.lower(),
        "reason": reason,
    }
    details.update({key: value for key, value in found.items() if value})
    if distance:
        miles = float(distance)
        details["distance"] = int(miles) if miles.is_integer() else miles
    return details


def read(sources: Iterable[Source], *, as_of: dt.date, policy: Policy) -> tuple[Children, Report]:
    """The children of a set of SSDA903 tables and every problem found in them."""
    children, report = Children(), Report()
    reader = _Reader(children, report)
    by_table: dict[str, list[Source]] = {name: [] for name, _ in TABLES}
    for source in readable_csvs(sources, report):
        table = _table(columns(source))
        if table is None:
            report.error(
                source.name,
                "line 1",
                "columns",
                "This is not an SSDA903 table: its first line names no header (CHILD, DOB), "
                "episodes (CHILD, DECOM, DEC) or reviews (CHILD, DOB, REVIEW, REVIEW_CODE)",
            )
            continue
        by_table[table].append(source)
    for source in by_table["header"]:
        reader.header(source)
    for source in by_table["episodes"]:
        reader.episodes_of(source)
    reader.episodes.periods(children, report)
    for source in by_table["reviews"]:
        reader.reviews(source)
    check_children(children, report, as_of=as_of)
    return children, report
