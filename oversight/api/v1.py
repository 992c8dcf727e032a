"""The one API object: its authentication (`auth.AUTH`), a rate limit per caller, every router,
and every error as problem details (`problems`)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.throttling import AuthRateThrottle

from oversight.api import (
    audit,
    children,
    complaints,
    concerns,
    meetings,
    obligations,
    policies,
    reports,
)
from oversight.api.auth import AUTH, signed_in_or_token
from oversight.api.conventions import BadQuery, documented
from oversight.api.models import ApiToken
from oversight.api.problems import invalid, problem
from oversight.audit.actions import record_refused
from oversight.cases.access import OutOfScope, RestrictedChild
from oversight.escalations.ladders import Refused


class CallerRate(AuthRateThrottle):
    """Calls per caller (a token, or a signed-in person), counted in a cache every process and
    host shares (the sessions' cache), so a limit is the limit however many servers answer.

    Counted in fixed windows of the rate's period (a minute of "600/m" from its first second):
    one number per caller and window, added to at each call. django-ninja's own throttle keeps
    the time of every call in the window and rewrites the whole list at each call, a cost that
    grows with the rate (issue 17's benchmark: at a warehouse's pace, most of a call's time). A
    caller may so send up to twice the rate across a window's end, never more."""

    cache = caches["sessions"]

    def get_cache_key(self, request: HttpRequest) -> str:
        caller = getattr(request, "auth", None)
        ident = caller.digest if isinstance(caller, ApiToken) else f"user:{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: HttpRequest) -> bool:
        # The setting read at each call, so that a deployment (or a test) changing it is obeyed.
        self.rate = settings.OVERSIGHT_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        assert self.num_requests is not None and self.duration is not None
        self.now = time.time()
        window = int(self.now // self.duration)
        self.ends = (window + 1) * self.duration
        key = f"{self.get_cache_key(request)}:{window}"
        if self.cache.add(key, 1, timeout=self.duration + 1):
            return True
        try:
            calls = self.cache.incr(key)
        except ValueError:  # the window's count expired between the two: this call starts one
            self.cache.set(key, 1, timeout=self.duration + 1)
            calls = 1
        return calls <= self.num_requests

    def wait(self) -> float:
        """Seconds until the window ends and the caller may call again."""
        return max(self.ends - self.now, 1.0)


PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["loc", "msg"],
                "properties": {
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}


class Document(OpenAPISchema):
    """The OpenAPI document, each operation with what the API's conventions do to it
    (`conventions.documented`: its body, If-Match, Idempotency-Key, the problems it answers),
    and what any operation may answer besides: 304 for a GET sent If-None-Match, and any other
    refusal as a problem."""

    def __init__(self, api: NinjaAPI, path_prefix: str) -> None:
        super().__init__(api, path_prefix)
        self["components"]["schemas"]["Problem"] = PROBLEM

    def operation_details(self, operation: Operation) -> dict[str, Any]:
        details = super().operation_details(operation)
        for method in operation.methods:
            documented(
                method.lower(), details, getattr(operation.view_func, "takes", None), self.body
            )
        details["responses"].setdefault("4XX", ANY_PROBLEM)
        if "GET" in operation.methods:
            details["responses"].setdefault(304, {"description": "Not modified"})
        return details

    def body(self, model: type[Schema]) -> dict[str, Any]:
        """A reference to the body's schema, added to the components with its parts."""
        found, _required = self._create_schema_from_model(model, remove_level=False)  # type: ignore[type-var]
        self.schemas[model.__name__] = found
        return {"$ref": f"#/components/schemas/{model.__name__}"}


ANY_PROBLEM = {
    "description": "Any other refusal: a problem (RFC 9457) saying why",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


class Api(NinjaAPI):
    """The API, whose document is `Document`."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return Document(self, path_prefix)


api = Api(
    title="Oversight API",
    version="1",
    urls_namespace="api-v1",
    auth=AUTH,
    throttle=[CallerRate(settings.OVERSIGHT_API_RATE)],
    # The schema and its docs only for a caller who is signed in or holds a token; the docs'
    # Swagger UI from the app's own static files ("ninja" in INSTALLED_APPS), never a CDN.
    docs_decorator=signed_in_or_token,
    description=(
        "Children, their chronology and obligations, meeting records, concerns and escalation, "
        "the complaints log, "
        "the policy pack, the report figures and the audit log. "
        "Authenticate with an API token (`Authorization: Bearer ovs_...`, made by an "
        "administrator on the API tokens page) or a signed-in session. Errors are RFC 9457 "
        "problem details."
    ),
)
api.add_router("/", children.router)
api.add_router("/", meetings.router)
api.add_router("/", obligations.router)
api.add_router("/", policies.router)
api.add_router("/", concerns.router)
api.add_router("/", complaints.router)
api.add_router("/", reports.router)
api.add_router("/", audit.router)


@api.exception_handler(OutOfScope)
def out_of_scope(request: HttpRequest, exc: OutOfScope) -> HttpResponse:
    """A child outside the caller's scope: 404, as for no such child, and the refusal audited."""
    record_refused(request, exc.child)
    return problem(404, "There is no such record, or it is not yours to see")


@api.exception_handler(RestrictedChild)
def restricted(request: HttpRequest, exc: RestrictedChild) -> HttpResponse:
    """A restricted child asked for by a manager of its line who is not named: the API never shows
    the pages' notice; 404, as for no such child, and the refusal audited."""
    record_refused(request, exc.child)
    return problem(404, "There is no such record, or it is not yours to see")


@api.exception_handler(Refused)
def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    """An action's refusal: 403 when it is about who is acting, else 422 naming the field."""
    if exc.forbidden:
        return problem(403, exc.message)
    loc = ["body", *exc.field.split(".")] if exc.field != "__all__" else ["body"]
    return invalid([{"loc": loc, "msg": exc.message, "type": "refused"}])


@api.exception_handler(ValidationError)
def bad_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return invalid(
        [{"loc": list(e["loc"]), "msg": e["msg"], "type": e.get("type", "")} for e in exc.errors]
    )


@api.exception_handler(DjangoValidationError)
def refused_by_a_rule(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A rule of the actions (`oversight.cases.actions`) refused the input."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": ["body", field], "msg": str(m), "type": "refused"}
            for field, messages in exc.message_dict.items()
            for m in messages
        ]
    else:
        errors = [{"loc": ["body"], "msg": m, "type": "refused"} for m in exc.messages]
    return invalid(errors)


@api.exception_handler(BadQuery)
def bad_query(request: HttpRequest, exc: BadQuery) -> HttpResponse:
    """A query parameter this API does not take: 400, naming it as a 422 names a body's field."""
    return problem(
        400,
        exc.message,
        errors=[{"loc": ["query", exc.name], "msg": exc.message, "type": "invalid"}],
    )


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem(401, "Sign in, or send an API token as Authorization: Bearer")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return problem(429, "Too many requests from this caller: wait, then try again")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(exc.status_code, str(exc.message))


@api.exception_handler(PermissionDenied)
def not_allowed(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(403, "Your role may not do this")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(404, "There is no such record, or it is not yours to see")
