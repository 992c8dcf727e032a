"""Benchmark: importing a council's returns, against the floor of parsing them.

    .venv/bin/python benchmarks/interop.py [--children 100000] [--looked-after 50000]
                                           [--postgres-url postgres://postgres@127.0.0.1:5432]

Generates a CIN census (XML) of `--children` children, each with a section 47 enquiry, its ICPC,
a child protection plan and a review conference, and an SSDA903 set (header, episodes, reviews)
of `--looked-after` children (default half as many), all synthetic. Then, each in a process of its
own (so that each peak memory is its own), times:

- (c) the floor: a bare streaming parse of the census with the same parsers as the importer
  (`defusedxml`'s up to the root element, refusing a document type, then the standard library's
  `iterparse`, each `Child` dropped once parsed), building nothing;
- (a) validation alone: `oversight.interop.cin.read`, every check of the report, nothing written;
- (b) a full import into an empty PostgreSQL database it creates (migrated) and drops:
  `oversight.interop.actions.run_import`, as `oversight import cin` runs it;

and the same (a) and (b) for the 903 set. What a running server has loaded before its first import
(the bank holidays of both calendars, the active pack) is loaded before the clock starts. Each census figure is taken at a tenth of the size too,
to show how time and memory grow with the file. It prints children per second, peak memory and
the ratios a/c and b/c, and how much each peak memory grew while the clock ran (what the process
held before it, Django and the packs, is the same at every size). Targets (issue 16): validation of 100,000 children under 10 s and within
3x the floor (goal 2x); full import under 2 minutes; memory flat as the file grows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

import _council  # the sibling module: benchmarks run as scripts from this folder
from _council import ROOT

AS_OF = dt.date(2026, 12, 3)
CATEGORIES = ("NEG", "PHY", "EMO", "SAB")


def _day(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


def _uk(ordinal: int) -> str:
    return f"{dt.date.fromordinal(ordinal):%d/%m/%Y}"


def write_cin(path: Path, children: int) -> None:
    """A census of `children` children, written as a stream."""
    referral0 = dt.date(2025, 4, 7).toordinal()
    born0 = dt.date(2009, 1, 1).toordinal()
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2026</Year>"
            "<ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails></Header><Children>\n"
        )
        for n in range(children):
            referral = referral0 + n % 180
            start = referral + 7
            icpc = start + 14
            category = CATEGORIES[n % 4]
            out.write(
                f"<Child><ChildIdentifiers><LAchildID>BX{n:07d}</LAchildID>"
                f"<PersonBirthDate>{_day(born0 + n % 5000)}</PersonBirthDate>"
                "<GenderCurrent>1</GenderCurrent></ChildIdentifiers>"
                f"<CINdetails><CINreferralDate>{_day(referral)}</CINreferralDate>"
                "<ReferralSource>1A</ReferralSource><Section47>"
                f"<S47ActualStartDate>{_day(start)}</S47ActualStartDate>"
                f"<DateOfInitialCPC>{_day(icpc)}</DateOfInitialCPC>"
                "<ICPCnotRequired>false</ICPCnotRequired></Section47><ChildProtectionPlans>"
                f"<CPPstartDate>{_day(icpc)}</CPPstartDate>"
                f"<InitialCategoryOfAbuse>{category}</InitialCategoryOfAbuse>"
                f"<LatestCategoryOfAbuse>{category}</LatestCategoryOfAbuse>"
                "<NumberOfPreviousCPP>0</NumberOfPreviousCPP>"
                f"<Reviews><CPPreviewDate>{_day(icpc + 84)}</CPPreviewDate></Reviews>"
                "</ChildProtectionPlans></CINdetails></Child>\n"
            )
        out.write("</Children></Message>\n")


def write_903(folder: Path, children: int) -> list[Path]:
    """An SSDA903 header, episodes and reviews table of `children` looked-after children."""
    born0 = dt.date(2008, 3, 1).toordinal()
    start0 = dt.date(2025, 6, 2).toordinal()
    paths = [folder / "header.csv", folder / "episodes.csv", folder / "reviews.csv"]
    with (
        paths[0].open("w") as header,
        paths[1].open("w") as episodes,
        paths[2].open("w") as reviews,
    ):
        header.write("CHILD,SEX,DOB,ETHNIC,UPN\n")
        episodes.write("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,PL_LOCATION,DEC\n")
        reviews.write("CHILD,DOB,REVIEW,REVIEW_CODE\n")
        for n in range(children):
            born, start = born0 + n % 3000, start0 + n % 150
            child = f"LX{n:07d}"
            header.write(f"{child},1,{_uk(born)},WBRI,UN1\n")
            episodes.write(f"{child},{_uk(start)},S,C2,N1,U1,PR1,IN,\n")
            reviews.write(f"{child},{_uk(born)},{_uk(start + 18)},PN1\n")
            reviews.write(f"{child},{_uk(born)},{_uk(start + 100)},PN4\n")
    return paths


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _measure(mode: str, kind: str, files: list[str]) -> dict[str, float]:
    """In this process: one timing, its children and its peak memory."""
    if mode == "floor":
        from xml.etree.ElementTree import iterparse

        from defusedxml.ElementTree import iterparse as defused_iterparse

        base = _peak_mb()
        started = time.perf_counter()
        children, depth = 0, 0
        with open(files[0], "rb") as prolog:
            next(defused_iterparse(prolog, ("start",), forbid_dtd=True))
        with open(files[0], "rb") as stream:
            for event, element in iterparse(stream, ("start", "end")):  # noqa: S314 (as cin.py)
                if event == "start":
                    depth += 1
                    continue
                depth -= 1
                if element.tag == "Child" and depth == 2:
                    children += 1
                    element.clear()
        seconds = time.perf_counter() - started
        return {
            "seconds": seconds,
            "children": children,
            "mb": _peak_mb(),
            "grew": _peak_mb() - base,
        }
    import django

    django.setup()
    from oversight.interop import actions
    from oversight.interop.records import Source
    from oversight.policies import resolve_policy

    sources = [Source(Path(f).name, Path(f)) for f in files]
    policy = resolve_policy("england")
    # What a server or worker process has loaded before its first import, not timed (the floor's
    # parser is imported before its clock too): the bank holidays, compiled on first use from the
    # `holidays` package, on both calendars, and the active pack.
    from oversight.cases.obligations import active_pack
    from oversight.interop import department
    from oversight.timescales.dates import due_date

    department.due_by(AS_OF, 15)
    due_date("15 working days", AS_OF, policy)
    active_pack()
    base = _peak_mb()
    started = time.perf_counter()
    if mode == "validate":
        found, report = actions.READERS[kind](sources, as_of=AS_OF, policy=policy)
        children, errors = len(found), len(report.errors)
    else:
        summary, report = actions.run_import(
            kind, sources, acting_user=None, as_of=AS_OF, policy=policy
        )
        assert summary.imported, [str(p) for p in report.errors[:5]]
        children, errors = summary.children_added, len(report.errors)
    seconds = time.perf_counter() - started
    assert errors == 0, errors
    found_mb = {
        "seconds": seconds,
        "children": children,
        "mb": _peak_mb(),
        "grew": _peak_mb() - base,
    }
    if mode == "validate":
        # Python's own count of what validation held at its peak, in a second run off the clock
        # (the process's peak above is Django's and the packs' at these sizes).
        tracemalloc.start()
        actions.READERS[kind](sources, as_of=AS_OF, policy=policy)
        found_mb["held"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return found_mb


def _run(mode: str, kind: str, files: list[Path], env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", mode, "--kind", kind, *map(str, files)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return dict(json.loads(done.stdout.splitlines()[-1]))


def _database(postgres_url: str, name: str, env: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [str(ROOT / ".venv/bin/oversight"), "manage", "migrate", "--no-input", "-v", "0"],
        env=env,
        check=True,
        cwd=ROOT,
    )


def _drop(postgres_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=2_000)
    parser.add_argument("--looked-after", type=int, default=None)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--measure", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--kind", default="cin", help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(_measure(args.measure, args.kind, args.files)))
        return 0
    looked_after = args.looked_after if args.looked_after is not None else args.children // 2
    name = f"oversight_bench_interop_{uuid.uuid4().hex[:8]}"
    env = _council.environment(
        f"{args.postgres_url}/{name}", DJANGO_SETTINGS_MODULE="oversight.settings"
    )
    rows: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="oversight-bench-interop-") as folder:
        small, large = Path(folder) / "cin-small.xml", Path(folder) / "cin.xml"
        write_cin(small, max(args.children // 10, 1))
        write_cin(large, args.children)
        tables = write_903(Path(folder), looked_after)
        mb = large.stat().st_size / 1e6
        print(
            f"CIN census of {args.children:,} children ({mb:.1f} MB); SSDA903 set of "
            f"{looked_after:,} looked-after children",
            flush=True,
        )
        for label, path in (("1/10", small), ("all", large)):
            floor = _run("floor", "cin", [path], env)
            rows.append((f"(c) CIN floor: bare streaming parse, {label}", floor))
            rows.append(
                (f"(a) CIN validation alone, {label}", _run("validate", "cin", [path], env))
            )
        rows.append(("(a) 903 validation alone", _run("validate", "903", tables, env)))
        try:
            _database(args.postgres_url, name, env)
            rows.append(
                ("(b) CIN full import, empty PostgreSQL", _run("import", "cin", [large], env))
            )
            _database(args.postgres_url, name, env)
            rows.append(
                ("(b) 903 full import, empty PostgreSQL", _run("import", "903", tables, env))
            )
        finally:
            _drop(args.postgres_url, name)
    _print(rows)
    return 0


def _print(rows: list[tuple[str, dict[str, float]]]) -> None:
    found = dict(rows)
    floor = found["(c) CIN floor: bare streaming parse, all"]["seconds"]
    print(
        f"\n{'what':44} {'children':>9} {'s':>8} {'children/s':>11} {'peak MB':>8} "
        f"{'grew MB':>8} {'held MB':>8} {'x floor':>8}"
    )
    for label, row in rows:
        ratio = f"{row['seconds'] / floor:8.1f}" if label.startswith("(") and "CIN" in label else ""
        held = f"{row['held']:8.1f}" if "held" in row else ""
        print(
            f"{label:44} {int(row['children']):9,} {row['seconds']:8.2f} "
            f"{row['children'] / max(row['seconds'], 1e-9):11,.0f} {row['mb']:8.0f} "
            f"{row['grew']:8.0f} {held:>8} {ratio:>8}"
        )
    validate = found["(a) CIN validation alone, all"]
    imported = found["(b) CIN full import, empty PostgreSQL"]
    small_mb = found["(a) CIN validation alone, 1/10"]["mb"]
    print(
        f"\na/c {validate['seconds'] / floor:.1f}, b/c {imported['seconds'] / floor:.1f}; "
        f"validation's peak memory {small_mb:.0f} MB at a tenth of the file, "
        f"{validate['mb']:.0f} MB for all of it (it grew by "
        f"{found['(a) CIN validation alone, 1/10']['grew']:.0f} MB and {validate['grew']:.0f} MB "
        f"while reading); Python held at most {found['(a) CIN validation alone, 1/10']['held']:.1f}"
        f" MB and {validate['held']:.1f} MB, "
        f"{validate['held'] * 1e6 / validate['children']:,.0f} bytes a child"
    )
    children = validate["children"]
    per_100k = 100_000 / children
    checks = [
        ("validation of 100,000 children under 10 s", validate["seconds"] * per_100k < 10),
        ("validation within 3x the floor", validate["seconds"] / floor <= 3),
        ("validation within 2x the floor (goal)", validate["seconds"] / floor <= 2),
        ("full import of 100,000 children under 2 minutes", imported["seconds"] * per_100k < 120),
        (
            "memory flat as the file grows (within 1.5x at 10x the file)",
            validate["mb"] <= 1.5 * small_mb,
        ),
    ]
    scaled = " (scaled to 100,000 children)" if children != 100_000 else ""
    for what, met in checks:
        print(f"target: {what}{scaled if '100,000' in what else ''}: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    sys.exit(main())
