"""A chair's diary: every booked meeting of a set of chairs, the statutory latest date beside each,
the chair's free slots, and a booked meeting as a calendar event (RFC 5545, built by `icalendar`).

- `booked(chair_ids, first, last, as_of)`: the meetings booked from `first` to `last` (closed
  interval) of the children whose IRO (and conference chair) on `as_of` is one of `chair_ids`:
  the engine's stored `booked.<meeting>` obligations not yet met (a booking re-booked before it
  was held is no longer among them), each with its statutory latest date;
- `latest_date(child, meeting)`: the stored obligation a meeting of that kind meets (for an RCPC,
  `cp.rcpc.first` or `cp.rcpc.next`; for a looked-after review, `lac.review.*`), or None;
- `free_slots(chair, start, as_of, count)`: the chair's slots in the next working days that none
  of their bookings takes;
- `calendar(entry, method)`: the booked meeting as a `.ics` text, `REQUEST` (a booking or a
  re-booking: the same UID with a higher SEQUENCE) or `CANCEL`.

Working days come from `oversight.timescales.dates` under the active pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar
from django.db.models import Q
from django.utils import timezone

from oversight.cases.access import open_allocations
from oversight.cases.constants import Role
from oversight.cases.models import Allocation, Child, Obligation, StaffMember
from oversight.cases.obligations import active_pack
from oversight.meetings.constants import Kind, Status
from oversight.meetings.models import DiaryEntry, Meeting
from oversight.timescales.dates import is_working_day

LONDON = ZoneInfo("Europe/London")
# Who has a diary: an IRO (their own bookings), the IRO team manager (every IRO in their line).
DIARY_ROLES = frozenset({Role.IRO, Role.IRO_TEAM_MANAGER})
# A chair's conference slots on a working day, and how long a booked meeting takes in the
# calendar: a booking with no time booked takes both slots of its day.
SLOTS = (dt.time(10, 0), dt.time(14, 0))
LENGTH = dt.timedelta(hours=2)
# How many working days of free slots the booking form offers.
FREE_DAYS = 10
OPEN = (Obligation.Status.PENDING, Obligation.Status.OVERDUE)
# The meetings a booking books, by the names the booking form and the engine give them.
MEETINGS = ("icpc", "rcpc", "core_group", "midway_review", "lac_review", "tac_meeting")


def statutory_codes(meeting: str) -> tuple[str, ...]:
    """The codes of the active pack's obligations that a held `meeting` meets (not those counted
    back from a booking, such as the reports due before a conference)."""
    return tuple(
        row.code
        for row in active_pack().policy.obligations
        if meeting in row.met_by and row.kind != "booking_before"
    )


def _latest(child_ids: Iterable[int], meetings: Iterable[str]) -> dict[tuple[int, str], Obligation]:
    """(child, meeting) -> the earliest open statutory obligation that meeting meets."""
    codes = {code: meeting for meeting in set(meetings) for code in statutory_codes(meeting)}
    found: dict[tuple[int, str], Obligation] = {}
    rows = Obligation.objects.filter(
        child_id__in=list(child_ids), code__in=list(codes), status__in=OPEN
    ).order_by("due", "pk")
    for row in rows:
        found.setdefault((row.child_id, codes[row.code]), row)
    return found


def latest_date(child: Child, meeting: str) -> Obligation | None:
    """The stored obligation a `meeting` of `child` meets, the earliest open one: its `due` is the
    latest date the law or the council's policy allows for it. None when none is open."""
    return _latest([child.pk], [meeting]).get((child.pk, meeting))


@dataclass(frozen=True)
class Booked:
    """One booked meeting in a diary."""

    obligation: Obligation  # `booked.<meeting>`, due on the booked day
    child: Child
    meeting: str
    on: dt.date
    at: dt.time | None
    chair: StaffMember | None
    latest: Obligation | None  # the statutory obligation it meets, if one is open
    entry: DiaryEntry | None  # its calendar event, for a booking made on the booking form

    @property
    def label(self) -> str:
        return Kind(self.meeting).label

    @property
    def late(self) -> bool:
        """Booked after its statutory latest date."""
        return self.latest is not None and self.on > self.latest.due


def chairs_of(child_ids: Iterable[int], as_of: dt.date) -> dict[int, StaffMember]:
    """Child id -> the child's IRO (and conference chair) on `as_of`."""
    found: dict[int, StaffMember] = {}
    rows = (
        Allocation.objects.filter(open_allocations(as_of), role=Role.IRO, child_id__in=child_ids)
        .select_related("staff__user")
        .order_by("child_id", "-starts", "-id")
    )
    for row in rows:
        found.setdefault(row.child_id, row.staff)
    return found


def booked(
    chair_ids: Iterable[int],
    first: dt.date,
    last: dt.date,
    *,
    as_of: dt.date,
    children: Iterable[int] | None = None,
) -> list[Booked]:
    """The meetings booked on the days [first, last] for the children whose IRO on `as_of` is one
    of `chair_ids` (and, given `children`, only those), by day and time."""
    chairs = list(chair_ids)
    allocated = Allocation.objects.filter(
        open_allocations(as_of), role=Role.IRO, staff_id__in=chairs
    ).values("child_id")
    rows = Obligation.objects.filter(
        code__startswith="booked.",
        status__in=OPEN,
        due__gte=first,
        due__lte=last,
        child_id__in=allocated,
    ).select_related("child", "event")
    if children is not None:
        rows = rows.filter(child_id__in=children)
    found = [r for r in rows if r.event is not None]
    child_ids = {r.child_id for r in found}
    chair_of = chairs_of(child_ids, as_of)
    latest = _latest(child_ids, [r.code.removeprefix("booked.") for r in found])
    entries = {
        e.event_id: e
        for e in DiaryEntry.objects.filter(
            event_id__in=[r.event_id for r in found], cancelled_at__isnull=True
        )
    }
    out = []
    for row in found:
        assert row.event is not None
        meeting = row.code.removeprefix("booked.")
        at = row.event.data.get("at")
        out.append(
            Booked(
                obligation=row,
                child=row.child,
                meeting=meeting,
                on=row.due,
                at=dt.time.fromisoformat(at) if at else None,
                chair=chair_of.get(row.child_id),
                latest=latest.get((row.child_id, meeting)),
                entry=entries.get(row.event_id),
            )
        )
    out.sort(key=lambda b: (b.on, b.at or dt.time(0), b.child.reference))
    return out


def _takes(at: dt.time | None, slot: dt.time) -> bool:
    """Whether a meeting booked at `at` (None: all day) overlaps the slot starting at `slot`."""
    if at is None:
        return True
    day = dt.date(2000, 1, 3)  # any day: only the times are compared
    start, begins = dt.datetime.combine(day, at), dt.datetime.combine(day, slot)
    return start < begins + LENGTH and begins < start + LENGTH


def free_slots(
    chair: StaffMember, start: dt.date, *, as_of: dt.date, count: int = FREE_DAYS
) -> list[dt.datetime]:
    """The chair's free slots on the first `count` working days from `start` (counted if it is
    one): each of `SLOTS` that none of the chair's bookings on that day overlaps."""
    policy = active_pack().policy
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        if is_working_day(day, policy):
            days.append(day)
        day += dt.timedelta(days=1)
    taken: dict[dt.date, list[dt.time | None]] = {}
    for b in booked([chair.pk], days[0], days[-1], as_of=as_of):
        taken.setdefault(b.on, []).append(b.at)
    return [
        dt.datetime.combine(d, slot)
        for d in days
        for slot in SLOTS
        if not any(_takes(at, slot) for at in taken.get(d, []))
    ]


def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s week."""
    return day - dt.timedelta(days=day.weekday())


def calendar(entry: DiaryEntry, *, method: str, link: str) -> str:
    """`entry` as an iCalendar object of one event: `REQUEST` (the invitation, or its update
    under the same UID with the entry's SEQUENCE) or `CANCEL` (STATUS:CANCELLED). Names the child
    by reference only; `link` is where the booking is in Oversight."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Oversight//Chair's diary//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", timezone.now())
    if entry.at is None:
        event.add("dtstart", entry.on)
        event.add("dtend", entry.on + dt.timedelta(days=1))
    else:
        begins = dt.datetime.combine(entry.on, entry.at, tzinfo=LONDON)
        event.add("dtstart", begins)
        event.add("dtend", begins + LENGTH)
    event.add("summary", f"{Kind(entry.meeting).label}: child {entry.child.reference}")
    if entry.venue:
        event.add("location", entry.venue)
    event.add("description", f"The booking in Oversight: {link}")
    if entry.chair is not None and entry.chair.user.email:
        organizer = icalendar.vCalAddress(f"mailto:{entry.chair.user.email}")
        organizer.params["cn"] = str(entry.chair)
        event.add("organizer", organizer)
    for person in entry.invited.select_related("user").order_by("pk"):
        if not person.user.email:
            continue
        attendee = icalendar.vCalAddress(f"mailto:{person.user.email}")
        attendee.params["cn"] = str(person)
        attendee.params["role"] = "REQ-PARTICIPANT"
        attendee.params["partstat"] = "NEEDS-ACTION"
        attendee.params["rsvp"] = "TRUE"
        event.add("attendee", attendee)
    if method == "CANCEL":
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()


def open_entry(child: Child, meeting: str) -> DiaryEntry | None:
    """The child's calendar event of a `meeting` booked and not yet held nor cancelled: a new
    booking of the same meeting re-books it (the same UID). Held: a completed record of that
    meeting dated after the booking was made."""
    entry = (
        DiaryEntry.objects.filter(child=child, meeting=meeting, cancelled_at__isnull=True)
        .select_related("booking")
        .order_by("-pk")
        .first()
    )
    if entry is None or entry.booking.date is None:
        return entry
    held = Meeting.objects.filter(
        Q(date__gt=entry.booking.date),
        child=child,
        kind=meeting,
        status=Status.COMPLETED,
    ).exists()
    return None if held else entry
