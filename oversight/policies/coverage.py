"""Seed headings and coverage tables: which pack key carries each section of a seed.

A coverage table (`packs/NAME.coverage.md`) names its seed file and has one row per heading of
the seed: `| heading | pack key, or "not a rule" | why |`, and optionally a fourth cell naming
the tests that show the row working (`test_it_…`, several separated by `; `; "—" where none is
named yet): every table has it (`without_tests_column`). `headings()` finds a seed's headings
the same way for every seed, so a test can tell when a table misses one.
"""

from __future__ import annotations

import re
from pathlib import Path

SEEDS = Path(__file__).parent / "seeds"
PACKS = Path(__file__).parent / "packs"
_BULLET = re.compile(r"^[-•*<\[|(]|^\d+\s*$")
_SEED = re.compile(r"^seed:\s*`?([\w.]+\.txt)`?\s*$", re.MULTILINE)
NOT_A_RULE = "not a rule"


def clean(line: str) -> str:
    text = line.strip().lstrip("#").strip()
    text = text.replace("**", "").replace("*", "").strip()
    return " ".join(text.split())


def headings(text: str) -> list[str]:
    """Short stand-alone lines (a blank line before and after, no sentence ending), markdown
    headings and numbered section titles; each once, in order."""
    lines = text.splitlines()
    found: list[str] = []
    for index, line in enumerate(lines):
        raw = line.strip()
        title = clean(line)
        if not title or "\t" in line or not re.search(r"[A-Za-z]", title):
            continue
        marked = raw.startswith("#") or (raw.startswith("**") and raw.endswith("**"))
        before = index == 0 or not lines[index - 1].strip()
        after = index + 1 == len(lines) or not lines[index + 1].strip()
        plain = (
            before
            and after
            and len(title) <= 130
            and not _BULLET.match(raw)
            and not title.endswith((".", ",", ";", ")"))
            and not title.startswith("http")
        )
        if (marked or plain) and title not in found:
            found.append(title)
    return found


def _cells(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or set(line) <= set("|-: "):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) in (3, 4) and cells[0] != "Seed section":
            rows.append(cells)
    return rows


def table(path: Path) -> tuple[str, list[tuple[str, str, str]]]:
    """The coverage file's seed file name and rows (heading, pack key, why)."""
    seed = _SEED.search(path.read_text(encoding="utf-8"))
    rows = [(c[0].strip("`"), c[1].strip("`"), c[2]) for c in _cells(path)]
    return (seed[1] if seed else ""), rows


def without_tests_column(path: Path) -> list[str]:
    """The headings of the coverage file's rows that have no fourth cell (the Test column)."""
    return [cells[0] for cells in _cells(path) if len(cells) != 4]


def named_tests(path: Path) -> list[str]:
    """The test functions the coverage file's fourth column names, each once, in order."""
    found: list[str] = []
    for cells in _cells(path):
        # `test_file.py::test_it_…` names its file too: the function is what must exist
        for name in re.findall(r"\btest_\w+\b(?!\.py)", cells[3] if len(cells) == 4 else ""):
            if name not in found:
                found.append(name)
    return found


_TOKEN = re.compile(r'\.?(?:"([^"]+)"|([A-Za-z_][\w-]*))|\[(\d+)\]')


def lookup(raw: object, path: str) -> bool:
    """Whether key path `path` (`ladders.default.stages[0]`, `timescales."cp.visit"`) is in
    `raw`."""
    here = raw
    position = 0
    while position < len(path):
        match = _TOKEN.match(path, position)
        if match is None:
            return False
        position = match.end()
        if match[3] is not None:
            index = int(match[3])
            if not isinstance(here, list) or index >= len(here):
                return False
            here = here[index]
        else:
            key = match[1] or match[2]
            if not isinstance(here, dict) or key not in here:
                return False
            here = here[key]
    return True
