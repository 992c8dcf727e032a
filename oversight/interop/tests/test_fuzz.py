"""Property-based attack on the importers (hypothesis): whatever a CSV of events, an SSDA903
table or a CIN census holds, the reader answers with a report of its problems; nothing escapes
as an exception (a server error on the import page)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.interop import cin, events, ssda903
from oversight.interop.tests.helpers import THURSDAY_3_DECEMBER_2026, source
from oversight.policies import resolve_policy

pytestmark = pytest.mark.django_db

ATTACKS = [
    "' OR 1=1 --",
    '"; DROP TABLE cases_child; --',
    "%",
    "_",
    "\\",
    '=HYPERLINK("http://x.invalid")',
    "\u0000",
    "\u202e",
    "2027-02-29",
    "29/02/2028",
    "-1",
    "99999999999999999999",
    "<script>",
]
cells = st.one_of(st.sampled_from(ATTACKS), st.text(max_size=20))
HEADER = events.template().splitlines()[0].split(",")
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def read(reader, name: str, content: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        return reader.read(
            [source(path)], as_of=THURSDAY_3_DECEMBER_2026, policy=resolve_policy("england")
        )


def csv_line(values: list[str]) -> str:
    return ",".join('"' + v.replace('"', '""') + '"' for v in values)


@FUZZ
@given(rows=st.lists(st.lists(cells, min_size=len(HEADER), max_size=len(HEADER)), max_size=4))
def test_any_csv_of_events_is_reported_on(rows):
    text = "\n".join([",".join(HEADER), *(csv_line(r) for r in rows)])
    _children, report = read(events, "events.csv", text.encode("utf-8", "surrogatepass"))
    assert report is not None


@FUZZ
@given(content=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_any_bytes_as_a_csv_of_events_are_reported_on(content):
    _children, report = read(events, "events.csv", content)
    assert report is not None


@FUZZ
@given(
    header=st.lists(
        st.sampled_from(["CHILD", "DOB", "SEX", "DECOM", "REVIEW", "REVIEW_CODE"]), max_size=6
    ),
    rows=st.lists(st.lists(cells, min_size=6, max_size=6), max_size=3),
)
def test_any_ssda903_table_is_reported_on(header, rows):
    text = "\n".join([",".join(header), *(csv_line(r[: len(header)]) for r in rows)])
    _children, report = read(ssda903, "reviews.csv", text.encode("utf-8", "surrogatepass"))
    assert report is not None


@FUZZ
@given(value=cells, tag=st.sampled_from(["LAchildID", "PersonBirthDate", "CPPstartDate", "UPN"]))
def test_any_value_in_a_cin_census_is_reported_on(value, tag):
    escaped = value.replace("&", "&amp;").replace("<", "&lt;")
    xml = (
        "<?xml version='1.0' encoding='utf-8'?><Message><Children><Child><ChildIdentifiers>"
        f"<{tag}>{escaped}</{tag}></ChildIdentifiers></Child></Children></Message>"
    )
    _children, report = read(cin, "census.xml", xml.encode("utf-8", "surrogatepass"))
    assert report is not None


@FUZZ
@given(content=st.binary(max_size=300))
def test_any_bytes_as_a_cin_census_are_reported_on(content):
    _children, report = read(cin, "census.xml", b"<" + content)
    assert report is not None


def test_a_bad_byte_past_the_first_lines_is_a_line_of_the_report():
    # What the fuzzer found: a byte that is not UTF-8 on line 3 escaped as UnicodeDecodeError.
    text = ",".join(HEADER).encode() + b"\n" + b",".join([b""] * len(HEADER)) + b"\n\x80oops\n"
    _children, report = read(events, "events.csv", text)
    assert [(p.where, p.field, p.reason) for p in report.problems] == [
        ("line 3", "file", "This is not UTF-8 text: save it as CSV UTF-8")
    ]
