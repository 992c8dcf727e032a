"""Bad configuration ends `oversight manage …` and `oversight serve` with one clear line and exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

OVERSIGHT = str(Path(sys.executable).parent / "oversight")


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}
    }
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    environ.update(env)
    return subprocess.run(
        [OVERSIGHT, *args], capture_output=True, text=True, env=environ, timeout=60, check=False
    )


@pytest.mark.parametrize(
    "url, says",
    [
        ("mysql://someone@127.0.0.1/oversight", "unknown scheme 'mysql'"),
        ("postgres://postgres@127.0.0.1:port/test", "port that is not a number"),
        ("postgres:///test", "names no database host"),
        ("postgres://postgres@127.0.0.1:5432/", "names no database"),
        ("not a url", "unknown scheme ''"),
    ],
)
@pytest.mark.parametrize("command", [["manage", "check"], ["serve", "--bind", "127.0.0.1:0"]])
def test_it_refuses_a_bad_database_url_in_one_line(command, url, says):
    result = run(command, DATABASE_URL=url)
    assert result.returncode == 2
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["manage", "check"], ["serve", "--bind", "127.0.0.1:0"]])
def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(command):
    result = run(command, DEBUG="false")
    assert result.returncode == 2
    assert result.stderr.strip() == "oversight: SECRET_KEY must be set when DEBUG is off"


def test_it_refuses_a_debug_that_is_not_true_or_false():
    result = run(["manage", "check"], DEBUG="perhaps")
    assert result.returncode == 2
    assert result.stderr.strip() == "oversight: DEBUG must be true or false, not 'perhaps'"


def test_it_passes_the_checks_with_the_development_defaults(tmp_path):
    result = run(["manage", "check"], DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "database, replica, says",
    [
        ("sqlite:///db.sqlite3", "postgres://postgres@127.0.0.1:5432/test", "PostgreSQL replica"),
        ("postgres://postgres@127.0.0.1:5432/test", "sqlite:///replica.sqlite3", "PostgreSQL"),
        ("postgres://postgres@127.0.0.1:5432/test", "postgres://127.0.0.1:5432/", "no database"),
    ],
)
def test_it_refuses_a_replica_that_is_not_a_postgresql_database_in_one_line(
    database, replica, says
):
    result = run(["manage", "check"], DATABASE_URL=database, DATABASE_REPLICA_URL=replica)
    assert result.returncode == 2
    assert "DATABASE_REPLICA_URL" in result.stderr and says in result.stderr


def test_with_single_sign_on_a_form_may_end_up_at_the_provider_only(tmp_path):
    """Signing out posts to Oversight, which sends the browser to the provider's end-session
    endpoint: the policy allows that origin as a form's destination, and no other."""
    issuer = "https://login.microsoftonline.com/0b1c2d3e-tenant/v2.0"
    endpoints = {
        f"OVERSIGHT_OIDC_{name}_ENDPOINT": f"{issuer}/{name.lower()}"
        for name in ("AUTHORIZATION", "TOKEN", "USERINFO", "JWKS")
    }
    found = run(
        [
            "manage",
            "shell",
            "-c",
            "from django.conf import settings; print(*settings.SECURE_CSP['form-action'])",
        ],
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        OVERSIGHT_OIDC_CLIENT_ID="oversight",
        OVERSIGHT_OIDC_CLIENT_SECRET="a-secret-of-the-council",
        OVERSIGHT_OIDC_ISSUER=issuer,
        **endpoints,
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip().splitlines()[-1] == "'self' https://login.microsoftonline.com"
