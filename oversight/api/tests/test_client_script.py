"""The client script in docs/ (which knows only the OpenAPI document) against a live server:
registers a child, gives it an IRO, records a strategy discussion and an ICPC, reads the
obligations the engine derived, and raises and answers a concern."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from oversight.api import tokens

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db(transaction=True)
def test_the_client_script_runs_green(live_server, council, settings):
    settings.OVERSIGHT_POLICY = "england"

    def secret(staff, name):
        return tokens.issue(
            name=name, user=staff.user, read_only=False, expires_on=None,
            acting_user=council.administrator.user,
        ).secret  # fmt: skip

    done = subprocess.run(
        [
            sys.executable, str(ROOT / "docs" / "api_client.py"),
            "--base", live_server.url,
            "--token", secret(council.iro_team_manager, "Mosaic bridge"),
            "--iro", council.iro.user.username,
            "--answer-token", secret(council.team_manager, "Team manager's client"),
            "--existing-child", council.child.reference,
        ],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("registered child API")
    assert "the ICPC is due by" in lines[2]
    assert lines[3].endswith("met, on time: True")
    assert "raised on C1000001" in lines[4]
    assert lines[5].endswith("answered: open") or "answered" in lines[5]
