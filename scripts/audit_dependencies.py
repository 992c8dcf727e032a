"""`make audit`: the locked dependencies against the public vulnerability databases — Python's
lock file (uv.lock, exported) through pip-audit, the npm lock file through `npm audit`.

Each ends with one line: ok, vulnerable (the advisories listed), or NOT AUDITED when the service
could not answer (offline, a mirror without the audit endpoint, a package it does not know):
pip-audit itself exits 0 when it skipped every package, so its JSON is read, not its status.

Exit status: 0 every dependency audited and none vulnerable; 1 a vulnerability; 2 something
could not be audited (never a pass)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OK, VULNERABLE, NOT_AUDITED = 0, 1, 2


def run(argv: list[str], timeout: int = 300) -> subprocess.CompletedProcess[str] | str:
    try:
        return subprocess.run(
            argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except FileNotFoundError:
        return f"{argv[0]} is not installed"
    except subprocess.TimeoutExpired:
        return f"{argv[0]} did not answer within {timeout} s"


def python_packages() -> tuple[int, str]:
    with tempfile.NamedTemporaryFile("w+", suffix=".txt") as requirements:
        export = run(
            [str(ROOT / ".venv/bin/uv"), "export", "--frozen", "--no-hashes", "--no-emit-project",
             "--format", "requirements-txt", "--quiet", "--output-file", requirements.name]
        )  # fmt: skip
        if isinstance(export, str) or export.returncode != 0:
            return (
                NOT_AUDITED,
                f"uv export failed: {export if isinstance(export, str) else export.stderr.strip()}",
            )
        done = run(
            [str(ROOT / ".venv/bin/pip-audit"), "--requirement", requirements.name,
             "--disable-pip", "--no-deps", "--progress-spinner", "off", "--format", "json"]
        )  # fmt: skip
    if isinstance(done, str):
        return NOT_AUDITED, done
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return NOT_AUDITED, f"pip-audit gave no report: {done.stderr.strip()[-500:]}"
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    vulnerable = [
        f"{d['name']} {d['version']}: {', '.join(v['id'] for v in d['vulns'])}"
        for d in deps
        if d.get("vulns")
    ]
    if vulnerable:
        return VULNERABLE, "vulnerable: " + "; ".join(vulnerable)
    if skipped or not deps:
        reason = skipped[0]["skip_reason"] if skipped else "no dependencies in the report"
        return NOT_AUDITED, f"{len(skipped)} of {len(deps)} packages not audited ({reason})"
    return OK, f"{len(deps)} packages audited, none vulnerable"


def npm_packages() -> tuple[int, str]:
    done = run(["npm", "audit", "--package-lock-only", "--json"])
    if isinstance(done, str):
        return NOT_AUDITED, done
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return NOT_AUDITED, f"npm audit gave no report: {done.stderr.strip()[-500:]}"
    if "error" in report or "metadata" not in report:
        message = report.get("message") or report.get("error", {}).get("summary", "no answer")
        return NOT_AUDITED, f"the npm registry could not audit: {message}"
    counts = report["metadata"].get("vulnerabilities", {})
    found = {level: n for level, n in counts.items() if level != "total" and n}
    if found:
        names = ", ".join(sorted(report.get("vulnerabilities", {})))
        return VULNERABLE, f"vulnerable ({found}): {names}"
    total = report["metadata"].get("dependencies", {}).get("total", "every")
    return OK, f"{total} packages audited, none vulnerable"


def main() -> int:
    worst = OK
    for name, audit in (
        ("python (uv.lock)", python_packages),
        ("npm (package-lock.json)", npm_packages),
    ):
        status, line = audit()
        label = {OK: "ok", VULNERABLE: "VULNERABLE", NOT_AUDITED: "NOT AUDITED"}[status]
        print(f"{label:<12} {name}: {line}")
        worst = max(worst, status)
    return worst


if __name__ == "__main__":
    sys.exit(main())
