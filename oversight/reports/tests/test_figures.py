"""Every figure of the dashboard on the hand-built December 2026 council (`conftest.py` says
how each number comes about), for the whole service, a team, an IRO and a team manager."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oversight.cases.access import children_for_user
from oversight.reports.figures import (
    Period,
    Scope,
    caseloads_on,
    figure,
    figures,
    last_full_month,
)
from oversight.reports.tests.conftest import d

pytestmark = pytest.mark.django_db

DECEMBER_2026 = Period(d("Tue 2026-12-01"), d("Thu 2026-12-31"))


def numbers(scope: Scope, period: Period = DECEMBER_2026) -> dict[str, tuple[int, int | None]]:
    return {f.key: (f.numerator, f.denominator) for f in figures(scope, period)}


SERVICE = {
    "icpc_within_15_wd": (3, 5),  # Ava, Ben (over Christmas), Dan of Ava, Ben, Cara, Dan, Gus
    "icpc_s47_0_10_wd": (1, 5),  # Dan, 2 working days
    "icpc_s47_11_15_wd": (2, 5),  # Ava 15, Ben 14
    "icpc_s47_16_20_wd": (1, 5),  # Cara 17
    "icpc_s47_21_plus_wd": (1, 5),  # Gus 21
    "core_group_first_in_time": (3, 4),  # Ava, Dan, Gus; Cara late
    "rcpc_in_time": (2, 3),  # Hana, Jude; Ivo late
    "rcpc_first_in_time": (1, 2),  # Hana; Ivo late
    "rcpc_later_in_time": (1, 1),  # Jude
    "lac_review_in_time": (3, 4),  # Kit, Lily (the month's last day), Mo; Ned late
    "lac_review_first_in_time": (2, 3),  # Kit, Lily; Ned late
    "lac_review_second_in_time": (0, 0),  # Mo's was in September
    "lac_review_later_in_time": (1, 1),  # Mo
    "lac_review_decisions_in_time": (1, 2),  # Kit's over Christmas; Ned's late
    "lac_review_record_in_time": (1, 1),  # Ned's on the month's last day
    "iro_allocated_in_time": (1, 2),  # Lily; Kit late
    "escalations_raised": (3, None),  # Ava's, Gus's on 31 Dec, Kit's; not the good practice
    "escalations_resolved": (2, 5),  # Ava's, Hana's of those and Hana's, Ivo's open in December
    "escalations_resolved_informally": (1, 5),  # Ava's
    "escalations_resolved_after_notice": (1, 5),  # Hana's, at stage 1
    "escalations_still_open": (3, 5),  # Ivo's, Gus's, and Kit's (resolved in January)
    "cp_visit_in_time": (2, 4),  # Cara (due day), Dan; Gus late over Christmas, Eve's never made
    "sw_consulted_before_review": (1, 1),  # Lily's, due Tue 8 Dec (Kit's was due in November)
    "documents_before_review": (1, 2),  # Kit's; Lily's late (due Thu 24 Dec, before Christmas)
    "midway_booked": (3, None),  # Jude's, Hana's, Ivo's (on the month's last day)
    "midway_held": (1, None),  # Jude's
    "midway_not_needed": (1, None),  # Hana's
    "midway_missed": (1, None),  # Ivo's
    "conferences_held": (8, None),  # five ICPCs and three RCPCs
    "icpcs_held": (5, None),  # Ava, Ben, Cara, Dan, Gus
    "rcpcs_held": (3, None),  # Hana, Ivo, Jude
    "lac_reviews_held": (4, None),  # Kit, Lily, Mo, Ned
    "consultations": (3, None),  # Quinn's, Finn's, Rhys's (Pia's was in November)
    "consultations_to_icpc": (1, None),  # Finn's
    "consultations_to_tac": (1, None),  # Quinn's
    "consultations_other": (1, None),  # Rhys's, advice
    "tac_after_consultation_in_time": (1, 2),  # Quinn's on its due day; Pia's late
    "rcpc_brought_forward": (0, None),  # (test_plans.py brings some forward)
    "plans_started": (5, None),  # the five ICPCs with a plan
    "plans_second_or_later": (0, 5),  # each the child's first
    "plans_second_within_2_years": (0, 5),
    "plans_ended": (1, None),  # Jude's, at his RCPC
    "plan_length_under_3_months": (0, 1),
    "plan_length_3_to_6_months": (0, 1),
    "plan_length_6_to_12_months": (1, 1),  # Jude's: Mon 1 Jun to Wed 16 Dec
    "plan_length_1_to_2_years": (0, 1),
    "plan_length_2_years_or_more": (0, 1),
    "support_challenge_panel": (0, None),  # no child flagged under the england pack
    "escalation_notices": (1, None),  # Ivo's stage 1
    "escalation_responses_in_time": (1, 2),  # Ivo's notice answered in time; Kit's concern late
    "partner_disputes": (1, None),  # Gus's, with Northbrook Health Trust
    "good_practice": (1, None),  # Lily's
    "proceedings_guardian_liaison": (0, 0),  # no child of December is in care proceedings
    "cafcass_referrals": (1, None),  # Ned's, on the month's last day
    "legal_advice": (1, None),  # Ned's
    "court_applications": (1, None),  # Ned's, on the month's first day
    "lac_adoption_review_in_time": (1, 1),  # Mo's on its due day
    "visits_requested": (1, None),  # Mo's on the month's last day; not November's
    "complaints_received": (4, None),  # Hana's, Kit's, Gus's, Ben's (Ava's in November)
    "complaints_acknowledged_in_time": (2, 5),  # Ava's, Ben's; Hana's, Kit's late, Gus's overdue
    "complaints_answered_in_time": (2, 3),  # Ava's, Kit's; Hana's late (Gus's, Ben's: January)
    "complaints_upheld": (1, None),  # Ava's
    "complaints_partly_upheld": (1, None),  # Hana's
    "complaints_not_upheld": (1, None),  # Kit's
    "caseload_held": (19, None),  # the 17 Reportsons and the personas' Poppy and Milo
    # No child of this council is placed (test_placements.py places some).
    "lac_sw_visit_in_time": (0, 0),
    "placement_moves": (0, 0),
    "placed_out_of_area": (0, 0),
    "placed_over_20_miles": (0, 0),
    # No foster household in this council (test_carer_figures.py adds some).
    "carer_reviews_in_time": (0, 0),
    "carer_reviews_overdue": (0, None),
    "carer_reviews_held": (0, None),
    "carer_reviews_continue": (0, 0),
    "carer_reviews_new_terms": (0, 0),
    "carer_concerns_raised": (0, None),
    "carer_concerns_resolved": (0, 0),
}


def test_it_counts_every_figure_for_the_whole_service(december):
    assert numbers(Scope()) == SERVICE


def test_it_gives_the_value_as_a_percentage_to_one_place(december):
    found = {f.key: f for f in figures(Scope(), DECEMBER_2026)}
    assert found["icpc_within_15_wd"].value == 60.0
    assert found["icpc_within_15_wd"].text == "3 of 5 (60%)"
    assert found["rcpc_in_time"].value == 66.7  # 2 of 3
    assert found["escalations_raised"].value is None  # a count
    assert found["escalations_raised"].text == "3"


def test_it_names_the_packs_timescale_in_the_label(december):
    found = figure("icpc_within_15_wd", Scope(), DECEMBER_2026)
    assert found.label == "ICPCs held within 15 working days of the strategy discussion"
    assert figure("iro_allocated_in_time", Scope(), DECEMBER_2026).label == (
        "IROs allocated within 5 working days of becoming looked after"
    )


def test_it_names_walsalls_second_trigger_in_the_records_label(december, settings):
    """Walsall's full record (seed 002, 5.2): "within 20 days of review meeting or 15 days after
    the decisions are produced": the figure's label states both, as the engine counts them."""
    assert figure("lac_review_record_in_time", Scope(), DECEMBER_2026).label == (
        "Review records issued within 20 working days of the review"  # England's
    )
    settings.OVERSIGHT_POLICY = "walsall"
    assert figure("lac_review_record_in_time", Scope(), DECEMBER_2026).label == (
        "Review records issued within 20 days (or 15 days after the review decisions issued, "
        "whichever is later) of the review"
    )


def test_it_counts_a_team_by_who_held_the_child_on_each_day(december):
    team_1 = numbers(Scope(team=december.team_1))
    # Cara's ICPC (Thu 3 Dec) was team 1's; her core group (Fri 18 Dec, after her move) team 2's.
    assert team_1["icpc_within_15_wd"] == (3, 4)  # Ava, Ben, Dan of those and Cara
    assert team_1["icpc_s47_16_20_wd"] == (1, 4)  # Cara
    assert team_1["core_group_first_in_time"] == (2, 2)  # Ava, Dan
    assert team_1["rcpc_in_time"] == (1, 1)  # Hana
    assert team_1["lac_review_in_time"] == (2, 2)  # Kit, Lily
    assert team_1["iro_allocated_in_time"] == (1, 2)  # Lily; Kit late
    assert team_1["escalations_raised"] == (2, None)  # Ava's, Kit's
    assert team_1["escalations_resolved"] == (2, 3)  # Ava's, Hana's; Kit's still open on 31 Dec
    assert team_1["cp_visit_in_time"] == (1, 2)  # Dan; Eve's never made (Cara's was after)
    assert team_1["midway_booked"] == (1, None)  # Hana's
    assert team_1["caseload_held"] == (10, None)  # Sami's nine Reportsons and Poppy, not Cara
    team_2 = numbers(Scope(team=december.team_2))
    assert team_2["cp_visit_in_time"] == (1, 2)  # Cara's after her move, in time; Gus late
    assert team_2["plans_ended"] == (1, None)  # Jude's
    assert team_2["escalation_responses_in_time"] == (1, 1)  # Ivo's notice
    assert team_2["caseload_held"] == (9, None)  # Nia's seven, Cara and Milo
    assert team_2["icpc_within_15_wd"] == (0, 1)  # Gus, late
    assert team_2["core_group_first_in_time"] == (1, 2)  # Gus; Cara's late
    assert team_2["rcpc_in_time"] == (1, 2)  # Jude; Ivo late
    assert team_2["lac_review_in_time"] == (1, 2)  # Mo; Ned late
    assert team_2["iro_allocated_in_time"] == (0, 0)
    assert team_2["escalations_raised"] == (1, None)  # Gus's
    assert team_2["escalations_resolved"] == (0, 2)  # Gus's and Ivo's, both open


def test_it_counts_an_iros_children(council, december):
    owen = numbers(Scope(iro=council.other_iro))
    assert owen["icpc_within_15_wd"] == (0, 1)  # Gus
    assert owen["rcpc_in_time"] == (1, 2)  # Jude; Ivo late
    assert owen["lac_review_in_time"] == (1, 2)  # Mo; Ned late
    assert owen["escalations_raised"] == (1, None)  # Gus's


def test_it_counts_only_the_children_a_team_manager_sees(council, december, today):
    # Tara manages Sami, who holds Ava, Ben, Dan, Hana, Kit and Lily today; Cara is Nia's now.
    tara = numbers(Scope(children_for_user(council.team_manager.user, as_of=today)))
    assert tara["icpc_within_15_wd"] == (3, 3)
    assert tara["core_group_first_in_time"] == (2, 2)
    assert tara["rcpc_in_time"] == (1, 1)
    assert tara["lac_review_in_time"] == (2, 2)
    assert tara["escalations_raised"] == (2, None)
    assert tara["escalations_resolved"] == (2, 3)


def test_it_lists_the_rows_behind_each_figure_as_it_counts_them(december):
    for found in figures(Scope(), DECEMBER_2026):
        rows = found.children()
        assert sum(r.counted for r in rows) == found.numerator, found.key
        assert len(rows) == (found.denominator or found.numerator), found.key


def test_it_lists_the_icpcs_with_their_strategy_discussion_and_due_date(december):
    rows = figure("icpc_within_15_wd", Scope(), DECEMBER_2026).children()
    assert [(r.name, r.start, r.day, r.due, r.counted) for r in rows] == [
        ("Cara Reportson", d("Tue 2026-11-10"), d("Thu 2026-12-03"), d("Tue 2026-12-01"), False),
        ("Dan Reportson", d("Wed 2026-12-02"), d("Fri 2026-12-04"), d("Wed 2026-12-23"), True),
        ("Gus Reportson", d("Thu 2026-11-12"), d("Fri 2026-12-11"), d("Thu 2026-12-03"), False),
        ("Ava Reportson", d("Mon 2026-11-30"), d("Mon 2026-12-21"), d("Mon 2026-12-21"), True),
        # 15 working days from Mon 7 Dec skip Christmas Day and the Boxing Day substitute
        ("Ben Reportson", d("Mon 2026-12-07"), d("Tue 2026-12-29"), d("Wed 2026-12-30"), True),
    ]


def test_it_lists_a_concern_still_open_with_no_day(december):
    rows = figure("escalations_resolved", Scope(), DECEMBER_2026).children()
    assert [(r.name, r.day, r.counted) for r in rows] == [
        ("Ivo Reportson", None, False),
        ("Hana Reportson", d("Fri 2026-12-04"), True),
        ("Ava Reportson", d("Wed 2026-12-16"), True),
        ("Kit Reportson", None, False),  # resolved on Mon 4 Jan 2027, after the period
        ("Gus Reportson", None, False),
    ]


def test_it_counts_a_period_of_one_day_and_january(december):
    christmas_eve = Period(d("Thu 2026-12-24"), d("Thu 2026-12-24"))
    assert numbers(Scope(), christmas_eve)["icpc_within_15_wd"] == (0, 0)
    january = numbers(Scope(), Period(d("Fri 2027-01-01"), d("Sun 2027-01-31")))
    assert january["icpc_within_15_wd"] == (0, 1)  # Finn: 21 working days, late
    assert january["icpc_s47_21_plus_wd"] == (1, 1)


def test_its_default_period_is_the_last_full_month():
    assert last_full_month(d("Mon 2027-01-11")) == DECEMBER_2026
    assert last_full_month(d("Tue 2027-03-02")) == Period(d("Mon 2027-02-01"), d("Sun 2027-02-28"))


def test_it_gives_each_iros_caseload_per_fte_against_the_guidance(december):
    rows = caseloads_on(Scope(), DECEMBER_2026).rows
    found = [
        (r.iro.user.last_name, r.fte, r.cp.count, r.looked_after.count, r.per_fte,
         r.looked_after.low, r.looked_after.high)
        for r in rows
    ]  # fmt: skip
    assert found == [
        # Isla: eight Reportsons of team 1 and Poppy on a plan or none; Kit and Lily looked after
        ("Brightwell", Decimal("1.00"), 9, 2, Decimal("11.0"), Decimal("50"), Decimal("70")),
        # Owen, half time: Gus, Ivo, Jude, Pia, Rhys; Mo, Ned and Milo; the guidance halved
        ("Carrow", Decimal("0.50"), 5, 3, Decimal("16.0"), Decimal("25"), Decimal("35")),
    ]
    assert rows[0].cp.high is None  # the england pack has no number for a chair's caseload


def test_it_counts_a_caseload_on_the_periods_last_day(december):
    # On Thu 10 Dec Cara was still Sami's (team 1): she moved on Fri 11 Dec.
    early = Period(d("Tue 2026-12-01"), d("Thu 2026-12-10"))
    assert numbers(Scope(team=december.team_1), early)["caseload_held"] == (11, None)
    rows = figure("caseload_held", Scope(team=december.team_1), early).children()
    assert "Cara Reportson" in [r.name for r in rows]


def test_caseloads_read_once_give_the_figure_and_the_table_they_give_read_twice(
    council, december, django_assert_num_queries
):
    early = Period(d("Tue 2026-12-01"), d("Thu 2026-12-10"))
    for scope, period in (
        (Scope(), DECEMBER_2026),
        (Scope(team=december.team_1), early),  # Cara still Sami's on Thu 10 Dec
        (Scope(iro=council.other_iro), DECEMBER_2026),
    ):
        held = caseloads_on(scope, period)
        with django_assert_num_queries(0):  # the caseloads read: no query of their own
            (given,) = figures(scope, period, ["caseload_held"], iro_caseloads=held)
        (read,) = figures(scope, period, ["caseload_held"])
        assert given.numerator == read.numerator == len(held.held)
        assert caseloads_on(scope, period) == held  # the same table, busiest first
    assert len(caseloads_on(Scope(team=december.team_1), early).held) == 11  # with Cara
    assert len(caseloads_on(Scope(iro=council.other_iro), DECEMBER_2026).held) == 8  # Owen's


CONCERN_KEYS = (
    "escalations_raised",
    "partner_disputes",
    "good_practice",
    "escalations_resolved",
    "escalations_resolved_informally",
    "escalations_resolved_after_notice",
    "escalations_still_open",
)


def test_it_counts_every_concern_figure_in_two_queries_as_its_children_count_them(
    council, december, django_assert_num_queries
):
    for scope in (Scope(), Scope(team=december.team_1), Scope(iro=council.other_iro)):
        with django_assert_num_queries(2):  # those raised, and those open in the period
            found = figures(scope, DECEMBER_2026, CONCERN_KEYS)
        for f in found:
            rows = f.children()  # a query of its own for each figure
            if f.denominator is None:
                assert f.numerator == len(rows), f.key
            else:
                assert (f.numerator, f.denominator) == (sum(r.counted for r in rows), len(rows))


def test_a_scope_read_once_counts_what_the_viewers_children_count(council, december, today):
    tara = children_for_user(council.team_manager.user, as_of=today)
    read = Scope.read(tara)
    assert read.seen is not None and not read.seen.hidden  # her line's few children, listed
    assert numbers(read) == numbers(Scope(tara))
    rosa = children_for_user(december.service_manager.user, as_of=today)
    read = Scope.read(rosa, team=december.team_2)
    assert read.seen is not None and read.seen.hidden  # every child but those she may not see
    assert numbers(read) == numbers(Scope(rosa, team=december.team_2))


def test_it_lists_the_complaints_answered_with_their_day_and_due_day(december):
    rows = figure("complaints_answered_in_time", Scope(), DECEMBER_2026).children()
    assert [(r.name, r.what, r.start, r.day, r.due, r.counted) for r in rows] == [
        # received Mon 30 Nov, answered Fri 11 Dec, due Mon 14 Dec: in time
        ("Ava Reportson", "Complaint answered", d("Mon 2026-11-30"), d("Fri 2026-12-11"),
         d("Mon 2026-12-14"), True),
        # received Tue 1 Dec, due Tue 15 Dec, answered Thu 17 Dec: late
        ("Hana Reportson", "Complaint answered", d("Tue 2026-12-01"), d("Thu 2026-12-17"),
         d("Tue 2026-12-15"), False),
        # received Thu 10 Dec, due Thu 24 Dec, answered Wed 23 Dec: in time
        ("Kit Reportson", "Complaint answered", d("Thu 2026-12-10"), d("Wed 2026-12-23"),
         d("Thu 2026-12-24"), True),
    ]  # fmt: skip
    unacknowledged = figure("complaints_acknowledged_in_time", Scope(), DECEMBER_2026).children()
    assert [(r.name, r.counted) for r in unacknowledged if r.name == "Gus Reportson"] == [
        ("Gus Reportson", False)  # due Wed 23 Dec, never acknowledged
    ]
    upheld = figure("complaints_partly_upheld", Scope(), DECEMBER_2026).children()
    assert [(r.name, r.what, r.day) for r in upheld] == [
        ("Hana Reportson", "Response to the complaint", d("Thu 2026-12-17"))
    ]


def test_it_counts_a_teams_complaints_and_names_the_packs_timescales(december):
    team_1 = numbers(Scope(team=december.team_1))
    assert team_1["complaints_received"] == (3, None)  # Hana's, Kit's, Ben's
    assert team_1["complaints_acknowledged_in_time"] == (2, 4)  # Ava's, Ben's; Hana's, Kit's late
    team_2 = numbers(Scope(team=december.team_2))
    assert team_2["complaints_received"] == (1, None)  # Gus's
    assert team_2["complaints_acknowledged_in_time"] == (0, 1)  # Gus's, overdue
    assert team_2["complaints_answered_in_time"] == (0, 0)  # Gus's due in January
    assert figure("complaints_acknowledged_in_time", Scope(), DECEMBER_2026).label == (
        "Complaints due to be acknowledged in the period, acknowledged within 3 working days"
    )
    assert figure("complaints_answered_in_time", Scope(), DECEMBER_2026).label == (
        "Complaints due to be answered in the period, answered within 10 working days"
    )


def test_its_complaint_outcomes_are_the_complaints_logs():
    from oversight.complaints.constants import Outcome
    from oversight.reports.figures import COMPLAINT_OUTCOMES

    assert list(COMPLAINT_OUTCOMES) == Outcome.choices


def test_it_counts_children_in_proceedings_and_those_with_guardian_liaison(december):
    from oversight.cases.constants import EventType as E
    from oversight.cases.factories import record_event

    kit, lily, mo, ned = (december.children[n] for n in ("Kit", "Lily", "Mo", "Ned"))
    # Kit: proceedings from Mon 30 Nov, the guardian phoned on Thu 31 Dec (the month's last day)
    record_event(kit, E.PROCEEDINGS_START, d("Mon 2026-11-30"), court="Walsall")
    record_event(kit, E.GUARDIAN_LIAISON, d("Thu 2026-12-31"), how="phone")
    # Lily: proceedings from Wed 2 Dec, the only liaison on Fri 1 Jan 2027, after the month
    record_event(lily, E.PROCEEDINGS_START, d("Wed 2026-12-02"), court="Walsall")
    record_event(lily, E.GUARDIAN_LIAISON, d("Fri 2027-01-01"), how="email")
    # Mo: proceedings ended on Mon 30 Nov, the day before December: not in the period
    record_event(mo, E.PROCEEDINGS_START, d("Mon 2026-06-01"), court="Walsall")
    record_event(mo, E.GUARDIAN_LIAISON, d("Tue 2026-12-01"), how="phone")  # after the end
    record_event(mo, E.PROCEEDINGS_END, d("Mon 2026-11-30"), outcome="care_order")
    # Ned: proceedings ended on Tue 1 Dec (the first day counts), liaison that morning
    record_event(ned, E.PROCEEDINGS_START, d("Mon 2026-11-02"), court="Walsall")
    record_event(ned, E.GUARDIAN_LIAISON, d("Tue 2026-12-01"), how="meeting")
    record_event(ned, E.PROCEEDINGS_END, d("Tue 2026-12-01"), outcome="care_order")
    found = figure("proceedings_guardian_liaison", Scope(), DECEMBER_2026)
    # Kit and Ned of Kit, Lily and Ned
    assert (found.numerator, found.denominator) == (2, 3)
    rows = {r.reference: (r.day, r.counted) for r in found.children()}
    assert rows == {
        kit.reference: (d("Thu 2026-12-31"), True),
        lily.reference: (None, False),
        ned.reference: (d("Tue 2026-12-01"), True),
    }
    # team 1 held Kit and Lily (Sami's): Kit of the two
    team_1 = figure("proceedings_guardian_liaison", Scope(team=december.team_1), DECEMBER_2026)
    assert (team_1.numerator, team_1.denominator) == (1, 2)
