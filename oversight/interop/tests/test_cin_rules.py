"""Each rule of the CIN census reader, on a small hand-made file (no database)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from oversight.interop.records import Children, Fact, Incoming, check_children
from oversight.interop.tests.helpers import (
    THURSDAY_3_DECEMBER_2026,
    cin_children,
    cin_file,
    episode,
    identifiers,
    plan,
    read_cin,
    reasons,
    section47,
)

CHILD = "Message/Children/Child[1]"
EPISODE = f"{CHILD}/CINdetails[1]"


def events(children: Children) -> list[tuple[str, str, dict[str, object]]]:
    return [(f.type, f.date.isoformat(), f.data) for c in children.whole() for f in c.facts]


def test_it_reads_an_enquiry_its_icpc_and_the_plan_it_began(tmp_path: Path) -> None:
    children, report = read_cin(
        cin_file(
            tmp_path,
            identifiers(),
            episode(
                section47("2026-06-01", icpc="2026-06-19"),  # Mon 1 June, ICPC Fri 19 June
                plan("2026-06-19", end="2026-11-30", reviews=("2026-09-17", "2026-11-30")),
            ),
        )
    )
    assert report.problems == []
    assert events(children) == [
        ("strategy_discussion", "2026-06-01", {}),
        ("rcpc", "2026-09-17", {"outcome": "continue", "categories": ["neglect"]}),
        # The review on the plan's last day is the one that ended it.
        ("rcpc", "2026-11-30", {"outcome": "end"}),
        ("icpc", "2026-06-19", {"outcome": "plan", "categories": ["neglect"], "previous_plans": 0}),
    ]


def test_it_reads_review_dates_directly_under_the_plan_as_well(tmp_path: Path) -> None:
    # The other layout in use: CPPreviewDate under ChildProtectionPlans, with no Reviews.
    under_plan = (
        "<ChildProtectionPlans><CPPstartDate>2026-03-02</CPPstartDate>"
        "<InitialCategoryOfAbuse>EMO</InitialCategoryOfAbuse>"
        "<LatestCategoryOfAbuse>PHY</LatestCategoryOfAbuse>"
        "<NumberOfPreviousCPP>1</NumberOfPreviousCPP>"
        "<CPPreviewDate>2026-06-01</CPPreviewDate><CPPreviewDate>2026-11-30</CPPreviewDate>"
        "</ChildProtectionPlans>"
    )
    children, report = read_cin(
        cin_file(
            tmp_path,
            identifiers(),
            episode(section47("2026-02-16", icpc="2026-03-02"), under_plan),
            year="2021",
        )
    )
    assert report.problems == []
    assert [e for e in events(children) if e[0] == "rcpc"] == [
        ("rcpc", "2026-06-01", {"outcome": "continue", "categories": ["physical"]}),
        ("rcpc", "2026-11-30", {"outcome": "continue", "categories": ["physical"]}),
    ]


def test_it_warns_of_an_icpc_more_than_15_working_days_after_the_enquiry(tmp_path: Path) -> None:
    # Mon 7 September 2026 + 15 working days: Mon 28 September; the ICPC was Thu 1 October.
    children, report = read_cin(
        cin_file(tmp_path, identifiers(), episode(section47("2026-09-07", icpc="2026-10-01")))
    )
    assert reasons(report) == [
        (
            "warning",
            f"{EPISODE}/Section47[1]/DateOfInitialCPC",
            "DateOfInitialCPC",
            "This child's ICPC was late: held Thu 1 October 2026, more than 15 working days "
            "after the section 47 enquiry began (Mon 7 September 2026; due by Mon 28 September "
            "2026)",
        )
    ]
    # A warning: the ICPC is still imported (no plan began at it).
    assert ("icpc", "2026-10-01", {"outcome": "no_plan"}) in events(children)


def test_it_counts_the_working_days_round_christmas(tmp_path: Path) -> None:
    # Mon 14 December 2026 + 15 working days skips 25 and 28 December and 1 January:
    # Thu 7 January 2027 is on time, Fri 8 January late.
    _, on_time = read_cin(
        cin_file(tmp_path, identifiers(), episode(section47("2026-12-14", icpc="2027-01-07")))
    )
    _, late = read_cin(
        cin_file(tmp_path, identifiers(), episode(section47("2026-12-14", icpc="2027-01-08")))
    )
    late_ones = [p for p in late.warnings if "ICPC was late" in p.reason]
    assert [p for p in on_time.warnings if "ICPC was late" in p.reason] == []
    assert len(late_ones) == 1
    assert "due by Thu 7 January 2027" in late_ones[0].reason


def test_it_refuses_an_icpc_before_the_enquiry_began(tmp_path: Path) -> None:
    _, report = read_cin(
        cin_file(tmp_path, identifiers(), episode(section47("2026-06-01", icpc="2026-05-29")))
    )
    assert (
        "error",
        f"{EPISODE}/Section47[1]/DateOfInitialCPC",
        "DateOfInitialCPC",
        "The ICPC (Fri 29 May 2026) cannot come before the section 47 enquiry began "
        "(Mon 1 June 2026)",
    ) in reasons(report)


def test_it_reads_icpc_not_required_on_the_enquirys_day(tmp_path: Path) -> None:
    children, report = read_cin(
        cin_file(tmp_path, identifiers(), episode(section47("2026-10-05", not_required="true")))
    )
    assert report.problems == []
    assert events(children) == [
        ("strategy_discussion", "2026-10-05", {}),
        ("icpc_not_required", "2026-10-05", {}),
    ]


def test_it_refuses_icpc_not_required_with_an_icpc(tmp_path: Path) -> None:
    _, report = read_cin(
        cin_file(
            tmp_path,
            identifiers(),
            episode(section47("2026-10-05", icpc="2026-10-20", not_required="true")),
        )
    )
    assert (
        "error",
        f"{EPISODE}/Section47[1]/DateOfInitialCPC",
        "DateOfInitialCPC",
        "ICPCnotRequired says no ICPC was needed, yet an ICPC date is given",
    ) in reasons(report)


def test_it_refuses_an_unknown_yes_no_code(tmp_path: Path) -> None:
    _, report = read_cin(
        cin_file(tmp_path, identifiers(), episode(section47("2026-10-05", not_required="maybe")))
    )
    assert reasons(report) == [
        (
            "error",
            f"{EPISODE}/Section47[1]/ICPCnotRequired",
            "ICPCnotRequired",
            "'maybe' is not a code here: true or false",
        )
    ]


def test_it_refuses_a_date_that_is_not_a_date(tmp_path: Path) -> None:
    _, report = read_cin(
        cin_file(
            tmp_path,
            identifiers(born="Notadate"),
            episode(section47("2026-02-30"), plan("2026-06-19", reviews=("17/09/2026",))),
        )
    )
    got = reasons(report)
    assert (
        "error",
        f"{CHILD}/ChildIdentifiers[1]/PersonBirthDate",
        "PersonBirthDate",
        "'Notadate' is not a date: the census writes YYYY-MM-DD",
    ) in got
    assert (
        "error",
        f"{EPISODE}/Section47[1]/S47ActualStartDate",
        "S47ActualStartDate",
        "'2026-02-30' is not a date: the census writes YYYY-MM-DD",
    ) in got
    assert (
        "error",
        f"{EPISODE}/ChildProtectionPlans[1]/Reviews[1]/CPPreviewDate",
        "CPPreviewDate",
        "'17/09/2026' is not a date: the census writes YYYY-MM-DD",
    ) in got


def test_it_refuses_a_review_before_its_plan_began_or_after_it_ended(tmp_path: Path) -> None:
    _, report = read_cin(
        cin_file(
            tmp_path,
            identifiers(),
            episode(
                section47("2026-06-01", icpc="2026-06-19"),
                plan("2026-06-19", end="2026-10-01", reviews=("2026-06-18", "2026-10-02")),
            ),
        )
    )
    review = f"{EPISODE}/ChildProtectionPlans[1]/Reviews[1]/CPPreviewDate"
    assert [r for r in reasons(report) if r[0] == "error"] == [
        (
            "error",
            review,
            "CPPreviewDate",
            "A review conference (Thu 18 June 2026) cannot come before its plan began "
            "(Fri 19 June 2026)",
        ),
        (
            "error",
            review,
            "CPPreviewDate",
            "A review conference (Fri 2 October 2026) cannot come after its plan ended "
            "(Thu 1 October 2026)",
        ),
    ]


def test_it_refuses_a_plan_ending_before_it_began(tmp_path: Path) -> None:
    _, report = read_cin(
        cin_file(
            tmp_path,
            identifiers(),
            episode(section47("2026-06-01", icpc="2026-06-19"), plan("2026-06-19", "2026-06-18")),
        )
    )
    assert reasons(report) == [
        (
            "error",
            f"{EPISODE}/ChildProtectionPlans[1]/CPPendDate",
            "CPPendDate",
            "The plan cannot end (Thu 18 June 2026) before it began (Fri 19 June 2026)",
        )
    ]


def test_it_warns_of_a_plan_with_no_icpc_on_its_first_day(tmp_path: Path) -> None:
    children, report = read_cin(
        cin_file(tmp_path, identifiers(), episode(plan("2026-06-19", category="MUL")))
    )
    assert reasons(report) == [
        (
            "warning",
            f"{EPISODE}/ChildProtectionPlans[1]/CPPstartDate",
            "CPPstartDate",
            "No ICPC is recorded on the day this plan began (Fri 19 June 2026): it is imported "
            "as an ICPC that day, the decision that began the plan",
        )
    ]
    # MUL (multiple) names no one category of the pages: none is given.
    assert events(children) == [("icpc", "2026-06-19", {"outcome": "plan", "previous_plans": 0})]


def test_it_refuses_an_unknown_category_of_abuse(tmp_path: Path) -> None:
    _, report = read_cin(
        cin_file(
            tmp_path,
            identifiers(),
            episode(section47("2026-06-01", icpc="2026-06-19"), plan("2026-06-19", category="XYZ")),
        )
    )
    assert (
        "error",
        f"{EPISODE}/ChildProtectionPlans[1]/InitialCategoryOfAbuse",
        "InitialCategoryOfAbuse",
        "'XYZ' is not a category of abuse: NEG, PHY, EMO, SAB, MUL",
    ) in reasons(report)


def test_it_refuses_dates_outside_the_episode_of_need(tmp_path: Path) -> None:
    _, report = read_cin(
        cin_file(
            tmp_path,
            identifiers(),
            episode(
                section47("2026-06-01", icpc="2026-06-19"),
                referral="2026-06-02",
                closure="2026-06-18",
            ),
        )
    )
    assert reasons(report) == [
        (
            "error",
            f"{EPISODE}/Section47[1]/S47ActualStartDate",
            "S47ActualStartDate",
            "Mon 1 June 2026 is before this episode's referral (Tue 2 June 2026)",
        ),
        (
            "error",
            f"{EPISODE}/Section47[1]/DateOfInitialCPC",
            "DateOfInitialCPC",
            "Fri 19 June 2026 is after this episode closed (Thu 18 June 2026)",
        ),
    ]


def test_it_refuses_one_child_with_two_dates_of_birth(tmp_path: Path) -> None:
    _, report = read_cin(
        cin_children(
            tmp_path,
            identifiers(born="2016-04-12") + episode(section47("2026-06-01")),
            identifiers(born="2016-04-21") + episode(section47("2026-09-07")),
        )
    )
    assert reasons(report) == [
        (
            "error",
            "Message/Children/Child[2]/ChildIdentifiers[1]/PersonBirthDate",
            "PersonBirthDate",
            "This child has two dates of birth: Thu 21 April 2016 here and Tue 12 April 2016 "
            "in cin.xml, Message/Children/Child[1]/ChildIdentifiers[1]/PersonBirthDate",
        )
    ]


def test_it_refuses_a_upn_with_a_wrong_check_letter(tmp_path: Path) -> None:
    _, report = read_cin(
        cin_file(tmp_path, identifiers(upn="A820100026001"), episode(section47("2026-06-01")))
    )
    assert reasons(report) == [
        (
            "error",
            f"{CHILD}/ChildIdentifiers[1]/UPN",
            "UPN",
            "This UPN's check letter is wrong: A, where its digits give D",
        )
    ]


def test_it_refuses_events_in_the_future_or_before_birth_as_the_pages_do(tmp_path: Path) -> None:
    # Today is Thu 3 December 2026; the child was born on Tue 12 April 2016.
    _, report = read_cin(
        cin_file(
            tmp_path,
            identifiers(),
            episode(section47("2026-12-04"), section47("2016-04-11"), referral="2016-01-04"),
        )
    )
    start = "S47ActualStartDate"
    assert reasons(report) == [
        (
            "error",
            f"{EPISODE}/Section47[1]/{start}",
            start,
            "The date must be today or in the past",
        ),
        (
            "error",
            f"{EPISODE}/Section47[2]/{start}",
            start,
            "The date must be on or after the child's date of birth (12 April 2016)",
        ),
    ]


def test_it_reads_an_unborn_childs_expected_date(tmp_path: Path) -> None:
    unborn = (
        "<ChildIdentifiers><LAchildID>DfEX3000009</LAchildID>"
        "<ExpectedPersonBirthDate>2027-01-20</ExpectedPersonBirthDate></ChildIdentifiers>"
    )
    children, report = read_cin(cin_file(tmp_path, unborn, episode(section47("2026-10-05"))))
    assert report.problems == []
    (child,) = children
    assert (child.date_of_birth, child.expected_date_of_birth) == (None, dt.date(2027, 1, 20))


def test_it_refuses_a_child_with_no_reference(tmp_path: Path) -> None:
    nameless = "<ChildIdentifiers><PersonBirthDate>2016-04-12</PersonBirthDate></ChildIdentifiers>"
    _, report = read_cin(cin_file(tmp_path, nameless))
    assert reasons(report) == [
        ("error", f"{CHILD}/ChildIdentifiers[1]", "LAchildID", "The child's reference is missing")
    ]


def test_it_refuses_an_event_type_the_contract_does_not_know() -> None:
    child = Incoming("DfEX3000001", "cin.xml", CHILD, date_of_birth=dt.date(2016, 4, 12))
    child.add(Fact("home_visit", dt.date(2026, 6, 1), {}, "cin.xml", CHILD, "Visit"))
    children = Children({child.reference: child})
    from oversight.interop.problems import Report

    report = Report()
    check_children(children, report, as_of=THURSDAY_3_DECEMBER_2026)
    assert reasons(report) == [
        ("error", CHILD, "Visit", "'home_visit' is not an event type of the timescales contract")
    ]


def test_it_refuses_a_file_that_is_not_a_census(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<Return><Children/></Return>")
    from oversight.interop.tests.helpers import source

    _, report = read_cin(source(path))
    assert reasons(report) == [
        ("error", "Return", "Return", "This is not a CIN census: its root is Return, not Message")
    ]


def test_it_refuses_a_census_year_that_is_not_a_year(tmp_path: Path) -> None:
    _, report = read_cin(cin_file(tmp_path, identifiers(), year="22"))
    assert reasons(report)[0] == (
        "error",
        "Message/Header/CollectionDetails/Year",
        "Year",
        "'22' is not a census year (YYYY)",
    )
