"""The reports' pages: the service dashboard (`/reports/`), the children behind each figure
and their CSV. The figures come from `oversight.reports.figures`, over the children the viewer
may see (`children_for_user`), read from the replica when one is configured
(`oversight.reports.replica`); the pages only parse the filters and show them."""

from __future__ import annotations

import datetime as dt
import io
from typing import IO, Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from oversight.audit.actions import record_page_view
from oversight.cases.access import children_for_user
from oversight.cases.allocations import Caseload
from oversight.cases.constants import Role
from oversight.cases.models import StaffMember, Team
from oversight.cases.text import TextForm
from oversight.interop.access import may_import
from oversight.reports import render as documents_as
from oversight.reports.annex_a import LISTS, NOT_HELD, TITLES, annex_list, window
from oversight.reports.documents import DOCUMENTS, Document, NeedsIro, document
from oversight.reports.export import children_columns, children_table
from oversight.reports.figures import (
    DEFINITIONS,
    Figure,
    Period,
    Scope,
    TeamConcerns,
    caseloads_on,
    concerns_by_team,
    figure,
    figures,
    last_full_month,
)
from oversight.reports.replica import reading_replica
from oversight.reports.trends import Trend, trends
from oversight.web.downloads import file_download, table_download
from oversight.web.navigation_reports import may_read_reports
from oversight.web.period_fields import period_day

ROWS_PER_PAGE = 50
TABLE_FORMATS = ("csv", "xlsx")
DOCUMENT_FORMATS = ("docx", "pdf", "xlsx", "csv")
FORMAT_WORDS = {
    "csv": "CSV",
    "xlsx": "XLSX (Excel)",
    "docx": "Word (.docx), to edit",
    "pdf": "PDF",
}


class ReportFilterForm(TextForm):
    """The period (both days count; each date the last full month's when left empty), a team and
    an IRO."""

    date_from = period_day("From")
    date_to = period_day("To")
    team = forms.ChoiceField(label="Team", required=False)
    iro = forms.ChoiceField(label="IRO", required=False)

    def __init__(self, data: QueryDict | dict[str, str], *, default: Period) -> None:
        data = data.copy()
        for name, day in (("date_from", default.first), ("date_to", default.last)):
            if not data.get(name):  # shown in the field, so the page says which period it is
                data[name] = day.isoformat()
        super().__init__(data)
        team_field, iro_field = self.fields["team"], self.fields["iro"]
        assert isinstance(team_field, forms.ChoiceField)
        assert isinstance(iro_field, forms.ChoiceField)
        team_field.choices = [
            ("", "Every team"),
            *(
                (str(pk), name)
                for pk, name in Team.objects.order_by("name").values_list("pk", "name")
            ),
        ]
        iros = (
            StaffMember.objects.filter(role_set__role=Role.IRO)
            .order_by("user__last_name", "user__first_name", "user__username")
            .values_list("user__username", "user__first_name", "user__last_name")
        )
        iro_field.choices = [
            ("", "Every IRO"),
            *((username, f"{first} {last}".strip() or username) for username, first, last in iros),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        first, last = data["date_from"], data["date_to"]
        if last < first:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        data["period"] = Period(first, last)
        return data

    def scope(self, children: Any) -> Scope:
        data = self.cleaned_data
        team = Team.objects.get(pk=data["team"]) if data.get("team") else None
        iro = StaffMember.objects.get(user__username=data["iro"]) if data.get("iro") else None
        return Scope.read(children, team, iro)


def _filters(request: HttpRequest) -> tuple[ReportFilterForm, Scope | None, Period]:
    """The filters of the request; the scope is None when they are refused."""
    today = timezone.localdate()
    if not may_read_reports(request.user):
        raise PermissionDenied
    default = last_full_month(today)
    form = ReportFilterForm(request.GET, default=default)
    if not form.is_valid():
        return form, None, default
    scope = form.scope(children_for_user(request.user, as_of=today))
    return form, scope, form.cleaned_data["period"]


def _query(period: Period, form: ReportFilterForm, **more: str) -> str:
    """The filters as a query, `more` first (and in place of a filter of the same name)."""
    data = form.cleaned_data
    filters = {
        "date_from": period.first.isoformat(),
        "date_to": period.last.isoformat(),
        "team": data.get("team") or "",
        "iro": data.get("iro") or "",
    }
    return urlencode({**more, **{k: v for k, v in filters.items() if k not in more}})


@login_required
@reading_replica()
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every figure for the period, team and IRO, each linking to the children behind it."""
    form, scope, period = _filters(request)
    found: list[Figure] = []
    links: dict[str, str] = {}
    held: list[tuple[Caseload, str]] = []
    by_team: list[tuple[TeamConcerns, str, str]] = []
    shown: list[Trend] = []
    if scope is not None:
        shown = trends(scope, period.last)
        read = caseloads_on(scope, period)  # once, for the figure and the table
        found = figures(scope, period, iro_caseloads=read)
        links = {f.key: _query(period, form, figure=f.key) for f in found}
        held = [
            (row, _query(period, form, figure="caseload_held", iro=row.iro.user.username))
            for row in read.rows
        ]
        by_team = [
            (
                row,
                _query(period, form, figure=row.raised.key, team=str(row.team.pk)),
                _query(period, form, figure=row.resolved.key, team=str(row.team.pk)),
            )
            for row in concerns_by_team(scope, period)
        ]
        record_page_view(request, what="reports.dashboard")  # counts of children in my scope
    return render(
        request,
        "reports/dashboard.html",
        {
            "nav": "reports",
            "form": form,
            "period": period,
            "rows": [(f, links[f.key]) for f in found],
            "may_export_returns": may_import(request.user),
            "caseloads": held,
            "concerns_by_team": by_team,
            "trends": shown,
            "documents": [
                (reverse(f"report_document_{n}"), title)
                for n, (title, _) in DOCUMENTS.items()
                if n != "dashboard"
            ],
            "query": _query(period, form) if scope is not None else "",
        },
    )


def _figure(request: HttpRequest) -> tuple[ReportFilterForm, Figure | None, Period]:
    form, scope, period = _filters(request)  # refuses anyone but a manager first
    key = request.GET.get("figure", "")
    if key not in DEFINITIONS:
        raise Http404("No such figure")
    return form, (figure(key, scope, period) if scope is not None else None), period


@login_required
@reading_replica()
def children(request: HttpRequest) -> HttpResponse:
    """The children behind one figure (its denominator, each marked when in the numerator), 50
    to a page; the CSV has them all."""
    form, found, period = _figure(request)
    page = Paginator(found.children() if found is not None else [], ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    if found is not None:
        # One row for the page: the path holds the figure, period, team and IRO that name them.
        record_page_view(request, what=f"reports.children {found.key}", children=page.object_list)
    return render(
        request,
        "reports/children.html",
        {
            "nav": "reports",
            "form": form,
            "figure": found,
            "period": period,
            "page": page,
            "columns": children_columns(found) if found is not None else (),
            "downloads": [
                (
                    reverse(f"report_children_{fmt}")
                    + f"?{_query(period, form, figure=found.key)}",
                    FORMAT_WORDS[fmt],
                )
                for fmt in TABLE_FORMATS
            ]
            if found is not None
            else [],
            "query": _query(period, form, figure=found.key) if found is not None else "",
            "dashboard_query": _query(period, form) if found is not None else "",
        },
    )


@login_required
@reading_replica()
def children_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The children behind one figure as CSV or XLSX, audited with the rows and the children."""
    _form, found, period = _figure(request)
    if found is None:  # refused filters: the list's page says why
        return children(request)
    columns, lines = children_table(found, found.children())
    dates = f"{period.first.isoformat()} to {period.last.isoformat()}"
    return table_download(
        request,
        what=f"reports.{found.key}",
        name=f"{found.key}_{period.first.isoformat()}_{period.last.isoformat()}",
        fmt=fmt,
        sheet=found.key,
        columns=columns,
        lines=lines,
        reason=dates,
    )


class AnnexForm(TextForm):
    """The day the six months end (today when left empty)."""

    date = period_day("The lists' last day")

    def __init__(self, data: QueryDict | dict[str, str], *, default: dt.date) -> None:
        data = data.copy()
        if not data.get("date"):
            data["date"] = default.isoformat()
        super().__init__(data)


def _annex_form(request: HttpRequest) -> tuple[AnnexForm, dt.date | None]:
    if not may_read_reports(request.user):
        raise PermissionDenied
    form = AnnexForm(request.GET, default=timezone.localdate())
    return form, form.cleaned_data["date"] if form.is_valid() else None


@login_required
@reading_replica()
def annex_a(request: HttpRequest) -> HttpResponse:
    """Ofsted's Annex A lists 5, 7 and 8 for the six months before a day: each list's window,
    its downloads and the columns Oversight does not hold (present and empty in the files)."""
    form, day = _annex_form(request)
    lists = []
    if day is not None:
        query = urlencode({"date": day})
        lists = [
            (
                window(day),
                number,
                TITLES[number],
                NOT_HELD[number],
                [
                    (reverse(f"report_annex_a_{number}_{fmt}") + f"?{query}", FORMAT_WORDS[fmt])
                    for fmt in ("xlsx", "csv")
                ],
            )
            for number in LISTS
        ]
    return render(request, "reports/annex_a.html", {"nav": "reports", "form": form, "lists": lists})


@login_required
@reading_replica()
def annex_a_export(request: HttpRequest, number: int, fmt: str) -> HttpResponseBase:
    """One Annex A list as XLSX (a sheet named "List N") or CSV, of the children the viewer
    may see, audited with the rows and each child."""
    _form, day = _annex_form(request)
    if day is None:
        return annex_a(request)
    scope = Scope.read(children_for_user(request.user, as_of=timezone.localdate()))
    found = annex_list(number, scope, day)
    return table_download(
        request,
        what=f"reports.annex_a_{number}",
        name=f"annex_a_list_{number}_{day.isoformat()}",
        fmt=fmt,
        sheet=f"List {number}",
        columns=found.columns,
        lines=found.lines,
        reason=f"{found.period.first.isoformat()} to {found.period.last.isoformat()}",
    )


WRITERS = {
    "docx": documents_as.write_docx,
    "pdf": documents_as.write_pdf,
    "xlsx": documents_as.write_xlsx,
}


def _document(request: HttpRequest, name: str) -> tuple[ReportFilterForm, Document | None]:
    """The filters and the document `name` for them (None when they are refused); the
    supervision summary refuses "Every IRO" on the IRO's field."""
    if name not in DOCUMENTS:
        raise Http404("No such report")
    form, scope, period = _filters(request)
    if scope is None:
        return form, None
    try:
        return form, document(name, scope, period)
    except NeedsIro:
        form.add_error("iro", "Choose the IRO whose supervision summary this is")
        return form, None


@login_required
@reading_replica()
def document_page(request: HttpRequest, name: str) -> HttpResponse:
    """A document as a page: its sections, each figure linked to its children, its tables,
    and its downloads; audited naming the children its tables name."""
    form, found = _document(request, name)
    sections: list[tuple[Any, list[tuple[Figure, str]]]] = []
    query = ""
    if found is not None:
        sections = [
            (s, [(f, _query(found.period, form, figure=f.key)) for f in s.figures])
            for s in found.sections
        ]
        query = _query(found.period, form)
        record_page_view(request, what=f"reports.{name}", children=found.children)
    return render(
        request,
        "reports/document.html",
        {
            "nav": "reports",
            "form": form,
            "name": name,
            "title": DOCUMENTS[name][0],
            "document": found,
            "sections": sections,
            "query": query,
            "downloads": [
                (reverse(f"report_document_{name}_{fmt}") + f"?{query}", FORMAT_WORDS[fmt])
                for fmt in DOCUMENT_FORMATS
            ]
            if found is not None
            else [],
        },
    )


@login_required
@reading_replica()
def document_export(request: HttpRequest, name: str, fmt: str) -> HttpResponseBase:
    """A document as Word, PDF, XLSX or CSV, audited naming the children its tables name."""
    _form, found = _document(request, name)
    if found is None:
        return document_page(request, name)

    def write(out: IO[bytes]) -> None:
        if fmt == "csv":
            text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
            documents_as.write_csv(text, found)
            text.detach()
        else:
            WRITERS[fmt](out, found)

    period = found.period
    return file_download(
        request,
        what=f"reports.{name}",
        name=f"{name}_{period.first.isoformat()}_{period.last.isoformat()}",
        fmt=fmt,
        write=write,
        reason=lambda: f"{period.first.isoformat()} to {period.last.isoformat()}",
        children=found.children,
    )
