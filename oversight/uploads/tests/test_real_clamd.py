"""ClamAV's own daemon asked about uploads through the real upload path: the test starts a `clamd`
of its own on a UNIX socket in a temporary directory, with a configuration it writes and a
signature database of one MD5 signature (of the EICAR test file), so no freshclam and no network;
clamd with one signature is ready in well under a second. With `CI=true` a missing clamd fails
the test (`make test` installs Debian's clamav-daemon); otherwise it is skipped."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.uploads.tests.test_content import EICAR, PDF
from tests.waiting import wait_until

CLAMD = "/usr/sbin/clamd"
SIGNATURE = "Oversight.Test.EICAR"


def _config(directory: Path, socket_path: Path) -> Path:
    """clamd's configuration: in the foreground, its socket, database and log in `directory`; no
    `User` line, so clamd stays the user that runs the test."""
    config = directory / "clamd.conf"
    config.write_text(
        "Foreground yes\n"
        f"LocalSocket {socket_path}\n"
        f"DatabaseDirectory {directory / 'db'}\n"
        f"TemporaryDirectory {directory}\n"
        f"LogFile {directory / 'clamd.log'}\n"
    )
    return config


@pytest.fixture
def clamd_socket(tmp_path: Path) -> Iterator[Path]:
    if not os.access(CLAMD, os.X_OK):
        message = f"ClamAV's clamd not found at {CLAMD} (apt-get install clamav-daemon)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: the real virus scanner test is required with CI=true")
        pytest.skip(message)
    (tmp_path / "db").mkdir()
    # A .hdb line is MD5:size:name: clamd reports exactly this file as SIGNATURE.
    (tmp_path / "db" / "oversight.hdb").write_text(
        f"{hashlib.md5(EICAR, usedforsecurity=False).hexdigest()}:{len(EICAR)}:{SIGNATURE}\n"
    )
    socket_path = tmp_path / "clamd.ctl"
    process = subprocess.Popen(
        [CLAMD, "-c", str(_config(tmp_path, socket_path))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )

    def listening() -> bool:
        if process.poll() is not None:
            log = (tmp_path / "clamd.log").read_text(errors="replace")
            raise AssertionError(f"clamd exited with status {process.returncode}:\n{log}")
        return socket_path.is_socket()

    try:
        wait_until(listening, what="clamd to listen on its socket")
        yield socket_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.django_db
def test_a_real_clamd_refuses_an_infected_upload_and_accepts_a_clean_one(
    client, council, settings, clamd_socket
):
    from oversight.meetings.factories import make_meeting

    settings.OVERSIGHT_UPLOAD_SCANNER = "oversight.uploads.scanning.clamd"
    settings.OVERSIGHT_CLAMD_SOCKET = str(clamd_socket)
    meeting = make_meeting(council.child)
    client.force_login(council.iro.user)
    url = f"/children/{council.child.pk}/meetings/{meeting.pk}/documents/new/"

    infected = client.post(url, {"type": "minutes", "file": SimpleUploadedFile("notes.txt", EICAR)})
    assert infected.status_code == 200
    assert infected.context["form"].errors["file"] == [
        # clamd marks a signature not from ClamAV itself ".UNOFFICIAL".
        f"notes.txt: the virus scanner found {SIGNATURE}.UNOFFICIAL: the file was not kept"
    ]
    assert meeting.documents.count() == 0

    clean = client.post(url, {"type": "minutes", "file": SimpleUploadedFile("minutes.pdf", PDF)})
    assert clean.status_code == 302
    assert [d.name for d in meeting.documents.all()] == ["minutes.pdf"]
