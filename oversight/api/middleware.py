"""Answers under /api/v1/ that no operation made (Django's 404 for a path no route matches, such
as `/api/v1/children/abc`; django-ninja's 405 for a method a path does not take) as problem
details, like every other error of the API, instead of an HTML page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from oversight.api.problems import problem
from oversight.audit.actions import record_api_call, serving

PREFIX = "/api/v1/"
DETAILS = {404: "There is no such record, or it is not yours to see", 405: "Not a method here"}


class ProblemsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(PREFIX)
            and response.status_code in DETAILS
            and not response.get("Content-Type", "").startswith(("application/problem+json",))
        ):
            replaced = problem(response.status_code, DETAILS[response.status_code])
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            return replaced
        return response


class CallAuditMiddleware:
    """A call with an API token is served inside `serving`, so the rows its actions write name
    the token and the call (a write is one row); one that wrote no audit row at all (a policy
    pack read, a refusal of its input) is audited as it ends, under the token's name
    (`record_api_call`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with serving(request):
            response = self.get_response(request)
        if getattr(request, "audit_via", ""):
            record_api_call(request)
        return response
