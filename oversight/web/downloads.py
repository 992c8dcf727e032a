"""A table as a download (CSV or XLSX), written to a temporary file as its lines are read and
sent from there (memory flat however long the table), audited with who, what, how many rows
and each child in it. `Cache-Control: no-store`: a child's record is never kept by a browser
or a proxy.

    table_download(...)   a table's lines as CSV or XLSX
    file_download(...)    whatever a writer writes (a document as .docx, PDF, ...)"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from typing import IO

from django.http import FileResponse, HttpRequest

from oversight.audit.actions import ChildRecord, record_export
from oversight.reports.export import Line, write_table

# What each download is sent as.
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


def table_download(
    request: HttpRequest,
    *,
    what: str,
    name: str,
    fmt: str,
    sheet: str,
    columns: Sequence[str],
    lines: Iterable[Line],
    reason: str = "",
) -> FileResponse:
    """`lines` under `columns` as `name`.csv or `name`.xlsx (`fmt`), and its audit row: `what`
    with the format ("reports.rcpc_in_time.xlsx"), "N rows" and `reason`, the children named."""
    counter = [0]
    named: list[ChildRecord] = []

    def write(out: IO[bytes]) -> None:
        named.extend(write_table(out, fmt, sheet, columns, _counted(lines, counter)))

    return file_download(
        request,
        what=what,
        name=name,
        fmt=fmt,
        write=write,
        reason=lambda: ", ".join(part for part in (f"{counter[0]} rows", reason) if part),
        children=named,
    )


def file_download(
    request: HttpRequest,
    *,
    what: str,
    name: str,
    fmt: str,
    write: Callable[[IO[bytes]], None],
    reason: Callable[[], str],
    children: Iterable[ChildRecord],
) -> FileResponse:
    """What `write` writes, as `name`.`fmt`, audited as `what`.`fmt` with `reason()` and
    `children` (both read once it is written)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    write(out)
    record_export(request, what=f"{what}.{fmt}", reason=reason(), children=children)
    out.seek(0)
    response = FileResponse(
        out, as_attachment=True, filename=f"{name}.{fmt}", content_type=CONTENT_TYPES[fmt]
    )
    response["Cache-Control"] = "no-store"
    return response


def _counted(lines: Iterable[Line], counter: list[int]) -> Iterable[Line]:
    for line in lines:
        counter[0] += 1
        yield line
