"""The escalations room takes every date rule from the engine's public date API
(`oversight.timescales.dates`): it imports nothing else of the engine and does no working-day
arithmetic of its own."""

from __future__ import annotations

import ast
from pathlib import Path

ROOM = Path(__file__).resolve().parents[1]


def sources() -> list[Path]:
    return sorted(p for p in ROOM.rglob("*.py") if "tests" not in p.relative_to(ROOM).parts)


def test_it_imports_only_the_engines_public_date_api():
    found = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if name.startswith("oversight.timescales") and name != "oversight.timescales.dates":
                    found.append(f"{path.relative_to(ROOM)}:{node.lineno} imports {name}")
    assert found == []


def test_it_does_no_working_day_arithmetic():
    found = [
        f"{path.relative_to(ROOM)}:{node.lineno}"
        for path in sources()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute | ast.Name)
        and (node.attr if isinstance(node, ast.Attribute) else node.id)
        in {"add_working_days", "add_months", "add_hours", "WorkingCalendar"}
    ]
    assert found == []
