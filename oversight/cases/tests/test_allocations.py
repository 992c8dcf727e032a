"""allocate_iro and the seeds' allocation rules; the lists of the allocation page."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.audit.models import AuditEntry
from oversight.cases import allocations
from oversight.cases.access import child_for_user
from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, make_staff, record_event
from oversight.cases.models import Allocation
from oversight.cases.obligations import recompute_all

pytestmark = pytest.mark.django_db

monday_23_november_2026 = dt.date(2026, 11, 23)


def test_it_allocates_an_iro_with_a_reason_and_audits_it(council):
    child = make_child()
    record_event(child, EventType.LAC_START, dt.date(2026, 11, 20))
    allocations.allocate_iro(
        child,
        iro=council.iro,
        reason="New looked-after child",
        acting_user=council.iro_team_manager.user,
        as_of=monday_23_november_2026,
    )
    assert child_for_user(council.iro.user, child.pk, as_of=monday_23_november_2026)
    row = AuditEntry.objects.get(what="iro.allocated")
    assert row.child_id == child.pk
    assert row.reason == "New looked-after child"
    assert row.before == {"iro": []}
    assert row.after["iro"][0]["staff"] == "Isla Brightwell"  # type: ignore[index]
    # Looked after: the chronology records the IRO allocated, which meets lac.iro.allocate
    assert child.events.filter(type=EventType.IRO_ALLOCATED, date=monday_23_november_2026).exists()


def test_it_ends_the_previous_iros_allocation_the_day_before(council):
    allocations.allocate_iro(
        council.child,
        iro=council.other_iro,
        reason="Isla is leaving",
        acting_user=council.iro_team_manager.user,
        as_of=monday_23_november_2026,
    )
    old = Allocation.objects.get(child=council.child, staff=council.iro)
    assert old.ends == dt.date(2026, 11, 22)  # Sun 22 Nov: the new IRO holds Mon 23 Nov
    before = AuditEntry.objects.get(what="iro.reallocated").before
    assert before["iro"][0]["staff"] == (  # type: ignore[index]
        "Isla Brightwell"
    )


def test_it_refuses_an_allocation_without_a_reason(council):
    with pytest.raises(allocations.AllocationRefused):
        allocations.allocate_iro(
            make_child(), iro=council.iro, reason=" ", acting_user=council.iro_team_manager.user
        )


def test_it_refuses_someone_who_is_not_an_iro(council):
    with pytest.raises(allocations.AllocationRefused):
        allocations.allocate_iro(
            make_child(),
            iro=council.social_worker,
            reason="x",
            acting_user=council.iro_team_manager.user,
        )


def test_it_refuses_an_iro_in_the_social_workers_management_line_unless_overridden(council):
    # Camden: IROs are not connected with the management of the case
    line_iro = make_staff([Role.IRO, Role.TEAM_MANAGER], council.iro.team)
    council.team_manager.line_manager = line_iro
    council.team_manager.save()
    other = make_child()
    allocate(other, council.social_worker, Role.SOCIAL_WORKER, dt.date(2026, 1, 5))
    assert allocations.independence_conflict(other, line_iro, monday_23_november_2026) == (
        council.social_worker
    )
    with pytest.raises(allocations.AllocationRefused, match="management line"):
        allocations.allocate_iro(
            other, iro=line_iro, reason="x", acting_user=council.iro_team_manager.user
        )
    assert not Allocation.objects.filter(child=other, role=Role.IRO).exists()
    allocations.allocate_iro(
        other,
        iro=line_iro,
        reason="x",
        override_reason="Only IRO with the language the family speaks",
        acting_user=council.iro_team_manager.user,
    )
    row = AuditEntry.objects.get(what="iro.allocated", child_id=other.pk)
    assert "Only IRO with the language the family speaks" in row.reason


def test_it_warns_that_the_icpc_chair_stays_the_chair_until_the_plan_ends(council):
    # Poppy's ICPC (Fri 19 Sep 2025) decided a plan that an RCPC continued; Isla chaired it
    warnings = allocations.allocation_warnings(
        council.child, council.other_iro, monday_23_november_2026
    )
    assert any("stays the chair until the plan ends" in w for w in warnings)
    assert not any(
        "stays the chair" in w
        for w in allocations.allocation_warnings(
            council.child, council.iro, monday_23_november_2026
        )
    )


def test_it_warns_when_siblings_would_have_different_iros(council):
    alfie = council.child.sibling_group.children.exclude(pk=council.child.pk).get()
    warnings = allocations.allocation_warnings(alfie, council.other_iro, monday_23_november_2026)
    assert "Siblings should share an IRO: Poppy Larkfield (C1000001) has Isla Brightwell." in (
        warnings
    )
    assert not any(
        "Siblings" in w
        for w in allocations.allocation_warnings(alfie, council.iro, monday_23_november_2026)
    )


def test_it_warns_when_a_looked_after_parent_and_their_child_would_share_an_iro(council):
    parent = make_child(date_of_birth=dt.date(2009, 2, 1))
    allocate(parent, council.iro, Role.IRO, dt.date(2026, 1, 5))
    baby = make_child(date_of_birth=dt.date(2026, 10, 1), parent=parent)
    warnings = allocations.allocation_warnings(baby, council.iro, monday_23_november_2026)
    assert any("should have different IROs" in w for w in warnings)
    assert not any(
        "different IROs" in w
        for w in allocations.allocation_warnings(baby, council.other_iro, monday_23_november_2026)
    )


def test_it_suggests_the_social_work_teams_named_iro_first(council):
    team = council.social_worker.team
    team.named_iro = council.other_iro
    team.save()
    suggested = allocations.suggested_iros(council.child, monday_23_november_2026)
    assert suggested[0] == council.other_iro
    assert council.iro in suggested


def test_it_lists_children_waiting_for_an_iro(council):
    booked = make_child(reference="C3000001")
    record_event(
        booked, EventType.MEETING_BOOKED, dt.date(2026, 11, 20), meeting="icpc", on="2026-12-04"
    )
    looked_after = make_child(reference="C3000002")
    record_event(looked_after, EventType.LAC_START, dt.date(2026, 11, 19))
    left_care = make_child(reference="C3000003")
    record_event(left_care, EventType.LAC_START, dt.date(2026, 1, 5))
    record_event(left_care, EventType.IRO_ALLOCATED, dt.date(2026, 1, 6))
    record_event(left_care, EventType.LAC_END, dt.date(2026, 6, 1))
    recompute_all(as_of=monday_23_november_2026)
    waiting = allocations.unallocated_children(monday_23_november_2026)
    assert [(w.child.reference, w.why, w.due) for w in waiting] == [
        # an IRO within 5 working days of Thu 19 Nov: Thu 26 Nov, the first clock to run out
        ("C3000002", "Became looked after", dt.date(2026, 11, 26)),
        # the ICPC booked for Fri 4 Dec
        ("C3000001", "ICPC booked", dt.date(2026, 12, 4)),
    ]  # Milo (C2000001) is looked after but has Owen; C3000003 left care
    assert [w.working_days_left for w in waiting] == [3, 9]  # from Mon 23 Nov, Mon not counted


def test_it_lists_a_child_with_only_a_strategy_discussion_by_its_icpc_date(council):
    thursday_26_november_2026 = dt.date(2026, 11, 26)
    strategy = make_child(reference="C3000004")
    record_event(strategy, EventType.STRATEGY_DISCUSSION, thursday_26_november_2026)
    unborn = make_child(
        reference="C3000005", date_of_birth=None, expected_date_of_delivery=dt.date(2027, 1, 20)
    )
    record_event(unborn, EventType.STRATEGY_DISCUSSION, dt.date(2026, 11, 24))
    recompute_all(as_of=thursday_26_november_2026)
    waiting = allocations.unallocated_children(thursday_26_november_2026)
    assert [(w.child.reference, w.why, w.due, w.working_days_left) for w in waiting] == [
        # ICPC within 15 working days of Tue 24 Nov: Tue 15 Dec (13 left from Thu 26 Nov)
        ("C3000005", "Strategy discussion: ICPC due", dt.date(2026, 12, 15), 13),
        # ICPC within 15 working days of Thu 26 Nov: Thu 17 Dec
        ("C3000004", "Strategy discussion: ICPC due", dt.date(2026, 12, 17), 15),
    ]
    allocations.allocate_iro(
        strategy,
        iro=council.iro,
        reason="ICPC to chair",
        acting_user=council.iro_team_manager.user,
        as_of=thursday_26_november_2026,
    )
    waiting = allocations.unallocated_children(thursday_26_november_2026)
    assert [w.child.reference for w in waiting] == ["C3000005"]  # C3000004 has its chair


def test_it_lists_a_child_on_a_plan_whose_chair_has_left(council):
    wednesday_2_december_2026 = dt.date(2026, 12, 2)
    Allocation.objects.filter(child=council.child, role=Role.IRO).update(ends=dt.date(2026, 11, 30))
    recompute_all(as_of=wednesday_2_december_2026)
    waiting = allocations.unallocated_children(wednesday_2_december_2026)
    assert [(w.child.reference, w.why) for w in waiting] == [
        ("C1000001", "On a child protection plan: review conference due")  # Poppy
    ]


def test_it_reads_the_caseload_guidance_once_per_pack(settings, monkeypatch):
    loaded: list[str] = []
    load_pack = allocations.load_pack

    def counted(name: str):
        loaded.append(name)
        return load_pack(name)

    monkeypatch.setattr(allocations, "load_pack", counted)
    allocations._caseload_guidance.cache_clear()
    settings.OVERSIGHT_POLICY = "walsall"
    first = allocations.caseload_guidance()
    assert allocations.caseload_guidance() is first  # the same pack: not validated again
    assert first["looked_after"] is not None and first["looked_after"].high == 70
    settings.OVERSIGHT_POLICY = "stockport"
    allocations.caseload_guidance()
    assert loaded == ["walsall", "stockport"]  # each pack read once


def test_it_counts_each_iros_caseload_against_the_packs_guidance(council):
    council.other_iro.fte = "0.50"
    council.other_iro.save()
    rows = {c.iro.pk: c for c in allocations.caseloads(monday_23_november_2026)}
    isla, owen = rows[council.iro.pk], rows[council.other_iro.pk]
    assert (isla.cp.count, isla.looked_after.count) == (1, 0)  # Poppy: a child protection plan
    assert (owen.cp.count, owen.looked_after.count) == (0, 1)  # Milo: looked after since 6 Oct
    assert (isla.looked_after.low, isla.looked_after.high) == (50, 70)  # IRO Handbook, full time
    assert (owen.looked_after.low, owen.looked_after.high) == (25, 35)  # half time
    # england has no number for child protection chairs: none borrowed from looked after
    assert (isla.cp.low, isla.cp.high, isla.cp.guided) == (None, None, False)


CHAIR_PACK = """
name = "chairs"
council = "A council with a number for each kind"
extends = "england"

[numbers.caseload]
text = "Looked-after children per full-time IRO"
min = 3
max = 4
unit = "children per full-time IRO"
source = "Test pack: a looked-after number"

[numbers.caseload_cp]
text = "Children on a child protection plan per full-time conference chair"
min = 1
max = 2
unit = "children per full-time IRO"
source = "Test pack: a child protection number"
"""


@pytest.fixture
def chair_pack(tmp_path, monkeypatch, settings):
    from oversight.policies import clear_caches

    (tmp_path / "chairs.toml").write_text(CHAIR_PACK, encoding="utf-8")
    monkeypatch.setenv("OVERSIGHT_POLICY_DIRS", str(tmp_path))
    settings.OVERSIGHT_POLICY = "chairs"
    clear_caches()
    yield
    clear_caches()


def _hold(iro, n, *, looked_after):
    for _ in range(n):
        child = make_child()
        allocate(child, iro, Role.IRO, dt.date(2026, 9, 1))
        if looked_after:
            record_event(child, EventType.LAC_START, dt.date(2026, 9, 1))


def test_it_weighs_each_kind_against_its_own_number(council, chair_pack):
    # Isla holds Poppy (a plan) and 2 more on a plan, and 1 looked after: over the chairs'
    # 2, under the looked-after 4. Owen holds Milo (looked after) and 4 more looked after, and
    # nobody on a plan: over the looked-after 4, under the chairs' 2.
    _hold(council.iro, 2, looked_after=False)
    _hold(council.iro, 1, looked_after=True)
    _hold(council.other_iro, 4, looked_after=True)
    rows = {c.iro.pk: c for c in allocations.caseloads(monday_23_november_2026)}
    isla, owen = rows[council.iro.pk], rows[council.other_iro.pk]
    assert (isla.cp.count, isla.cp.high, isla.cp.over) == (3, 2, True)  # 3 over 2
    assert (isla.looked_after.count, isla.looked_after.high) == (1, 4)
    assert not isla.looked_after.over  # 1 within 4
    assert (owen.looked_after.count, owen.looked_after.over) == (5, True)  # 5 over 4
    assert (owen.cp.count, owen.cp.over) == (0, False)  # none on a plan, within 2
    assert isla.over and owen.over


def test_it_gives_cover_only_for_a_period_with_a_reason(council):
    with pytest.raises(allocations.AllocationRefused):
        allocations.give_cover(
            council.iro,
            covering=council.other_iro,
            starts=dt.date(2026, 11, 27),
            ends=dt.date(2026, 11, 23),
            reason="Leave",
            acting_user=council.iro_team_manager.user,
        )
    allocations.give_cover(
        council.iro,
        covering=council.iro_team_manager,
        starts=monday_23_november_2026,
        ends=dt.date(2026, 11, 27),
        reason="Leave",
        acting_user=council.iro_team_manager.user,
    )
    assert AuditEntry.objects.filter(what="cover.given").count() == 1
    assert allocations.may_give_cover(council.iro_team_manager, council.iro)
    assert not allocations.may_give_cover(council.team_manager, council.iro)


def test_it_sets_the_duty_iro_of_a_day_and_audits_it(council):
    allocations.set_duty_iro(
        monday_23_november_2026, staff=council.duty_iro, acting_user=council.iro_team_manager.user
    )
    allocations.set_duty_iro(
        monday_23_november_2026, staff=council.iro, acting_user=council.iro_team_manager.user
    )
    from oversight.cases.access import duty_iro_on

    assert duty_iro_on(monday_23_november_2026) == council.iro
    assert AuditEntry.objects.filter(what="duty_rota.set").count() == 2
