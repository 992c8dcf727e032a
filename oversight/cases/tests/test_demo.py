"""The demo council: `oversight demo --children 600 --seed 1 --as-of 2026-11-23`.

The council is built once for the module, inside a transaction rolled back at the end, and read
into plain Python; the tests look at that snapshot. Deadlines are counted here with a date
calculation of this file's own (working days from `holidays`, calendar months), not the engine.
"""

from __future__ import annotations

import calendar
import subprocess
import sys
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from oversight.cases.constants import EventType, Role, TeamKind
from oversight.cases.demo import build_council
from oversight.cases.factories import make_child
from oversight.cases.models import (
    Allocation,
    Child,
    Event,
    StaffMember,
    StaffRole,
    Team,
    engine_event,
    validate_nhs_number,
)
from oversight.demo import Command as DemoCommand

ROOT = Path(__file__).resolve().parents[3]
AS_OF = date(2026, 11, 23)  # a Monday
DEMO = ["--children", "600", "--seed", "1", "--as-of", "2026-11-23"]
MD5_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"  # fast, as in the shared conftest

# Every test here reads the test database, even those that ask only for the module's council:
# without the mark, a run of those alone would set up no test database and build on the real one.
pytestmark = pytest.mark.django_db
DUMP_EXCLUDES = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


@dataclass
class Snapshot:
    events: dict[int, list[tuple[str, date, dict[str, Any]]]]  # child id → (type, date, data)
    children: list[Child]
    teams: list[Team]
    roles: dict[str, set[int]]  # role → user ids
    users: list[Any]
    allocations: list[Allocation]
    staff: int
    icpc: tuple[
        date, dict[str, object], datetime
    ]  # the first ICPC: date, engine shape, recorded at
    first_dump: str
    output: str
    # the meeting records: (child id, kind, date, details, chair's user id, event ids)
    meetings: list[tuple[int, str, date, dict[str, Any], int | None, list[int]]]
    # the complaints: (child id, the conference's place in `meetings` or None, chair's user id)
    complaints: list[tuple[int, int | None, int | None]]
    events_by_id: dict[int, tuple[str, date, int | None]]  # id → (type, date, recorded by)
    staff_users: dict[int, int]  # staff id → user id
    second_dump: str = ""
    added_child: int = 0


def _dump() -> str:
    out = StringIO()
    call_command("dumpdata", *[f"--exclude={e}" for e in DUMP_EXCLUDES], indent=1, stdout=out)
    return out.getvalue()


def _read_meetings() -> tuple[
    list[tuple[int, str, date, dict[str, Any], int | None, list[int]]],
    list[tuple[int, int | None, int | None]],
]:
    from oversight.complaints.models import Complaint
    from oversight.meetings.models import Meeting

    rows = list(Meeting.objects.order_by("id"))
    place = {m.pk: n for n, m in enumerate(rows)}
    meetings = [
        (m.child_id, m.kind, m.date, m.details, m.chair.user_id if m.chair else None, m.event_ids)
        for m in rows
        if m.date is not None
    ]
    complaints = [
        (
            c.child_id,
            place.get(c.meeting_id) if c.meeting_id else None,
            c.chair.user_id if c.chair else None,
        )
        for c in Complaint.objects.select_related("chair").order_by("id")
    ]
    return meetings, complaints


def _read(output: str) -> Snapshot:
    events: dict[int, list[tuple[str, date, dict[str, Any]]]] = defaultdict(list)
    rows = Event.objects.order_by("child_id", "date", "id")
    for child_id, type_, day, data in rows.values_list("child_id", "type", "date", "data"):
        events[child_id].append((type_, day, data))
    roles: dict[str, set[int]] = defaultdict(set)
    for role, user_id in StaffRole.objects.values_list("role", "staff__user_id"):
        roles[role].add(user_id)
    icpc = Event.objects.filter(type=EventType.ICPC).order_by("id").first()
    assert icpc is not None
    meetings, complaints = _read_meetings()
    return Snapshot(
        events=dict(events),
        children=list(Child.objects.order_by("id")),
        teams=list(Team.objects.all()),
        roles=dict(roles),
        users=list(get_user_model().objects.order_by("id")),
        allocations=list(Allocation.objects.all()),
        # The council's staff: the corporate IRO comes with the foster carers, after it.
        staff=StaffMember.objects.exclude(role_set__role=Role.CORPORATE_IRO).count(),
        icpc=(
            icpc.date,
            engine_event(icpc.pk, icpc.type, icpc.date, icpc.time, icpc.data),
            icpc.recorded_at,
        ),
        first_dump=_dump(),
        output=output,
        meetings=meetings,
        complaints=complaints,
        staff_users=dict(StaffMember.objects.values_list("id", "user_id")),
        events_by_id={
            pk: (type_, day, by)
            for pk, type_, day, by in Event.objects.values_list(
                "id", "type", "date", "recorded_by_id"
            )
        },
    )


def _sequences_as_after_a_fresh_start() -> None:
    """Every table's id sequence back to its highest id (none: 1), as on a database that never
    saw an earlier test or run: a rollback undoes rows, never a PostgreSQL sequence's moves."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Snapshot:
    fast_hashing = override_settings(PASSWORD_HASHERS=[MD5_HASHER])
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        _sequences_as_after_a_fresh_start()  # earlier tests' rolled-back rows moved them on
        with transaction.atomic():  # the first run, rolled back once read
            out = StringIO()
            call_command(DemoCommand(), *DEMO, stdout=out)
            snapshot = _read(out.getvalue())
            transaction.set_rollback(True)
        _sequences_as_after_a_fresh_start()  # PostgreSQL's moved on through the rolled-back run
        call_command(
            DemoCommand(), *DEMO, stdout=StringIO()
        )  # the second run, on the same empty database
        snapshot.second_dump = _dump()
        snapshot.added_child = make_child().id  # the ORM adds rows after the bulk-written ids
        transaction.set_rollback(True)
    return snapshot


# --- A plain date calculation of this file's own --------------------------------------------


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def working_days_after(start: date, n: int) -> date:
    """The nth working day after `start`, the start day not counted."""
    day = start
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in _bank_holidays(day.year):
            n -= 1
    return day


def months_after(start: date, n: int) -> date:
    """The same day n months later, or the last day of a shorter month."""
    month0 = start.month - 1 + n
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def test_it_counts_working_days_like_the_contract():
    monday_14_december_2026 = date(2026, 12, 14)
    # 15 working days skip Christmas, Boxing Day (observed Mon 28) and New Year's Day
    assert working_days_after(monday_14_december_2026, 15) == date(2027, 1, 7)  # Thu
    assert months_after(date(2027, 1, 31), 3) == date(2027, 4, 30)  # end of a shorter month


def met_deadlines(events: list[tuple[str, date, dict[str, Any]]]) -> list[tuple[date, date]]:
    """(due, met on) for each met deadline of one child: ICPC within 15 working days of the
    strategy discussion, first core group within 10 working days of an ICPC with a plan, first
    RCPC within 3 months of it, next RCPC within 6 months of an RCPC that continued the plan,
    first looked-after review within 20 working days, second within 3 months, later within 6."""
    pairs: list[tuple[date, date]] = []
    events = [e for e in events if not (e[0] == "lac_review" and e[2].get("adjourned"))]

    def first(
        types: set[str], after: date, strictly: bool, stop: Collection[str] = ()
    ) -> date | None:
        for type_, day, _ in events:
            if day < after or (strictly and day == after):
                continue
            if type_ in stop:
                return None
            if type_ in types:
                return day
        return None

    in_episode = False
    reviews_in_episode = 0
    for type_, day, data in events:
        if type_ == "strategy_discussion":
            met = first({"icpc"}, day, False, {"icpc_not_required", "strategy_discussion"})
            if met:
                pairs.append((working_days_after(day, 15), met))
        elif type_ == "icpc" and data["outcome"] == "plan":
            core = first({"core_group"}, day, False)
            if core:
                pairs.append((working_days_after(day, 10), core))
            rcpc = first({"rcpc"}, day, False)
            if rcpc:
                pairs.append((months_after(day, 3), rcpc))
        elif type_ == "rcpc" and data["outcome"] == "continue":
            rcpc = first({"rcpc"}, day, True)
            if rcpc:
                pairs.append((months_after(day, 6), rcpc))
        elif type_ == "lac_start":
            in_episode, reviews_in_episode = True, 0
            review = first({"lac_review"}, day, False, {"lac_end"})
            if review:
                pairs.append((working_days_after(day, 20), review))
        elif type_ == "lac_end":
            in_episode = False
        elif type_ == "lac_review":
            if not in_episode:  # a record that began mid-episode: this review opens it
                in_episode, reviews_in_episode = True, 0
            reviews_in_episode += 1
            review = first({"lac_review"}, day, True, {"lac_end", "lac_start"})
            if review:
                pairs.append((months_after(day, 3 if reviews_in_episode == 1 else 6), review))
    return pairs


def open_concern_stages(events: list[tuple[str, date, dict[str, Any]]]) -> set[str]:
    """The stage of each concern not resolved: its highest notice, else 'warning' or 'informal'."""
    stages: dict[str, str] = {}
    resolved: set[str] = set()
    for type_, _, data in events:
        concern = data.get("concern", "")
        if type_ == "concern_raised":
            stages[concern] = "informal"
        elif type_ == "concern_warning":
            stages[concern] = "warning"
        elif type_ == "escalation_notice":
            stages[concern] = f"stage {data['stage']}"
        elif type_ == "concern_resolved":
            resolved.add(concern)
    return {stage for concern, stage in stages.items() if concern not in resolved}


# --- The council --------------------------------------------------------------------------------


def test_it_says_what_it_built(demo):
    assert "600 children" in demo.output
    assert f"{demo.staff} staff" in demo.output


# What the demo's pack (`england`) has no place for: no warning step on its ladder, and no
# route for a request for consultation (the consultation is recorded afterwards).
NOT_UNDER_ENGLAND = {EventType.CONCERN_WARNING, EventType.CONSULTATION_REQUESTED}


def test_it_has_every_event_type_of_the_spec_that_its_pack_allows(demo):
    seen = {type_ for events in demo.events.values() for type_, _, _ in events}
    assert seen == set(EventType.values) - NOT_UNDER_ENGLAND


def test_it_meets_between_5_and_15_percent_of_met_deadlines_late(demo):
    pairs = [pair for events in demo.events.values() for pair in met_deadlines(events)]
    late = sum(1 for due, met in pairs if met > due)
    assert len(pairs) > 1000
    assert 0.05 <= late / len(pairs) <= 0.15, f"{late} of {len(pairs)} late"


def test_it_has_open_concerns_at_three_or_more_stages(demo):
    stages = set().union(*(open_concern_stages(events) for events in demo.events.values()))
    assert len(stages) >= 3, stages


def test_it_has_two_or_more_iro_teams(demo):
    assert sum(1 for team in demo.teams if team.kind == TeamKind.IRO) >= 2


def test_it_has_a_sign_in_for_every_role(demo):
    active = {user.id for user in demo.users if user.is_active}
    for role in Role:
        assert demo.roles.get(role, set()) & active, f"nobody signs in as {role.label}"
    # every demo user has the one demo password (hashed once)
    [password] = {user.password for user in demo.users}
    assert check_password("oversight-demo", password)


def test_it_gives_identical_dumps_for_two_runs(demo):
    assert '"model": "cases.event"' in demo.first_dump
    assert demo.first_dump == demo.second_dump


def test_it_stores_events_the_engine_reads_recorded_at_17_00_london_on_their_date(demo):
    day, engine_event, recorded_at = demo.icpc
    assert engine_event["type"] == "icpc"
    assert engine_event["date"] == day.isoformat()
    assert engine_event["time"] == "10:00"
    assert engine_event["outcome"] in {"plan", "no_plan"}
    assert recorded_at.astimezone(ZoneInfo("Europe/London")) == datetime(
        day.year, day.month, day.day, 17, tzinfo=ZoneInfo("Europe/London")
    )


def test_it_leaves_the_ids_ready_for_the_next_row(demo):
    assert demo.added_child == 601


def test_it_writes_no_event_after_the_as_of_date(demo):
    assert max(day for events in demo.events.values() for _, day, _ in events) <= AS_OF


def test_it_uses_only_synthetic_identifiers(demo):
    for child in demo.children:
        if child.nhs_number:
            assert "9990000000" <= child.nhs_number <= "9999999999"
            validate_nhs_number(child.nhs_number)  # raises on a wrong check digit
    assert all(user.email.endswith(".invalid") for user in demo.users)
    usernames = [user.username for user in demo.users]
    assert len(set(usernames)) == len(usernames)
    assert all(name == name.lower() and "." in name for name in usernames)


def test_it_has_unborn_children_with_pre_birth_conferences(demo):
    unborn = [c for c in demo.children if c.date_of_birth is None]
    assert unborn
    assert all(c.expected_date_of_delivery and c.expected_date_of_delivery > AS_OF for c in unborn)
    assert any(
        type_ in {"strategy_discussion", "icpc"}
        for c in unborn
        for type_, _, _ in demo.events.get(c.id, [])
    )


def test_every_demo_child_has_a_first_name(demo):
    # An unborn child too: "Baby" and the family name, as councils record one before the birth.
    assert [c.reference for c in demo.children if not c.first_name.strip()] == []
    unborn = [c for c in demo.children if c.date_of_birth is None]
    assert {c.first_name for c in unborn} == {"Baby"}


def test_it_has_a_looked_after_child_with_no_iro(demo):
    with_iro = {a.child_id for a in demo.allocations if a.role == Role.IRO and a.ends is None}
    looked_after_now = set()
    for child_id, events in demo.events.items():
        lac = [type_ for type_, _, data in events if type_ in {"lac_start", "lac_end"}]
        if lac and lac[-1] == "lac_start":
            looked_after_now.add(child_id)
    assert looked_after_now - with_iro


def test_it_has_looked_after_children_in_a_long_term_placement_of_over_a_year(demo):
    """Walsall's review without a meeting (seed 002, 5.2: "once a child has been in a long term
    placement for more than a year") can be recorded for a demo child: a placement intended to
    last until 18, begun before Sun 23 November 2025 and open on the demo's today."""
    long_term = []
    for child_id, events in demo.events.items():
        placed: tuple[date, bool] | None = None
        for type_, day, data in sorted(events, key=lambda e: e[1]):
            if type_ in {"placement_start", "placement_change"}:
                placed = (day, data.get("until_18") is True)
            elif type_ in {"placement_end", "lac_end"}:
                placed = None
        if placed is not None and placed[1] and placed[0] < date(2025, 11, 23):
            long_term.append(child_id)
    assert len(long_term) >= 3, long_term


def _months_on(day: date, months: int) -> date:
    """`day` plus whole calendar months, a missing day the month's last (31 Jan + 1: 28 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def test_it_holds_a_review_without_a_meeting_in_a_long_term_placement_of_over_a_year(demo):
    """Walsall's seed 002, 5.2, on a demo child: its latest review held without a meeting, the
    decision and who was consulted recorded, in a placement intended to last until 18 begun more
    than 12 months before it, and a review with a meeting in the 12 months before it."""
    [(child_id, kind, held, details, _, event_ids)] = [
        m for m in demo.meetings if m[3].get("without_meeting")
    ]
    assert kind == "lac_review" and details["without_meeting_consultation"]
    assert [demo.events_by_id[pk][:2] for pk in event_ids] == [("lac_review", held)]
    events = sorted(demo.events[child_id], key=lambda e: e[1])
    placed = [
        (day, data.get("until_18") is True)
        for type_, day, data in events
        if type_ in {"placement_start", "placement_change"} and day <= held
    ]
    start, until_18 = placed[-1]
    assert until_18 and _months_on(start, 12) < held, (start, held)
    # neither that placement nor the care ended since it began, to the demo's today
    assert not any(
        type_ in {"placement_end", "lac_end"} and start <= day for type_, day, _ in events
    )
    with_a_meeting = [
        m[2]
        for m in demo.meetings
        if m[0] == child_id and m[1] == "lac_review" and not m[3].get("without_meeting")
    ]
    assert any(held < _months_on(day, 12) for day in with_a_meeting), with_a_meeting
    reviews = [day for type_, day, data in events if type_ == "lac_review" and day <= held]
    assert reviews[-1] == held  # its latest


def test_its_complaint_about_a_conference_names_it_and_goes_to_its_chair(demo):
    """Camden's first point of contact (seed 000 Appendix 1, 4.12.2) on a demo child: the
    complaint names the review conference's record, and its chair, who recorded the conference
    and is no longer the child's IRO, is the complaint's first contact."""
    [(child_id, place, chair)] = [c for c in demo.complaints if c[1] is not None]
    assert place is not None
    conference_child, kind, held, _, conference_chair, event_ids = demo.meetings[place]
    assert (conference_child, kind) == (child_id, "rcpc")
    assert chair is not None and chair == conference_chair
    assert [demo.events_by_id[pk] for pk in event_ids] == [("rcpc", held, chair)]
    iros = {
        demo.staff_users[a.staff_id]
        for a in demo.allocations
        if a.child_id == child_id and a.role == Role.IRO and a.ends is None
    }
    assert iros and chair not in iros


def test_it_has_about_one_iro_per_60_children_on_a_plan_or_looked_after(demo):
    active = 0
    for events in demo.events.values():
        cp = [d.get("outcome") for t, _, d in events if t in {"icpc", "rcpc"}]
        lac = [t for t, _, d in events if t in {"lac_start", "lac_end", "lac_review"}]
        if (cp and cp[-1] in {"plan", "continue"}) or (lac and lac[-1] != "lac_end"):
            active += 1
    iros = len(demo.roles[Role.IRO])
    assert 40 <= active / iros <= 80, f"{active} children, {iros} IROs"


def test_it_builds_the_same_rows_from_the_same_seed_and_others_from_another():
    one = build_council(40, 7, AS_OF, password_hash="x")
    assert one == build_council(40, 7, AS_OF, password_hash="x")
    assert one.events != build_council(40, 8, AS_OF, password_hash="x").events


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["--children", "-5"], ["--children", "many"], ["--as-of", "2026-02-30"], ["--seed", "x"]],
)
def test_it_refuses_bad_input_with_exit_status_2(args):
    with pytest.raises(CommandError) as refused:
        call_command(DemoCommand(), *args)
    assert refused.value.returncode == 2
    assert "\n" not in str(refused.value)


def test_it_exits_2_with_one_line_and_no_traceback_from_the_command_line():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "oversight"), "demo", "--children", "-5"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "CommandError: --children must be 1 or more, not -5"
    ]


def test_it_does_nothing_with_if_empty_when_children_exist():
    make_child()
    out = StringIO()
    call_command(DemoCommand(), "--children", "5", "--if-empty", stdout=out)
    assert Child.objects.count() == 1
    assert "already has 1 children" in out.getvalue()


def test_it_puts_back_every_index_and_foreign_key_after_a_large_load(monkeypatch):
    from django.db import connection

    from oversight.cases import demo as generator

    def schema() -> list[tuple[str, str]]:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid::regclass::text LIKE 'cases_%%' UNION "
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'cases_%%' "
                    "ORDER BY 1, 2"  # a primary key is both a constraint and an index, one name
                )
            else:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name LIKE 'cases_%%' ORDER BY 1"
                )
            return cursor.fetchall()

    before = schema()
    monkeypatch.setattr(generator, "REBUILD_ROWS", 1)  # every table takes the large-load path
    generator.create_demo_council(30, 3, AS_OF, password="x")
    assert schema() == before
    assert Child.objects.count() == 30
    assert Event.objects.exists()


def test_it_keeps_clear_of_the_usernames_and_team_names_already_taken():
    from oversight.cases.demo import create_demo_council
    from oversight.cases.factories import make_staff, make_team

    fresh = build_council(5, 1, AS_OF, password_hash="x")
    username = fresh.users[0][4]  # the director's, in an empty database
    make_team(fresh.teams[0][1], TeamKind.MANAGEMENT)
    make_staff([Role.AUDITOR], username=username)
    create_demo_council(5, 1, AS_OF, password="x")
    assert get_user_model().objects.filter(username=username).count() == 1
    assert Team.objects.filter(name=f"{fresh.teams[0][1]} (demo)").exists()


def test_it_gives_the_engine_only_chronologies_it_accepts(demo):
    """Validation only (the lateness above is counted without the engine): no chronology of the
    demo is bad input under the contract, and the engine finds obligations in it."""
    from oversight.policies import resolve_policy
    from oversight.timescales.engine import evaluate

    policy = resolve_policy("england")
    obligations = 0
    for events in demo.events.values():
        raw = [{"type": t, "date": d.isoformat(), **data} for t, d, data in events]
        obligations += len(evaluate(raw, policy, AS_OF).obligations)
    assert obligations > 10_000
