"""Retention: a child's records come up for review a number of years (the policy pack's
`retention.review_after_years`) after the child's last event, or after the last review that kept
them. The nightly run flags them (`flag_due`), the safeguarding service manager reviews them on
`/retention/` and records one of two decisions, each with a reason: `keep` (until the next
review, the pack's years later) or `mark_for_disposal` (the council's records manager disposes
of them under its retention schedule; a marked child is never flagged again). Oversight never
deletes a record by itself: storage limitation (UK GDPR Art 5(1)(e)) is people's decision, on
the audit log."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import HttpRequest

from oversight.audit.actions import record_change
from oversight.cases.access import User, children_for_user, staff_for_user
from oversight.cases.constants import RetentionDecision, Role
from oversight.cases.models import Child, RetentionReview, StaffMember

REVIEWER_ROLES = frozenset({Role.SAFEGUARDING_SERVICE_MANAGER})
# An erased record's reference (`oversight.erasure`): the prefix of its random pseudonym.
ERASED_PREFIX = "ERASED-"
REASON_MIN_CHARS = 10


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February in a year without one is 28 February (the
    review comes a day early, never late)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def review_due(last_event_on: dt.date, kept_on: dt.date | None, years: int) -> dt.date:
    """When a child's records come up for review: `years` after the later of their last event
    and the last review that kept them."""
    since = max(last_event_on, kept_on) if kept_on is not None else last_event_on
    return years_after(since, years)


def review_years() -> int:
    """The active pack's `retention.review_after_years` (the national baseline's when the
    council's pack has none)."""
    from oversight.policies import load_pack
    from oversight.policies.checks import active_policy

    rules = load_pack(active_policy()).retention or load_pack("england").retention
    assert rules is not None, "the england pack sets retention"
    return rules.review_after_years


def flag_due(*, as_of: dt.date, years: int) -> int:
    """Open a review for each child whose records are due by `as_of` and have none open (and
    are not marked for disposal); the number opened. Each opening is on the audit log (no
    person: the nightly run)."""
    reviews = RetentionReview.objects.filter(child=OuterRef("pk"))
    candidates = (
        Child.objects.annotate(
            last_event_on=Max("events__date"),
            kept_on=Max(
                "retention_reviews__decided_on",
                filter=Q(retention_reviews__decision=RetentionDecision.KEEP),
            ),
            under_review=Exists(reviews.filter(decided_on__isnull=True)),
            marked=Exists(reviews.filter(decision=RetentionDecision.DISPOSE)),
        )
        .filter(last_event_on__lte=years_after(as_of, -years) + dt.timedelta(days=1))
        .filter(under_review=False, marked=False)
        .values_list("pk", "reference", "last_event_on", "kept_on")
    )
    opened = 0
    for pk, reference, last_event_on, kept_on in candidates.iterator():
        due = review_due(last_event_on, kept_on, years)
        if due > as_of:
            continue
        with transaction.atomic():
            RetentionReview.objects.create(
                child_id=pk, last_event_on=last_event_on, due_on=due, flagged_on=as_of
            )
            record_change(
                Child(pk=pk, reference=reference),
                action="child.retention_review_due",
                before=None,
                after={"last_event_on": last_event_on, "due_on": due, "years": years},
                acting_user=None,
            )
        opened += 1
    return opened


def may_review(user: User) -> bool:
    staff = staff_for_user(user)
    return staff is not None and bool(staff.roles & REVIEWER_ROLES)


def open_reviews(user: User) -> QuerySet[RetentionReview]:
    """The open reviews of the children `user` may see (a restricted record: only if named on
    it), oldest due first."""
    return (
        RetentionReview.objects.filter(decided_on__isnull=True, child__in=children_for_user(user))
        .select_related("child")
        .order_by("due_on", "child__reference")
    )


def marked_for_disposal(user: User) -> QuerySet[RetentionReview]:
    """The children `user` may see whose records a review marked for disposal, awaiting the
    council's records manager (an erased record waits no more), longest waiting first."""
    return (
        RetentionReview.objects.filter(
            decision=RetentionDecision.DISPOSE, child__in=children_for_user(user)
        )
        .exclude(child__reference__startswith=ERASED_PREFIX)
        .select_related("child", "decided_by__user")
        .order_by("decided_on", "child__reference")
    )


def decide(
    review: RetentionReview,
    decision: RetentionDecision,
    *,
    reason: str,
    on: dt.date,
    acting_user: User,
    request: HttpRequest | None = None,
) -> None:
    """The reviewer's decision on an open review, with the reason: KEEP closes it with the next
    review the pack's years after `on`; DISPOSE marks the records for the council's records
    manager (nothing is deleted here, and the child is not flagged again). Audited."""
    assert review.decided_on is None, "a review is decided once"
    staff: StaffMember | None = staff_for_user(acting_user)
    keeping = decision == RetentionDecision.KEEP
    next_review_on = years_after(on, review_years()) if keeping else None
    with transaction.atomic():
        review.decision = decision
        review.decided_on = on
        review.decided_by = staff
        review.next_review_on = next_review_on
        review.reason = reason
        review.save(
            update_fields=["decision", "decided_on", "decided_by", "next_review_on", "reason"]
        )
        after: dict[str, object] = {"decided_on": on}
        if keeping:
            after["next_review_on"] = next_review_on
        record_change(
            review.child,
            action="child.retention_kept" if keeping else "child.retention_marked_for_disposal",
            before={"due_on": review.due_on},
            after=after,
            reason=reason,
            acting_user=acting_user,
            request=request,
        )
