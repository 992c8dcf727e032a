from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from oversight.audit.actions import record_child_view
from oversight.cases.access import child_for_user, children_for_user, open_allocations
from oversight.web.context_processors import service
from oversight.web.middleware import UNAVAILABLE, unavailable_response

CHILDREN_PER_PAGE = 50


def home(request: HttpRequest) -> HttpResponse:
    return redirect("children")


@login_required
def children(request: HttpRequest) -> HttpResponse:
    """The children the user may see, searched by any part of a name or by reference."""
    query = request.GET.get("q", "").strip()[:100]
    found = children_for_user(request.user)
    for term in query.split():
        found = found.filter(
            Q(reference__istartswith=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
        )
    found = found.select_related("sibling_group").order_by("last_name", "first_name", "reference")
    page = Paginator(found, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/children.html", {"query": query, "page": page, "nav": "children"})


@login_required
def child(request: HttpRequest, child_id: int) -> HttpResponse:
    """One child's details, the people allocated and the chronology, newest first. Audited."""
    today = timezone.localdate()
    found = child_for_user(request.user, child_id, as_of=today)
    record_child_view(request, found)
    allocations = found.allocations.select_related("staff__user", "staff__team").order_by(
        "role", "-starts"
    )
    siblings = []
    if found.sibling_group_id is not None:
        siblings = list(
            children_for_user(request.user, as_of=today)
            .filter(sibling_group_id=found.sibling_group_id)
            .exclude(pk=found.pk)
            .order_by("date_of_birth", "first_name")
        )
    events = found.events.select_related("recorded_by").order_by(
        F("date").desc(), F("time").desc(nulls_last=True), F("id").desc()
    )
    return render(
        request,
        "web/child.html",
        {
            "child": found,
            "current_allocations": allocations.filter(open_allocations(today)),
            "past_allocations": allocations.exclude(open_allocations(today)),
            "siblings": siblings,
            "events": events,
            "nav": "children",
        },
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with {"database": "ok"} when the database answers a query, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; the 503 page when the error was the database not answering."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        return unavailable_response()
    html = loader.get_template("500.html").render(service())
    return HttpResponse(html, status=500)
