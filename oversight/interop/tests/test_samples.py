"""The shared samples (../shared/samples/, copied into data/): each refused with the reasons its
deliberate mistakes deserve, and nothing of it written."""

from __future__ import annotations

import collections

import pytest

from oversight.cases.models import Child, Event
from oversight.interop.actions import import_children
from oversight.interop.tests.helpers import THURSDAY_3_DECEMBER_2026, data, read_903, read_cin

CHILD = "Message/Children/Child[1]"
IDS = f"{CHILD}/ChildIdentifiers[1]"
EPISODE = f"{CHILD}/CINdetails[1]"
PLAN = f"{EPISODE}/ChildProtectionPlans[1]"

# The CIN census sample's mistakes, each with the words it deserves.
CIN_SAMPLE = [
    ("error", f"{IDS}/UPN", "UPN", "This UPN's check letter is wrong: A, where its digits give P"),
    (
        "error",
        f"{IDS}/FormerUPN",
        "FormerUPN",
        "This UPN's check letter is wrong: X, where its digits give F",
    ),
    (
        "error",
        f"{IDS}/UPNunknown",
        "UPNunknown",
        "UN3 says why the child has no UPN, yet a UPN is given",
    ),
    (
        "warning",
        f"{PLAN}/CPPstartDate",
        "CPPstartDate",
        "No ICPC is recorded on the day this plan began (Tue 17 February 1970): it is imported "
        "as an ICPC that day, the decision that began the plan",
    ),
    (
        "error",
        f"{EPISODE}/Section47[1]/S47ActualStartDate",
        "S47ActualStartDate",
        "Tue 2 June 1970 is before this episode's referral (Tue 6 October 1970)",
    ),
    (
        "error",
        f"{PLAN}/CPPstartDate",
        "CPPstartDate",
        "Tue 17 February 1970 is before this episode's referral (Tue 6 October 1970)",
    ),
    (
        "error",
        f"{PLAN}/CPPendDate",
        "CPPendDate",
        "Sun 14 March 1971 is after this episode closed (Sat 27 February 1971)",
    ),
    (
        "error",
        f"{EPISODE}/Section47[1]/DateOfInitialCPC",
        "DateOfInitialCPC",
        "Wed 17 June 1970 is before this episode's referral (Tue 6 October 1970)",
    ),
]


def test_it_refuses_the_cin_sample_with_its_mistakes_named() -> None:
    _, report = read_cin(data("liiatools_cin-2022.xml"))
    got = [(str(p.severity), p.where, p.field, p.reason) for p in report.problems]
    assert got == CIN_SAMPLE


def test_it_refuses_the_903_reviews_sample_with_its_mistakes_named() -> None:
    children, report = read_903(data("csc-validator-be-903_reviews.csv"))
    assert len(children) == 2675
    kinds = collections.Counter(p.reason.split(";")[0] for p in report.errors)
    assert kinds == {
        # Reviews dated after today (Thu 3 December 2026), up to 2030: the pages' own words.
        "The date must be today or in the past": 68,
        # PN0 is the code for a child under 4; these children were 4 or older.
        "PN0 is for a child under 4 at the review": 1435,
    }
    assert report.warnings == []
    first = report.errors[0]
    assert (first.where, first.field, first.reason) == (
        "line 17",
        "REVIEW_CODE",
        "PN0 is for a child under 4 at the review; this child was 7 on Wed 26 February 2020",
    )
    future = next(p for p in report.errors if p.reason.startswith("The date must"))
    assert (future.where, future.field) == ("line 118", "REVIEW")


@pytest.mark.django_db
def test_it_writes_nothing_of_either_sample() -> None:
    for reader, name, kind in (
        (read_cin, "liiatools_cin-2022.xml", "cin"),
        (read_903, "csc-validator-be-903_reviews.csv", "903"),
    ):
        children, report = reader(data(name))
        summary = import_children(
            kind,
            [data(name)],
            children,
            report,
            acting_user=None,
            as_of=THURSDAY_3_DECEMBER_2026,
        )
        assert summary.imported is False
    assert Child.objects.count() == 0
    assert Event.objects.count() == 0
