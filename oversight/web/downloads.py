"""A table as a download (CSV or XLSX), written to a temporary file as its lines are read and
sent from there (memory flat however long the table), audited with who, what, how many rows
and each child in it. `Cache-Control: no-store`: a child's record is never kept by a browser
or a proxy."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse, HttpRequest

from oversight.audit.actions import record_export
from oversight.reports.export import FORMATS, Line, write_table


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
    content_type, extension = FORMATS[fmt]
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    children = write_table(out, fmt, sheet, columns, _counted(lines, counter := [0]))
    record_export(
        request,
        what=f"{what}.{extension}",
        reason=", ".join(part for part in (f"{counter[0]} rows", reason) if part),
        children=children,
    )
    out.seek(0)
    response = FileResponse(
        out, as_attachment=True, filename=f"{name}.{extension}", content_type=content_type
    )
    response["Cache-Control"] = "no-store"
    return response


def _counted(lines: Iterable[Line], counter: list[int]) -> Iterable[Line]:
    for line in lines:
        counter[0] += 1
        yield line
