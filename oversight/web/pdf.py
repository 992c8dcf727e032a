"""PDF downloads of the pages that are records (a meeting record, a notice of concern, an
escalation record, a child's summary): the page's own HTML, printed by WeasyPrint with the print
stylesheet every page has (`assets/oversight.scss`, `@media print`), and a footer on each sheet
saying what it is, who made it and when. Each download is audited naming the child, and no
cache keeps it (`Cache-Control: no-store`).

WeasyPrint reads only the service's own static files: any other address in the page is refused,
so printing never reaches the network."""

from __future__ import annotations

import mimetypes
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from oversight.audit.actions import ChildRecord, record_export
from oversight.cases.formatting import clock, day

STATIC = "/static/"
SERVICE_STYLESHEET = "govuk/oversight.css"  # every page's own <link>: parsed once per process


def _static_only() -> Any:
    """WeasyPrint's URL fetcher that answers with a file of the service's static folders and
    refuses every other address."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = urlsplit(url).path
            if path == STATIC + SERVICE_STYLESHEET:  # given to WeasyPrint already parsed
                return URLFetcherResponse(url, b"", {"Content-Type": "text/css"})
            found = finders.find(path.removeprefix(STATIC)) if path.startswith(STATIC) else None
            if not isinstance(found, str):
                raise ValueError(f"not one of the service's own files: {url}")
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            with open(found, "rb") as handle:
                return URLFetcherResponse(url, handle.read(), {"Content-Type": kind})

    return StaticOnly()


@cache
def _service_stylesheet() -> Any:
    """The service's stylesheet as WeasyPrint has parsed it (a second of work, once)."""
    from weasyprint import CSS

    return CSS(filename=finders.find(SERVICE_STYLESHEET), url_fetcher=_static_only())


def _footer(what: str, request: HttpRequest) -> str:
    """The footer of every sheet: what it is, who printed it and when, and the page number."""
    now = timezone.localtime()
    name = request.user.get_full_name() or request.user.get_username()  # type: ignore[union-attr]
    text = f"{what}. Printed by {name}, {day(now)} at {clock(now)}."
    quoted = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return (
        "@page { size: A4; margin: 18mm 15mm 20mm;"
        f' @bottom-left {{ content: "{quoted}"; font: 8pt sans-serif; }}'
        ' @bottom-right { content: "Page " counter(page) " of " counter(pages);'
        " font: 8pt sans-serif; } }"
    )


def pdf_response(
    request: HttpRequest, html: str, *, what: str, child: ChildRecord, audit: str
) -> HttpResponse:
    """`html` (a page of the service) as a PDF download named after `what` and the child's
    reference; audited as the export `audit` of `child`."""
    from weasyprint import CSS, HTML

    document = HTML(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=_static_only()
    )
    footer = CSS(string=_footer(f"{what}, {child.reference}", request))
    data = document.write_pdf(stylesheets=[_service_stylesheet(), footer])
    record_export(request, what=audit, child=child)
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"{slugify(what)}-{slugify(child.reference)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
