"""Logs as one JSON object a line on standard output (settings.LOGGING), each line of a request
carrying its request id.

What a line holds is a fixed list of fields (time, level, logger, message, request id, status,
the request's path without its query string, traceback): never the request's parameters or
body, so a search for a child's name or a form about a child puts no child's data in a log. Our
own log calls name records by id or reference, never a child's name."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
from contextvars import ContextVar

# The request id of the request being handled in this thread or task, "" outside one.
request_id: ContextVar[str] = ContextVar("request_id", default="")

# An id a proxy in front sends (nginx's $request_id: 32 hex digits) is kept if it looks like one.
_GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{8,100}")


def request_id_from(header: str | None) -> str:
    """The proxy's `X-Request-ID` when it is a plain token, else a new one."""
    if header and _GIVEN_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    """One JSON object a record, with only the fields listed in the module's docstring."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if rid := request_id.get():
            line["request_id"] = rid
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            line["status"] = status
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str):
            line["path"] = path
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        elif record.stack_info:
            line["traceback"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False)
