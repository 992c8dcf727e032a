"""Small hand-made files for the importers' tests, and the paths of the copied samples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from oversight.interop import cin, events, ssd, ssda903
from oversight.interop.problems import Report
from oversight.interop.records import Children, Source
from oversight.policies import resolve_policy

DATA = Path(__file__).parent / "data"
# "Today" in these tests: Thu 3 December 2026.
THURSDAY_3_DECEMBER_2026 = dt.date(2026, 12, 3)


def source(path: Path) -> Source:
    return Source(path.name, path)


def data(name: str) -> Source:
    return source(DATA / name)


def read_cin(*sources: Source) -> tuple[Children, Report]:
    return cin.read(sources, as_of=THURSDAY_3_DECEMBER_2026, policy=resolve_policy("england"))


def read_903(*sources: Source) -> tuple[Children, Report]:
    return ssda903.read(sources, as_of=THURSDAY_3_DECEMBER_2026, policy=resolve_policy("england"))


def cin_file(tmp_path: Path, *parts: str, year: str = "2022", name: str = "cin.xml") -> Source:
    """A census `Message` of one `Child` made of `parts`."""
    return cin_children(tmp_path, "".join(parts), year=year, name=name)


def cin_children(
    tmp_path: Path, *children: str, year: str = "2022", name: str = "cin.xml"
) -> Source:
    """A census `Message` of the given `Child` elements' insides."""
    body = "".join(f"<Child>{child}</Child>" for child in children)
    path = tmp_path / name
    path.write_text(
        "<Message><Header><CollectionDetails><Collection>CIN</Collection>"
        f"<Year>{year}</Year></CollectionDetails></Header><Children>{body}</Children></Message>"
    )
    return source(path)


def identifiers(
    reference: str = "DfEX3000001", born: str = "2016-04-12", upn: str = "D820100026001"
) -> str:
    upn_element = f"<UPN>{upn}</UPN>" if upn else ""
    return (
        f"<ChildIdentifiers><LAchildID>{reference}</LAchildID>{upn_element}"
        f"<PersonBirthDate>{born}</PersonBirthDate><GenderCurrent>1</GenderCurrent>"
        "</ChildIdentifiers>"
    )


def episode(*parts: str, referral: str = "2026-01-05", closure: str = "") -> str:
    closed = f"<CINclosureDate>{closure}</CINclosureDate>" if closure else ""
    return (
        f"<CINdetails><CINreferralDate>{referral}</CINreferralDate>{closed}"
        f"{''.join(parts)}</CINdetails>"
    )


def section47(start: str, icpc: str = "", not_required: str = "false") -> str:
    held = f"<DateOfInitialCPC>{icpc}</DateOfInitialCPC>" if icpc else ""
    return (
        f"<Section47><S47ActualStartDate>{start}</S47ActualStartDate>{held}"
        f"<ICPCnotRequired>{not_required}</ICPCnotRequired></Section47>"
    )


def plan(start: str, end: str = "", reviews: tuple[str, ...] = (), category: str = "NEG") -> str:
    ended = f"<CPPendDate>{end}</CPPendDate>" if end else ""
    held = "".join(f"<CPPreviewDate>{r}</CPPreviewDate>" for r in reviews)
    return (
        f"<ChildProtectionPlans><CPPstartDate>{start}</CPPstartDate>{ended}"
        f"<InitialCategoryOfAbuse>{category}</InitialCategoryOfAbuse>"
        f"<LatestCategoryOfAbuse>{category}</LatestCategoryOfAbuse>"
        f"<NumberOfPreviousCPP>0</NumberOfPreviousCPP>"
        f"{f'<Reviews>{held}</Reviews>' if held else ''}</ChildProtectionPlans>"
    )


def csv_file(tmp_path: Path, name: str, *lines: str) -> Source:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return source(path)


def reasons(report: Report) -> list[tuple[str, str, str, str]]:
    """(severity, where, field, reason) of every problem, in order."""
    return [(str(p.severity), p.where, p.field, p.reason) for p in report.problems]


def read_ssd(*sources: Source) -> tuple[Children, Report]:
    return ssd.read(sources, as_of=THURSDAY_3_DECEMBER_2026, policy=resolve_policy("england"))


def ssd_tables() -> list[Source]:
    """The hand-made Standard Safeguarding Dataset tables (data/ssd/), every one."""
    return [source(path) for path in sorted((DATA / "ssd").glob("*.csv"))]


def read_events(*sources: Source) -> tuple[Children, Report]:
    return events.read(sources, as_of=THURSDAY_3_DECEMBER_2026, policy=resolve_policy("england"))
