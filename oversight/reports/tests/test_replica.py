"""The reports read from a real read replica (`DATABASE_REPLICA_URL`), everything else from the
primary (issue 18, deployment and scale 1).

The test starts two PostgreSQL clusters of its own on free loopback ports (never the machine's
server): a primary, and a hot standby made from it with `pg_basebackup -R`, fed by streaming
replication. With the standby's replay paused, a team made on the primary is there for everything
but the reports, and neither they nor `oversight report` know it until replay resumes: so the report read
the replica, and nothing else did. With `CI=true` missing PostgreSQL programs fail the test."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.waiting import wait_until

pytestmark = pytest.mark.postgres

OVERSIGHT = str(Path(sys.executable).parent / "oversight")
MONTH = ["--from", "2026-11-01", "--to", "2026-11-30"]  # Sun 1 to Mon 30 Nov 2026


def _bindir() -> Path | None:
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    found = Path(
        subprocess.run([pg_config, "--bindir"], capture_output=True, text=True).stdout.strip()
    )
    return found if (found / "pg_basebackup").exists() and (found / "initdb").exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Clusters:
    primary: str  # the database's URL on each
    replica: str

    def sql(self, url: str, statement: str, *params: object) -> object:
        with psycopg.connect(url, autocommit=True) as link:
            row = link.execute(statement, params).fetchone()
            return row[0] if row else None


@pytest.fixture
def clusters() -> Iterator[Clusters]:
    bindir = _bindir()
    if bindir is None:
        message = "PostgreSQL's initdb and pg_basebackup not found (apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: the read replica test is required with CI=true")
        pytest.skip(message)
    # PostgreSQL refuses to run as root: as root, the clusters belong to the postgres user.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    home = Path(tempfile.mkdtemp(prefix="oversight-replica-"))
    if as_user:
        shutil.chown(home, "postgres")
    ports = {"primary": _free_port(), "replica": _free_port()}

    def run(*argv: str) -> None:
        subprocess.run([*as_user, *argv], check=True, capture_output=True, cwd=home)

    def start(name: str) -> None:
        options = (
            f"-p {ports[name]} -c listen_addresses=127.0.0.1 -k {home} -c fsync=off "
            "-c shared_buffers=16MB -c max_connections=20"
        )
        run(str(bindir / "pg_ctl"), "-D", str(home / name), "-l", str(home / f"{name}.log"),
            "-w", "-t", "60", "-o", options, "start")  # fmt: skip

    started: list[str] = []
    try:
        run(str(bindir / "initdb"), "-D", str(home / "primary"), "-U", "postgres",
            "--auth=trust", "--no-sync")  # fmt: skip
        start("primary")
        started.append("primary")
        primary = f"postgres://postgres@127.0.0.1:{ports['primary']}"
        with psycopg.connect(f"{primary}/postgres", autocommit=True) as link:
            link.execute("CREATE DATABASE oversight")
        # The standby: the primary's files as they are now, then its changes streamed (-R
        # writes standby.signal and the primary's address).
        run(str(bindir / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(ports["primary"]),
            "-U", "postgres", "-D", str(home / "replica"), "-R", "-X", "stream")  # fmt: skip
        start("replica")
        started.append("replica")
        yield Clusters(
            f"{primary}/oversight", f"postgres://postgres@127.0.0.1:{ports['replica']}/oversight"
        )
    finally:
        for name in reversed(started):
            subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(home / name),
                            "-m", "immediate", "stop"], capture_output=True)  # fmt: skip
        shutil.rmtree(home, ignore_errors=True)


def oversight(clusters: Clusters, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DEBUG="true", DATABASE_URL=clusters.primary, DATABASE_REPLICA_URL=clusters.replica)
    return subprocess.run([OVERSIGHT, *argv], env=env, capture_output=True, text=True)


@pytest.mark.slow
def test_it_reads_the_reports_from_the_replica_and_everything_else_from_the_primary(clusters):
    migrated = oversight(clusters, "manage", "migrate", "--no-input", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr  # the schema only on the primary...
    wait_until(  # ...and on the replica by replication
        lambda: clusters.sql(clusters.replica, "SELECT to_regclass('cases_team')"),
        what="the schema replicated",
    )
    assert clusters.sql(clusters.replica, "SELECT pg_is_in_recovery()") is True  # a standby

    clusters.sql(clusters.replica, "SELECT pg_wal_replay_pause()")  # the replica falls behind
    # A team made on the primary: read from the primary outside the reports, even with the
    # replica configured; not yet there inside them.
    made = oversight(
        clusters,
        "manage",
        "shell",
        "-c",
        "from oversight.cases.models import Team\n"
        "from oversight.reports.replica import reading_replica\n"
        "team = Team.objects.create(name='Team Replica', kind='social_work')\n"
        "with reading_replica():\n"
        "    behind = Team.objects.filter(pk=team.pk).exists()\n"
        "print(team.pk, Team.objects.filter(pk=team.pk).exists(), behind)",
    )
    assert made.returncode == 0, made.stderr
    team, on_primary, on_replica = made.stdout.strip().splitlines()[-1].split()
    assert (on_primary, on_replica) == ("True", "False")

    # `oversight report` reads the replica, which has not replayed the team yet.
    behind = oversight(clusters, "report", "monthly", *MONTH, "--team", team)
    assert behind.returncode == 2
    assert f"--team: no team with id '{team}'" in behind.stderr

    clusters.sql(clusters.replica, "SELECT pg_wal_replay_resume()")
    wait_until(
        lambda: clusters.sql(
            clusters.replica, "SELECT count(*) FROM cases_team WHERE id = %s", int(team)
        ),
        what="the team replicated",
    )
    caught_up = oversight(clusters, "report", "monthly", *MONTH, "--team", team)
    assert caught_up.returncode == 0, caught_up.stderr
    assert '"name": "monthly"' in caught_up.stdout
