from __future__ import annotations

import sys
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from oversight.audit.actions import record_page_view
from oversight.cases.access import children_for_user, sees_children
from oversight.cases.forms import ChildSearchForm
from oversight.cases.search import matching
from oversight.cases.sessions import sign_out_everywhere
from oversight.notifications.health import check
from oversight.web.access import landing
from oversight.web.context_processors import service
from oversight.web.middleware import UNAVAILABLE, unavailable_response
from oversight.web.sso import provider_sign_out_url

CHILDREN_PER_PAGE = 50


def home(request: HttpRequest) -> HttpResponse:
    """The person's first page (`landing`: My caseload, else the first their menu offers)."""
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect(landing(request.user))


@login_required
def children(request: HttpRequest) -> HttpResponse:
    """The children the user may see, searched by name, reference or NHS number (an NHS number
    with a wrong check digit is an error under the search box, and finds nobody). No such page
    for a role that sees no child (an administrator, a corporate IRO), as their menu says."""
    if not sees_children(request.user):
        raise Http404("No such page")
    form = ChildSearchForm(request.GET, auto_id="%s")
    visible = children_for_user(request.user)
    query = ""
    found = visible.none()
    if form.is_valid():
        query = form.cleaned_data["q"]
        found = matching(visible, query)
    found = found.select_related("sibling_group").order_by("last_name", "first_name", "reference")
    page = Paginator(found, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    record_page_view(request, what="children.viewed", children=page.object_list)
    return render(
        request,
        "web/children.html",
        {
            "form": form,
            "query": query or str(form.data.get("q", "")).strip(),
            "query_string": urlencode({"q": query}) if query else "",
            "page": page,
            # the shape of a reference here, from one the user may see
            "example_reference": visible.order_by("reference")
            .values_list("reference", flat=True)
            .first(),
            "nav": "children",
        },
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The service's health as JSON (`oversight.notifications.health`): 200 when the database takes
    a write and the outbox is moving, else 503 (for monitoring). With `?only=database`, the status
    is the database's alone: what a load balancer asks of each web server, which should not take
    every server out of service because the mail server is down."""
    health = check(timezone.now())
    healthy = health.database == "ok" if request.GET.get("only") == "database" else health.healthy
    return JsonResponse(health.as_json(), status=200 if healthy else 503)


@login_required
@never_cache
def sign_out_everywhere_page(request: HttpRequest) -> HttpResponse:
    """GET: what signing out everywhere does; POST: end every session of the user, on every
    computer and every server, this one too; after single sign-on, the provider's session as
    well (on to its end-session endpoint, as signing out does: `sso.provider_sign_out_url`)."""
    if request.method == "POST":
        onward = provider_sign_out_url(request)  # read before the session ends
        sign_out_everywhere(request.user, request=request)
        logout(request)
        if onward != resolve_url(settings.LOGOUT_REDIRECT_URL):
            return redirect(onward)
        return render(request, "web/signed_out_everywhere.html")
    return render(request, "web/sign_out_everywhere.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; the 503 page when the error was the database not answering."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        return unavailable_response()
    html = loader.get_template("500.html").render(service())
    return HttpResponse(html, status=500)


def sign_in_locked(
    request: HttpRequest, original_response: HttpResponse | None, credentials: object
) -> HttpResponse:
    """The page for a sign-in refused by the lockout (django-axes' AXES_LOCKOUT_CALLABLE): 429,
    saying how long to wait, without saying whether the username exists."""
    return render(
        request,
        "web/sign_in_locked.html",
        {"minutes": settings.OVERSIGHT_SIGN_IN_COOL_OFF_MINUTES},
        status=429,
    )
