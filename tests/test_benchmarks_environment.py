"""`make bench` builds and serves the demo council in `benchmarks/_council.environment`: the
settings load there and `oversight serve`'s deployment check passes, so a benchmark never stops
at its first command (they all did once OVERSIGHT_BASE_URL became required with DEBUG off)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OVERSIGHT = str(Path(sys.executable).parent / "oversight")
sys.path.insert(0, str(ROOT / "benchmarks"))

import _council  # noqa: E402  the benchmarks' sibling module, as they import it


@pytest.mark.slow
def test_the_benchmarks_environment_passes_the_deployment_check(tmp_path: Path) -> None:
    env = _council.environment(f"sqlite:///{tmp_path / 'bench.sqlite3'}")
    assert env["DEBUG"] == "false"
    checked = subprocess.run(
        [OVERSIGHT, "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout


def test_each_run_has_a_strong_secret_of_its_own() -> None:
    secret = _council.environment("sqlite://")["SECRET_KEY"]
    assert len(secret) >= 50 and len(set(secret)) >= 5
    assert secret != "benchmark-only"


def test_a_council_template_is_named_by_the_code_that_builds_it(tmp_path: Path, monkeypatch):
    """A change to the code, its packs or its migrations makes a new template; a change to a test
    or a built asset does not (neither builds the council)."""
    code = tmp_path / "oversight"
    for path in ("cases/demo.py", "cases/tests/test_demo.py", "web/static/app.css"):
        (code / path).parent.mkdir(parents=True, exist_ok=True)
        (code / path).write_text("first\n")
    monkeypatch.setattr(_council, "ROOT", tmp_path)
    first = _council._code_hash()
    (code / "cases/tests/test_demo.py").write_text("changed\n")
    (code / "web/static/app.css").write_text("changed\n")
    assert _council._code_hash() == first  # a test and an asset build nothing
    (code / "cases/demo.py").write_text("changed\n")
    assert _council._code_hash() != first  # the demo's code builds the council
