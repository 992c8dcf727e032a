"""Each rule of the Standard Safeguarding Dataset reader, on small hand-made tables (no database).
The tables carry the dataset's own columns, the ones Oversight does not read included."""

from __future__ import annotations

from pathlib import Path

from oversight.interop.tests.helpers import csv_file, data, read_ssd, reasons, ssd_tables

PERSON = "pers_person_id,pers_sex,pers_dob,pers_expected_dob"
S47 = "s47e_s47_enquiry_id,s47e_person_id,s47e_s47_start_date"
ICPC = "icpc_icpc_id,icpc_s47_enquiry_id,icpc_person_id,icpc_cp_plan_id,icpc_icpc_date,icpc_icpc_outcome_cp_flag"
PLANS = (
    "cppl_cp_plan_id,cppl_person_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,"
    "cppl_cp_plan_initial_category,cppl_cp_plan_latest_category"
)
REVIEWS = "cppr_cp_review_id,cppr_cp_plan_id,cppr_cp_review_date,cppr_cp_review_outcome"
EPISODES = "clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_ceased"
LAC_REVIEWS = (
    "clar_cla_review_id,clar_cla_episode_id,clar_cla_review_date,clar_cla_review_participation"
)


def test_it_reads_every_table_into_the_contracts_events() -> None:
    children, report = read_ssd(*ssd_tables())
    assert report.problems == []
    by_child = {
        c.reference: (
            c.date_of_birth and c.date_of_birth.isoformat(),
            [(f.type, f.date.isoformat(), f.data) for f in c.facts],
        )
        for c in children
    }
    assert by_child == {
        "SSD0001": (
            "2015-07-21",
            [
                ("strategy_discussion", "2026-02-10", {}),
                ("rcpc", "2026-10-15", {"outcome": "end"}),
                ("icpc", "2026-03-02", {"outcome": "plan", "categories": ["neglect"]}),
                # The review's categories are the plan's latest ("Multiple: Neglect, Emotional
                # abuse"); the review of the day the plan ended is its end.
                (
                    "rcpc",
                    "2026-05-28",
                    {"outcome": "continue", "categories": ["neglect", "emotional"]},
                ),
            ],
        ),
        "SSD0002": (
            "2023-02-09",
            [
                # Two episodes, the second beginning the day the first ended: one period.
                ("lac_start", "2026-04-13", {}),
                ("lac_review", "2026-05-07", {"participation": "PN0"}),
                # Review LR-62 (Thu 6 August 2026) was cancelled: not a review held.
                ("lac_review", "2026-08-10", {"participation": "PN0"}),
                # The IRO's involvement; the case worker's is not a chronology event.
                ("iro_allocated", "2026-04-16", {}),
            ],
        ),
    }


def test_it_refuses_dates_that_are_not_dates(tmp_path: Path) -> None:
    _, report = read_ssd(
        csv_file(
            tmp_path, "p.csv", PERSON, "A1,F,2015-02-30,", "A2,M,21/07/2015,", "A3,M,July 2015,"
        )
    )
    assert reasons(report) == [
        (
            "error",
            "line 2",
            "pers_dob",
            "'2015-02-30' is not a date: the dataset writes YYYY-MM-DD or DD/MM/YYYY",
        ),
        (
            "error",
            "line 4",
            "pers_dob",
            "'July 2015' is not a date: the dataset writes YYYY-MM-DD or DD/MM/YYYY",
        ),
    ]


def test_a_child_with_two_dates_of_birth(tmp_path: Path) -> None:
    _, report = read_ssd(
        csv_file(tmp_path, "p.csv", PERSON, "A1,F,2015-07-21,", "A1,F,2015-07-12,")
    )
    assert reasons(report) == [
        (
            "error",
            "line 3",
            "pers_dob",
            "This child has two dates of birth: Sun 12 July 2015 here and Tue 21 July 2015 in "
            "p.csv, line 2",
        ),
    ]


def test_plans_and_their_reviews(tmp_path: Path) -> None:
    _, report = read_ssd(
        csv_file(tmp_path, "person.csv", PERSON, "B1,F,2016-01-04,", "B2,M,2017-03-05,"),
        csv_file(
            tmp_path,
            "plans.csv",
            PLANS,
            "P1,B1,2026-03-09,2026-02-01,Neglect,Neglect",  # ends before it began
            "P2,B2,2026-04-06,2026-09-14,Financial abuse,Neglect",
        ),
        csv_file(
            tmp_path,
            "reviews.csv",
            REVIEWS,
            "R1,P2,2026-04-01,Y",  # before the plan began
            "R2,P2,2026-10-01,Y",  # after it ended
            "R3,P2,2026-07-06,N",  # ended the plan on another day than the plan's end
            "R4,P9,2026-07-06,Y",  # no such plan
            "R5,P2,2026-07-06,maybe",
        ),
    )
    assert reasons(report) == [
        (
            "error",
            "line 2",
            "cppl_cp_plan_end_date",
            "The plan cannot end (Sun 1 February 2026) before it began (Mon 9 March 2026)",
        ),
        (
            "error",
            "line 3",
            "cppl_cp_plan_initial_category",
            "'Financial abuse' is not a category of abuse: Neglect, Physical abuse, Emotional "
            "abuse, Sexual abuse or Multiple",
        ),
        (
            "warning",
            "line 2",
            "cppl_cp_plan_start_date",
            "No ICPC is recorded on the day this plan began (Mon 9 March 2026): it is imported as "
            "an ICPC that day, the decision that began the plan",
        ),
        (
            "warning",
            "line 3",
            "cppl_cp_plan_start_date",
            "No ICPC is recorded on the day this plan began (Mon 6 April 2026): it is imported as "
            "an ICPC that day, the decision that began the plan",
        ),
        (
            "error",
            "line 2",
            "cppr_cp_review_date",
            "A review conference (Wed 1 April 2026) cannot come before its plan began (Mon 6 April "
            "2026)",
        ),
        (
            "error",
            "line 3",
            "cppr_cp_review_date",
            "A review conference (Thu 1 October 2026) cannot come after its plan ended (Mon 14 "
            "September 2026)",
        ),
        (
            "error",
            "line 4",
            "cppr_cp_review_outcome",
            "This review ended the plan (Mon 6 July 2026), which the plan's table says ended Mon "
            "14 September 2026 (plans.csv, line 3)",
        ),
        ("error", "line 5", "cppr_cp_plan_id", "No plan 'P9' is in the ssd_cp_plans table"),
        ("error", "line 6", "cppr_cp_review_outcome", "'maybe' is not a code here: Y or N"),
    ]


def test_an_icpc_late_after_its_enquiry_is_a_warning_and_one_for_another_plan_an_error(
    tmp_path: Path,
) -> None:
    children, report = read_ssd(
        csv_file(tmp_path, "person.csv", PERSON, "C1,F,2014-09-30,"),
        # Enquiry begun Mon 2 November 2026: 15 working days end Mon 23 November.
        csv_file(tmp_path, "s47.csv", S47, "E1,C1,2026-11-02"),
        csv_file(tmp_path, "plans.csv", PLANS, "P1,C1,2026-11-24,,Physical abuse,"),
        csv_file(
            tmp_path,
            "icpc.csv",
            ICPC,
            "I1,E1,C1,P1,2026-11-24,Y",
            "I2,E1,C1,P1,2026-11-25,Y",
        ),
    )
    assert reasons(report) == [
        (
            "warning",
            "line 2",
            "icpc_icpc_date",
            "This child's ICPC was late: held Tue 24 November 2026, more than 15 working days "
            "after the section 47 enquiry began (Mon 2 November 2026; due by Mon 23 November 2026)",
        ),
        (
            "warning",
            "line 3",
            "icpc_icpc_date",
            "This child's ICPC was late: held Wed 25 November 2026, more than 15 working days "
            "after the section 47 enquiry began (Mon 2 November 2026; due by Mon 23 November 2026)",
        ),
        (
            "error",
            "line 3",
            "icpc_cp_plan_id",
            "The ICPC (Wed 25 November 2026) is given as the one that began a plan that begins "
            "Tue 24 November 2026 (plans.csv, line 2)",
        ),
    ]
    (child,) = children
    assert [(f.type, f.date.isoformat(), f.data) for f in child.facts] == [
        ("strategy_discussion", "2026-11-02", {}),
        ("icpc", "2026-11-24", {"outcome": "plan", "categories": ["physical"]}),
    ]


def test_looked_after_reviews_belong_to_an_episode(tmp_path: Path) -> None:
    _, report = read_ssd(
        csv_file(tmp_path, "person.csv", PERSON, "D1,M,2019-06-01,"),
        csv_file(tmp_path, "episodes.csv", EPISODES, "X1,D1,2026-05-04,2026-07-31"),
        csv_file(
            tmp_path,
            "reviews.csv",
            LAC_REVIEWS,
            "L1,X1,2026-05-29,PN0",  # six on the day: not under 4
            "L2,X1,2026-09-01,PN5",  # after the episode ended
            "L3,X9,2026-06-01,PN5",
            "L4,X1,2026-06-01,PX",
        ),
    )
    assert reasons(report) == [
        (
            "error",
            "line 2",
            "clar_cla_review_participation",
            "PN0 is for a child under 4 at the review; this child was 6 on Fri 29 May 2026",
        ),
        (
            "error",
            "line 3",
            "clar_cla_review_date",
            "The child is not looked after on this date (Tue 1 September 2026): a looked-after "
            "review belongs to an episode of care",
        ),
        (
            "error",
            "line 4",
            "clar_cla_episode_id",
            "No episode 'X9' is in the ssd_cla_episodes table",
        ),
        (
            "error",
            "line 5",
            "clar_cla_review_participation",
            "'PX' is not a participation code: PN0 to PN7",
        ),
    ]


def test_a_file_that_is_no_table_it_reads_and_a_future_date(tmp_path: Path) -> None:
    _, report = read_ssd(
        csv_file(
            tmp_path,
            "contacts.csv",
            "cont_contact_id,cont_person_id,cont_contact_date",
            "K1,E1,2026-01-01",
        ),
        csv_file(tmp_path, "person.csv", PERSON, "E1,F,2016-01-04,"),
        csv_file(tmp_path, "s47.csv", S47, "E9,E1,2026-12-04"),
    )
    assert reasons(report) == [
        (
            "error",
            "line 1",
            "columns",
            "This is not a table of the Standard Safeguarding Dataset that Oversight reads: its "
            "first line names the columns of none of ssd_person, ssd_s47_enquiry, ssd_cp_plans, "
            "ssd_initial_cp_conference, ssd_cp_reviews, ssd_cla_episodes, ssd_cla_reviews, "
            "ssd_legal_status, ssd_involvements",
        ),
        # Fri 4 December 2026 is tomorrow: the pages' own words.
        ("error", "line 2", "s47e_s47_start_date", "The date must be today or in the past"),
    ]


LEGAL_STATUS = (
    "lega_legal_status_id,lega_person_id,lega_legal_status,lega_legal_status_start_date,"
    "lega_legal_status_end_date"
)


def test_a_legal_status_is_the_903s_legal_status_event_where_it_changes(tmp_path: Path) -> None:
    children, report = read_ssd(
        data("ssd/ssd_person.csv"),
        data("ssd/ssd_cla_episodes.csv"),
        csv_file(
            tmp_path,
            "ssd_legal_status.csv",
            LEGAL_STATUS,
            # Looked after from Mon 13 April 2026 (two episodes, one period of care).
            "L1,SSD0002,C1: Interim care order,2026-04-13,2026-08-03",
            "L2,SSD0002,C1,2026-08-03,2026-10-01",  # the same status again: no event
            "L3,SSD0002,C2,2026-10-01 00:00:00,",
            "L4,SSD0002,SGO: Special guardianship order,2026-11-01,",
            "L5,SSD0002,V2,2026-03-01,2026-04-13",  # before the child was looked after
        ),
    )
    assert reasons(report) == [
        (
            "warning",
            "line 5",
            "lega_legal_status",
            "'SGO: Special guardianship order' is not a legal status of the 903 (a looked-after "
            "child's: C1, C2, D1, E1, J1, J2, J3, L1, L2, L3, V2, V3, V4): it is not imported",
        ),
        (
            "error",
            "line 6",
            "lega_legal_status_start_date",
            "The child is not looked after on this date (Sun 1 March 2026): a legal status of "
            "the 903 belongs to an episode of care (ssd_cla_episodes)",
        ),
    ]
    child = children.by_reference["SSD0002"]
    assert [(f.date.isoformat(), f.data) for f in child.facts if f.type == "legal_status"] == [
        ("2026-04-13", {"legal_status": "C1"}),
        ("2026-10-01", {"legal_status": "C2"}),
    ]
