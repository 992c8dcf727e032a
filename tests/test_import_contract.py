"""The floors of Oversight, checked over every import of the code that ships.

Each part (a package under `oversight/`) stands on one floor and may import only the parts on the
floors below it, never one beside or above it:

    0  timescales                 pure Python: nothing of Oversight (nor Django)
    1  policies                   the packs: only `timescales`
    2  audit                      who saw or changed which child: nothing of Oversight; a child is
                                  whatever has a `pk` and a `reference` (`audit.actions.ChildRecord`)
    2  uploads                    what an uploaded file is by its content, and the virus scanner:
                                  nothing of Oversight
    2  cache                      what the pages remember and the data version that keeps it true:
                                  nothing of Oversight (the models it watches are named by label)
    3  cases                      children, staff, the chronology, access: audit, policies and the
                                  engine (it reads the active pack to derive obligations), and the cache
    4  notifications              the outbox: the people and children of `cases`; its
                                  `oversight nightly` command recomputes `cases`' obligations
                                  and tells the managers of the pack's documents past review
    5  meetings, escalations      each on `cases` and `notifications`, never on each other
    6  fostering                  foster carer households, their reviews and concerns: the
                                  children placed with them (`cases`), each step's emails and
                                  reminders (`notifications`, and `escalations`' record of a
                                  reminder sent and its days)
    7  reports, interop           read or import what is below (`reports` counts the carers'
                                  reviews and concerns beside the children's figures)
    7  complaints                 the complaints log: a concern raised from a complaint
                                  (`escalations`) and the conference complained about
                                  (`meetings`); its `oversight reminders` command calls the
                                  concerns', the complaints' and the carers' reminders
    8  api                        the JSON API, on the actions and access functions below
    9  web                        the pages and the shell around them

`fostering` stands below `reports` and `complaints`, not beside them: it needs nothing of either,
while the annual report counts its reviews and concerns and the one reminders command reminds of
its concerns' responses. Reading carer data "another way" (raw SQL on its tables, or a registry
each part fills in) would hide that dependency from this very test; a floor says it.

The project's own modules (`oversight/cli.py`, `demo.py`, `settings.py`, `urls.py`, `wsgi.py`,
`env.py`) sit above every part, as the place that puts the parts together (the demo command calls
each part's demo builder); no part imports them. Every import counts wherever it is written: at the
top of a module, inside a function, under `TYPE_CHECKING`. Tests (`tests/` folders, `conftest.py`)
are not held to the floors: they drive the whole project, as a person or a program would.

No two modules import each other, directly or round a loop, within a part as between parts (an
import put inside a function to dodge the loop counts): what both need goes into a third module
below them (as `cases/state.py` below `cases/actions.py` and `cases/allocations.py`).

A new part must be given its floor here (the test of the parts fails until it is).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "oversight"

FLOORS = {
    "timescales": 0,
    "policies": 1,
    "audit": 2,
    "cache": 2,
    "uploads": 2,
    "cases": 3,
    "notifications": 4,
    "meetings": 5,
    "escalations": 5,
    "fostering": 6,
    "reports": 7,
    "interop": 7,
    "complaints": 7,
    "api": 8,
    "web": 9,
}

# Parts that run where the app was never configured (`oversight timescales`, other programs).
PURE = {"timescales"}


@dataclass(frozen=True)
class Offence:
    module: str  # the importing module, "oversight.cases.actions"
    line: int
    imported: str  # the module imported, as written once resolved: "oversight.web.views"
    why: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.imported}: {self.why}"


def imports_of(source: str, module: str) -> list[tuple[int, str]]:
    """(line, module) for every import in `source` — module level, in functions, in classes,
    under `if TYPE_CHECKING:` — with relative imports resolved against `module`. `from a import b`
    gives "a.b" (b may be a module or a name in a: the part is the same either way)."""
    package = module.split(".")
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                # `module` is a file's module: level 1 is its package, each further level up one.
                parent = ".".join(package[: len(package) - node.level])
                base = f"{parent}.{base}" if base else parent
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return found


def part_of(module: str) -> str | None:
    """The part a module belongs to ("cases" for "oversight.cases.models"); None for a module
    outside Oversight; "" for one of the project's own modules ("oversight.settings")."""
    names = module.split(".")
    if names[0] != "oversight":
        return None
    if len(names) < 2 or (PACKAGE / names[1]).with_suffix(".py").exists():
        return ""
    return names[1]


def offences(source: str, module: str) -> list[Offence]:
    """Every import in `source` (the text of `module`) that breaks the floors."""
    own = part_of(module)
    if not own:  # the project's own modules may put any parts together
        return []
    found = []
    for line, imported in imports_of(source, module):
        part = part_of(imported)
        if own in PURE and imported.split(".")[0] == "django":
            found.append(Offence(module, line, imported, f"{own} is pure Python: never Django"))
            continue
        if part is None or part == own:
            continue
        if part == "":
            why = "a part imports the project's own modules, which put the parts together"
        elif part not in FLOORS:
            why = f"{part!r} has no floor in FLOORS"
        elif own not in FLOORS:
            why = f"{own!r} has no floor in FLOORS"
        elif FLOORS[part] >= FLOORS[own]:
            beside = "beside" if FLOORS[part] == FLOORS[own] else "above"
            why = f"{part} (floor {FLOORS[part]}) is {beside} {own} (floor {FLOORS[own]})"
        else:
            continue
        found.append(Offence(module, line, imported, why))
    return found


def shipped_modules() -> dict[str, Path]:
    """Module name ("oversight.cases.actions", "oversight.cases.__init__") → file, for every
    module of `oversight/` but the tests."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        if "tests" in relative.parts or relative.name == "conftest":
            continue
        # A package's own file keeps its "__init__", so its relative imports start from it.
        found[".".join(relative.parts)] = path
    return found


def all_offences() -> list[Offence]:
    found = []
    for module, path in shipped_modules().items():
        found.extend(offences(path.read_text(encoding="utf-8"), module))
    return found


# --- The code follows the floors --------------------------------------------------------------


def test_it_finds_no_import_that_goes_the_wrong_way():
    wrong = [str(o) for o in all_offences()]
    assert wrong == [], "\n".join(wrong)


def module_graph(modules: dict[str, str]) -> dict[str, set[str]]:
    """Module → the modules of `modules` (name → source) it imports; "a.b.Name" is module a.b."""
    packages = {name.removesuffix(".__init__"): name for name in modules}

    def module_named(imported: str) -> str | None:
        names = imported.split(".")
        while names and ".".join(names) not in packages:
            names.pop()
        return packages[".".join(names)] if names else None

    graph: dict[str, set[str]] = {}
    for name, source in modules.items():
        found = {module_named(imported) for _, imported in imports_of(source, name)}
        graph[name] = {m for m in found if m is not None and m != name}
    return graph


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each set of modules that import one another round a loop (a strongly connected component
    of more than one module, Tarjan's algorithm), its names sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while not component or component[-1] != module:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_two_modules_import_each_other_round_a_loop():
    sources = {m: p.read_text(encoding="utf-8") for m, p in shipped_modules().items()}
    assert loops(module_graph(sources)) == []


def test_every_part_has_its_floor():
    parts = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert parts - FLOORS.keys() == set(), "give each new part its floor in FLOORS"


# --- The checker itself, on sources of its own ------------------------------------------------


def test_it_catches_a_lower_part_importing_a_higher_one_at_the_top():
    source = "from oversight.escalations.demo import adopt_demo_concerns\n"
    (found,) = offences(source, "oversight.cases.management.commands.demo")
    assert found.line == 1
    assert found.imported == "oversight.escalations.demo.adopt_demo_concerns"
    assert found.why == "escalations (floor 5) is above cases (floor 3)"


def test_it_catches_an_import_hidden_in_a_function_or_under_type_checking():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from oversight.cases.models import Child\n"
        "def opened():\n"
        "    import oversight.web.views\n"
    )
    found = offences(source, "oversight.audit.actions")
    assert [(o.line, o.imported) for o in found] == [
        (3, "oversight.cases.models.Child"),
        (5, "oversight.web.views"),
    ]


def test_it_catches_a_part_beside_another_and_a_relative_import_up_and_across():
    source = "from ..meetings import models\nfrom .. import settings\n"
    found = offences(source, "oversight.escalations.actions")
    assert [(o.imported, o.why) for o in found] == [
        ("oversight.meetings.models", "meetings (floor 5) is beside escalations (floor 5)"),
        (
            "oversight.settings",
            "a part imports the project's own modules, which put the parts together",
        ),
    ]


def test_it_keeps_django_out_of_the_engine():
    source = "import json\nfrom django.utils import timezone\n"
    assert [(o.imported, o.why) for o in offences(source, "oversight.timescales.engine")] == [
        ("django.utils.timezone", "timescales is pure Python: never Django")
    ]


def test_it_lets_a_part_import_itself_lower_parts_and_other_libraries():
    source = (
        "import datetime\n"
        "from django.db import models\n"
        "from . import constants\n"
        "from oversight.cases.models import Child\n"
        "from oversight.policies import load_pack\n"
        "from oversight.timescales.dates import due\n"
    )
    assert offences(source, "oversight.meetings.actions") == []
    assert offences("from oversight.web import views\n", "oversight.demo") == []


def test_it_finds_a_loop_hidden_behind_an_import_in_a_function():
    sources = {
        "oversight.cases.__init__": "",
        "oversight.cases.actions": "def prompt():\n    from oversight.cases.allocations import x\n",
        "oversight.cases.allocations": "from oversight.cases import actions\n",
        "oversight.cases.state": "from oversight.cases.models import Child\n",
        "oversight.cases.models": "",
    }
    graph = module_graph(sources)
    assert graph["oversight.cases.allocations"] == {"oversight.cases.actions"}
    assert loops(graph) == [["oversight.cases.actions", "oversight.cases.allocations"]]
    # the untangled shape: both on a third module below them
    sources["oversight.cases.actions"] = "from oversight.cases.state import plan_icpc\n"
    assert loops(module_graph(sources)) == []


@pytest.mark.parametrize(
    ("module", "part"),
    [
        ("oversight.cases.models", "cases"),
        ("oversight.cli", ""),
        ("oversight", ""),
        ("django.db", None),
    ],
)
def test_it_knows_each_modules_part(module, part):
    assert part_of(module) == part
