"""The inbox: what others did on my children and concerns, as the outbox addressed it to me
(`oversight.notifications.inbox`), newest first with the unread marked; marking read. Beside the
messages page, the log of every email sent about the children I may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from oversight.audit.actions import record_page_view
from oversight.cases.access import User, staff_for_user
from oversight.cases.models import StaffMember
from oversight.notifications import inbox
from oversight.notifications.forms import MarkReadForm

MESSAGES_PER_PAGE = 50


def _staff(request: HttpRequest) -> StaffMember:
    staff = staff_for_user(request.user)
    if staff is None:
        raise PermissionDenied
    return staff


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    """My messages, 50 a page; audited naming each child the page shows."""
    return _inbox(request, _staff(request), MarkReadForm())


def _inbox(request: HttpRequest, staff: StaffMember, form: MarkReadForm) -> HttpResponse:
    found = inbox.received(staff).select_related("child", "queued_by")
    page = Paginator(found, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    record_page_view(
        request,
        what="inbox.viewed",
        children=[m.child for m in page.object_list if m.child is not None],
    )
    return render(
        request,
        "web/inbox.html",
        {"page": page, "unread": inbox.unread_count(staff), "form": form, "nav": "inbox"},
    )


@login_required
@require_POST
def inbox_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one message read (`message`), or every one (`all`); back to the inbox."""
    staff = _staff(request)
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        return _inbox(request, staff, form)
    chosen = form.cleaned_data["message"]
    inbox.mark_read(staff, message_ids=None if chosen is None else [chosen])
    return redirect("inbox")


def unread_badge(user: User) -> SafeString:
    """The navigation's count of unread messages after "Inbox" ("" with none)."""
    staff = staff_for_user(user)
    count = inbox.unread_count(staff) if staff is not None else 0
    if not count:
        return SafeString("")
    return format_html(
        ' <strong class="govuk-tag govuk-tag--red app-count">{}'
        '<span class="govuk-visually-hidden"> unread</span></strong>',
        count,
    )


def navigation(request: HttpRequest) -> dict[str, object]:
    """Context processor: "Inbox" for every member of staff, with its unread count (callables,
    so that a page that does not show the navigation runs no query)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_inbox": lambda: staff_for_user(user) is not None,
        "nav_inbox_unread": lambda: unread_badge(user),
    }
