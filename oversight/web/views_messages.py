"""The messages page: every message Oversight sent (or is sending) about the children the user may
see, and those addressed to the user about no child."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from oversight.audit.actions import record_page_view
from oversight.cases.access import children_for_user, staff_for_user
from oversight.notifications.models import Message

MESSAGES_PER_PAGE = 50


@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    """Newest first, paginated, with each message's status and attempts."""
    staff = staff_for_user(request.user)
    scope = Q(child__in=children_for_user(request.user))
    if staff is not None:
        # Messages to the user about no child (a digest, an account notice) are theirs to see.
        scope |= Q(child__isnull=True, recipient=staff)
    found = (
        Message.objects.filter(scope)
        .select_related("child", "recipient__user")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(found, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    record_page_view(request, what="messages.viewed")  # bodies about children: one row per view
    return render(request, "web/messages.html", {"page": page, "nav": "messages"})
