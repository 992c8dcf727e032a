"""Every due date outside the engine comes from its public date API, `oversight.timescales.dates`
(issue 12, item 1): no other module of Oversight reaches into the working-day calendar or the
engine's date primitives, so a deadline shown anywhere is counted the engine's way.

Read from the source with `ast` (nothing is imported), over every module of `oversight/` outside
`oversight/timescales/`. Offences:

- importing `oversight.timescales.calendar` (`WorkingCalendar`, `closed_days`, …) at all;
- importing an engine primitive (`WorkingCalendar`, `add_months`, `add_hours`, `due_ordinal`,
  `closed_days`) from any module of the engine;
- importing a function of the date API from another engine module than `dates` (the engine
  re-exports `calendar_for`: the same function, by a way round that hides the rule);
- calling a calendar's own methods (`.add_working_days(`, `.working_days_between(`,
  `.is_working_day(`), on anything but the `dates` module itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "oversight"
ENGINE = "oversight.timescales"
DATES = "oversight.timescales.dates"

PRIMITIVES = frozenset({"WorkingCalendar", "add_months", "add_hours", "due_ordinal", "closed_days"})
DATE_API = frozenset(
    {
        "bank_holidays_between",
        "calendar_for",
        "due",
        "due_date",
        "is_working_day",
        "working_days_between",
    }
)
CALENDAR_METHODS = frozenset({"add_working_days", "working_days_between", "is_working_day"})


def offences(source: str) -> list[str]:
    """Each way `source` reaches past the public date API, as "line N: what"."""
    found: list[str] = []
    dates_names: set[str] = set()  # names bound to the `dates` module itself
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == f"{ENGINE}.calendar" or alias.name.startswith(
                    f"{ENGINE}.calendar."
                ):
                    found.append(f"line {node.lineno}: imports {alias.name}")
                elif alias.name == DATES and alias.asname:
                    dates_names.add(alias.asname)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            module = node.module
            if module != ENGINE and not module.startswith(f"{ENGINE}."):
                continue
            for alias in node.names:
                name = alias.name
                if module == f"{ENGINE}.calendar" or module.startswith(f"{ENGINE}.calendar."):
                    found.append(f"line {node.lineno}: imports {name} from {module}")
                elif module == ENGINE and name == "calendar":
                    found.append(f"line {node.lineno}: imports {ENGINE}.calendar")
                elif module == ENGINE and name == "dates":
                    dates_names.add(alias.asname or name)
                elif name in PRIMITIVES:
                    found.append(f"line {node.lineno}: imports the engine's {name} from {module}")
                elif name in DATE_API and module != DATES:
                    found.append(f"line {node.lineno}: imports {name} from {module}, not {DATES}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CALENDAR_METHODS
            and not (isinstance(node.func.value, ast.Name) and node.func.value.id in dates_names)
        ):
            found.append(f"line {node.lineno}: calls a calendar's .{node.func.attr}(")
    return sorted(found, key=lambda text: int(text.split(":")[0].split()[1]))


def modules() -> list[str]:
    """Every module of Oversight outside the engine, as a path from the repository root."""
    return sorted(
        path.relative_to(ROOT).as_posix()
        for path in PACKAGE.rglob("*.py")
        if not path.relative_to(PACKAGE).as_posix().startswith("timescales/")
    )


def test_it_reads_every_module_outside_the_engine() -> None:
    found = modules()
    # the walk sees the apps that show deadlines, and never the engine itself
    assert "oversight/cases/actions.py" in found
    assert "oversight/web/views_caseload.py" in found
    assert not any(path.startswith("oversight/timescales/") for path in found)


def test_no_module_outside_the_engine_reaches_past_its_public_date_api() -> None:
    bad = {}
    for path in modules():
        found = offences((ROOT / path).read_text(encoding="utf-8"))
        if found:
            bad[path] = found
    # a due date comes from oversight.timescales.dates (due, due_date, working_days_between, …)
    assert bad == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from oversight.timescales.calendar import closed_days\n", 1),
        ("import oversight.timescales.calendar\n", 1),
        ("from oversight.timescales import calendar\n", 1),
        ("from oversight.timescales.engine import add_months\n", 1),
        ("from oversight.timescales.dates import add_hours\n", 1),
        ("from oversight.timescales.engine import calendar_for\n", 1),
        ("cal = calendar_for(policy)\ncal.add_working_days(day, 1)\n", 1),
        ("cal.working_days_between(start, end)\n", 1),
        # the public API, imported and called as it is meant to be
        ("from oversight.timescales.dates import due_date\ndue_date('1 working day', d, p)\n", 0),
        ("from oversight.timescales import dates\ndates.working_days_between(a, b, p)\n", 0),
        ("from oversight.timescales.engine import evaluate\n", 0),
    ],
)
def test_it_tells_an_offence_from_the_public_api(source: str, expected: int) -> None:
    assert len(offences(source)) == expected, offences(source)
