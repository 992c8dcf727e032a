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
    record_event(left_care, EventType.LAC_END, dt.date(2026, 6, 1))
    waiting = allocations.unallocated_children(monday_23_november_2026)
    assert [(w.child.reference, w.why) for w in waiting] == [
        ("C3000001", "ICPC booked"),
        ("C3000002", "Became looked after"),
    ]  # Milo (C2000001) is looked after but has Owen


def test_it_counts_each_iros_caseload_against_the_packs_guidance(council):
    council.other_iro.fte = "0.50"
    council.other_iro.save()
    rows = {c.iro.pk: c for c in allocations.caseloads(monday_23_november_2026)}
    isla, owen = rows[council.iro.pk], rows[council.other_iro.pk]
    assert (isla.cp, isla.looked_after) == (1, 0)  # Poppy: a child protection plan
    assert (owen.cp, owen.looked_after) == (0, 1)  # Milo: looked after since Mon 6 Oct 2025
    assert (isla.guidance_min, isla.guidance_max) == (50, 70)  # IRO Handbook, full time
    assert (owen.guidance_min, owen.guidance_max) == (25, 35)  # half time


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
