"""Files uploaded on the import page, kept between the check and the confirmation where every web
host and the background worker find them: Django's default storage (`STORAGES["default"]`, a
`FileSystemStorage` under `MEDIA_ROOT`, which a deployment on several hosts puts on a directory
they share), never the process's temporary directory.

An upload is refused when it is larger than `OVERSIGHT_IMPORT_MAX_BYTES` (settings), or not of its
format's type: by its name's suffix, and by its content (`oversight.uploads.content`: XML begins
with `<`, a CSV file is UTF-8 text with no NUL byte and no markup), or when the council's virus
scanner finds something; the readers then refuse what is still not a census or a table. The
files of one upload are kept under `imports/<token>/` (named by a random token the page keeps in
the person's session, never taken from the form), each as `NNN-name`, beside `state.json`: where
a check or an import run by the background worker has got to (`save_state`, `state`), and its
report when done. `discard` removes the files (and the state), once imported or replaced.
`discard_abandoned` removes, audited, every upload nobody has touched for
`OVERSIGHT_IMPORT_ABANDONED_HOURS` (checked and never confirmed, or a finished import's state that
the page no longer asks for): `oversight discard_uploads`, run daily beside `oversight nightly`."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from oversight.audit.actions import record_change
from oversight.interop.records import Source
from oversight.uploads import content

SUFFIXES = {"cin": (".xml",), "903": (".csv",), "ssd": (".csv",), "events": (".csv",)}
FOLDER = "imports"
STATE = "state.json"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,}")
_KEPT = re.compile(r"\d{3}-.+")


class Upload(Protocol):
    """An uploaded file as Django gives it: a name, a size and its chunks."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]: ...

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def tell(self) -> int: ...


def max_bytes() -> int:
    return int(settings.OVERSIGHT_IMPORT_MAX_BYTES)


def problem(kind: str, upload: Upload) -> str | None:
    """Why `upload` cannot be imported as `kind`, or None: its name's suffix, its size, then its
    content and the virus scanner (`oversight.uploads.content`)."""
    name = os.path.basename(upload.name or "")
    suffixes = SUFFIXES[kind]
    if not name.lower().endswith(suffixes):
        return f"{name or 'The file'}: a {kind.upper()} file ends in {' or '.join(suffixes)}"
    if (upload.size or 0) > max_bytes():
        return f"{name}: larger than {max_bytes() // (1024 * 1024)} MB"
    return content.problem(name, upload)


def _folder(token: str) -> str:
    if not _TOKEN.fullmatch(token):
        raise ValueError("not an upload token")
    return f"{FOLDER}/{token}"


def store(uploads: Iterable[Upload]) -> str:
    """Keep the files; the token that finds them again."""
    token = secrets.token_urlsafe(24)
    folder = _folder(token)
    for n, upload in enumerate(uploads, start=1):
        # A number first: two files of the same name stay apart; the name stays for the report.
        name = f"{folder}/{n:03d}-{os.path.basename(upload.name or 'file')}"
        default_storage.save(name, upload)  # type: ignore[arg-type]
    return token


def kept(token: str) -> list[Source]:
    """The files kept under `token` (none when they are gone)."""
    folder = _folder(token)
    if not default_storage.exists(folder):
        return []
    _, names = default_storage.listdir(folder)
    return [
        Source(name[4:], Path(default_storage.path(f"{folder}/{name}")))
        for name in sorted(names)
        if _KEPT.fullmatch(name)
    ]


def size(token: str) -> int:
    """The bytes of the files kept under `token`."""
    return sum(source.path.stat().st_size for source in kept(token))


def save_state(token: str, state: dict[str, Any]) -> None:
    """Where the background work on `token`'s files has got to (replacing what was there)."""
    name = f"{_folder(token)}/{STATE}"
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(json.dumps(state).encode()))


def state(token: str) -> dict[str, Any] | None:
    name = f"{_folder(token)}/{STATE}"
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as stream:
        found: dict[str, Any] = json.loads(stream.read())
    return found


def discard(token: str, *, keep_state: bool = False) -> None:
    """Remove the files kept under `token`, and their state unless `keep_state`."""
    folder = _folder(token)
    if not default_storage.exists(folder):
        return
    _, names = default_storage.listdir(folder)
    for name in names:
        if keep_state and name == STATE:
            continue
        default_storage.delete(f"{folder}/{name}")
    if not keep_state:
        with contextlib.suppress(OSError):  # not empty: another upload's late write
            os.rmdir(default_storage.path(folder))


def discard_abandoned(*, now: dt.datetime) -> int:
    """Remove every upload whose files (and state) were last written more than
    `OVERSIGHT_IMPORT_ABANDONED_HOURS` before `now`, each with an audit row naming its files and
    how far it got; the number removed. A check or import still running writes its state as it
    goes, so it is never taken for abandoned."""
    if not default_storage.exists(FOLDER):
        return 0
    cutoff = now - dt.timedelta(hours=int(settings.OVERSIGHT_IMPORT_ABANDONED_HOURS))
    folders, _ = default_storage.listdir(FOLDER)
    removed = 0
    for token in sorted(folders):
        if not _TOKEN.fullmatch(token):
            continue  # not an upload's folder: left alone
        folder = _folder(token)
        _, names = default_storage.listdir(folder)
        written = [default_storage.get_modified_time(f"{folder}/{name}") for name in names]
        if written and max(written) >= cutoff:
            continue
        found = state(token) if STATE in names else None
        files = sorted(name[4:] for name in names if _KEPT.fullmatch(name))
        record_change(
            None,
            action="import.upload_discarded",
            before={
                "files": files,
                "stage": (found or {}).get("stage", "checked on the page"),
                "last_written": max(written).isoformat() if written else None,
            },
            after=None,
            reason=f"not used for {settings.OVERSIGHT_IMPORT_ABANDONED_HOURS} hours",
            acting_user=None,
        )
        discard(token)
        removed += 1
    return removed
