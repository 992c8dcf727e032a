"""A one-off command's standard output is its answer (an export, a report, a shell's output), so
its logs go to standard error; the service's (serve, the worker) go to standard output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAY = "import logging; logging.getLogger('oversight').warning('hello'); print('the answer')"


def run(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "OVERSIGHT_LOGS"} | extra_env
    return subprocess.run(
        [sys.executable, "-m", "oversight.cli", "manage", "shell", "--no-imports", "-c", SAY],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def test_a_one_off_commands_logs_go_to_standard_error(tmp_path):
    done = run({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    assert done.stdout == "the answer\n"  # nothing but the command's own output
    (line,) = [json.loads(x) for x in done.stderr.splitlines() if x.startswith("{")]
    assert (line["level"], line["logger"], line["message"]) == ("WARNING", "oversight", "hello")


def test_the_service_logs_to_standard_output(tmp_path):
    done = run({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "OVERSIGHT_LOGS": "stdout"})
    first, answer = done.stdout.splitlines()
    assert json.loads(first)["message"] == "hello"
    assert answer == "the answer"
