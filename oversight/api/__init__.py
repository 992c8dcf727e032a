"""The JSON API under /api/v1/ (django-ninja): one API, a router per area, on the same actions
and access functions as the pages. Its schema is at /api/v1/openapi.json, read at /api/v1/docs.

    concerns.py   concerns and escalation: raise, respond, issue a notice, resolve

Conventions (every router keeps them):
- session authentication (the signed-in user's cookie, with the CSRF token header on POST);
- the same access functions as the pages: `child_for_user` / `concern_for_user` run before the
  body is read (`bodies.body`), so a child or concern outside the user's scope is 404 whatever
  was sent;
- the same actions as the pages, which alone decide what is allowed: a refusal about the input
  is 422 and names the field, a refusal about who is acting is 403;
- every error body is `{"detail": [{"loc": ["body", "field", ...], "msg": "...", "type": "..."}]}`
  (ninja's own shape for 422), or `{"detail": "..."}` for 401, 403 and 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from oversight.api import concerns
from oversight.audit.actions import record_refused
from oversight.cases.access import OutOfScope
from oversight.escalations.ladders import Refused

api = NinjaAPI(
    title="Oversight API",
    version="1",
    urls_namespace="api-v1",
    auth=django_auth,
    description="Concerns and escalation (issue 8). Session authentication.",
    # The schema and its docs only for someone signed in; the docs' Swagger UI from the app's own
    # static files ("ninja" in INSTALLED_APPS), never a CDN.
    docs_decorator=login_required,
)
api.add_router("/", concerns.router)


@api.exception_handler(OutOfScope)
def out_of_scope(request: HttpRequest, exc: OutOfScope) -> HttpResponse:
    """A child outside the user's scope: 404, as for no such child, and the refusal audited."""
    record_refused(request, exc.child)
    return api.create_response(request, {"detail": "Not Found"}, status=404)


@api.exception_handler(Refused)
def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    """An action's refusal: 403 when it is about who is acting, else 422 naming the field."""
    if exc.forbidden:
        return api.create_response(request, {"detail": exc.message}, status=403)
    loc = ["body", *exc.field.split(".")] if exc.field != "__all__" else ["body"]
    return api.create_response(
        request, {"detail": [{"loc": loc, "msg": exc.message, "type": "refused"}]}, status=422
    )
