"""Every value a person reads on the child, chronology, children and meeting pages is in words
(issue 14, bug 4): a day as "Thursday 4 February 2027" (or "Thu 4 Feb 2027" in a dense table's
column), a time as "2pm", a code by its label, a yes or no as "Yes" or "No"; never as stored
(`14:00:00`, `2027-02-04`, `icpc`, `['neglect']`, `True`)."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event

pytestmark = pytest.mark.django_db

OVERSIGHT = Path(__file__).resolve().parents[2]
# Every template of every part, pages and messages: none formats a date or time itself.
FORMATTED = sorted(
    str(path.relative_to(OVERSIGHT))
    for path in OVERSIGHT.glob("*/templates/**/*")
    if path.suffix in (".html", ".txt")
)


def words(html: str) -> str:
    """The page's main content as a person reads it: no tags, single spaces."""
    main = html[html.index("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize("name", FORMATTED)
def test_a_page_formats_dates_and_times_through_the_layer(name):
    """`|date` only for the machine's `datetime="Y-m-d"` (or "c") and a month's "F Y" or "Y-m";
    every day and time a person reads through `|day`, `|short_day` or `|clock`."""
    text = (OVERSIGHT / name).read_text()
    shown = re.findall(r"\|date(?::[\"']([^\"']*)[\"'])?", text)
    assert [f for f in shown if f not in ("Y-m-d", "c", "F Y", "Y-m")] == []
    assert "|time" not in text


def test_the_chronology_reads_times_and_days_in_words(client, council):
    child = make_child(first_name="Nell", last_name="Ashby", date_of_birth=dt.date(2019, 3, 4))
    allocate(child, council.iro, Role.IRO, dt.date(2026, 1, 5))
    record_event(child, EventType.CP_VISIT, dt.date(2026, 4, 1), time=dt.time(9, 0))
    record_event(child, EventType.CORE_GROUP, dt.date(2026, 4, 1), time=dt.time(15, 30))
    client.force_login(council.iro.user)
    text = words(client.get(f"/children/{child.pk}/").text)
    assert "Monday 4 March 2019" in text  # the date of birth, in the summary
    assert "Wed 1 Apr 2026 3:30pm" in text and "Wed 1 Apr 2026 9am" in text  # the date column
    # What the Change and Remove links say to a screen reader.
    assert "child protection visit of Wednesday 1 April 2026" in text
    assert "15:30" not in text and "09:00" not in text


def test_removing_an_event_names_its_day_in_words(client, council):
    child = make_child(first_name="Nell", last_name="Ashby", date_of_birth=dt.date(2019, 3, 4))
    allocate(child, council.iro, Role.IRO, dt.date(2026, 1, 5))
    event = record_event(child, EventType.CP_VISIT, dt.date(2026, 4, 1))
    client.force_login(council.iro.user)
    text = words(client.get(f"/children/{child.pk}/events/{event.pk}/remove/").text)
    assert "of Wednesday 1 April 2026" in text


def test_a_meeting_record_names_its_events_outcomes_in_words(client, council):
    from oversight.meetings.constants import Kind
    from oversight.meetings.factories import make_meeting

    child = make_child(first_name="Nell", last_name="Ashby", date_of_birth=dt.date(2019, 3, 4))
    allocate(child, council.iro, Role.IRO, dt.date(2026, 1, 5))
    icpc = record_event(child, EventType.ICPC, dt.date(2026, 2, 27), outcome="plan")
    rcpc = record_event(child, EventType.RCPC, dt.date(2026, 8, 28), outcome="continue")
    first = make_meeting(child, date=dt.date(2026, 2, 27), event_ids=[icpc.pk])
    review = make_meeting(child, kind=Kind.RCPC, date=dt.date(2026, 8, 28), event_ids=[rcpc.pk])
    client.force_login(council.iro.user)
    text = words(client.get(f"/children/{child.pk}/meetings/{first.pk}/").text)
    assert "Friday 27 February 2026 (Child protection plan)" in text
    assert "(plan)" not in text
    # The same code reads as its own kind's form offers it: at a review, "The plan continues".
    text = words(client.get(f"/children/{child.pk}/meetings/{review.pk}/").text)
    assert "Friday 28 August 2026 (The plan continues)" in text


def test_a_meeting_names_its_day_in_words():
    from oversight.meetings.constants import Kind, Status
    from oversight.meetings.models import Meeting

    meeting = Meeting(kind=Kind.RCPC, status=Status.DRAFT, date=dt.date(2026, 12, 31))
    assert str(meeting) == "Review child protection conference on Thursday 31 December 2026 (draft)"


def test_an_event_and_an_obligation_name_their_day_as_the_pages_do():
    from oversight.cases.constants import EventType
    from oversight.cases.models import Event, Obligation

    event = Event(type=EventType.STRATEGY_DISCUSSION, date=dt.date(2027, 3, 1))
    assert str(event) == "Strategy discussion on Mon 1 Mar 2027"  # no zero before the 1
    due = Obligation(code="cp.icpc", child_id=7, due=dt.date(2027, 3, 5), status="due")
    assert str(due) == "cp.icpc for child 7 due Fri 5 Mar 2027 (due)"


# A format of the machine's (a stored time, an ISO day, a month's key): digits only.
MACHINE_FORMAT = re.compile(r"^(%[YmdHMS]|[-:T ])+$")
# Where Python's own date formats are allowed to say a day to a person: the layer itself, and
# `interop`'s own `records.day` (its reports' words, the interop part's to move onto the layer).
FORMATS_OWN = {"cases/formatting.py", "interop/records.py"}


def python_date_formats(path: Path) -> list[tuple[int, str]]:
    """Each date format in `path` a person would read (line, format): an f-string's `{d:%…}`
    or a `strftime` whose format names a weekday or month, or drops a day's zero."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        spec = None
        if isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr):
            parts = node.format_spec.values
            spec = "".join(str(p.value) for p in parts if isinstance(p, ast.Constant))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "strftime"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            spec = str(node.args[0].value)
        if spec and "%" in spec and not MACHINE_FORMAT.match(spec):
            assert isinstance(node, ast.expr)
            found.append((node.lineno, spec))
    return found


def test_python_says_a_day_only_through_the_layer():
    """A refusal, a message, a warning or a command's line says a day through
    `cases.formatting` (`day`, `short_day`, `sentence_day`, `plain_day`), never with a format
    of Python's own (`f"{d:%a %-d %b %Y}"`), so that every day reads one way."""
    offences = [
        f"{name}:{line} formats a day itself ({spec!r})"
        for path in sorted(OVERSIGHT.rglob("*.py"))
        if "tests" not in path.relative_to(OVERSIGHT).parts
        and (name := str(path.relative_to(OVERSIGHT))) not in FORMATS_OWN
        for line, spec in python_date_formats(path)
    ]
    assert offences == []


def test_the_layer_says_a_day_as_the_messages_did():
    """The words the refusals and messages pinned before they moved onto the layer."""
    from oversight.cases import formatting

    thursday = dt.date(2026, 12, 3)
    assert formatting.short_day(thursday) == f"{thursday:%a %-d %b %Y}" == "Thu 3 Dec 2026"
    assert formatting.sentence_day(thursday) == "Thu 3 December 2026"
    assert formatting.plain_day(thursday) == "3 December 2026"
    assert formatting.day(thursday) == "Thursday 3 December 2026"
    assert formatting.sentence_day(None) == formatting.plain_day("") == ""
