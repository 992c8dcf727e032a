"""A real OpenID Connect provider for the single sign-on tests: npm's `oidc-provider` (a
devDependency in package.json, installed by `make setup`'s `npm ci`) run by Node.js with
`tests/oidc_provider.mjs`, on a free loopback port, with the accounts a test gives it. With
CI=true a missing Node.js or oidc-provider fails the test; otherwise it is skipped."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "oidc_provider.mjs"
PACKAGE = ROOT / "node_modules" / "oidc-provider" / "package.json"
CLIENT_ID = "oversight-test"
CLIENT_SECRET = "oversight-test-secret-of-the-loopback-provider"


@dataclass(frozen=True)
class RunningProvider:
    issuer: str

    def settings(self) -> dict[str, Any]:
        """Oversight's settings for this provider, as a council's environment would give them
        (the endpoints from its discovery document)."""
        from oversight import settings as configured

        found = requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=10).json()
        return {
            "SECURE_CSP": configured.sign_on_csp(configured.SECURE_CSP, found["issuer"]),
            "OVERSIGHT_SSO": True,
            "OVERSIGHT_OIDC_ISSUER": found["issuer"],
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": found["authorization_endpoint"],
            "OIDC_OP_TOKEN_ENDPOINT": found["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": found["userinfo_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": found["jwks_uri"],
            "OIDC_RP_SCOPES": "openid email profile groups",
        }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _need(what: str) -> None:
    message = f"{what}: the single sign-on tests need it (make setup installs oidc-provider)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; required with CI=true")
    pytest.skip(message)


@contextmanager
def oidc_provider(
    tmp_path: Path,
    *,
    redirect_uris: list[str],
    accounts: dict[str, dict[str, Any]],
    post_logout_redirect_uris: list[str] | None = None,
    backchannel_logout_uri: str = "",
) -> Iterator[RunningProvider]:
    """The provider, answering at its issuer until the block ends (then stopped); its
    end-session endpoint sends back only to `post_logout_redirect_uris`, and with
    `backchannel_logout_uri` posts a logout token there first."""
    node = shutil.which("node")
    if node is None:
        _need("Node.js (node) is not installed")
    if not PACKAGE.exists():
        _need(f"npm's oidc-provider is not installed in {PACKAGE.parent.parent}")
    port = _free_port()
    config = tmp_path / "oidc-provider.json"
    config.write_text(
        json.dumps(
            {
                "port": port,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": redirect_uris,
                "post_logout_redirect_uris": post_logout_redirect_uris or [],
                "backchannel_logout_uri": backchannel_logout_uri,
                "accounts": accounts,
            }
        )
    )
    log = (tmp_path / "oidc-provider.log").open("wb")
    process = subprocess.Popen(
        [str(node), str(SCRIPT), str(config)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    issuer = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if process.poll() is not None:
            output = (tmp_path / "oidc-provider.log").read_text(errors="replace")
            raise AssertionError(f"the OIDC provider ended ({process.returncode}): {output}")
        try:
            return requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok
        except requests.RequestException:
            return False

    try:
        wait_until(answers, what=f"the OIDC provider at {issuer}", every=0.1)
        yield RunningProvider(issuer)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
