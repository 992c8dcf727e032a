"""Shared fixtures: fast password hashing, a small council of personas around two children, and
the browser tests' chromium and page.

Personas (as the style guide asks): an IRO on the case and their team manager, an IRO of another
team who must be refused, a social worker on the case and one who is not, a team manager, a duty
IRO, and an auditor and an administrator who see no children yet."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pytest

from oversight.cases.constants import EventType, Role, TeamKind

if TYPE_CHECKING:
    from oversight.cases.models import Child, StaffMember, Team

# The PostgreSQL suite's choice of tests (tests/database_only.py).
pytest_plugins = ["tests.database_only"]

PASSWORD = "correct-horse-battery"  # noqa: S105 - a test password for every persona


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # MD5 makes the personas quick to create; PBKDF2 stays listed so that passwords hashed
    # outside a test function (a module-scoped fixture) still check.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _sessions_outlast_the_clock(settings: Any) -> None:
    # Tests move a fixed clock hours or days on with one signed-in client; the session limits
    # (oversight.web.session_limits) are tested on their own, with the project's values.
    settings.OVERSIGHT_SESSION_IDLE_MINUTES = 366 * 24 * 60
    settings.OVERSIGHT_SESSION_MAX_HOURS = 366 * 24
    settings.SESSION_COOKIE_AGE = 366 * 24 * 3600


@pytest.fixture(autouse=True)
def _own_page_caches(settings: Any) -> None:
    # Each test its own data version (oversight.cache.data_version), in memory: not the host's
    # shared version file, which tests running beside a server would keep bumping; and nothing
    # remembered from another test.
    settings.CACHES = {
        **settings.CACHES,
        "page_versions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-page-versions",
        },
        "sessions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-sessions",
        },
    }
    from django.core.cache import caches

    from oversight.cache import data_version

    caches["page_versions"].clear()
    caches["sessions"].clear()
    data_version.forget()


@pytest.fixture(autouse=True)
def _two_factor_given(request: Any, monkeypatch: Any) -> None:
    # A signed-in test session has given its two-factor code (an administrator persona would
    # otherwise be sent to set up an app first); the tests marked `two_factor` ask for it.
    if request.node.get_closest_marker("two_factor") is None:
        monkeypatch.setattr("oversight.web.two_factor.owed_page", lambda request: None)


@dataclass
class Council:
    child: Child  # allocated to `iro` and `social_worker`
    other_child: Child  # allocated to `other_iro` and `other_social_worker`
    iro: StaffMember
    iro_team_manager: StaffMember
    other_iro: StaffMember
    duty_iro: StaffMember
    social_worker: StaffMember
    other_social_worker: StaffMember
    team_manager: StaffMember
    auditor: StaffMember
    administrator: StaffMember
    password: str = PASSWORD  # every persona's


@pytest.fixture
def council(db: None) -> Council:
    from oversight.cases.factories import (
        allocate,
        make_child,
        make_sibling_group,
        make_staff,
        make_team,
    )
    from oversight.cases.factories import record_event as event

    iro_a = make_team("IRO team A", TeamKind.IRO)
    iro_b = make_team("IRO team B", TeamKind.IRO)
    sw_1 = make_team("Social work team 1", TeamKind.SOCIAL_WORK)
    sw_2 = make_team("Social work team 2", TeamKind.SOCIAL_WORK)
    management = make_team("Management", TeamKind.MANAGEMENT)

    def staff(first: str, last: str, role: str, team: Team, **kw: Any) -> StaffMember:
        return make_staff([role], team, first_name=first, last_name=last, password=PASSWORD, **kw)

    iro_team_manager = staff("Wren", "Ashdown", Role.IRO_TEAM_MANAGER, iro_a)
    iro = staff("Isla", "Brightwell", Role.IRO, iro_a, line_manager=iro_team_manager)
    other_iro = staff("Owen", "Carrow", Role.IRO, iro_b)
    duty_iro = staff("Dev", "Dunmore", Role.DUTY_IRO, iro_b)
    team_manager = staff("Tara", "Elsworth", Role.TEAM_MANAGER, sw_1)
    social_worker = staff("Sami", "Fairholm", Role.SOCIAL_WORKER, sw_1, line_manager=team_manager)
    other_social_worker = staff("Nia", "Greyling", Role.SOCIAL_WORKER, sw_2)
    auditor = staff("Ada", "Hartsell", Role.AUDITOR, management)
    administrator = staff("Kai", "Ingleby", Role.ADMINISTRATOR, management)

    siblings = make_sibling_group("SG-ROSE")
    child = make_child(
        reference="C1000001",
        first_name="Poppy",
        last_name="Larkfield",
        date_of_birth=dt.date(2016, 3, 14),
        nhs_number="9990000018",
        sibling_group=siblings,
    )
    make_child(
        reference="C1000002",
        first_name="Alfie",
        last_name="Larkfield",
        date_of_birth=dt.date(2019, 7, 2),
        sibling_group=siblings,
    )
    other_child = make_child(
        reference="C2000001",
        first_name="Milo",
        last_name="Oakridge",
        date_of_birth=dt.date(2012, 5, 9),
    )
    start = dt.date(2025, 9, 1)
    allocate(child, iro, Role.IRO, start)
    allocate(child, social_worker, Role.SOCIAL_WORKER, start)
    allocate(other_child, other_iro, Role.IRO, start)
    allocate(other_child, other_social_worker, Role.SOCIAL_WORKER, start)

    event(child, EventType.STRATEGY_DISCUSSION, dt.date(2025, 9, 1))
    event(child, EventType.ICPC, dt.date(2025, 9, 19), outcome="plan")
    event(child, EventType.CORE_GROUP, dt.date(2025, 9, 29))
    event(child, EventType.RCPC, dt.date(2026, 3, 12), outcome="continue")
    event(other_child, EventType.LAC_START, dt.date(2025, 10, 6))
    return Council(
        child=child,
        other_child=other_child,
        iro=iro,
        iro_team_manager=iro_team_manager,
        other_iro=other_iro,
        duty_iro=duty_iro,
        social_worker=social_worker,
        other_social_worker=other_social_worker,
        team_manager=team_manager,
        auditor=auditor,
        administrator=administrator,
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked `slow` first, the rest in their order (a stable sort), before
    pytest-django's own stable sort puts the tests that empty the database (transaction=True)
    after the others: a flush takes the data migrations' rows (the themes). pytest-xdist hands
    each worker a run of tests and then one more as each finishes: a test of minutes begun first
    runs while the other worker takes the short ones, where begun last it ran alone at the end
    (the browser suite's persona tour: 4 minutes of a busy machine, a core idle)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_configure(config: pytest.Config) -> None:
    # The pages are served from the app's static folders by whitenoise's finders in tests;
    # STATIC_ROOT is filled only by `collectstatic` for production.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(autouse=True)
def _initial_themes_for_live_servers(request: pytest.FixtureRequest) -> None:
    """A test against a live server runs on a database that is emptied after each test (the
    server needs committed rows), which takes the data migration's themes with it: a later such
    test in the same process would offer no theme to tick. The migration's own seed, again."""
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("live_server")
    from importlib import import_module

    from django.apps import apps

    import_module("oversight.escalations.migrations.0002_initial_themes").seed(apps, None)


# --- The browser tests' chromium (Debian's, through Playwright) ---------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _one_chromium_per(fixture_name: str, config: pytest.Config) -> Literal["session", "module"]:
    """One chromium per worker in the browser suite (`-m browser`: every test there drives it),
    not one per module (35 launches, 5-10 s each on a busy machine); one per module where a few
    browser tests run among others (the PostgreSQL suite's `both_databases` module), so that
    Playwright's loop in this thread and DJANGO_ALLOW_ASYNC_UNSAFE end with that module and the
    tests after it keep Django's guard against database access from async code."""
    return "session" if config.option.markexpr == "browser" else "module"


@pytest.fixture(scope=_one_chromium_per)
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run `make test` as root, or `apt-get install chromium`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        # Set for as long as Playwright's loop runs, the database flush after the last test included.
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies, no storage) on the live server for each test."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
