"""Plain factory functions for children, staff, teams, allocations and chronology events.

The tests and the demo council (`oversight demo`) build their people from these. Every default
is synthetic: email addresses end in `.invalid`, NHS numbers come only from the range reserved
for testing (999 000 0000 to 999 999 9999) with a valid check digit. Usernames are lowercase
`firstname.lastname`, as the demo sign-ins promise.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User

from oversight.cache import data_version
from oversight.cases.constants import EventType, Role, TeamKind
from oversight.cases.models import (
    Allocation,
    Child,
    Event,
    SiblingGroup,
    StaffMember,
    StaffRole,
    Team,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
EMAIL_DOMAIN = "council.invalid"

FIRST_NAMES = [
    "Amara", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hari", "Isla", "Jay",
    "Kai", "Lena", "Milo", "Nia", "Owen", "Priya", "Quinn", "Rosa", "Sami", "Tara",
]  # fmt: skip
LAST_NAMES = [
    "Ashdown", "Brightwell", "Carrow", "Dunmore", "Elsworth", "Fairholm", "Greyling", "Hartsell",
    "Ingleby", "Jessop", "Kettlewell", "Larkfield", "Mossley", "Northam", "Oakridge", "Penhale",
]  # fmt: skip

_counter = itertools.count(1)


def _next() -> int:
    return next(_counter)


def _unused(model: type[Any], field: str, make: Any) -> str:
    """The first value from `make(n)` that no row of `model` has in `field` yet (defaults never
    clash with rows made another way, such as the demo council's bulk-written ones)."""
    while True:
        value = str(make(_next()))
        if not model.objects.filter(**{field: value}).exists():
            return value


def synthetic_nhs_number(n: int) -> str:
    """The n-th (from 0) valid NHS number of the testing range 999 000 0000 to 999 999 9999.

    Nine-digit stems whose modulus 11 check digit would be 10 are skipped, so n does not map to
    the stem 999000000 + n exactly; the result is deterministic for each n."""
    stem = 999_000_000 + n
    while True:
        digits = str(stem)
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            return f"{digits}{check}"
        stem += 1


def make_team(name: str | None = None, kind: str = TeamKind.SOCIAL_WORK, **overrides: Any) -> Team:
    name = name or _unused(Team, "name", lambda n: f"Team {n}")
    return Team.objects.create(name=name, kind=kind, **overrides)


def make_sibling_group(reference: str | None = None) -> SiblingGroup:
    return SiblingGroup.objects.create(reference=reference or f"SG{_next():06d}")


def make_staff(
    roles: Iterable[str] = (Role.SOCIAL_WORKER,),
    team: Team | None = None,
    *,
    first_name: str | None = None,
    last_name: str | None = None,
    username: str | None = None,
    email: str | None = None,
    password: str | None = None,
    line_manager: StaffMember | None = None,
    **overrides: Any,
) -> StaffMember:
    """A staff member with a Django user and a set of roles.

    Without a password the user cannot sign in (an unusable password); pass one for sign-in tests
    and the demo (`OVERSIGHT_DEMO_PASSWORD`, default "oversight-demo")."""
    n = _next()
    first = first_name or FIRST_NAMES[n % len(FIRST_NAMES)]
    last = last_name or f"{LAST_NAMES[n % len(LAST_NAMES)]}{n}"
    if username is None:
        username = f"{first}.{last}".lower().replace(" ", "")
        if User.objects.filter(username=username).exists():
            username = _unused(User, "username", lambda m: f"{username}{m}")
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        email=email or f"{username}@{EMAIL_DOMAIN}",
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    staff = StaffMember.objects.create(user=user, team=team, line_manager=line_manager, **overrides)
    StaffRole.objects.bulk_create(StaffRole(staff=staff, role=role) for role in roles)
    data_version.bump()  # the roles were written past the models' signals
    return staff


def make_child(**overrides: Any) -> Child:
    """A born child with a reference, names and a date of birth unless overridden.

    The default date of birth falls in 2010-2019, before any date the tests record, however
    many children the run has made before this one.

    For an unborn child pass `date_of_birth=None, expected_date_of_delivery=...`."""
    n = _next()
    fields: dict[str, Any] = {
        "first_name": FIRST_NAMES[(n * 7) % len(FIRST_NAMES)],
        "last_name": LAST_NAMES[(n * 3) % len(LAST_NAMES)],
        "date_of_birth": dt.date(2010, 1, 1) + dt.timedelta(days=(n * 37) % 3650),
    }
    fields.update(overrides)
    if "reference" not in fields:
        fields["reference"] = _unused(Child, "reference", lambda m: f"C{m:07d}")
    child = Child(**fields)
    child.full_clean()
    child.save()
    return child


def allocate(
    child: Child,
    staff: StaffMember,
    role: str,
    starts: dt.date,
    *,
    ends: dt.date | None = None,
    reason: str = "",
) -> Allocation:
    """Give `staff` the role `role` for `child` from `starts` (open while `ends` is None)."""
    return Allocation.objects.create(
        child=child, staff=staff, role=role, starts=starts, ends=ends, reason=reason
    )


def record_event(
    child: Child,
    type: str,
    date: dt.date,
    *,
    time: dt.time | None = None,
    recorded_by: Any = None,
    recorded_at: dt.datetime | None = None,
    **data: Any,
) -> Event:
    """Put one event on the child's chronology; extra keyword arguments go to its JSON `data`.

    `recorded_at` defaults to 17:00 Europe/London on the event's date, so the same inputs give the
    same rows (no clock is read)."""
    if type not in EventType.values:
        raise ValueError(f"unknown event type {type!r}")
    return Event.objects.create(
        child=child,
        type=str(type),
        date=date,
        time=time,
        data=data,
        recorded_by=recorded_by,
        recorded_at=recorded_at or dt.datetime.combine(date, dt.time(17, 0), tzinfo=LONDON),
    )
