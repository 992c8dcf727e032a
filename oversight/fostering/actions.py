"""Adding a carer household and changing its details, recording its review, and raising, answering, escalating and resolving a
concern about it.

Each action is atomic: its rows and an audit row of the change (`record_change` with no child: a
household is not a child's record), and for a concern's step the emails to whoever acts next
(`oversight.fostering.messages`), or nothing. Bad input is refused with a `ValidationError`
naming the field; someone whose role does not see carers with `PermissionDenied`. "Today" is
`as_of` (the demo's own day), else the local date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.audit.actions import record_change
from oversight.cases.access import may_see_carers, staff_for_user
from oversight.cases.constants import Role
from oversight.cases.models import StaffMember
from oversight.fostering import ladder, messages
from oversight.fostering.access import answers_concern
from oversight.fostering.constants import ApprovalType, CarerStatus, StepKind
from oversight.fostering.models import (
    REFERENCE_LENGTH,
    Carer,
    CarerConcern,
    CarerReview,
    ConcernStep,
)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def carer_snapshot(carer: Carer) -> dict[str, Any]:
    """The household as the audit log keeps it."""
    return {
        "id": carer.pk,
        "reference": carer.reference,
        "names": carer.names,
        "approved_on": carer.approved_on.isoformat(),
        "children": carer.children,
        "age_from": carer.age_from,
        "age_to": carer.age_to,
        "approval_type": carer.approval_type,
        "status": carer.status,
        "supervising_social_worker": carer.supervising_social_worker_id,
    }


def review_snapshot(review: CarerReview) -> dict[str, Any]:
    """The review as the audit log keeps it."""
    return {
        "id": review.pk,
        "carer": review.carer.reference,
        "held_on": review.held_on.isoformat(),
        "chaired_by": review.chaired_by_id,
        "continue_to_foster": review.continue_to_foster,
        "household_appropriate": review.household_appropriate,
        "terms_appropriate": review.terms_appropriate,
        "new_terms": review.new_terms,
        "carers_views": review.carers_views,
        "childrens_views": review.childrens_views,
    }


def concern_snapshot(concern: CarerConcern) -> dict[str, Any]:
    """The concern as the audit log keeps it."""
    return {
        "id": concern.pk,
        "carer": concern.carer.reference,
        "raised_on": concern.raised_on.isoformat(),
        "issue": concern.issue,
        "stage": concern.stage,
        "stage_since": concern.stage_since.isoformat(),
        "resolved_on": _iso(concern.resolved_on),
    }


def _require_carers(acting_user: Any) -> None:
    if not may_see_carers(acting_user):
        raise PermissionDenied("Only the corporate IRO and the IRO service's managers may do this")


def _not_future(day: dt.date, field: str, today: dt.date) -> None:
    if day > today:
        raise ValidationError({field: "The date cannot be in the future"})


def _required(text: str, field: str, message: str) -> str:
    if not text.strip():
        raise ValidationError({field: message})
    return text.strip()


# A foster child is under 18: terms of approval name ages from 0 to 17.
OLDEST = 17
# More than this many children in one household is beyond the usual fostering limit of three
# (Children Act 1989, Schedule 7) by far: a typing slip, not an exemption.
MOST_CHILDREN = 6


def _details_problems(
    *,
    names: str,
    approved_on: dt.date,
    children: int,
    age_from: int,
    age_to: int,
    approval_type: str,
    status: str,
    supervising_social_worker: StaffMember | None,
    today: dt.date,
    kept: int | None = None,
) -> dict[str, str]:
    """What is wrong with a household's details, by field (empty: nothing). The supervising
    social worker already recorded (`kept`, their id) stays even once they have left: a change
    of the carers' status need not wait for a new one."""
    problems: dict[str, str] = {}
    if not names.strip():
        problems["names"] = "Enter the carers' names"
    if approved_on > today:
        problems["approved_on"] = "The date of approval cannot be in the future"
    if not 1 <= children <= MOST_CHILDREN:
        problems["children"] = f"Enter a number of children from 1 to {MOST_CHILDREN}"
    if not 0 <= age_from <= OLDEST:
        problems["age_from"] = f"Enter an age from 0 to {OLDEST}"
    if not 0 <= age_to <= OLDEST:
        problems["age_to"] = f"Enter an age from 0 to {OLDEST}"
    elif age_from <= OLDEST and age_to < age_from:
        problems["age_to"] = "The oldest age cannot be below the youngest"
    if approval_type not in ApprovalType.values:
        problems["approval_type"] = "Choose the kind of fostering approved"
    if status not in CarerStatus.values:
        problems["status"] = "Choose the carers' status"
    if (supervising_social_worker is not None and supervising_social_worker.pk != kept) and (
        Role.SOCIAL_WORKER not in supervising_social_worker.roles
        or not supervising_social_worker.user.is_active
    ):
        problems["supervising_social_worker"] = "Choose a social worker to supervise the carers"
    return problems


def add_carer(
    *,
    reference: str,
    names: str,
    approved_on: dt.date,
    children: int,
    age_from: int,
    age_to: int,
    approval_type: str,
    supervising_social_worker: StaffMember | None,
    status: str = CarerStatus.APPROVED,
    acting_user: Any,
    as_of: dt.date | None = None,
) -> Carer:
    """A new household, by the reference its placements will name as their provider."""
    today = as_of or timezone.localdate()
    _require_carers(acting_user)
    details: dict[str, Any] = {
        "names": names,
        "approved_on": approved_on,
        "children": children,
        "age_from": age_from,
        "age_to": age_to,
        "approval_type": approval_type,
        "status": status,
        "supervising_social_worker": supervising_social_worker,
    }
    problems = _details_problems(**details, today=today)
    reference = reference.strip()
    if not reference:
        problems["reference"] = "Enter the household's reference"
    elif len(reference) > REFERENCE_LENGTH:
        problems["reference"] = f"The reference can be at most {REFERENCE_LENGTH} characters"
    elif Carer.objects.filter(reference=reference).exists():
        problems["reference"] = "A household with this reference is recorded"
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        carer = Carer.objects.create(
            reference=reference, **{**details, "names": names.strip()}, created_at=timezone.now()
        )
        record_change(
            None,
            action="carer.added",
            before=None,
            after=carer_snapshot(carer),
            acting_user=acting_user,
        )
    return carer


def change_carer(
    carer: Carer,
    *,
    names: str,
    approved_on: dt.date,
    children: int,
    age_from: int,
    age_to: int,
    approval_type: str,
    status: str,
    supervising_social_worker: StaffMember | None,
    acting_user: Any,
    as_of: dt.date | None = None,
) -> Carer:
    """The household's details and status changed. Its reference stays: the placement events
    of the children placed with it name it."""
    today = as_of or timezone.localdate()
    _require_carers(acting_user)
    details: dict[str, Any] = {
        "names": names.strip(),
        "approved_on": approved_on,
        "children": children,
        "age_from": age_from,
        "age_to": age_to,
        "approval_type": approval_type,
        "status": status,
        "supervising_social_worker": supervising_social_worker,
    }
    problems = _details_problems(**details, today=today, kept=carer.supervising_social_worker_id)
    first_review = carer.reviews.order_by("held_on").values_list("held_on", flat=True).first()
    if "approved_on" not in problems and first_review is not None and approved_on > first_review:
        problems["approved_on"] = "The approval cannot be after the carers' first review"
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        before = carer_snapshot(carer)
        for field, value in details.items():
            setattr(carer, field, value)
        after = carer_snapshot(carer)
        if after == before:
            return carer
        carer.save(update_fields=list(details))
        record_change(
            None, action="carer.changed", before=before, after=after, acting_user=acting_user
        )
    return carer


def record_review(
    carer: Carer,
    *,
    held_on: dt.date,
    chaired_by: StaffMember,
    continue_to_foster: bool,
    household_appropriate: bool,
    terms_appropriate: bool,
    new_terms: str = "",
    carers_views: str = "",
    childrens_views: str = "",
    acting_user: Any,
    as_of: dt.date | None = None,
) -> CarerReview:
    """The review of `carer` held on `held_on`, chaired by a corporate IRO, with its three
    recommendations (and the new terms when the terms of approval are no longer appropriate):
    it meets `carer.review.first` or `.next` and starts the count to the next."""
    today = as_of or timezone.localdate()
    _require_carers(acting_user)
    _not_future(held_on, "held_on", today)
    if held_on < carer.approved_on:
        raise ValidationError({"held_on": "The review cannot be before the carers' approval"})
    if Role.CORPORATE_IRO not in chaired_by.roles:
        raise ValidationError({"chaired_by": "Choose a corporate IRO to chair the review"})
    if carer.reviews.filter(held_on=held_on).exists():
        raise ValidationError({"held_on": "A review of these carers on that day is recorded"})
    if not terms_appropriate:
        new_terms = _required(
            new_terms, "new_terms", "Enter the terms of approval the review recommends"
        )
    elif new_terms.strip():
        raise ValidationError(
            {"new_terms": "Give new terms only when the terms of approval are not appropriate"}
        )
    with transaction.atomic():
        review = CarerReview.objects.create(
            carer=carer,
            held_on=held_on,
            chaired_by=chaired_by,
            continue_to_foster=continue_to_foster,
            household_appropriate=household_appropriate,
            terms_appropriate=terms_appropriate,
            new_terms=new_terms.strip(),
            carers_views=carers_views.strip(),
            childrens_views=childrens_views.strip(),
            recorded_by=acting_user if acting_user.is_authenticated else None,
            created_at=timezone.now(),
        )
        record_change(
            None,
            action="carer.review_recorded",
            before=None,
            after=review_snapshot(review),
            acting_user=acting_user,
        )
    return review


def _step(concern: CarerConcern, kind: str, on: dt.date, text: str, acting_user: Any) -> None:
    ConcernStep.objects.create(
        concern=concern,
        kind=kind,
        stage=concern.stage,
        on=on,
        text=text,
        recorded_by=acting_user if acting_user.is_authenticated else None,
    )


def raise_concern(
    carer: Carer, *, issue: str, on: dt.date, acting_user: Any, as_of: dt.date | None = None
) -> CarerConcern:
    """A concern about `carer` raised by the corporate IRO on `on`, at stage 1 of the pack's
    `fostering.concern_ladder`; refused where the pack has no such ladder."""
    today = as_of or timezone.localdate()
    _require_carers(acting_user)
    staff = staff_for_user(acting_user)
    if staff is None or Role.CORPORATE_IRO not in staff.roles:
        raise PermissionDenied("Only a corporate IRO raises a concern about carers")
    if not ladder.stages():
        raise ValidationError({"issue": "This council has no ladder for concerns about carers"})
    issue = _required(issue, "issue", "Say what the concern is")
    _not_future(on, "on", today)
    with transaction.atomic():
        concern = CarerConcern.objects.create(
            carer=carer,
            raised_by=staff,
            raised_on=on,
            issue=issue,
            stage=1,
            stage_since=on,
            created_at=timezone.now(),
        )
        _step(concern, StepKind.RAISED, on, issue, acting_user)
        record_change(
            None,
            action="carer.concern_raised",
            before=None,
            after=concern_snapshot(concern),
            acting_user=acting_user,
        )
        messages.tell_step(concern, StepKind.RAISED, acting_user)
    return concern


def _open_step(
    concern: CarerConcern, on: dt.date, acting_user: Any, today: dt.date, *, answer: bool = False
) -> None:
    """What every later step checks: the role (for an `answer`, also whoever answers the present
    stage), the concern still open, the day."""
    if not (answer and answers_concern(acting_user, concern)):
        _require_carers(acting_user)
    if concern.resolved_on is not None:
        raise ValidationError({"on": "This concern has been resolved"})
    _not_future(on, "on", today)
    if on < concern.stage_since:
        raise ValidationError({"on": "The date cannot be before the concern reached this stage"})


def record_response(
    concern: CarerConcern,
    *,
    on: dt.date,
    response: str,
    acting_user: Any,
    as_of: dt.date | None = None,
) -> CarerConcern:
    """The answer of the concern's present stage, received on `on`: recorded by the corporate IRO
    or by the one who answers it."""
    today = as_of or timezone.localdate()
    _open_step(concern, on, acting_user, today, answer=True)
    response = _required(response, "response", "Enter the response")
    with transaction.atomic():
        _step(concern, StepKind.RESPONSE, on, response, acting_user)
        record_change(
            None,
            action="carer.concern_response",
            before=concern_snapshot(concern),
            after={**concern_snapshot(concern), "response": response, "on": on.isoformat()},
            acting_user=acting_user,
        )
        messages.tell_step(concern, StepKind.RESPONSE, acting_user)
    return concern


def escalate(
    concern: CarerConcern,
    *,
    on: dt.date,
    reason: str,
    acting_user: Any,
    as_of: dt.date | None = None,
) -> CarerConcern:
    """The concern taken to the ladder's next stage on `on` (its response due from that day);
    refused at the last stage."""
    today = as_of or timezone.localdate()
    _open_step(concern, on, acting_user, today)
    if ladder.stage(concern.stage + 1) is None:
        raise ValidationError({"on": "This concern is at the ladder's last stage"})
    reason = _required(reason, "reason", "Say why the concern goes to the next stage")
    with transaction.atomic():
        before = concern_snapshot(concern)
        concern.stage += 1
        concern.stage_since = on
        concern.save(update_fields=["stage", "stage_since"])
        _step(concern, StepKind.ESCALATED, on, reason, acting_user)
        record_change(
            None,
            action="carer.concern_escalated",
            before=before,
            after=concern_snapshot(concern),
            acting_user=acting_user,
        )
        messages.tell_step(concern, StepKind.ESCALATED, acting_user)
    return concern


def resolve(
    concern: CarerConcern,
    *,
    on: dt.date,
    resolution: str,
    acting_user: Any,
    as_of: dt.date | None = None,
) -> CarerConcern:
    """The concern resolved on `on`, with how."""
    today = as_of or timezone.localdate()
    _open_step(concern, on, acting_user, today)
    resolution = _required(resolution, "resolution", "Say how the concern was resolved")
    with transaction.atomic():
        before = concern_snapshot(concern)
        concern.resolved_on = on
        concern.save(update_fields=["resolved_on"])
        _step(concern, StepKind.RESOLVED, on, resolution, acting_user)
        record_change(
            None,
            action="carer.concern_resolved",
            before=before,
            after=concern_snapshot(concern),
            acting_user=acting_user,
        )
        messages.tell_step(concern, StepKind.RESOLVED, acting_user)
    return concern
