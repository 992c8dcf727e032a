"""A synthetic demo council, built deterministically from a seed and an as-of date.

`build_council(children, seed, as_of)` is pure: it reads no clock and no database, draws every
choice from one `random.Random(seed)`, and returns plain tuples, one per row, for each table
(users, teams, staff, roles, sibling groups, children, allocations, events). `insert_council`
writes them with the database's bulk path: `executemany` in one transaction on SQLite, `COPY` on
PostgreSQL. Same seed, as-of and starting ids give the same rows.

Everyone is synthetic: names come from the short lists below, NHS numbers only from the range
reserved for testing (999 000 0000 to 999 999 9999, with a valid modulus 11 check digit), email
addresses end in `.invalid`.

Staff are in proportion to the council: about one IRO per 60 children on a plan or looked after
(half conference chairs, half looked-after IROs, in teams of at most eight, at least one team of
each), social work teams of six social workers and a team manager, service managers over service
areas of about 3,000 such children (at least two areas), heads of service, an assistant director
and a director, and in the IRO service its team managers, a safeguarding service manager who also
chairs conferences, duty IROs, administrators and a read-only auditor. Every role of `Role` is
held by at least one person.

Each child's chronology covers up to three years before the as-of date and follows the rhythm of
the national catalogue (`docs/spec/timescales.md`): strategy discussion, then an ICPC within
15 working days or no ICPC; with a plan, the first core group within 10 working days, visits every
10 working days, the first RCPC at 3 months and then every 6 months until the plan ends; looked-
after episodes with an IRO allocated, reviews at 20 working days, 3 months and every 6 months,
their decisions and records, consultations before them, a placement from the episode's first
day (now and then changed or ended) and the social worker's visits to it; the legal status
and, for some, care proceedings with a guardian, the IRO's liaison and papers seen; bookings of the next meetings; actions;
consultations and TAC meetings; concerns and escalations, some still open at the as-of date.
About one deadline in eleven is met late. Events dated after the as-of date are not written (a
booking made before it may be for a date after it).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from math import ceil
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from oversight.cases.constants import EventType, Role, TeamKind
from oversight.cases.factories import EMAIL_DOMAIN
from oversight.timescales.dates import due_date, working_day_step

LONDON = ZoneInfo("Europe/London")
PASSWORD_ENV = "OVERSIGHT_DEMO_PASSWORD"  # noqa: S105 - the name of a setting
DEFAULT_PASSWORD = "oversight-demo"  # noqa: S105 - the documented demo password

HISTORY_YEARS = 3
# The share of deadlines met late (each deadline independently); the tests hold it in 5%..15%.
LATE = 0.09
# The share of the council's children expected to be on a plan or looked after at the as-of date,
# used to size the staff before the chronologies are drawn (measured on the generator: 0.54).
ACTIVE_SHARE = 0.54
CHILDREN_PER_IRO = 60
IRO_TEAM_SIZE = 8
SOCIAL_WORK_TEAM_SIZE = 6
CHILDREN_PER_SOCIAL_WORKER = 16
# A service manager leads a service area of social work teams holding about this many children on
# a plan or looked after (a council has at least two areas): the size of the largest caseload
# `benchmarks/pages.py` measures (issue 6: "a service manager with about 3,000").
SERVICE_AREA_CHILDREN = 3000

# An unborn child is recorded, as councils do, as "Baby" with the family's name until the birth
# is registered (a constant, so that the rest of the demo draws the same names).
UNBORN_FIRST_NAME = "Baby"
FIRST_NAMES = (
    "Aaliyah", "Aaron", "Abdul", "Ada", "Adam", "Aisha", "Alfie", "Amara", "Amelia", "Amir",
    "Ananya", "Archie", "Arthur", "Ava", "Ayaan", "Bea", "Ben", "Bethan", "Caleb", "Callum",
    "Chloe", "Daisy", "Dev", "Eden", "Eleni", "Ella", "Elsie", "Emeka", "Erin", "Esme",
    "Ezra", "Fatima", "Finn", "Freya", "Gabriel", "Grace", "Hamza", "Hana", "Harry", "Imogen",
    "Isaac", "Isla", "Jack", "Jade", "Jay", "Kai", "Kemi", "Kian", "Layla", "Lena",
    "Leo", "Lily", "Luca", "Maryam", "Maya", "Milo", "Mohammed", "Nia", "Noah", "Nora",
    "Olu", "Orla", "Oscar", "Owen", "Poppy", "Priya", "Quinn", "Reuben", "Rosa", "Rory",
    "Ruby", "Sami", "Sana", "Seren", "Sofia", "Tara", "Theo", "Tomasz", "Una", "Yusuf",
    "Zara", "Zeynep", "Zofia", "Zuri",
)  # fmt: skip
LAST_NAMES = (
    "Abbott", "Adeyemi", "Ahmed", "Ashdown", "Bailey", "Banerjee", "Barker", "Begum", "Bennett",
    "Brightwell", "Byrne", "Carrow", "Chen", "Clarke", "Costa", "Dawson", "Dunmore", "Ellis",
    "Elsworth", "Evans", "Fairholm", "Fernandes", "Fletcher", "Gallagher", "Greyling", "Hartsell",
    "Hussain", "Ingleby", "Iqbal", "Jessop", "Kaur", "Kettlewell", "Kowalski", "Larkfield",
    "Lewis", "Lin", "Mahmood", "Marsh", "Mensah", "Morgan", "Mossley", "Murphy", "Nair",
    "Northam", "Novak", "Oakridge", "Obi", "Okafor", "Osei", "Owusu", "Patel", "Penhale",
    "Price", "Quinlan", "Rahman", "Reid", "Rossi", "Said", "Santos", "Shah", "Singh", "Sutton",
    "Taylor", "Thorne", "Turner", "Varga", "Walsh", "Ward", "Webb", "Whitlock", "Wilde",
    "Wright", "Yilmaz", "Young", "Zielinski",
)  # fmt: skip
SOCIAL_WORK_TEAM_NAMES = (
    "Assessment and Intervention", "Child Protection", "Children in Care", "Family Support",
    "Children with Disabilities", "Leaving Care", "Court and Permanence", "Adolescent Support",
)  # fmt: skip
ACTION_TEXTS = (
    "Update the chronology",
    "Complete the health assessment",
    "Share the child's plan with the school",
    "Arrange a family group conference",
    "Complete the updated assessment",
    "Refer to the parenting programme",
    "Update the personal education plan",
    "Record the child's wishes and feelings",
)

# The columns written for each table, in order; the tests check them against the models.
USER_COLUMNS = (
    "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
    "email", "is_staff", "is_active", "date_joined",
)  # fmt: skip
TEAM_COLUMNS = ("id", "name", "kind")
STAFF_COLUMNS = ("id", "user_id", "team_id", "line_manager_id")
STAFF_ROLE_COLUMNS = ("id", "staff_id", "role")
SIBLING_GROUP_COLUMNS = ("id", "reference")
CHILD_COLUMNS = (
    "id", "reference", "nhs_number", "first_name", "last_name", "date_of_birth",
    "expected_date_of_delivery", "sibling_group_id",
)  # fmt: skip
ALLOCATION_COLUMNS = ("id", "child_id", "staff_id", "role", "starts", "ends", "reason")
EVENT_COLUMNS = ("id", "child_id", "type", "date", "time", "data", "recorded_by_id", "recorded_at")
DUTY_ROTA_COLUMNS = ("id", "date", "staff_id", "set_by_id")
# The duty rota is filled for every working day of the history and this far ahead of the as-of
# date (the rota page shows the weeks to come).
ROTA_AHEAD_DAYS = 92

Row = tuple[Any, ...]

# Event types as plain strings (the enum members are str, but plain str is faster to handle).
E = {member.name: str(member.value) for member in EventType}
_GUARDIANS = ("Rowan Ashdown", "Priya Hale", "Tom Bellweather", "Grace Okafor", "Sam Lind")
_PROVIDERS = ("Oak Lane", "Riverside", "Hill House", "Elm Court", "Meadow View", "Brook Farm")
EMPTY = "{}"


def _json(data: Mapping[str, object]) -> str:
    return orjson.dumps(data).decode()


@dataclass
class Council:
    """The rows of a demo council, table by table, in insertion order."""

    users: list[Row] = field(default_factory=list)
    teams: list[Row] = field(default_factory=list)
    staff: list[Row] = field(default_factory=list)
    staff_roles: list[Row] = field(default_factory=list)
    sibling_groups: list[Row] = field(default_factory=list)
    children: list[Row] = field(default_factory=list)
    allocations: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    duty_rota: list[Row] = field(default_factory=list)

    def tables(self) -> list[tuple[str, tuple[str, ...], list[Row]]]:
        """(model label, columns, rows) for each table, parents before children."""
        return [
            ("auth.User", USER_COLUMNS, self.users),
            ("cases.Team", TEAM_COLUMNS, self.teams),
            ("cases.StaffMember", STAFF_COLUMNS, self.staff),
            ("cases.StaffRole", STAFF_ROLE_COLUMNS, self.staff_roles),
            ("cases.SiblingGroup", SIBLING_GROUP_COLUMNS, self.sibling_groups),
            ("cases.Child", CHILD_COLUMNS, self.children),
            ("cases.Allocation", ALLOCATION_COLUMNS, self.allocations),
            ("cases.Event", EVENT_COLUMNS, self.events),
            ("cases.DutyRota", DUTY_ROTA_COLUMNS, self.duty_rota),
        ]

    @property
    def row_count(self) -> int:
        return sum(len(rows) for _, _, rows in self.tables())


@dataclass(frozen=True)
class StartIds:
    """The last id already used in each table: the council's rows take the ids after them."""

    users: int = 0
    teams: int = 0
    staff: int = 0
    staff_roles: int = 0
    sibling_groups: int = 0
    children: int = 0
    allocations: int = 0
    events: int = 0
    duty_rota: int = 0


@dataclass(frozen=True)
class DemoLadder:
    """What the demo may write of a concern on one of the active pack's ladders, so that it
    builds only what the pack allows: its name (written on the concern's events), the formal
    stages a notice may be issued at, and whether it has a warning step, a bypass, a referral to
    Cafcass or independent legal advice (each only for a looked-after child)."""

    name: str
    stages: int
    warning: bool
    bypass: bool
    cafcass: bool
    legal_advice: bool


@dataclass(frozen=True)
class DemoPack:
    """What the demo takes from the active pack: the ladder a concern goes on by what the child
    is when it is raised ("cp" on a plan, "lac" looked after), and whether a social worker's
    request for a consultation is its own step (`consultation_route`: routed to the day's duty
    IRO, the demo's consultations being before an ICPC)."""

    ladders: Mapping[str, DemoLadder]
    requests: bool


def demo_pack(pack_name: str | None = None) -> DemoPack:
    """The active pack (or `pack_name`) as the demo reads it. A concern's ladder is the first of
    the pack's ladders whose `applies_to` names what the child is, the pack's default first, as
    `oversight.escalations.ladders.ladders_for` chooses."""
    from oversight.policies import load_pack, resolve_policy
    from oversight.policies.checks import active_policy

    name = pack_name or active_policy()
    pack = load_pack(name)
    default = resolve_policy(name).default_ladder
    out = {}
    for status in ("cp", "lac"):
        names = [n for n, ladder in pack.ladders.items() if status in ladder.applies_to]
        chosen = sorted(names or list(pack.ladders), key=lambda n: n != default)[0]
        ladder = pack.ladders[chosen]
        stages = 0
        for stage in ladder.stages:  # the leading stages that address someone
            if not stage.addressees:
                break
            stages += 1
        out[status] = DemoLadder(
            name=chosen,
            stages=max(stages, 1),
            warning=ladder.informal.warning is not None,
            bypass=bool(ladder.bypass and ladder.bypass.allowed)
            or bool(ladder.enter_any_stage and ladder.enter_any_stage.allowed),
            cafcass=ladder.cafcass is not None,
            legal_advice=ladder.legal_advice is not None,
        )
    return DemoPack(out, requests="duty_iro" in pack.consultation_route)


# --- Synthetic identifiers ---------------------------------------------------------------------


def nhs_check_digit(stem: str) -> int | None:
    """The modulus 11 check digit of a nine-digit stem, or None when the stem has none (11 - r = 10)."""
    total = sum(int(d) * w for d, w in zip(stem, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else check


def test_range_nhs_number(rng: random.Random) -> str:
    """A random NHS number from the range reserved for testing, 999 000 0000 to 999 999 9999."""
    while True:
        stem = f"999{rng.randrange(1_000_000):06d}"
        check = nhs_check_digit(stem)
        if check is not None:
            return f"{stem}{check}"


# --- Working days ------------------------------------------------------------------------------


# --- The generator -----------------------------------------------------------------------------


@dataclass
class _Person:
    staff_id: int
    user_id: int
    username: str
    team_id: int


class _Builder:
    def __init__(
        self,
        children: int,
        seed: int,
        as_of: date,
        password_hash: str,
        start: StartIds,
        pack: DemoPack,
    ):
        self.n = children
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.today = as_of.toordinal()
        self.first_day = date(as_of.year - HISTORY_YEARS, as_of.month, 1).toordinal()
        # Chains run a few months past the as-of date before they are cut; 400 days is ample.
        last = date((as_of + timedelta(days=400)).year, 12, 31)
        # The engine's calendar: weekends and England & Wales bank holidays (the demo has no
        # pack closures), stepped on day ordinals.
        self.step = working_day_step()
        self.password_hash = password_hash
        self.start = start
        self.council = Council()
        base = date(as_of.year - HISTORY_YEARS - 1, 1, 1).toordinal()
        self.base = base
        # ISO dates and 17:00 Europe/London on each day (as UTC, as Django stores it), by ordinal.
        span = range(base, last.toordinal() + 1)
        self.iso = [date.fromordinal(o).isoformat() for o in span]
        self.recorded = [
            datetime.combine(date.fromordinal(o), time(17), tzinfo=LONDON)
            .astimezone(UTC)
            .strftime("%Y-%m-%d %H:%M:%S")
            for o in span
        ]
        self._months: dict[tuple[int, int], int] = {}
        self.usernames: set[str] = set()
        self.team_names: set[str] = set()
        self.next_event_id = start.events
        self.next_allocation_id = start.allocations
        self.action_counter = 0
        self.concern_counter = 0
        self.cafcass_due = True
        self.ladders = pack.ladders
        self.requests = pack.requests
        self.on_duty: dict[int, _Person] = {}  # day ordinal -> the duty IRO of the rota
        self.rota_setter: int | None = None

    # dates

    def wd(self, o: int, n: int) -> int:
        return self.step(o, n)

    def months(self, o: int, m: int) -> int:
        """The same day m months later; past the end of a shorter month, its last day."""
        key = (o, m)
        found = self._months.get(key)
        if found is None:
            found = due_date(f"{m} months", date.fromordinal(o), None).toordinal()
            self._months[key] = found
        return found

    def held(self, due: int, after: int, spread: int = 6) -> int:
        """The day a meeting or task with deadline `due` happens: late (1 to 8 working days after
        the deadline) with probability LATE, otherwise on one of the `spread` working days up to
        the deadline, and always after the day `after`."""
        rng = self.rng
        if rng.random() < LATE:
            return self.wd(due, rng.randint(1, 8))
        day = self.wd(due + 1, -rng.randint(1, spread))
        if day <= after:
            day = self.wd(after, 1)
        return day

    # staff

    def _username(self, first: str, last: str) -> str:
        stem = f"{first}.{last}".lower()
        name, n = stem, 1
        while name in self.usernames:
            n += 1
            name = f"{stem}{n}"
        self.usernames.add(name)
        return name

    def person(
        self, roles: Sequence[str], team_id: int | None, line_manager: _Person | None
    ) -> _Person:
        """A member of staff with a Django user (not staff or superuser of the admin site)."""
        c, rng = self.council, self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        username = self._username(first, last)
        user_id = self.start.users + len(c.users) + 1
        joined = datetime.combine(
            date.fromordinal(self.first_day - rng.randint(30, 3000)), time(9), tzinfo=UTC
        ).strftime("%Y-%m-%d %H:%M:%S")
        c.users.append(
            (
                user_id, self.password_hash, None, False, username, first, last,
                f"{username}@{EMAIL_DOMAIN}", False, True, joined,
            )
        )  # fmt: skip
        staff_id = self.start.staff + len(c.staff) + 1
        c.staff.append(
            (staff_id, user_id, team_id, line_manager.staff_id if line_manager else None)
        )
        for role in roles:
            c.staff_roles.append((self.start.staff_roles + len(c.staff_roles) + 1, staff_id, role))
        return _Person(staff_id, user_id, username, team_id or 0)

    def team(self, name: str, kind: str) -> int:
        while name in self.team_names:
            name = f"{name} (demo)"
        self.team_names.add(name)
        team_id = self.start.teams + len(self.council.teams) + 1
        self.council.teams.append((team_id, name, kind))
        return team_id

    def build_staff(self) -> None:
        active = max(1, round(self.n * ACTIVE_SHARE))
        iros = max(4, round(active / CHILDREN_PER_IRO))
        chairs, lac_iros = iros // 2, iros - iros // 2
        social_workers = max(SOCIAL_WORK_TEAM_SIZE, ceil(active / CHILDREN_PER_SOCIAL_WORKER))
        sw_teams = ceil(social_workers / SOCIAL_WORK_TEAM_SIZE)
        service_managers = min(sw_teams, max(2, round(active / SERVICE_AREA_CHILDREN)))
        heads = ceil(service_managers / 4)

        management = self.team("Directorate of Children's Services", TeamKind.MANAGEMENT)
        director = self.person([Role.DIRECTOR], management, None)
        ad = self.person([Role.ASSISTANT_DIRECTOR], management, director)
        self.person([Role.AUDITOR], management, ad)
        hos_sqa = self.person([Role.HEAD_OF_SERVICE], management, ad)
        # The safeguarding service manager also chairs conferences (one person, several roles).
        ssm = self.person([Role.SAFEGUARDING_SERVICE_MANAGER, Role.IRO], management, hos_sqa)
        self.chairs: list[_Person] = [ssm]
        self.lac_iros: list[_Person] = []
        self.duty: list[_Person] = []

        def iro_teams(count: int, label: str, pool: list[_Person]) -> None:
            teams = max(1, ceil(count / IRO_TEAM_SIZE))
            for t in range(teams):
                name = label if teams == 1 else f"{label} {t + 1}"
                team_id = self.team(name, TeamKind.IRO)
                manager = self.person([Role.IRO_TEAM_MANAGER], team_id, ssm)
                if self.rota_setter is None:
                    self.rota_setter = manager.user_id
                size = count // teams + (1 if t < count % teams else 0)
                for i in range(size):
                    roles = [Role.IRO, Role.DUTY_IRO] if i == 0 else [Role.IRO]
                    iro = self.person(roles, team_id, manager)
                    pool.append(iro)
                    if i == 0:
                        self.duty.append(iro)
                if t % 2 == 0:
                    self.person([Role.ADMINISTRATOR], team_id, manager)

        iro_teams(chairs, "Child Protection Conference Chairs", self.chairs)
        iro_teams(lac_iros, "Independent Reviewing Officers", self.lac_iros)

        heads_of_service = [
            self.person([Role.HEAD_OF_SERVICE], management, ad) for _ in range(heads)
        ]
        managers = [
            self.person([Role.SERVICE_MANAGER], management, heads_of_service[i % heads])
            for i in range(service_managers)
        ]
        self.social_workers: list[tuple[_Person, _Person]] = []  # (social worker, team manager)
        for t in range(sw_teams):
            label = SOCIAL_WORK_TEAM_NAMES[t % len(SOCIAL_WORK_TEAM_NAMES)]
            number = t // len(SOCIAL_WORK_TEAM_NAMES) + 1
            team_id = self.team(f"{label} {number}", TeamKind.SOCIAL_WORK)
            manager = self.person(
                [Role.TEAM_MANAGER], team_id, managers[t * service_managers // sw_teams]
            )
            for _ in range(SOCIAL_WORK_TEAM_SIZE):
                self.social_workers.append(
                    (self.person([Role.SOCIAL_WORKER], team_id, manager), manager)
                )

    def build_rota(self, taken: set[date]) -> None:
        """A duty IRO for every working day from the start of the history to `ROTA_AHEAD_DAYS`
        after the as-of date, the duty IROs in turn (Stockport: consultations go to the duty
        IRO of the day), set by the first IRO team manager."""
        setter = self.rota_setter
        day = self.wd(self.first_day - 1, 1)
        last = self.today + ROTA_AHEAD_DAYS
        turn = 0
        while day <= last:
            if date.fromordinal(day) not in taken:
                person = self.duty[turn % len(self.duty)]
                self.on_duty[day] = person
                turn += 1
                row = (self.start.duty_rota + turn, self.iso[day - self.base], person.staff_id)
                self.council.duty_rota.append((*row, setter))
            day = self.wd(day, 1)

    # children

    def build_children(self) -> None:
        rng, c = self.rng, self.council
        group_left, group_id, family = 0, None, ""
        for i in range(self.n):
            child_id = self.start.children + i + 1
            if group_left == 0:
                group_id, family = None, rng.choice(LAST_NAMES)
                if rng.random() < 0.15:
                    group_left = rng.randint(2, 3)
                    group_id = self.start.sibling_groups + len(c.sibling_groups) + 1
                    c.sibling_groups.append((group_id, f"SG{group_id:06d}"))
            if group_left:
                group_left -= 1
            self.child(i, child_id, family, group_id)

    def child(self, index: int, child_id: int, family: str, group_id: int | None) -> None:
        rng, today = self.rng, self.today
        # More recent starts than old ones: the service's work is mostly current.
        start = self.wd(today - 3 - int((today - 3 - self.first_day) * rng.random() ** 1.4), 1)
        unborn_edd = None
        if index == 0:
            kind = "new_lac"  # at least one looked-after child still waiting for an IRO
        else:
            kind = rng.choices(
                ("cp", "lac", "cp_lac", "consult", "prebirth", "mid_plan", "mid_episode"),
                (36, 30, 8, 8, 6, 6, 6),
            )[0]
        if kind == "prebirth":
            start = self.wd(rng.randint(max(self.first_day, today - 400), today - 20), 1)
            unborn_edd = start + rng.randint(60, 150)
        if kind == "new_lac":
            start = self.wd(today, -2)
        if unborn_edd is not None and unborn_edd > today:
            dob = None
            first = UNBORN_FIRST_NAME
        else:
            dob = (
                (unborn_edd + rng.randint(-14, 10)) if unborn_edd else start - rng.randint(20, 6400)
            )
            first = rng.choice(FIRST_NAMES)
        nhs = test_range_nhs_number(rng) if dob is not None and rng.random() < 0.9 else ""
        self.council.children.append(
            (
                child_id, str(1_000_000 + child_id), nhs, first, family,
                date.fromordinal(dob).isoformat() if dob is not None else None,
                self.iso[unborn_edd - self.base] if unborn_edd is not None else None,
                group_id,
            )
        )  # fmt: skip

        self.ev: list[tuple[int, str, str | None, str, int | None]] = []
        self.child_id = child_id
        self.dob = dob
        self.sw, self.tm = rng.choice(self.social_workers)
        sw_from = start
        self.iro_spells: list[tuple[_Person, int, int | None]] = []

        day: int | None = start
        if kind == "new_lac":
            self.lac(start, late_iro=True)
            day = None
        elif kind == "mid_plan":
            day = self.plan(start, mid=True)
        elif kind == "mid_episode":
            day = self.lac(start, mid=True)
        elif kind == "lac":
            day = self.lac(start)
        elif kind == "consult":
            day = self.consultation(start)
        else:
            day = self.child_protection(start)
            if day is not None and kind == "cp_lac" and day <= today:
                day = self.lac(day)
        # Some children come back: a new referral months after the last involvement ended.
        while day is not None and day < today and rng.random() < 0.25:
            again = self.wd(day + rng.randint(60, 400), 1)
            if again >= today:
                break
            day = self.child_protection(again) if rng.random() < 0.7 else self.consultation(again)
        ended = day if day is not None and day < today else None

        # Allocations: the social worker and their team manager for the whole involvement, IROs
        # and chairs for each plan and episode.
        allocations = self.council.allocations
        sw_to = self.iso[ended - self.base] if ended is not None else None
        for person, role in ((self.sw, Role.SOCIAL_WORKER), (self.tm, Role.TEAM_MANAGER)):
            self.next_allocation_id += 1
            allocations.append(
                (self.next_allocation_id, child_id, person.staff_id, str(role),
                 self.iso[sw_from - self.base], sw_to, "Allocated at referral")
            )  # fmt: skip
        for iro, starts, ends in self.iro_spells:
            if starts > today:
                continue
            self.next_allocation_id += 1
            allocations.append(
                (self.next_allocation_id, child_id, iro.staff_id, str(Role.IRO),
                 self.iso[starts - self.base],
                 self.iso[ends - self.base] if ends is not None and ends <= today else None, "")
            )  # fmt: skip

        # The chronology, in date order, up to the as-of date.
        self.ev.sort(key=_by_day)
        events, iso, recorded, base = self.council.events, self.iso, self.recorded, self.base
        event_id = self.next_event_id
        for day_, type_, time_, data, by in self.ev:
            if day_ > today:
                break
            event_id += 1
            i = day_ - base
            events.append((event_id, child_id, type_, iso[i], time_, data, by, recorded[i]))
        self.next_event_id = event_id

    def e(
        self,
        day: int,
        type_: str,
        data: str = EMPTY,
        time_: str | None = None,
        by: int | None = None,
    ) -> None:
        self.ev.append((day, type_, time_, data, by))

    def booking(self, day: int, meeting: str, on: int, by: int) -> None:
        self.e(
            day,
            E["MEETING_BOOKED"],
            _json({"meeting": meeting, "on": self.iso[on - self.base]}),
            None,
            by,
        )

    def _time(self) -> str:
        return f"{self.rng.randint(9, 16):02d}:{self.rng.choice((0, 15, 30, 45)):02d}:00"

    def old_enough(self, day: int) -> bool:
        return self.dob is not None and day - self.dob >= 5 * 365

    def child_discussion(self, meeting: int, after: int, by: int) -> None:
        """The chair or IRO speaks with the child before a meeting and records it within 5 working days."""
        rng = self.rng
        if not self.old_enough(meeting) or rng.random() < 0.3:
            return
        talk = max(self.wd(meeting, -rng.randint(1, 6)), after + 1)
        if talk > meeting:
            return
        self.e(talk, E["CHAIR_CHILD_DISCUSSION"], by=by)
        self.e(self.held(self.wd(talk, 5), talk, 5), E["CHILD_DISCUSSION_RECORDED"], by=by)

    def action(self, day: int, by: int) -> None:
        rng = self.rng
        self.action_counter += 1
        action = f"a{self.action_counter}"
        due = self.wd(day, rng.choice((10, 15, 20)))
        data = {"action": action, "due": self.iso[due - self.base], "owner": self.sw.username,
                "text": rng.choice(ACTION_TEXTS)}  # fmt: skip
        self.e(day, E["ACTION_SET"], _json(data), by=by)
        if rng.random() < 0.93:
            self.e(
                self.held(due, day, 10),
                E["ACTION_DONE"],
                _json({"action": action}),
                by=self.sw.user_id,
            )

    # pathways

    def consultation(self, day: int) -> int | None:
        """An IRO consultation and what follows it; returns the day the involvement ended."""
        rng = self.rng
        drawn = rng.choice(self.duty)
        iro = self.on_duty.get(day, drawn)  # the day's duty IRO of the rota
        outcome = rng.choices(
            ("tac", "more_information", "advice", "disagree_threshold", "icpc"), (30, 18, 27, 17, 8)
        )[0]
        at = self._time()
        if self.requests:  # the social worker's request, routed to the duty IRO, earlier that day
            asked = {"owner": iro.username, "route": "duty_iro", "requested_by": self.sw.username}
            self.e(day, E["CONSULTATION_REQUESTED"], _json(asked), "08:30:00", self.sw.user_id)
        self.e(day, E["CONSULTATION"], _json({"outcome": outcome}), at, iro.user_id)
        if outcome == "tac":
            tac = self.held(self.wd(day, 15), day, 8)
            self.booking(
                self.wd(day, rng.randint(1, 3)) if tac > self.wd(day, 3) else day,
                "tac_meeting",
                tac,
                iro.user_id,
            )
            self.e(tac, E["TAC_MEETING"], '{"chair":"iro"}', by=iro.user_id)
            if rng.random() < 0.4:
                self.e(
                    self.wd(tac, rng.randint(20, 40)),
                    E["TAC_MEETING"],
                    '{"chair":"other"}',
                    by=self.sw.user_id,
                )
            return tac
        if outcome == "disagree_threshold":
            start = datetime.combine(date.fromordinal(day), time.fromisoformat(at))
            hours = rng.randint(25, 60) if rng.random() < LATE else rng.randint(1, 23)
            decided = start + timedelta(hours=hours, minutes=rng.choice((0, 10, 20, 40)))
            self.e(
                decided.toordinal(),
                E["SERVICE_LEADER_DECISION"],
                EMPTY,
                decided.strftime("%H:%M:%S"),
                self.tm.user_id,
            )
            if rng.random() < 0.5:
                return self.child_protection(self.wd(decided.toordinal(), 1))
            self.e(self.wd(decided.toordinal(), 1), E["ICPC_NOT_REQUIRED"], by=self.sw.user_id)
            return decided.toordinal()
        if outcome == "icpc":
            return self.child_protection(self.wd(day, rng.randint(1, 3)))
        return day

    def child_protection(self, sd: int) -> int | None:
        """Strategy discussion, then an ICPC or none; returns the day the involvement ended, or
        None when it is still open at the as-of date."""
        rng, sw = self.rng, self.sw
        self.e(sd, E["STRATEGY_DISCUSSION"], by=sw.user_id)
        if rng.random() < 0.12:
            day = self.wd(sd, rng.randint(5, 14))
            self.e(day, E["ICPC_NOT_REQUIRED"], by=sw.user_id)
            return day
        chair = rng.choice(self.chairs)
        icpc = self.held(self.wd(sd, 15), sd + 1, 8)
        booked = min(self.wd(sd, rng.randint(1, 3)), icpc)
        self.booking(booked, "icpc", icpc, sw.user_id)
        if rng.random() < 0.25:
            self.e(
                max(booked, self.wd(icpc, -rng.randint(3, 8))),
                E["CONSULTATION"],
                '{"outcome":"icpc"}',
                self._time(),
                chair.user_id,
            )
        self.reports(icpc, booked, chair.user_id)
        self.child_discussion(icpc, booked, chair.user_id)
        if rng.random() < 0.15:
            self.e(icpc, E["ICPC"], '{"outcome":"no_plan"}', "10:00:00", chair.user_id)
            return icpc if icpc <= self.today else None
        return self.plan(icpc, chair=chair)

    def reports(self, meeting: int, after: int, by: int) -> None:
        """The conference reports reach the chair 3 working days before, or late."""
        rng = self.rng
        if rng.random() < LATE:
            day = self.wd(meeting + 1, -rng.randint(1, 2))
        else:
            day = self.wd(meeting, -rng.randint(3, 7))
        if day <= after:
            day = min(self.wd(after, 1), meeting)
        self.e(day, E["CONFERENCE_REPORTS_RECEIVED"], by=by)

    def plan(self, icpc: int, *, chair: _Person | None = None, mid: bool = False) -> int | None:
        """A child protection plan from its ICPC (or, for a record that began mid-plan, from an
        RCPC that continued it); returns the day it ended, or None while open."""
        rng, today, sw = self.rng, self.today, self.sw
        chair = chair or rng.choice(self.chairs)
        reviews = rng.choices((1, 2, 3, 4, 5, 6), (24, 34, 20, 12, 6, 4))[0]
        step = 10
        if mid:
            self.e(icpc, E["RCPC"], '{"outcome":"continue"}', "10:00:00", chair.user_id)
            due = self.months(icpc, 6)
        else:
            if rng.random() < 0.04:
                step = 15
                data = '{"outcome":"plan","visit_interval":"15 working days"}'
            else:
                data = '{"outcome":"plan"}'
            self.e(icpc, E["ICPC"], data, "10:00:00", chair.user_id)
            due = self.months(icpc, 3)
        # Conferences first: they decide when the plan ends.
        conference, end = icpc, None
        for k in range(reviews):
            rcpc = self.held(due, conference + 1)
            last = k == reviews - 1
            self.conference_bookings(conference, rcpc, due, chair)
            self.reports(rcpc, conference, chair.user_id)
            self.child_discussion(rcpc, conference, chair.user_id)
            self.e(
                rcpc,
                E["RCPC"],
                '{"outcome":"end"}' if last else '{"outcome":"continue"}',
                "10:00:00",
                chair.user_id,
            )
            if rng.random() < 0.35:
                self.action(rcpc, chair.user_id)
            conference = rcpc
            if last:
                end = rcpc
            if rcpc > today:
                break
            due = self.months(rcpc, 6)
        if end is not None and end > today:
            end = None
        stop = end if end is not None else today
        # Core groups: the first within 10 working days, then about monthly; each books the next.
        if not mid:
            core = self.held(self.wd(icpc, 10), icpc, 5)
            self.booking(icpc, "core_group", core, chair.user_id)
        else:
            core = self.wd(icpc, rng.randint(5, 20))
        while core <= stop and core <= today:
            self.e(core, E["CORE_GROUP"], by=sw.user_id)
            following = self.wd(core, rng.randint(18, 24))
            if end is None or following < end:  # an open plan books the next one
                self.booking(core, "core_group", following, sw.user_id)
            core = following
        # Visits every 10 working days (or the plan's interval), each due from the one before.
        visit, previous = self.held(self.wd(icpc, step), icpc, 3), icpc
        while visit <= stop and visit <= today:
            self.e(visit, E["CP_VISIT"], by=sw.user_id)
            previous = visit
            visit = self.held(self.wd(previous, step), previous, 3)
        if self.concern_wanted(stop):
            self.concern(
                rng.randint(icpc, max(icpc, stop)),
                chair,
                looked_after=False,
                open_at_end=end is None,
            )
        self.iro_spells.append((chair, icpc, end))
        return end

    def conference_bookings(self, conference: int, rcpc: int, due: int, chair: _Person) -> None:
        """At a conference: the next RCPC booked (rebooked when it slips) and a midway review."""
        rng = self.rng
        if rcpc <= due:
            self.booking(conference, "rcpc", rcpc, chair.user_id)
        else:
            self.booking(conference, "rcpc", self.wd(due + 1, -1), chair.user_id)
            self.booking(
                max(conference + 1, self.wd(due, -rng.randint(2, 6))), "rcpc", rcpc, chair.user_id
            )
        if rng.random() < 0.8:
            midway = self.wd(conference + (rcpc - conference) // 2, 1)
            if conference < midway < rcpc:
                self.booking(conference, "midway_review", midway, chair.user_id)
                outcome = '{"outcome":"held"}' if rng.random() < 0.8 else '{"outcome":"not_needed"}'
                self.e(midway, E["MIDWAY_REVIEW"], outcome, by=chair.user_id)

    def lac(self, start: int, *, mid: bool = False, late_iro: bool = False) -> int | None:
        """A looked-after episode; returns the day it ended, or None while open."""
        rng, today, sw = self.rng, self.today, self.sw
        iro = rng.choice(self.lac_iros)
        reviews = rng.choices((1, 2, 3, 4, 5, 6, 8, 20), (6, 8, 10, 10, 10, 10, 12, 34))[0]
        adoption = rng.random() < 0.12
        if mid:
            review = start
            allocated = start
        else:
            self.e(start, E["LAC_START"], by=sw.user_id)
            allocated = self.wd(start, rng.randint(6, 9) if late_iro else 5)
            if not late_iro:
                allocated = self.held(allocated, start, 5)
            self.e(allocated, E["IRO_ALLOCATED"], by=self.tm.user_id)
            self.e(allocated, E["IRO_DETAILS_SENT"], by=self.tm.user_id)
            review = self.held(self.wd(start, 20), allocated)
            self.booking(
                min(self.wd(start, rng.randint(1, 3)), review), "lac_review", review, iro.user_id
            )
        previous, order, placed = start, None, None
        end = None
        for k in range(reviews):
            if k or not mid:
                self.before_review(review, previous, iro)
            if rng.random() < 0.02:
                self.e(self.wd(review, -1), E["LAC_REVIEW"], '{"adjourned":true}', by=iro.user_id)
            self.e(review, E["LAC_REVIEW"], by=iro.user_id)
            self.e(
                self.held(self.wd(review, 5), review, 4),
                E["REVIEW_DECISIONS_ISSUED"],
                by=iro.user_id,
            )
            self.e(
                self.held(self.wd(review, 20), review, 12),
                E["REVIEW_RECORD_ISSUED"],
                by=iro.user_id,
            )
            if rng.random() < 0.3:
                self.action(review, iro.user_id)
            if review > today:
                break
            due = self.months(review, 3 if k == 0 else 6)
            if adoption and order is None and k >= 1:
                order = self.wd(review, rng.randint(10, 40))
                self.e(order, E["PLACEMENT_ORDER"], '{"plan":"adoption"}', by=sw.user_id)
                if rng.random() < 0.55:
                    placed = self.wd(order + rng.randint(20, 80), 1)
                    self.e(placed, E["PLACED_FOR_ADOPTION"], by=sw.user_id)
                else:
                    due = min(due, self.months(order, 3))
            if k == reviews - 1:
                end = self.wd(review, rng.randint(10, 60))
                if placed is not None:
                    end = max(end, self.wd(placed, rng.randint(60, 120)))
                self.e(end, E["LAC_END"], by=sw.user_id)
                break
            following = self.held(due, review + 1)
            self.booking(review, "lac_review", following, iro.user_id)
            if k == 3 and reviews >= 8 and review < today:
                # a long episode changes IRO once, the working day after its fourth review: the
                # outgoing IRO introduces the new one two working days later
                changed = self.wd(review, 1)
                self.iro_spells.append((iro, allocated, changed - 1))
                iro = self.lac_iros[(self.lac_iros.index(iro) + 1) % len(self.lac_iros)]
                allocated = changed
                self.e(changed, E["IRO_ALLOCATED"], '{"reallocated":true}', by=self.tm.user_id)
                self.e(
                    self.wd(changed, 2), E["IRO_HANDOVER"], '{"introduced":"yes"}', by=iro.user_id
                )
            previous, review = review, following
        if end is not None and end > today:
            end = None
        stop = end if end is not None else today
        if not mid:
            self.placements(start, stop, ended=end is not None)
            self.proceedings(start, stop, iro.user_id)
        if self.concern_wanted(stop):
            self.concern(
                rng.randint(start, max(start, stop)),
                iro,
                looked_after=True,
                open_at_end=end is None,
            )
        self.iro_spells.append((iro, allocated, end))
        return end

    def placements(self, start: int, stop: int, *, ended: bool) -> None:
        """The episode's placement from its first day, the social worker's visits (the first
        within a week, then every four to six weeks, now and then late), for some a change of
        placement (a new provider further away) or a placement with parents, and for half of
        those that ended, the placement's end the day before. A generator of
        its own, seeded by the day, so the rest of the council is the same with or without it."""
        rng = random.Random(start)
        kind = rng.choices(("foster", "residential", "with_parents"), (7, 2, 1))[0]
        details = {
            "placement_type": kind,
            "provider": f"{rng.choice(_PROVIDERS)} ({kind.replace('_', ' ')})",
            "distance": rng.randint(1, 15),
            "area": "in",
            "until_18": kind == "foster" and rng.random() < 0.5,
        }
        by = self.sw.user_id
        self.e(start, E["PLACEMENT_START"], orjson.dumps(details).decode(), by=by)
        changed = start + rng.randint(60, 400) if rng.random() < 0.3 else None
        if changed is not None and changed >= stop - 1:
            changed = None
        if changed is not None:
            moved = {**details, "placement_type": "foster", "area": "out", "until_18": False}
            moved["distance"] = rng.randint(20, 60)
            self.e(changed, E["PLACEMENT_CHANGE"], orjson.dumps(moved).decode(), by=by)
        if ended and rng.random() < 0.5:
            # the child left the placement the day before the episode ended
            stop -= 1
            self.e(stop, E["PLACEMENT_END"], by=by)
        # the care plans and the child's own requests: a generator of their own, so the visits
        # of a child with neither are the same with or without them
        wishes = random.Random(start * 7 + 3)
        planned = kind != "with_parents" and wishes.random() < 0.15  # a plan of 28 days
        visit = start + rng.randint(2, 7)
        first = True
        while visit < stop:
            self.e(visit, E["LAC_VISIT"], by=by)
            if first and planned:
                self.e(visit, E["CARE_PLAN_VISITS"], '{"visit_interval":"28 days"}', by=by)
            first = False
            late = rng.random() < LATE
            following = visit + (rng.randint(43, 50) if late else rng.randint(30, 41))
            if planned:
                following = visit + (rng.randint(29, 35) if late else rng.randint(21, 28))
            if changed is not None and visit < changed < following:
                following = changed + rng.randint(1, 7)  # the new placement's first visit
            if wishes.random() < 0.03 and following - visit > 6 and following < stop:
                # the child asked for a visit a few days before the next one
                self.e(following - wishes.randint(1, 5), E["VISIT_REQUESTED"], by=by)
            visit = following

    def proceedings(self, start: int, stop: int, iro: int) -> None:
        """The episode's legal status from its first day and, for about two in five, care
        proceedings issued within ten days: an interim care order, the children's guardian
        appointed within a week, the IRO's liaison with the guardian every four to eight weeks
        and the local authority's papers seen as they are filed; after about 26 weeks (where
        the episode lasts) a final order, a full care order for most. Its own generator, seeded
        by the day, so the rest of the council is the same with or without it."""
        rng = random.Random(-start)
        sw = self.sw.user_id
        if rng.random() >= 0.4:
            self.e(start, E["LEGAL_STATUS"], '{"legal_status":"V2"}', by=sw)
            return
        self.e(start, E["LEGAL_STATUS"], '{"legal_status":"L1"}', by=sw)
        issued = start + rng.randint(1, 10)
        if issued >= stop:
            return
        court = rng.choice(("Walsall Family Court", "Birmingham Family Court"))
        number = f"BM{rng.randint(10, 99)}C{rng.randint(100, 999):05d}"
        self.e(
            issued, E["PROCEEDINGS_START"], _json({"court": court, "case_number": number}), by=sw
        )
        self.e(issued, E["LEGAL_STATUS"], '{"legal_status":"C1"}', by=sw)
        papers = _json({"papers": ["application", "swet", "care_plan"]})
        self.e(issued + rng.randint(1, 5), E["LEGAL_PAPERS_SEEN"], papers, by=iro)
        guardian = f"{rng.choice(_GUARDIANS)} (Cafcass)"
        self.e(
            issued + rng.randint(2, 7),
            E["GUARDIAN_APPOINTED"],
            _json({"guardian": guardian}),
            by=iro,
        )
        ends = issued + rng.randint(170, 200)
        liaison = issued + rng.randint(8, 20)
        while liaison < min(stop, ends):
            how = rng.choice(("phone", "phone", "meeting", "email", "video"))
            self.e(liaison, E["GUARDIAN_LIAISON"], _json({"how": how}), by=iro)
            liaison += rng.randint(28, 56)
        if ends - 14 < stop:
            self.e(ends - 14, E["LEGAL_PAPERS_SEEN"], '{"papers":["final_evidence"]}', by=iro)
        if ends < stop:
            outcome = rng.choices(
                ("care_order", "special_guardianship_order", "no_order"), (7, 2, 1)
            )[0]
            self.e(ends, E["PROCEEDINGS_END"], _json({"outcome": outcome}), by=sw)
            if outcome == "care_order":
                self.e(ends, E["LEGAL_STATUS"], '{"legal_status":"C2"}', by=sw)
                applied = ends + rng.randint(30, 200)
                if rng.random() < 0.3 and applied < stop:
                    # the child, in care, asks the court for more contact with their family
                    # (Manchester, seed 003, 25: "an application to the court ... by the child")
                    asked = {"applicant": "child", "order": "contact_in_care"}
                    self.e(applied, E["COURT_APPLICATION"], _json(asked), by=sw)

    def before_review(self, review: int, previous: int, iro: _Person) -> None:
        """The IRO consults the social worker 15 working days before, the documents arrive 3
        working days before, the IRO speaks with the child."""
        rng = self.rng
        if rng.random() < LATE:
            consulted = self.wd(review, -rng.randint(5, 14))
        else:
            consulted = self.wd(review, -rng.randint(15, 20))
        if consulted <= previous:
            consulted = self.wd(previous, 1)
        self.e(consulted, E["SW_CONSULTED"], by=iro.user_id)
        if rng.random() < LATE:
            documents = self.wd(review + 1, -rng.randint(1, 2))
        else:
            documents = self.wd(review, -rng.randint(3, 8))
        if documents <= previous:
            documents = self.wd(previous, 1)
        self.e(documents, E["REVIEW_DOCUMENTS_RECEIVED"], by=self.sw.user_id)
        self.child_discussion(review, previous, iro.user_id)

    # concerns and escalation (baseline ladder: informal, then stages 1 to 4, 5 working days each)

    def concern_wanted(self, stop: int) -> bool:
        """Whether this plan or episode has a concern: one in ten, and one in four of those still
        open at the as-of date (so the ladder has open concerns at each stage)."""
        return self.rng.random() < (0.22 if stop >= self.today else 0.08)

    def concern(self, day: int, iro: _Person, *, looked_after: bool, open_at_end: bool) -> None:
        rng, today = self.rng, self.today
        self.concern_counter += 1
        cid = f"c{self.concern_counter}"
        # The ladder's stages are drawn from a fixed cycle so every stage is well represented.
        top = (0, 1, 0, 2, 0, 3, 1, 4, 0, 2, 0, 1)[self.concern_counter % 12]
        still_open = open_at_end and rng.random() < 0.6
        if still_open:
            # Start it so that the as-of date falls while the top stage awaits its response.
            day = self.wd(today, -(6 * top + rng.randint(1, 4)))
        ladder = self.ladders["lac" if looked_after else "cp"]
        top = min(top, ladder.stages)
        tag = {"concern": cid}
        by, manager = iro.user_id, self.tm.user_id
        self.e(day, E["CONCERN_RAISED"], _json({**tag, "ladder": ladder.name}), by=by)
        if top == 0:
            if still_open:
                return
            answer = self.held(self.wd(day, 5), day, 5)
            self.e(answer, E["CONCERN_RESPONSE"], _json({**tag, "accepted": True}), by=manager)
            self.e(self.wd(answer, rng.randint(1, 8)), E["CONCERN_RESOLVED"], _json(tag), by=by)
            return
        if rng.random() < 0.5 or not ladder.warning:  # a warning step only where the ladder has one
            step = self.held(self.wd(day, 5), day, 5)
            self.e(step, E["CONCERN_RESPONSE"], _json({**tag, "accepted": False}), by=manager)
        else:
            step = self.wd(day, rng.randint(3, 5))
            self.e(step, E["CONCERN_WARNING"], _json(tag), by=by)
        # the chair may bypass stage 1 where the ladder allows it
        stage = 2 if top >= 2 and rng.random() < 0.15 and ladder.bypass else 1
        # Cafcass and legal advice only for a looked-after child, on a ladder that has them
        cafcass = looked_after and ladder.cafcass
        legal_advice = looked_after and ladder.legal_advice
        while True:
            notice = self.wd(step, rng.randint(1, 2))
            data: dict[str, object] = {**tag, "stage": stage}
            due = self.wd(notice, 5)
            if rng.random() < 0.1:
                due = self.wd(notice, 3)
                data["respond_by"] = self.iso[due - self.base]
            self.e(notice, E["ESCALATION_NOTICE"], _json(data), by=by)
            if legal_advice and stage == min(3, ladder.stages):
                self.e(self.wd(notice, 1), E["LEGAL_ADVICE_SOUGHT"], _json(tag), by=by)
            if cafcass and (stage == ladder.stages or (self.cafcass_due and stage >= 1)):
                self.cafcass_due = False
                cafcass = False
                self.e(self.wd(notice, 2), E["CAFCASS_REFERRAL"], _json(tag), by=by)
            if rng.random() < 0.1:
                due = self.wd(due, 5)
                extended = {**tag, "stage": stage, "respond_by": self.iso[due - self.base]}
                self.e(self.wd(notice, 2), E["ESCALATION_EXTENDED"], _json(extended), by=by)
            if stage == top and still_open:
                return
            step = self.held(due, notice, 5)
            accepted = stage >= top
            self.e(
                step,
                E["ESCALATION_RESPONSE"],
                _json({**tag, "stage": stage, "accepted": accepted}),
                by=manager,
            )
            if accepted:
                self.e(self.wd(step, rng.randint(1, 5)), E["CONCERN_RESOLVED"], _json(tag), by=by)
                return
            stage += 1


def _by_day(event: tuple[int, str, str | None, str, int | None]) -> int:
    return event[0]


def build_council(
    children: int,
    seed: int,
    as_of: date,
    *,
    password_hash: str,
    start: StartIds | None = None,
    taken: Iterable[str] = (),
    rota_taken: Iterable[date] = (),
    pack: DemoPack | None = None,
) -> Council:
    """The rows of a synthetic council of `children` children, the same for the same arguments.

    `start` holds the last id already used in each table; `taken` the usernames and team names
    already in use (a demo name that clashes gets a digit, or " (demo)" for a team);
    `rota_taken` the days the duty rota already has someone for; `pack` what the pack allows
    (`demo_pack`: the active pack's, by default)."""
    if children < 0:
        raise ValueError("the number of children cannot be negative")
    builder = _Builder(
        children, seed, as_of, password_hash, start or StartIds(), pack or demo_pack()
    )
    builder.usernames |= set(taken)
    builder.team_names |= set(taken)
    builder.build_staff()
    builder.build_rota(set(rota_taken))
    builder.build_children()
    return builder.council


def demo_password() -> str:
    """Every demo user's password: the setting `OVERSIGHT_DEMO_PASSWORD` (from the environment),
    else "oversight-demo"."""
    from django.conf import settings

    return getattr(settings, PASSWORD_ENV, "") or os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


def demo_password_hash(seed: int, password: str | None = None) -> str:
    """The password hashed once for every demo user, with a salt drawn from the seed so that the
    same seed gives the same rows."""
    from django.contrib.auth.hashers import make_password

    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    salt_rng = random.Random(f"demo-salt-{seed}")
    salt = "".join(salt_rng.choice(alphabet) for _ in range(22))
    return make_password(password if password is not None else demo_password(), salt=salt)


# --- Writing the rows --------------------------------------------------------------------------


def _model(label: str) -> Any:
    from django.apps import apps

    return apps.get_model(label)


def start_ids(using: str = "default") -> StartIds:
    """The last id of each table, so that a council added to a database follows what is there."""
    from django.db.models import Max

    def last(label: str) -> int:
        return _model(label).objects.using(using).aggregate(m=Max("id"))["m"] or 0

    return StartIds(
        users=last("auth.User"),
        teams=last("cases.Team"),
        staff=last("cases.StaffMember"),
        staff_roles=last("cases.StaffRole"),
        sibling_groups=last("cases.SiblingGroup"),
        children=last("cases.Child"),
        allocations=last("cases.Allocation"),
        events=last("cases.Event"),
        duty_rota=last("cases.DutyRota"),
    )


def _names_in_use(using: str) -> set[str]:
    users = _model("auth.User").objects.using(using).values_list("username", flat=True)
    teams = _model("cases.Team").objects.using(using).values_list("name", flat=True)
    return set(users) | set(teams)


def insert_rows(
    tables: Iterable[tuple[str, tuple[str, ...], list[Row]]], using: str = "default"
) -> None:
    """Write rows with the database's bulk path, in one transaction: COPY on PostgreSQL,
    `executemany` on SQLite (and on anything else). Sequences are moved past the new ids."""
    from django.core.management.color import no_style
    from django.db import connections, transaction

    connection = connections[using]
    quote = connection.ops.quote_name
    models = []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        raw = cursor.cursor  # the driver's own cursor: no per-row Django wrapping
        for label, columns, rows in tables:
            model = _model(label)
            models.append(model)
            if not rows:
                continue
            table = quote(model._meta.db_table)
            names = ", ".join(quote(c) for c in columns)
            if connection.vendor == "postgresql":
                if len(rows) >= REBUILD_ROWS:
                    with _checks_after_load(raw, model._meta.db_table, quote):
                        _copy(raw, f"COPY {table} ({names}) FROM STDIN", rows)
                else:
                    _copy(raw, f"COPY {table} ({names}) FROM STDIN", rows)
            elif connection.vendor == "sqlite":
                marks = ", ".join(["?"] * len(columns))
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - our names
                if len(rows) >= REBUILD_ROWS:
                    with _indexes_after_load(raw, model._meta.db_table):
                        raw.executemany(sql, rows)
                else:
                    raw.executemany(sql, rows)
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - our names
                raw.executemany(sql, rows)
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


# From this many rows, a table is loaded without its secondary indexes (and, on PostgreSQL, its
# foreign keys) and they are added back: one sorted index build and one validating join instead
# of a B-tree insertion per index and a deferred trigger per row (which PostgreSQL's commit would
# otherwise run one by one). SQLite checks its foreign keys as it goes and cannot stop mid-transaction.
REBUILD_ROWS = 100_000


@contextmanager
def _checks_after_load(cursor: Any, table: str, quote: Callable[[str], str]) -> Iterator[None]:
    """Drop the table's foreign keys and non-constraint indexes, and recreate them exactly (from
    PostgreSQL's own definitions) after the block, in the same transaction."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass) ORDER BY indexname",
        [table, table],
    )
    indexes = cursor.fetchall()
    # Check the rows written so far now: a table with pending deferred checks cannot be altered.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for name, _ in foreign_keys:
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    for _, definition in indexes:
        cursor.execute(definition)
    for name, definition in foreign_keys:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's constraints are initially deferred


@contextmanager
def _indexes_after_load(cursor: Any, table: str) -> Iterator[None]:
    """SQLite: drop the table's own indexes (not those of its primary key or unique
    constraints) and create them again, from SQLite's own definitions, after the block."""
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL ORDER BY name",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    for _, definition in indexes:
        cursor.execute(definition)


def _copy(cursor: Any, sql: str, rows: list[Row]) -> None:
    with cursor.copy(sql) as copy:
        write = copy.write_row
        for row in rows:
            write(row)


def create_demo_council(
    children: int,
    seed: int,
    as_of: date,
    *,
    using: str = "default",
    password: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Council:
    """Build the council and write it after whatever the database already holds."""
    council = build_council(
        children,
        seed,
        as_of,
        password_hash=demo_password_hash(seed, password),
        start=start_ids(using),
        taken=_names_in_use(using),
        rota_taken=_model("cases.DutyRota").objects.using(using).values_list("date", flat=True),
    )
    if progress:
        progress(f"Writing {council.row_count:,} rows")
    insert_rows(council.tables(), using=using)
    return council
