"""The reports' navigation link (a context processor), for who may read the reports
(`oversight.cases.access.may_read_reports`, which the API's figures share). A callable, so that
a page that does not show the navigation runs no query."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from oversight.cases.access import may_read_reports

__all__ = ["may_read_reports", "navigation"]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"nav_reports": lambda: may_read_reports(user)}
