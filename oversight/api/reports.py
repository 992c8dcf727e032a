"""The managers' figures as the reports' documents give them (`oversight.reports.documents`,
rendered by `oversight.reports.render.as_json`: the same JSON as `oversight report NAME
--format json`), over the children the caller may see, for those who may read the reports
(`may_read_reports`); audited naming the children the document names. The conventions are the
API's (`oversight.api`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from oversight.api.conventions import with_etag
from oversight.audit.actions import record_page_view
from oversight.cases.access import children_for_user, may_read_reports
from oversight.cases.constants import Role
from oversight.cases.models import StaffMember, Team
from oversight.cases.text import CleanText
from oversight.reports.documents import DOCUMENTS, NeedsIro, document
from oversight.reports.figures import Period, Scope, last_full_month
from oversight.reports.render import as_json

router = Router(tags=["reports"])

Cell = str | int | float | None


class FigureOut(Schema):
    key: str
    label: str
    numerator: int
    denominator: int | None  # None: a count
    value: float | None  # the percentage to one place; None for a count or nothing to count


class TableOut(Schema):
    caption: str
    columns: list[str]
    rows: list[list[Cell]]


class SectionOut(Schema):
    heading: str
    text: list[str]
    figures: list[str]  # the keys of the figures shown in the section
    tables: list[TableOut]


class DocumentOut(Schema):
    name: str
    title: str
    first: dt.date = Field(alias="from")  # the period, both days counted
    last: dt.date = Field(alias="to")
    figures: list[FigureOut]
    sections: list[SectionOut]


def _refused(name: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ["query", name], "msg": message, "type": "refused"}])


def _scope(request: HttpRequest, team: int | None, iro: str) -> Scope:
    found_team = Team.objects.filter(pk=team).first() if team is not None else None
    if team is not None and found_team is None:
        raise _refused("team", "No such team")
    found_iro = None
    if iro:
        found_iro = StaffMember.objects.filter(user__username=iro, role_set__role=Role.IRO).first()
        if found_iro is None:
            raise _refused("iro", "No IRO with this username")
    return Scope(children_for_user(request.user), found_team, found_iro)


@router.get("/reports/{report}", response=DocumentOut, by_alias=True)
def report(
    request: HttpRequest,
    report: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    team: int | None = None,
    iro: CleanText = Query("", max_length=150),
) -> HttpResponse:
    """A document of the reports (`dashboard`, `monthly`, `quarterly`, `annual`, `partnership`,
    `supervision` with `iro`) for the period (both days count; the last full month's when a date
    is left out), narrowed to a team (its id) and an IRO (a username)."""
    if not may_read_reports(request.user):
        raise PermissionDenied
    if report not in DOCUMENTS:
        raise Http404("No such report")
    default = last_full_month(timezone.localdate())
    period = Period(date_from or default.first, date_to or default.last)
    if period.last < period.first:
        raise _refused("date_to", "The end date must be the same as or after the start date")
    try:
        found = document(report, _scope(request, team, iro), period)
    except NeedsIro:
        raise _refused("iro", "The supervision summary is one IRO's: name them") from None
    record_page_view(request, what=f"api.reports.{report}", children=found.children)
    return with_etag(request, as_json(found))
