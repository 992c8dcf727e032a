"""The API tokens page: an administrator makes a token for another system (shown once, on the
page that made it), sees every token with its user, scope, expiry and last use, and revokes one.
Making, revoking and checking live in `oversight.api.tokens`. Beside it, the webhook deliveries
(`oversight.notifications.webhooks`) with each one's status."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from oversight.api import tokens
from oversight.api.models import ApiToken
from oversight.audit.actions import named, record_page_view
from oversight.cases.access import real_id
from oversight.cases.forms import DayField
from oversight.cases.text import TextForm
from oversight.notifications.models import WebhookDelivery

SCOPES = [("read", "Read only"), ("write", "Read and write")]


class TokenForm(TextForm):
    name = forms.CharField(
        label="Name",
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text="The system that will use it, for example Mosaic bridge",
        error_messages={"required": "Enter a name for the token"},
    )
    user = forms.ChoiceField(
        label="Acts as",
        help_text="The token sees and does what this user may",
        error_messages={"required": "Choose who the token acts as"},
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=SCOPES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the token may do"},
    )
    expires_on = DayField(
        label="Last day it works (optional)", required=False, help_text="For example, 31 3 2027"
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["user"]
        assert isinstance(field, forms.ChoiceField)
        people = get_user_model().objects.filter(is_active=True).order_by("username")
        field.choices = [("", "Choose a user"), *((u.username, u.username) for u in people)]


def _require_administrator(request: HttpRequest) -> None:
    if not tokens.may_manage_tokens(request.user):
        raise Http404("No such page")


@never_cache
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """GET: the tokens and the form; POST: make a token and show its secret, once."""
    _require_administrator(request)
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = tokens.issue(
                name=data["name"],
                user=get_user_model().objects.get(username=data["user"]),
                read_only=data["scope"] == "read",
                expires_on=data["expires_on"],
                acting_user=request.user,
            )
        except tokens.TokenRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            form = TokenForm()
    return render(
        request,
        "web/api_tokens.html",
        {
            "form": form,
            "issued": issued,
            "tokens": ApiToken.objects.select_related("user").order_by("revoked_at", "name"),
            "nav": "api_tokens",
        },
    )


@require_POST
@login_required
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    _require_administrator(request)
    tokens.revoke(
        get_object_or_404(ApiToken, pk=real_id(token_id, "token")), acting_user=request.user
    )
    return redirect("api_tokens")


WEBHOOKS_PER_PAGE = 50


@never_cache
@login_required
def webhook_deliveries(request: HttpRequest) -> HttpResponse:
    """Each webhook delivery, newest first, with where it stands (queued, sending, sent,
    failed), its attempts, the receiver's last answer and the next try; for administrators,
    beside the API tokens. Audited naming the children the page shows."""
    _require_administrator(request)
    found = WebhookDelivery.objects.select_related("child").order_by("-created_at", "-pk")
    page = Paginator(found, WEBHOOKS_PER_PAGE).get_page(request.GET.get("page"))
    shown = [(d.child.pk, d.child.reference) for d in page.object_list if d.child is not None]
    record_page_view(request, what="webhooks.viewed", children=named(shown))
    return render(
        request,
        "web/webhooks.html",
        {"page": page, "url": settings.OVERSIGHT_WEBHOOK_URL, "nav": "api_tokens"},
    )
