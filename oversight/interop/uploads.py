"""Files uploaded on the import page, kept on this host between the check and the confirmation.

An upload is refused when it is larger than `MAX_FILE_BYTES` or not of its format's type (by
its name's suffix; the readers then refuse what is not really XML or CSV). The files of one
upload are kept in a directory of their own under the system's temporary directory, named by a
random token the page keeps in the person's session (never taken from the form), and removed once
imported or replaced."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from oversight.interop.records import Source

MAX_FILE_BYTES = 200 * 1024 * 1024
SUFFIXES = {"cin": (".xml",), "903": (".csv",), "ssd": (".csv",), "events": (".csv",)}
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,}")
_PREFIX = "oversight-import-"


class Upload(Protocol):
    """An uploaded file as Django gives it: a name, a size and its chunks."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]: ...


def problem(kind: str, upload: Upload) -> str | None:
    """Why `upload` cannot be imported as `kind`, or None."""
    name = os.path.basename(upload.name or "")
    if not name.lower().endswith(SUFFIXES[kind]):
        return f"{name or 'The file'}: a {kind.upper()} file ends in {' or '.join(SUFFIXES[kind])}"
    if (upload.size or 0) > MAX_FILE_BYTES:
        return f"{name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
    return None


def _folder(token: str) -> Path:
    if not _TOKEN.fullmatch(token):
        raise ValueError("not an upload token")
    return Path(tempfile.gettempdir()) / f"{_PREFIX}{token}"


def store(uploads: Iterable[Upload]) -> str:
    """Keep the files; the token that finds them again."""
    token = secrets.token_urlsafe(24)
    folder = _folder(token)
    folder.mkdir(mode=0o700)
    for n, upload in enumerate(uploads, start=1):
        # A number first: two files of the same name stay apart; the name stays for the report.
        target = folder / f"{n:03d}-{os.path.basename(upload.name or 'file')}"
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    return token


def kept(token: str) -> list[Source]:
    """The files kept under `token` (none when they are gone)."""
    folder = _folder(token)
    if not folder.is_dir():
        return []
    return [Source(path.name[4:], path) for path in sorted(folder.iterdir())]


def discard(token: str) -> None:
    shutil.rmtree(_folder(token), ignore_errors=True)
