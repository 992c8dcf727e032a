"""Middleware of every request: its request id, for every log line it writes; the data's version read once as it begins; nothing shown to
someone signed in is kept by a browser or a proxy; and when the database does not answer, the
page says the service is unavailable (503), never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

from oversight.cache import data_version
from oversight.web.context_processors import service
from oversight.web.logs import request_id, request_id_from

logger = logging.getLogger(__name__)

# What Django raises, on SQLite and PostgreSQL alike, when a connection is refused or lost.
UNAVAILABLE = (OperationalError, InterfaceError)


def unavailable_response() -> HttpResponse:
    """The 503 page, rendered without the request so that nothing on it touches the database."""
    html = loader.get_template("503.html").render(service())
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "60"
    return response


class RequestIdMiddleware:
    """Gives each request an id (the proxy's `X-Request-ID`, else a new one), on each of its log
    lines and on the response, so a person's report of an error finds its traceback."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id_from(request.headers.get("X-Request-ID"))
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class RequestSizeMiddleware:
    """Refuses (413) a request whose body is larger than OVERSIGHT_REQUEST_MAX_BYTES before any of
    it is read: the largest upload and its form, no more. The proxy in front caps it first
    (nginx's `client_max_body_size`); this holds when it does not."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.OVERSIGHT_REQUEST_MAX_BYTES
        if length > limit:
            return HttpResponse(
                f"The request is larger than {limit // (1024 * 1024)} MB: nothing was read.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class DataVersionMiddleware:
    """Each request reads the data's version once, as it begins (`oversight.cache.data_version`):
    everything it remembers or reuses is keyed by that version."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with data_version.held():
            return self.get_response(request)


class NoStoreMiddleware:
    """Every response to someone signed in (a page, a download, an API answer: any may show a
    child's record) says `Cache-Control: no-store, private`, so that neither the browser's cache
    nor a shared proxy keeps a copy after the session ends. After Django's
    AuthenticationMiddleware; the static assets (WhiteNoise, before it) stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        try:
            signed_in = request.user.is_authenticated
        except UNAVAILABLE:  # the session could not be read: the response is the 503 page
            return response
        if signed_in:
            add_never_cache_headers(response)
        return response


class DatabaseUnavailableMiddleware:
    """Turns a database outage during a view into the 503 page (even with DEBUG on).

    Outages outside a view (a session saved on the way out) reach `server_error`, which does
    the same."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UNAVAILABLE):
            logger.error("database unavailable: %s", exception)
            return unavailable_response()
        return None
