"""Records due for review (retention, `oversight.cases.retention`): the safeguarding service
manager's list, the decision on a child's records (keep them until the next review, or mark them
for disposal by the council's records manager), and the records marked and awaiting disposal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from oversight.audit.actions import record_page_view
from oversight.cases import retention
from oversight.cases.constants import RetentionDecision
from oversight.cases.forms import RetentionDecisionForm


@login_required
def retention_reviews(request: HttpRequest) -> HttpResponse:
    """GET: the children whose records are due for review, and those marked for disposal; POST:
    the decision on one child's records."""
    if not retention.may_review(request.user):
        raise Http404("No such page")
    today = timezone.localdate()
    years = retention.review_years()
    reviews = list(retention.open_reviews(request.user))
    marked = list(retention.marked_for_disposal(request.user))
    form = RetentionDecisionForm(
        request.POST or None,
        auto_id="%s",
        reviews=[(r.pk, f"{r.child.full_name} ({r.child.reference})") for r in reviews],
        min_chars=retention.REASON_MIN_CHARS,
        next_review_on=retention.years_after(today, years),
    )
    if request.method == "POST" and form.is_valid():
        review = next(r for r in reviews if r.pk == form.cleaned_data["review"])
        retention.decide(
            review,
            RetentionDecision(form.cleaned_data["decision"]),
            reason=form.cleaned_data["reason"],
            on=today,
            acting_user=request.user,
            request=request,
        )
        return redirect("retention")
    record_page_view(
        request,
        what="retention.viewed",
        children=[r.child for r in reviews] + [r.child for r in marked],
    )
    return render(
        request,
        "web/retention.html",
        {
            "reviews": reviews,
            "marked": marked,
            "form": form,
            "years": years,
            "nav": "retention",
        },
    )
