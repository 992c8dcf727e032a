"""The council's virus scanner, asked about every uploaded file before it is kept.

`OVERSIGHT_UPLOAD_SCANNER` (settings) names the function, `module.function`, called with the file
(binary, at its start) and its name; it returns None for a clean file, or a sentence saying what
was found. Empty: no scanner. `clamd` below speaks to ClamAV's daemon over its socket
(`OVERSIGHT_CLAMD_SOCKET`: a UNIX socket's path, or HOST:PORT), using clamd's INSTREAM command.

A scanner that does not answer refuses the file (it is never kept unscanned)."""

from __future__ import annotations

import socket
import struct
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from oversight.uploads.files import File

CHUNK = 64 * 1024


def scan(file: File, name: str) -> str | None:
    """The configured scanner's verdict on `file`: None when clean (or no scanner is set)."""
    path = settings.OVERSIGHT_UPLOAD_SCANNER
    if not path:
        return None
    file.seek(0)
    try:
        found: str | None = import_string(path)(file, name)
    except OSError:
        return "the virus scanner did not answer: try again later"
    finally:
        file.seek(0)
    return found


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock
    host, _, port = address.rpartition(":")
    return socket.create_connection((host, int(port)), timeout=timeout)


def clamd(file: File, name: str) -> str | None:
    """ClamAV's verdict through clamd (`zINSTREAM`: the file in length-prefixed chunks, then a
    zero length; clamd answers `stream: OK` or `stream: NAME FOUND`)."""
    with _connect(settings.OVERSIGHT_CLAMD_SOCKET, settings.OVERSIGHT_CLAMD_TIMEOUT) as sock:
        sock.sendall(b"zINSTREAM\x00")
        while chunk := file.read(CHUNK):
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\x00"):
            part = sock.recv(4096)
            if not part:
                break
            reply += part
    answer = reply.rstrip(b"\x00").decode("utf-8", "replace").strip()
    if answer.endswith(" OK"):
        return None
    if answer.endswith(" FOUND"):
        virus = answer.removeprefix("stream:").removesuffix("FOUND").strip()
        return f"the virus scanner found {virus}: the file was not kept"
    raise OSError(f"clamd answered {answer!r}")
