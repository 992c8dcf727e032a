"""What an uploaded file is, judged from its bytes (puremagic's signatures, and the inside of a
zip for Word and OpenDocument), so that a name cannot make a file what it is not: an executable
named `.PDF`, a web page named `.html.pdf`, an SVG drawing named `.png` are all refused.

`problem(name, file)` returns why the file may not be kept under that name, or None; then the
virus scanner is asked (`scanning.scan`)."""

from __future__ import annotations

import zipfile
from typing import IO, cast

import puremagic

from oversight.uploads import scanning
from oversight.uploads.files import File

SNIFF_BYTES = 64 * 1024


# The name's suffix → the MIME type the content must be detected as.
SIGNED = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".doc": "application/msword",
}
# Markup a browser would run or draw: never accepted as plain text.
MARKUP = {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml"}
ODT = b"application/vnd.oasis.opendocument.text"
# What a refusal says where the general sentence would say less.
NOT_WHAT_IT_SAYS = {
    ".xml": "this is not XML (it does not begin with <)",
    ".csv": "this is not a CSV file in UTF-8 text",
}


def suffix_of(name: str) -> str:
    return name[name.rfind(".") :].lower() if "." in name else ""


def detected(head: bytes) -> set[str]:
    """The MIME types puremagic finds in the first bytes (none for what it does not know)."""
    try:
        return {match.mime_type for match in puremagic.magic_string(head) if match.mime_type}
    except puremagic.PureError:
        return set()


def _zip_member(file: File, member: str) -> bytes | None:
    try:
        with zipfile.ZipFile(cast(IO[bytes], file)) as archive:
            return archive.read(member) if member in archive.namelist() else None
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None


def _head(file: File) -> bytes:
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    return head


def is_plain_text(head: bytes) -> bool:
    """UTF-8 text with no NUL byte and no markup (a multi-byte character cut at the end of the
    sample is not a fault of the file)."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            return False
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return not text.startswith(b"<") and not (detected(head) & MARKUP)


def kind_problem(name: str, file: File) -> str | None:
    """Why the content of `file` is not what its name's suffix says, or None."""
    suffix = suffix_of(name)
    default = f"the file's content is not a {suffix.lstrip('.').upper()} file"
    head = _head(file)
    if suffix in SIGNED:
        ok = SIGNED[suffix] in detected(head)
    elif suffix == ".docx":
        ok = _zip_member(file, "word/document.xml") is not None
    elif suffix == ".odt":
        ok = (_zip_member(file, "mimetype") or b"").strip() == ODT
    elif suffix in {".txt", ".csv"}:
        ok = is_plain_text(head)
    elif suffix == ".xml":
        ok = head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and b"\x00" not in head
    else:
        return f"{name}: files ending in {suffix or 'nothing'} are not accepted"
    file.seek(0)
    if not ok:
        return f"{name}: {NOT_WHAT_IT_SAYS.get(suffix, default)}"
    return None


def problem(name: str, file: File) -> str | None:
    """Why `file`, uploaded as `name`, may not be kept: its content is not what its name says, or
    the council's virus scanner found something (or did not answer). None when it may."""
    wrong = kind_problem(name, file)
    if wrong is not None:
        return wrong
    found = scanning.scan(file, name)
    file.seek(0)
    return f"{name}: {found}" if found else None
