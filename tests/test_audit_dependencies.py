"""`make audit` (scripts/audit_dependencies.py) judges what the auditors say: a package the
service could not audit is NOT AUDITED (exit 2), never a pass, though pip-audit exits 0."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
assert spec is not None and spec.loader is not None
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def answers(monkeypatch, pip_audit: dict | None = None, npm: dict | None = None) -> None:
    def run(argv, timeout=300):
        tool = Path(argv[0]).name
        out = {"uv": "", "pip-audit": json.dumps(pip_audit), "npm": json.dumps(npm)}[tool]
        return subprocess.CompletedProcess(argv, 0, out, "")

    monkeypatch.setattr(audit, "run", run)


def test_a_package_the_service_could_not_find_is_not_audited(monkeypatch):
    skipped = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}
    answers(monkeypatch, pip_audit=skipped)
    status, line = audit.python_packages()
    assert status == audit.NOT_AUDITED
    assert line == "1 of 1 packages not audited (Dependency not found on PyPI)"


def test_a_vulnerable_package_is_named_with_its_advisory(monkeypatch):
    found = {
        "dependencies": [
            {"name": "django", "version": "6.0.0", "vulns": [{"id": "PYSEC-2026-1"}]},
            {"name": "orjson", "version": "3.13.0", "vulns": []},
        ]
    }
    answers(monkeypatch, pip_audit=found)
    assert audit.python_packages() == (audit.VULNERABLE, "vulnerable: django 6.0.0: PYSEC-2026-1")


def test_every_package_audited_and_none_vulnerable_passes(monkeypatch):
    clean = {"dependencies": [{"name": "django", "version": "6.0.0", "vulns": []}]}
    answers(monkeypatch, pip_audit=clean)
    assert audit.python_packages() == (audit.OK, "1 packages audited, none vulnerable")


@pytest.mark.parametrize(
    ("npm", "expected"),
    [
        ({"message": "405 Method Not Allowed", "error": {}}, audit.NOT_AUDITED),
        (
            {
                "metadata": {"vulnerabilities": {"high": 1, "total": 1}},
                "vulnerabilities": {"sass": {}},
            },
            audit.VULNERABLE,
        ),
        ({"metadata": {"vulnerabilities": {"total": 0}, "dependencies": {"total": 12}}}, audit.OK),
    ],
)
def test_npm_audit_is_judged_by_its_report(monkeypatch, npm, expected):
    answers(monkeypatch, npm=npm)
    assert audit.npm_packages()[0] == expected
