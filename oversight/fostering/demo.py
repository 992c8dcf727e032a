"""Foster carers for the demo council: a corporate IRO (Cora Lindqvist, Manchester's Foster Care
IRO) and four households counted back from the demo's today, one whose first review is overdue,
two reviewed in time (one whose terms of approval the review found no longer appropriate), one
newly approved, each supervised by the demo's first social worker with a line manager (so that a
concern's stage 1 goes to that manager); and three of the demo's looked-after children in foster care placed with two of
them (their current placement's provider becomes the household's reference).

Deterministic, as the demo is: the people and households are fixed, the children are the first
(by id) that fit, every date is counted from the demo's as-of date through
`oversight.timescales.dates`, and each row is stamped 17:00 Europe/London on its day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from oversight.cases.constants import Role, TeamKind
from oversight.cases.factories import EMAIL_DOMAIN
from oversight.cases.models import Event, StaffMember, StaffRole, Team
from oversight.fostering.constants import ApprovalType
from oversight.fostering.models import Carer, CarerReview
from oversight.fostering.placements import BEGINS, ENDS
from oversight.timescales.dates import months_before

LONDON = ZoneInfo("Europe/London")


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(17), tzinfo=LONDON)


@dataclass(frozen=True)
class _Household:
    reference: str
    names: str
    approved: int  # months before the demo's today
    reviewed: tuple[int, ...]  # months before the demo's today, oldest first
    children: int
    ages: tuple[int, int]
    kind: str
    placed: int  # how many of the demo's foster children are placed with it


HOUSEHOLDS = (
    _Household(
        "FC1001", "Maya and Tom Ashdown", 30, (18, 6), 2, (0, 11), ApprovalType.LONG_TERM, 2
    ),
    _Household("FC1002", "Priya Okafor", 14, (), 1, (0, 4), ApprovalType.SHORT_TERM, 0),
    _Household("FC1003", "Glenn and Ruth Marsh", 5, (), 1, (8, 12), ApprovalType.KINSHIP, 0),
    _Household("FC1004", "Dee Saltmarsh", 40, (28, 16, 4), 2, (5, 17), ApprovalType.SHORT_BREAK, 1),
)


def _corporate_iro(as_of: dt.date) -> StaffMember:
    """Cora Lindqvist, signing in with every demo user's password (the hash the demo gave them)."""
    users = get_user_model()
    first = users.objects.order_by("id").first()
    team = Team.objects.filter(kind=TeamKind.IRO).order_by("id").first()
    user = users.objects.create(
        username="cora.lindqvist",
        first_name="Cora",
        last_name="Lindqvist",
        email=f"cora.lindqvist@{EMAIL_DOMAIN}",
        password=first.password if first is not None else "!",
        date_joined=_at(as_of),
    )
    staff = StaffMember.objects.create(user=user, team=team)
    StaffRole.objects.create(staff=staff, role=Role.CORPORATE_IRO)
    return staff


def _foster_placements(count: int, as_of: dt.date) -> list[Event]:
    """The current foster placements of the first `count` children (by id) that have one."""
    found: list[Event] = []
    candidates = Event.objects.filter(
        type__in=BEGINS, data__placement_type="foster", date__lte=as_of
    ).order_by("child_id", "-date", "-id")
    seen: set[int] = set()
    for event in candidates.iterator():
        if event.child_id in seen:
            continue
        seen.add(event.child_id)
        latest = (
            Event.objects.filter(child_id=event.child_id, type__in=BEGINS + ENDS, date__lte=as_of)
            .order_by("-date", "-id")
            .first()
        )
        if latest is not None and latest.pk == event.pk:
            found.append(event)
            if len(found) == count:
                break
    return found


def _supervisor() -> StaffMember | None:
    """The first social worker (by id) with a line manager: the households' supervisor."""
    return (
        StaffMember.objects.filter(role_set__role=Role.SOCIAL_WORKER, line_manager__isnull=False)
        .order_by("id")
        .first()
    )


def build_demo_carers(as_of: dt.date) -> int:
    """The demo's foster carers and their corporate IRO; how many households were written."""
    with transaction.atomic():
        chair = _corporate_iro(as_of)
        supervisor = _supervisor()
        placements = iter(_foster_placements(sum(h.placed for h in HOUSEHOLDS), as_of))
        for household in HOUSEHOLDS:
            approved_on = months_before(as_of, household.approved)
            carer = Carer.objects.create(
                reference=household.reference,
                names=household.names,
                approved_on=approved_on,
                children=household.children,
                age_from=household.ages[0],
                age_to=household.ages[1],
                approval_type=household.kind,
                supervising_social_worker=supervisor,
                created_at=_at(approved_on),
            )
            for months in household.reviewed:
                held_on = months_before(as_of, months)
                latest = months == household.reviewed[-1]
                CarerReview.objects.create(
                    carer=carer,
                    held_on=held_on,
                    chaired_by=chair,
                    continue_to_foster=True,
                    household_appropriate=True,
                    terms_appropriate=not (latest and household.kind == ApprovalType.SHORT_BREAK),
                    new_terms="2 children aged 5 to 17, short breaks and short-term"
                    if latest and household.kind == ApprovalType.SHORT_BREAK
                    else "",
                    carers_views="We would like to offer short-term care as well."
                    if latest
                    else "",
                    recorded_by=chair.user,
                    created_at=_at(held_on),
                )
            for _ in range(household.placed):
                event = next(placements, None)
                if event is not None:
                    event.data = {**event.data, "provider": household.reference}
                    event.save(update_fields=["data"])
    return len(HOUSEHOLDS)
