"""Records due for review (retention, `oversight.cases.retention`): the safeguarding service
manager's list, and keeping a child's records with a reason."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from oversight.audit.actions import record_page_view
from oversight.cases import retention
from oversight.cases.forms import KeepRecordsForm


@login_required
def retention_reviews(request: HttpRequest) -> HttpResponse:
    """GET: the children whose records are due for review; POST: keep one child's records."""
    if not retention.may_review(request.user):
        raise Http404("No such page")
    reviews = list(retention.open_reviews(request.user))
    form = KeepRecordsForm(
        request.POST or None,
        auto_id="%s",
        reviews=[(r.pk, f"{r.child.full_name} ({r.child.reference})") for r in reviews],
        min_chars=retention.REASON_MIN_CHARS,
    )
    if request.method == "POST" and form.is_valid():
        review = next(r for r in reviews if r.pk == form.cleaned_data["review"])
        retention.keep(
            review,
            reason=form.cleaned_data["reason"],
            on=timezone.localdate(),
            acting_user=request.user,
            request=request,
        )
        return redirect("retention")
    record_page_view(request, what="retention.viewed", children=[r.child for r in reviews])
    return render(
        request,
        "web/retention.html",
        {"reviews": reviews, "form": form, "years": retention.review_years(), "nav": "retention"},
    )
