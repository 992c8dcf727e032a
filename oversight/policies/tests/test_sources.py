"""A pack's source documents past their review date: a month is in date to its last day (Stockport's
"To be reviewed in March 2018": past from Sun 1 Apr 2018), a day to that day."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from oversight.policies import load_pack
from oversight.policies.schema import Document, review_by
from oversight.policies.sources import past_review, sources


@pytest.mark.parametrize(
    ("written", "last"),
    [
        ("2018-03", dt.date(2018, 3, 31)),  # Sat 31 Mar 2018
        ("2024-02", dt.date(2024, 2, 29)),  # a leap year's February
        ("2023-02", dt.date(2023, 2, 28)),
        ("2026-12-25", dt.date(2026, 12, 25)),  # a day: that day, a bank holiday or not
    ],
)
def test_a_review_date_is_in_date_to_its_last_day(written, last):
    assert review_by(written) == last


def test_stockports_protocol_is_past_its_review_from_the_first_of_april_2018():
    stockport = load_pack("stockport")
    assert past_review(stockport, dt.date(2018, 3, 31)) == []
    (past,) = past_review(stockport, dt.date(2018, 4, 1))
    assert past.key == "seed001"
    assert past.title.startswith("The role of Independent Reviewing Officers")
    assert past.review_by == dt.date(2018, 3, 31) and past.by_month


def test_a_document_without_a_review_date_is_never_past_it():
    walsall = load_pack("walsall")
    assert past_review(walsall, dt.date(2040, 1, 1)) == []
    listed = {s.key: s for s in sources(walsall, dt.date(2040, 1, 1))}
    assert listed["seed002"].review_by is None and not listed["seed002"].past_review


def test_the_documents_past_review_come_first():
    stockport = load_pack("stockport")
    extra = Document(title="A later protocol", review_date="2030-06-30")
    pack = stockport.model_copy(update={"sources": {"later": extra, **stockport.sources}})
    assert [s.key for s in sources(pack, dt.date(2026, 12, 3))][:2] == ["seed001", "later"]


@pytest.mark.parametrize("written", ["2018-02-30", "2018-13", "March 2018", "2018-3"])
def test_a_review_date_that_is_no_day_is_refused(written):
    with pytest.raises(ValidationError, match=r"review date|no such day"):
        Document(title="A protocol", review_date=written)
