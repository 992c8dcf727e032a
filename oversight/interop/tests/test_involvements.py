"""The Standard Safeguarding Dataset's involvements of workers other than the IRO: allocations of
Oversight's staff, matched by username or email address; one Oversight cannot match is a
warning, never an error, and the rest of the file is imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.audit.models import AuditEntry
from oversight.cases.constants import Role
from oversight.cases.factories import make_staff
from oversight.cases.models import Allocation
from oversight.interop.actions import run_import
from oversight.interop.problems import Report
from oversight.interop.records import Source
from oversight.interop.tests.helpers import THURSDAY_3_DECEMBER_2026, csv_file, reasons
from oversight.policies import resolve_policy

pytestmark = pytest.mark.django_db
PERSON = "pers_person_id,pers_dob"
INVOLVEMENTS = (
    "invo_involvements_id,invo_professional_id,invo_professional_role_id,invo_person_id,"
    "invo_involvement_start_date,invo_involvement_end_date"
)


def tables(tmp_path: Path, *involvements: str) -> list[Source]:
    return [
        csv_file(tmp_path, "ssd_person.csv", PERSON, "SSD0101,2014-03-09", "SSD0102,2019-11-30"),
        csv_file(tmp_path, "ssd_involvements.csv", INVOLVEMENTS, *involvements),
    ]


def run(sources: list[Source], *, dry_run: bool = False) -> tuple[dict[str, object], Report]:
    summary, report = run_import(
        "ssd",
        sources,
        acting_user=None,
        as_of=THURSDAY_3_DECEMBER_2026,
        policy=resolve_policy("england"),
        dry_run=dry_run,
    )
    return summary.as_json(), report


def held() -> list[tuple[str, str, str, str, str | None]]:
    return [
        (
            reference,
            username,
            role,
            f"{starts:%a %Y-%m-%d}",
            f"{ends:%a %Y-%m-%d}" if ends else None,
        )
        for reference, username, role, starts, ends in Allocation.objects.order_by(
            "child__reference", "starts"
        ).values_list("child__reference", "staff__user__username", "role", "starts", "ends")
    ]


def test_a_worker_is_matched_by_email_or_username_in_either_case(tmp_path: Path) -> None:
    make_staff(username="amira.okafor", email="Amira.Okafor@council.invalid")
    make_staff(username="tm.jones", roles=(Role.TEAM_MANAGER,))
    # A social worker whose username is another's professional id: the wrong answer if the
    # rule matched on anything but the whole id.
    make_staff(username="amira")
    sources = tables(
        tmp_path,
        "IV-1,amira.okafor@COUNCIL.invalid,Social Worker,SSD0101,2026-02-02,2026-06-30",
        "IV-2,TM.JONES,Team Manager,SSD0101,2026-02-02,",
        "IV-3,Amira.Okafor,Allocated Case Worker,SSD0102,2026-07-01 00:00:00.000,",
    )
    summary, report = run(sources)
    assert reasons(report) == []
    assert (summary["imported"], summary["allocations_added"]) == (True, 3)
    assert held() == [
        ("SSD0101", "amira.okafor", "social_worker", "Mon 2026-02-02", "Tue 2026-06-30"),
        ("SSD0101", "tm.jones", "team_manager", "Mon 2026-02-02", None),
        ("SSD0102", "amira.okafor", "social_worker", "Wed 2026-07-01", None),
    ]
    assert sorted(
        (reference, (after or {}).get("role"), (after or {}).get("from"))
        for reference, after in AuditEntry.objects.filter(what="allocation.imported").values_list(
            "child_reference", "after"
        )
    ) == [
        ("SSD0101", "social_worker", "ssd_involvements.csv, line 2"),
        ("SSD0101", "team_manager", "ssd_involvements.csv, line 3"),
        ("SSD0102", "social_worker", "ssd_involvements.csv, line 4"),
    ]
    again, _ = run(sources)
    assert (again["imported"], again["allocations_added"]) == (True, 0)
    assert len(held()) == 3


def test_a_worker_oversight_cannot_match_is_a_warning_and_the_rest_imports(
    tmp_path: Path,
) -> None:
    make_staff(username="bea.ward", roles=(Role.IRO,), first_name="Bea", last_name="Ward")
    make_staff(username="cal.hughes")
    summary, report = run(
        tables(
            tmp_path,
            "IV-1,P-404,Social Worker,SSD0101,2026-02-02,",
            "IV-2,bea.ward,Social Worker,SSD0101,2026-02-02,",
            "IV-3,cal.hughes,Family Support Worker,SSD0102,2026-03-02,",
            "IV-4,cal.hughes,Social Worker,SSD0102,2026-03-02,",
        )
    )
    assert reasons(report) == [
        (
            "warning",
            "line 4",
            "invo_professional_role_id",
            "'Family Support Worker' is not a role Oversight allocates (a social worker, a "
            "team manager or an IRO): this involvement is not imported",
        ),
        (
            "warning",
            "line 2",
            "invo_professional_id",
            "No member of Oversight's staff has the username or email address 'P-404': this "
            "social worker's allocation is not imported",
        ),
        (
            "warning",
            "line 3",
            "invo_professional_id",
            "Bea Ward (bea.ward) is not a social worker in Oversight: this allocation is not "
            "imported",
        ),
    ]
    assert (summary["imported"], summary["children_added"], summary["allocations_added"]) == (
        True,
        2,
        1,
    )
    assert held() == [("SSD0102", "cal.hughes", "social_worker", "Mon 2026-03-02", None)]


def test_an_involvement_ending_before_it_began_writes_nothing(tmp_path: Path) -> None:
    make_staff(username="cal.hughes")
    summary, report = run(
        tables(
            tmp_path,
            "IV-1,cal.hughes,Social Worker,SSD0101,2026-02-02,",
            "IV-2,cal.hughes,Social Worker,SSD0102,2026-03-02,2026-03-01",
        )
    )
    assert reasons(report) == [
        (
            "error",
            "line 3",
            "invo_involvement_end_date",
            "The involvement cannot end (Sun 1 March 2026) before it began (Mon 2 March 2026)",
        )
    ]
    assert (summary["imported"], summary["allocations_added"]) == (False, 1)
    assert held() == []


def test_a_dry_run_counts_the_allocations_and_writes_none(tmp_path: Path) -> None:
    make_staff(username="cal.hughes")
    summary, _ = run(
        tables(tmp_path, "IV-1,cal.hughes,Social Worker,SSD0101,2026-02-02,"), dry_run=True
    )
    assert (summary["imported"], summary["allocations_added"]) == (False, 1)
    assert held() == []
