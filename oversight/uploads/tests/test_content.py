"""Uploads judged by their content, not their names; the virus scanner hook, with a fake scanner
function named in the setting and with a clamd speaking its protocol on a UNIX socket (the real clamd: `test_real_clamd.py`)."""

from __future__ import annotations

import io
import socket
import struct
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.uploads.content import problem

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
# The EICAR test file: every virus scanner reports it, and it harms nothing.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def a_zip_that_is_not_word() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("payload.exe", EXE)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("minutes.pdf", PDF),
        ("photo.png", PNG),
        ("report.docx", docx()),
        ("notes.txt", b"Core group minutes, 14 December 2026"),
    ],
)
def test_it_accepts_a_file_that_is_what_its_name_says(name, data):
    assert problem(name, io.BytesIO(data)) is None


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("minutes.PDF", EXE),  # an executable named .PDF
        ("minutes.html.pdf", HTML),  # a web page named .html.pdf
        ("photo.png", SVG),  # an SVG drawing named .png
        ("report.docx", a_zip_that_is_not_word()),  # a zip, but no Word document in it
        ("notes.txt", HTML),  # markup a browser would run, named .txt
        ("notes.txt", EXE),
    ],
)
def test_it_refuses_a_file_whose_content_is_not_what_its_name_says(name, data):
    assert problem(name, io.BytesIO(data)) == (
        f"{name}: the file's content is not a {name.rsplit('.', 1)[1].upper()} file"
    )


def test_it_refuses_a_name_with_no_accepted_suffix():
    assert problem("run.exe", io.BytesIO(EXE)) == "run.exe: files ending in .exe are not accepted"


def finds_eicar(file, name):
    """A stand-in for the council's scanner, named in OVERSIGHT_UPLOAD_SCANNER by the tests."""
    return "the virus scanner found Eicar-Test-Signature" if EICAR in file.read() else None


def never_answers(file, name):
    raise ConnectionRefusedError("clamd is not running")


def test_the_scanner_named_in_the_setting_is_asked(settings):
    settings.OVERSIGHT_UPLOAD_SCANNER = f"{__name__}.finds_eicar"
    assert problem("notes.txt", io.BytesIO(b"Clean minutes")) is None
    assert problem("notes.txt", io.BytesIO(EICAR)) == (
        "notes.txt: the virus scanner found Eicar-Test-Signature"
    )


def test_a_scanner_that_does_not_answer_refuses_the_file(settings):
    settings.OVERSIGHT_UPLOAD_SCANNER = f"{__name__}.never_answers"
    assert problem("notes.txt", io.BytesIO(b"Clean minutes")) == (
        "notes.txt: the virus scanner did not answer: try again later"
    )


class FakeClamd:
    """clamd's INSTREAM protocol on a UNIX socket: reports EICAR as found, anything else OK."""

    def __init__(self, path: Path) -> None:
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                stream = conn.makefile("rb")
                assert stream.read(10) == b"zINSTREAM\x00"
                data = b""
                while size := struct.unpack("!L", stream.read(4))[0]:
                    data += stream.read(size)
                found = EICAR in data
                conn.sendall(b"stream: Eicar-Signature FOUND\x00" if found else b"stream: OK\x00")


@pytest.fixture
def clamd_socket(tmp_path) -> Iterator[Path]:
    path = tmp_path / "clamd.ctl"
    fake = FakeClamd(path)
    yield path
    fake.server.close()


def test_the_clamd_hook_speaks_clamds_protocol(settings, clamd_socket):
    settings.OVERSIGHT_UPLOAD_SCANNER = "oversight.uploads.scanning.clamd"
    settings.OVERSIGHT_CLAMD_SOCKET = str(clamd_socket)
    assert problem("minutes.pdf", io.BytesIO(PDF)) is None
    assert problem("notes.txt", io.BytesIO(EICAR)) == (
        "notes.txt: the virus scanner found Eicar-Signature: the file was not kept"
    )


@pytest.mark.django_db
def test_a_meeting_document_is_refused_by_its_content_on_its_field(client, council):
    from oversight.meetings.factories import make_meeting

    meeting = make_meeting(council.child)
    client.force_login(council.iro.user)
    url = f"/children/{council.child.pk}/meetings/{meeting.pk}/documents/new/"
    response = client.post(
        url, {"type": "minutes", "file": SimpleUploadedFile("minutes.html.pdf", HTML)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "minutes.html.pdf: the file's content is not a PDF file"
    ]
    assert meeting.documents.count() == 0  # nothing kept
