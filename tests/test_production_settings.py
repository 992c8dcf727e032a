"""The production settings (DEBUG off) pass Django's deployment checks, send HTTP to HTTPS and
tell browsers to keep to it (HSTS); `oversight serve` runs those checks first and refuses to
start on any finding, a development-only mail backend among them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

OVERSIGHT = str(Path(sys.executable).parent / "oversight")
SECRET = "production-settings-test-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "EMAIL_BACKEND"}
    }
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    environ.update(
        DEBUG="false",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="oversight.council.example,testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        OVERSIGHT_BASE_URL="https://oversight.council.example",
    )
    environ.update(env)
    return subprocess.run(
        [OVERSIGHT, *args], capture_output=True, text=True, env=environ, timeout=120, check=False
    )


def test_the_deployment_checks_find_nothing(tmp_path):
    result = run(["manage", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_serve_refuses_a_development_mail_backend(tmp_path):
    # Mail to files with DEBUG off would be marked "sent" and reach no one.
    result = run(
        ["serve", "--bind", "127.0.0.1:0"],
        tmp_path,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    )
    assert result.returncode == 2
    assert "mail.E001" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_a_deployment_warning_too(tmp_path):
    result = run(["serve", "--bind", "127.0.0.1:0"], tmp_path, OVERSIGHT_HSTS_SECONDS="0")
    assert result.returncode == 2
    assert "security.W004" in result.stderr  # no HSTS


# What a request gets from the production settings, through Django's own test client.
REQUESTS = """
import json
from django.test import Client
out = {}
for name, secure in (("http", False), ("https", True)):
    r = Client().get("/sign-in/", secure=secure)
    out[name] = {"status": r.status_code, "headers": dict(r.headers)}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    result = run(["manage", "shell", "-c", REQUESTS], tmp_path_factory.mktemp("production"))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_plain_http_is_sent_to_https(production):
    assert production["http"]["status"] == 301
    assert production["http"]["headers"]["Location"] == "https://testserver/sign-in/"


def test_https_says_to_keep_to_https_for_a_year(production):
    assert production["https"]["status"] == 200
    hsts = production["https"]["headers"]["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains"


def test_it_refuses_to_start_without_the_address_for_links_in_emails(tmp_path):
    result = run(["manage", "check"], tmp_path, OVERSIGHT_BASE_URL="")
    assert result.returncode == 2
    assert "OVERSIGHT_BASE_URL must be the address people open Oversight at" in result.stderr
