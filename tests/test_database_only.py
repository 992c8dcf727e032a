"""The PostgreSQL suite's choice (`tests/database_only.py`): with
`OVERSIGHT_TESTS_USING_DATABASE_ONLY=1` a test that reaches no database is left out, and one that
does by any way pytest-django offers stays, under pytest-xdist as `scripts/run-tests` runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

TESTS = """
import pytest
from django.test import TestCase


@pytest.fixture
def council(db):
    return "a council"


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return "built"


def test_pure_arithmetic():
    assert 1 + 1 == 2


def test_pure_settings(settings):
    assert settings.ROOT_URLCONF


def test_asks_for_db(db):
    pass


def test_asks_for_transactional_db(transactional_db):
    pass


@pytest.mark.django_db
def test_marked_django_db():
    pass


def test_through_a_fixture(council):
    assert council == "a council"


def test_through_a_module_fixture(built):
    assert built == "built"


@pytest.mark.postgres
def test_marked_postgres():
    pass


class TestADjangoCase(TestCase):
    def test_in_a_test_case(self):
        pass
"""

KEPT = {
    "test_asks_for_db",
    "test_asks_for_transactional_db",
    "test_marked_django_db",
    "test_through_a_fixture",
    "test_through_a_module_fixture",
    "test_marked_postgres",
    "test_in_a_test_case",
}


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """pytest over the tests above through pytest-xdist, as `scripts/run-tests` runs it (one
    worker is enough; listed only with `--collect-only`, which xdist leaves alone). The tests read
    no table: the test database is made without the migrations, quickly."""
    (tmp_path / "test_choice.py").write_text(TESTS)
    environ = {k: v for k, v in os.environ.items() if k != "OVERSIGHT_TESTS_USING_DATABASE_ONLY"}
    environ |= {
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env,
    }
    return subprocess.run(
        [
            *(
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "tests.database_only",
                "-p",
                "no:cacheprovider",
            ),
            *("--ds=oversight.settings", "--rootdir", str(tmp_path), "--no-migrations", "-v"),
            *(args or ("-n", "1")),
            str(tmp_path / "test_choice.py"),
        ],
        capture_output=True,
        text=True,
        env=environ,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )


def ran(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {
        line.split("::")[-1].split()[0]
        for line in result.stdout.splitlines()
        if "PASSED" in line and "::" in line
    }


@pytest.mark.slow
def test_the_postgresql_suite_runs_only_the_tests_that_use_a_database(tmp_path: Path) -> None:
    result = run(tmp_path, OVERSIGHT_TESTS_USING_DATABASE_ONLY="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ran(result) == KEPT
    assert "2 tests deselected: they use no database" in result.stdout
    assert "test_choice.py 2" in result.stdout


def test_without_the_variable_every_test_is_collected(tmp_path: Path) -> None:
    result = run(tmp_path, "--collect-only")
    assert result.returncode == 0, result.stdout + result.stderr
    collected = set(re.findall(r"<\w*Function (\w+)>", result.stdout))
    assert collected == KEPT | {"test_pure_arithmetic", "test_pure_settings"}
    assert "deselected" not in result.stdout
