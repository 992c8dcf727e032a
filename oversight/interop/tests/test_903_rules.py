"""Each rule of the SSDA903 reader, on small hand-made tables (no database)."""

from __future__ import annotations

from pathlib import Path

from oversight.interop.tests.helpers import csv_file, data, read_903, reasons

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,REASON_PLACE_CHANGE,REC,DEC,PL_LOCATION"
REVIEWS = "CHILD,DOB,REVIEW,REVIEW_CODE"
PLACEMENTS = (
    "CHILD,DECOM,RNE,PLACE,PLACE_PROVIDER,URN,PL_POST,PL_LA,PL_LOCATION,PL_DISTANCE,DEC,REC"
)
# A placement with a relative by the council's own provision, as the pages record one.
KIN = {
    "placement_type": "connected_person",
    "provider": "The council's own provision",
    "place_provider": "PR1",
    "area": "in",
    "until_18": False,
}


def test_it_reads_periods_of_care_and_reviews_with_participation() -> None:
    children, report = read_903(
        data("903-reviews.csv"), data("903-header.csv"), data("903-episodes.csv")
    )
    assert report.problems == []
    by_child = {
        c.reference: [(f.type, f.date.isoformat(), f.data) for f in c.facts] for c in children
    }
    assert by_child == {
        # Two episodes, the second beginning the day the first ended (Tue 16 June 2026, a
        # change of placement): one period of care, still open.
        # Its placements: long-term foster care with a relative (U1), then (RNE P) short-term
        # (U3) for the carer's reasons (CARPL).
        "900001": [
            ("lac_start", "2026-03-02", {}),
            ("placement_start", "2026-03-02", {**KIN, "place": "U1", "until_18": True}),
            # a full care order on both episodes: one legal status, from the first's start
            ("legal_status", "2026-03-02", {"legal_status": "C2"}),
            ("placement_change", "2026-06-16", {**KIN, "place": "U3", "reason": "CARPL"}),
            ("lac_review", "2026-03-27", {"participation": "PN1"}),
            ("lac_review", "2026-06-22", {"participation": "PN4"}),
        ],
        # Ceased E4A: returned home to live with parents.
        "900002": [
            ("lac_start", "2026-01-05", {}),
            ("placement_start", "2026-01-05", {**KIN, "place": "U1", "until_18": True}),
            ("legal_status", "2026-01-05", {"legal_status": "V2"}),
            ("lac_end", "2026-07-20", {"reason": "E4A"}),
            ("lac_review", "2026-01-28", {"participation": "PN0"}),
        ],
    }


def test_a_change_of_legal_status_between_episodes_is_a_new_legal_status(
    tmp_path: Path,
) -> None:
    children, report = read_903(
        csv_file(
            tmp_path,
            "episodes.csv",
            EPISODES,
            # police protection from Sat 31 Oct 2026, an interim care order from Mon 2 Nov
            "900003,31/10/2026,S,L1,N1,U1,PR1,,X1,02/11/2026,IN",
            "900003,02/11/2026,L,C1,N1,U1,PR1,,,,IN",
        )
    )
    assert report.problems == []
    assert [(f.type, f.date.isoformat(), f.data, f.field) for f in next(iter(children)).facts] == [
        ("lac_start", "2026-10-31", {}, "DECOM"),
        ("placement_start", "2026-10-31", {**KIN, "place": "U1", "until_18": True}, "PLACE"),
        ("legal_status", "2026-10-31", {"legal_status": "L1"}, "LS"),
        ("legal_status", "2026-11-02", {"legal_status": "C1"}, "LS"),
    ]


def test_it_refuses_an_unknown_legal_status_naming_its_column(tmp_path: Path) -> None:
    _, report = read_903(
        csv_file(tmp_path, "episodes.csv", EPISODES, "900003,31/10/2026,S,C9,N1,U1,PR1,,,,IN")
    )
    assert reasons(report) == [
        (
            "error",
            "line 2",
            "LS",
            "'C9' is not a legal status of the 903: "
            "C1, C2, D1, E1, J1, J2, J3, L1, L2, L3, V2, V3, V4",
        )
    ]


def test_it_refuses_an_impossible_date_and_one_not_written_dd_mm_yyyy(tmp_path: Path) -> None:
    _, report = read_903(
        csv_file(
            tmp_path,
            "reviews.csv",
            REVIEWS,
            "900001,12/03/2012,31/02/2026,PN1",  # there is no 31 February
            "900001,12/03/2012,2026-03-27,PN1",
        )
    )
    assert reasons(report) == [
        ("error", "line 2", "REVIEW", "'31/02/2026' is not a date: the 903 writes DD/MM/YYYY"),
        ("error", "line 3", "REVIEW", "'2026-03-27' is not a date: the 903 writes DD/MM/YYYY"),
    ]


def test_it_refuses_an_unknown_participation_code(tmp_path: Path) -> None:
    _, report = read_903(
        csv_file(tmp_path, "reviews.csv", REVIEWS, "900001,12/03/2012,27/03/2026,PN8")
    )
    assert reasons(report) == [
        ("error", "line 2", "REVIEW_CODE", "'PN8' is not a participation code: PN0 to PN7")
    ]


def test_it_refuses_pn0_for_a_child_of_4_or_more(tmp_path: Path) -> None:
    # Born Fri 1 August 2022: 3 on Fri 31 July 2026, 4 on Sat 1 August 2026.
    _, report = read_903(
        csv_file(
            tmp_path,
            "reviews.csv",
            REVIEWS,
            "900003,01/08/2022,31/07/2026,PN0",
            "900003,01/08/2022,01/08/2026,PN0",
        )
    )
    assert reasons(report) == [
        (
            "error",
            "line 3",
            "REVIEW_CODE",
            "PN0 is for a child under 4 at the review; this child was 4 on Sat 1 August 2026",
        )
    ]


def test_it_refuses_a_review_when_the_child_was_not_looked_after(tmp_path: Path) -> None:
    _, report = read_903(
        csv_file(tmp_path, "episodes.csv", EPISODES, "900001,02/03/2026,S,C2,N1,U1,PR1,,X1,,IN"),
        csv_file(tmp_path, "reviews.csv", REVIEWS, "900001,12/03/2012,27/02/2026,PN1"),
    )
    assert reasons(report) == [
        (
            "error",
            "line 2",
            "REVIEW",
            "The child is not looked after on this date (Fri 27 February 2026): a looked-after "
            "review belongs to an episode of care",
        )
    ]


def test_it_refuses_an_episode_ending_before_it_began_or_overlapping(tmp_path: Path) -> None:
    _, report = read_903(
        csv_file(
            tmp_path,
            "episodes.csv",
            EPISODES,
            "900001,02/03/2026,S,C2,N1,U1,PR1,,X1,01/03/2026,IN",
            "900002,05/01/2026,S,V2,N2,U1,PR1,,E4A,20/07/2026,IN",
            "900002,01/07/2026,P,V2,N2,U3,PR1,CARPL,,,IN",
        )
    )
    assert reasons(report) == [
        (
            "error",
            "line 2",
            "DEC",
            "The episode cannot end (Sun 1 March 2026) before it began (Mon 2 March 2026)",
        ),
        (
            "error",
            "line 4",
            "DECOM",
            "This episode begins (Wed 1 July 2026) before the one before it ended "
            "(Mon 20 July 2026, episodes.csv, line 3)",
        ),
    ]


def test_it_refuses_one_child_with_two_dates_of_birth(tmp_path: Path) -> None:
    _, report = read_903(
        csv_file(tmp_path, "header.csv", HEADER, "900001,2,12/03/2012,WBRI,UN1,,"),
        csv_file(tmp_path, "reviews.csv", REVIEWS, "900001,21/03/2012,27/03/2026,PN1"),
    )
    assert reasons(report) == [
        (
            "error",
            "line 2",
            "DOB",
            "This child has two dates of birth: Wed 21 March 2012 here and Mon 12 March 2012 "
            "in header.csv, line 2",
        )
    ]


def test_it_refuses_a_bad_upn_but_not_an_unknown_upn_code(tmp_path: Path) -> None:
    _, report = read_903(
        csv_file(
            tmp_path,
            "header.csv",
            HEADER,
            "900001,2,12/03/2012,WBRI,A820100026005,,",
            "900002,1,01/08/2023,MWBC,UN1,,",  # UN1: the child has no UPN yet, and why
        )
    )
    assert reasons(report) == [
        ("error", "line 2", "UPN", "This UPN's check letter is wrong: A, where its digits give K")
    ]


def test_it_refuses_a_file_that_is_no_903_table(tmp_path: Path) -> None:
    _, report = read_903(csv_file(tmp_path, "people.csv", "ID,NAME", "1,Ann"))
    assert reasons(report) == [
        (
            "error",
            "line 1",
            "columns",
            "This is not an SSDA903 table: its first line names no header (CHILD, DOB), "
            "episodes (CHILD, DECOM, DEC) or reviews (CHILD, DOB, REVIEW, REVIEW_CODE)",
        )
    ]


def test_it_refuses_a_row_with_no_child(tmp_path: Path) -> None:
    _, report = read_903(csv_file(tmp_path, "reviews.csv", REVIEWS, ",12/03/2012,27/03/2026,PN1"))
    assert reasons(report) == [("error", "line 2", "CHILD", "The child's reference is missing")]


def test_an_episodes_placement_is_the_placement_the_pages_record(tmp_path: Path) -> None:
    children, report = read_903(
        csv_file(
            tmp_path,
            "episodes.csv",
            PLACEMENTS,
            # Became looked after Mon 31 August 2026 (the summer bank holiday) in a children's
            # home out of the area, 23.5 miles away; the home's URN and postcode kept.
            "900010,31/08/2026,S,K2,PR4,SC123456,T28 2,E09000033,OUT,23.5,30/09/2026,X1",
            # A change of legal status alone (L): the same placement, no event.
            "900010,30/09/2026,L,K2,PR4,SC123456,T28 2,E09000033,OUT,23.5,31/10/2026,X1",
            # Sat 31 October 2026, the month's last day: home to parents, in the area.
            "900010,31/10/2026,P,P1,PR0,,B1 3,E08000025,IN,0,,",
        ),
    )
    assert report.problems == []
    [child] = children
    assert [(f.type, f.date.isoformat(), f.data) for f in child.facts] == [
        ("lac_start", "2026-08-31", {}),
        (
            "placement_start",
            "2026-08-31",
            {
                "place": "K2",
                "placement_type": "residential",
                "until_18": False,
                "provider": "Private provision",
                "place_provider": "PR4",
                "urn": "SC123456",
                "postcode": "T28 2",
                "la": "E09000033",
                "area": "out",
                "distance": 23.5,
            },
        ),
        (
            "placement_change",
            "2026-10-31",
            {
                "place": "P1",
                "placement_type": "with_parents",
                "until_18": False,
                "provider": "Parents or others with parental responsibility",
                "place_provider": "PR0",
                "postcode": "B1 3",
                "la": "E08000025",
                "area": "in",
                "distance": 0,
            },
        ),
    ]


def test_a_bad_placement_code_is_refused_naming_its_row_and_column(tmp_path: Path) -> None:
    _, report = read_903(
        csv_file(
            tmp_path,
            "episodes.csv",
            PLACEMENTS,
            "900011,02/03/2026,S,Q9,PR9,,2WB,,ABROAD,far,,",
            "900011,,X,U4,PR1,,,,,,,E99",
        )
    )
    assert reasons(report) == [
        ("error", "line 2", "PLACE", "'Q9' is not a code of the 903's PLACE"),
        ("error", "line 2", "PLACE_PROVIDER", "'PR9' is not a code of the 903's PLACE_PROVIDER"),
        ("error", "line 2", "PL_LOCATION", "'ABROAD' is not a code of the 903's PL_LOCATION"),
        (
            "error",
            "line 2",
            "PL_POST",
            "'2WB' is not a postcode as the 903 writes it (the first part and the first digit "
            "of the second: T28 2)",
        ),
        ("error", "line 2", "PL_DISTANCE", "'far' is not a distance in miles (0 or more)"),
        ("error", "line 3", "RNE", "'X' is not a code of the 903's RNE"),
        ("error", "line 3", "REC", "'E99' is not a code of the 903's REC"),
        (
            "error",
            "line 3",
            "PL_LOCATION",
            "Say whether the placement is in or out of the council's area (the 903's PL_LOCATION)",
        ),
        ("error", "line 3", "DECOM", "The episode's start is missing"),
    ]


def test_the_placements_la_and_urn_are_checked_as_the_departments_validator_does(
    tmp_path: Path,
) -> None:
    _, report = read_903(
        csv_file(
            tmp_path,
            "episodes.csv",
            PLACEMENTS,
            # An ONS code and an SC URN; the old three-digit LA number and a numeric URN.
            "900012,02/03/2026,S,K2,PR4,SC123456,,E08000030,IN,4,01/04/2026,X1",
            "900012,01/04/2026,P,K2,PR4,123456,,335,IN,4,01/05/2026,X1",
            # No URN (XXXXXXX) with foster carers in Wales.
            "900012,01/05/2026,P,U4,PR4,XXXXXXX,,WAL,OUT,40,01/06/2026,X1",
            # Neither is a code.
            "900012,01/06/2026,P,K2,PR4,SC12,,Walsall,IN,4,01/07/2026,X1",
            # XXXXXXX is for adoption and foster care only (the validator's rule 242).
            "900012,01/07/2026,P,K2,PR4,XXXXXXX,,E08000030,IN,4,01/08/2026,X1",
            # Supported accommodation in England needs its URN (rule 230); in Scotland not.
            "900012,01/08/2026,P,H5,PR4,,,E08000030,IN,4,01/09/2026,X1",
            "900012,01/09/2026,P,H5,PR4,,,S12000036,OUT,300,,",
        )
    )
    assert reasons(report) == [
        (
            "error",
            "line 5",
            "PL_LA",
            "'WALSALL' is not a local authority's code: its ONS code (E06000001 to E10000034, "
            "W06, S12 or N09 and six digits), its three-digit LA number, or NIR, WAL, SCO, CON "
            "or NUK",
        ),
        (
            "error",
            "line 5",
            "URN",
            "'SC12' is not an Ofsted URN: SC and six digits, or six or seven digits (XXXXXXX "
            "where the placement has none)",
        ),
        (
            "error",
            "line 6",
            "URN",
            "XXXXXXX (no URN) is only for a placement for adoption or with foster carers (A3 to "
            "A6, U1 to U6), not K2",
        ),
        (
            "error",
            "line 7",
            "URN",
            "A placement in supported accommodation in England open on or after 28 October 2023 "
            "needs the provider's Ofsted URN",
        ),
    ]


def test_a_placement_without_its_provider_is_refused_as_the_placement_form_refuses_it(
    tmp_path: Path,
) -> None:
    """The one rule of a placement's details (`cases.rules.placement_problems`), the event
    form's, asked of the 903's own columns: the provider is PLACE_PROVIDER, in or out of the
    area PL_LOCATION."""
    _, report = read_903(
        csv_file(
            tmp_path,
            "episodes.csv",
            PLACEMENTS,
            "900013,02/03/2026,S,U4,,,,,,,,",
            # A temporary placement has no provider (the 903 guidance, 2.2.9): none asked.
            "900014,02/03/2026,S,T1,,,,,IN,,,",
        )
    )
    assert reasons(report) == [
        (
            "error",
            "line 2",
            "PLACE_PROVIDER",
            "Enter the provider: the carer, home or agency (the 903's PLACE_PROVIDER)",
        ),
        (
            "error",
            "line 2",
            "PL_LOCATION",
            "Say whether the placement is in or out of the council's area (the 903's PL_LOCATION)",
        ),
    ]
