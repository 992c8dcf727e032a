"""`oversight timescales` as other programs call it: a subprocess, JSON in, JSON out, exit 2 and
one line on standard error for bad input, single and --bulk (docs/spec/timescales.md).

The command runs with no app settings: these subprocesses get an environment with no
SECRET_KEY, DATABASE_URL or DJANGO_SETTINGS_MODULE."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from oversight.timescales.catalogue import baseline_policy
from oversight.timescales.engine import Obligation, evaluate

from .helpers import as_contract

ROOT = Path(__file__).resolve().parents[3]
OVERSIGHT = ROOT / ".venv" / "bin" / "oversight"
if not OVERSIGHT.exists():  # pragma: no cover - another layout: the interpreter's own scripts
    OVERSIGHT = Path(sys.executable).with_name("oversight")

ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in {"SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
}

SPEC_INPUT = {
    "policy": "england",
    "as_of": "2027-02-01",
    "events": [
        {"type": "strategy_discussion", "date": "2026-12-14"},
        {"type": "icpc", "date": "2027-01-05", "outcome": "plan"},
        {"type": "core_group", "date": "2027-01-18"},
    ],
}

# The spec's output, word for word.
SPEC_OUTPUT = {
    "policy": "england",
    "as_of": "2027-02-01",
    "obligations": [
        {"code": "cp.icpc", "trigger": {"type": "strategy_discussion", "date": "2026-12-14"},
         "due": "2027-01-07", "status": "met", "met_on": "2027-01-05", "on_time": True},
        {"code": "cp.core_group.first", "trigger": {"type": "icpc", "date": "2027-01-05", "outcome": "plan"},
         "due": "2027-01-19", "status": "met", "met_on": "2027-01-18", "on_time": True},
        {"code": "cp.visit", "trigger": {"type": "icpc", "date": "2027-01-05", "outcome": "plan"},
         "due": "2027-01-19", "status": "overdue", "met_on": None, "on_time": None},
        {"code": "cp.rcpc.first", "trigger": {"type": "icpc", "date": "2027-01-05", "outcome": "plan"},
         "due": "2027-04-05", "status": "pending", "met_on": None, "on_time": None},
    ],
    "flags": [],
}  # fmt: skip


def oversight(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(OVERSIGHT), "timescales", *args],
        input=stdin,
        capture_output=True,
        env=ENV,
        cwd="/",
        timeout=120,
    )


def single(document: object, *flags: str) -> subprocess.CompletedProcess[bytes]:
    return oversight("-", *flags, stdin=json.dumps(document).encode())


def assert_bad_input(done: subprocess.CompletedProcess[bytes], *names: str) -> str:
    """Exit 2, nothing on standard output, one line on standard error naming `names`."""
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert done.stdout == b""  # nothing on standard output
    assert "Traceback" not in err  # never a traceback
    assert len(err.splitlines()) == 1, err  # exactly one line
    for name in names:
        assert name in err, f"{name!r} not named in {err!r}"
    return err


# The spec's example ----------------------------------------------------------------------------


def test_it_prints_the_specs_example_output_exactly() -> None:
    done = single(SPEC_INPUT)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    # exact JSON equality with the spec's "Output" section
    assert json.loads(done.stdout) == SPEC_OUTPUT


def test_it_reads_the_file_named_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "child.json"
    path.write_text(json.dumps(SPEC_INPUT))
    done = oversight(str(path))
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout) == SPEC_OUTPUT  # the same as from standard input


def test_it_gives_the_specs_example_through_evaluate() -> None:
    result = evaluate(SPEC_INPUT["events"], baseline_policy(), date(2027, 2, 1))
    # the library path, written as the command writes it, gives the spec's obligations and flags
    assert as_contract(result) == {k: SPEC_OUTPUT[k] for k in ("obligations", "flags")}


def test_it_gives_the_library_typed_obligations_with_dates() -> None:
    result = evaluate(SPEC_INPUT["events"], baseline_policy(), date(2027, 2, 1))
    strategy = {"type": "strategy_discussion", "date": "2026-12-14"}
    icpc = {"type": "icpc", "date": "2027-01-05", "outcome": "plan"}
    # dates as dates, not text: what Django code stores without parsing
    assert result.obligations == [
        # due Thu 2027-01-07, met by the ICPC on Tue 2027-01-05
        Obligation("cp.icpc", strategy, date(2027, 1, 7), "met", date(2027, 1, 5), True),
        # due Tue 2027-01-19, met by the core group on Mon 2027-01-18
        Obligation("cp.core_group.first", icpc, date(2027, 1, 19), "met", date(2027, 1, 18), True),
        # due Tue 2027-01-19, no visit by the as-of date Mon 2027-02-01
        Obligation("cp.visit", icpc, date(2027, 1, 19), "overdue", None, None),
        # due Mon 2027-04-05, three months after the ICPC
        Obligation("cp.rcpc.first", icpc, date(2027, 4, 5), "pending", None, None),
    ]
    assert result.flags == []


def test_it_gives_an_hours_rule_its_due_moment_on_the_london_clock() -> None:
    consultation = {
        "type": "consultation",
        "date": "2027-03-27",
        "time": "12:00",
        "outcome": "disagree_threshold",
    }
    result = evaluate([consultation], baseline_policy(), date(2027, 3, 27))
    (threshold,) = result.obligations
    # Sat 2027-03-27 12:00 GMT + 24 elapsed hours → Sun 2027-03-28 13:00 BST (the clocks go on)
    assert isinstance(threshold.due, datetime)
    assert threshold.due == datetime(2027, 3, 28, 13, 0, tzinfo=ZoneInfo("Europe/London"))
    assert threshold.due.utcoffset() == timedelta(hours=1)
    # and the command writes it as the wall clock, minutes and no offset
    assert as_contract(result)["obligations"][0]["due"] == "2027-03-28T13:00"


def test_it_lets_the_flags_win_over_the_input() -> None:
    document = {**SPEC_INPUT, "as_of": "2027-01-10", "policy": "no-such-pack"}
    done = single(document, "--as-of", "2027-02-01", "--policy", "england")
    assert done.returncode == 0, done.stderr.decode()
    # "flags win": the document's unknown policy and earlier date are not used
    assert json.loads(done.stdout) == SPEC_OUTPUT


def test_it_defaults_to_england_and_today() -> None:
    done = single({"events": SPEC_INPUT["events"]})
    assert done.returncode == 0, done.stderr.decode()
    out = json.loads(done.stdout)
    # "With no policy anywhere, `england`; with no `as_of` anywhere, today"
    assert out["policy"] == "england"
    assert out["as_of"] == date.today().isoformat()


def test_it_takes_as_of_from_the_input_when_no_flag_is_given() -> None:
    done = single({**SPEC_INPUT, "as_of": "2027-01-19"})
    out = json.loads(done.stdout)
    visit = next(o for o in out["obligations"] if o["code"] == "cp.visit")
    # as-of Tue 2027-01-19 is the visit's due date: pending rather than overdue
    assert (out["as_of"], visit["status"]) == ("2027-01-19", "pending")


# Bad input, single and bulk ---------------------------------------------------------------------

GOOD = {"type": "strategy_discussion", "date": "2026-12-14"}

BAD_EVENTS = [
    ("unknown type", {"type": "home_visit", "date": "2027-01-05"}, "type"),
    ("missing type", {"date": "2027-01-05"}, "type"),
    ("not a real date", {"type": "core_group", "date": "2027-02-30"}, "date"),
    ("date not YYYY-MM-DD", {"type": "core_group", "date": "2027-1-5"}, "date"),
    ("missing date", {"type": "core_group"}, "date"),
    ("date not a string", {"type": "core_group", "date": 20270105}, "date"),
    ("hour 25", {"type": "consultation", "date": "2027-03-01", "time": "25:00", "outcome": "advice"}, "time"),
    ("minute 60", {"type": "consultation", "date": "2027-03-01", "time": "12:60", "outcome": "advice"}, "time"),
    ("time not HH:MM", {"type": "consultation", "date": "2027-03-01", "time": "9:30", "outcome": "advice"}, "time"),
    ("icpc without outcome", {"type": "icpc", "date": "2027-01-05"}, "outcome"),
    ("rcpc unknown outcome", {"type": "rcpc", "date": "2027-04-05", "outcome": "maybe"}, "outcome"),
    ("midway without outcome", {"type": "midway_review", "date": "2027-02-22"}, "outcome"),
    ("consultation unknown outcome", {"type": "consultation", "date": "2027-03-01", "outcome": "chat"}, "outcome"),
    ("booking without meeting", {"type": "meeting_booked", "date": "2027-01-05", "on": "2027-01-18"}, "meeting"),
    ("booking unknown meeting", {"type": "meeting_booked", "date": "2027-01-05", "meeting": "party", "on": "2027-01-18"}, "meeting"),
    ("booking without on", {"type": "meeting_booked", "date": "2027-01-05", "meeting": "core_group"}, "on"),
    ("booking bad on", {"type": "meeting_booked", "date": "2027-01-05", "meeting": "core_group", "on": "2027-02-29"}, "on"),
    ("action without due", {"type": "action_set", "date": "2027-01-05", "action": "a1"}, "due"),
    ("action without id", {"type": "action_set", "date": "2027-01-05", "due": "2027-02-01"}, "action"),
    ("done without id", {"type": "action_done", "date": "2027-01-05"}, "action"),
    ("extension without respond_by", {"type": "escalation_extended", "date": "2027-03-02", "stage": 1}, "respond_by"),
    ("visit interval not a rule", {"type": "icpc", "date": "2027-01-05", "outcome": "plan", "visit_interval": "fortnightly"}, "visit_interval"),
    ("rcpc visit interval not a rule", {"type": "rcpc", "date": "2027-04-05", "outcome": "continue", "visit_interval": "often"}, "visit_interval"),
    ("stage the ladder lacks", {"type": "escalation_notice", "date": "2027-03-01", "stage": 9}, "stage"),
    ("unknown ladder", {"type": "concern_raised", "date": "2027-03-01", "ladder": "nope"}, "ladder"),
]  # fmt: skip


@pytest.mark.parametrize(("why", "bad", "field"), BAD_EVENTS, ids=[b[0] for b in BAD_EVENTS])
def test_it_refuses_a_bad_event_naming_it_and_its_field(why: str, bad: dict, field: str) -> None:
    done = single({"as_of": "2027-02-01", "events": [GOOD, GOOD, bad]})
    # the bad event is the third, index 2 counted from 0
    assert_bad_input(done, f"events[2].{field}")


@pytest.mark.parametrize(("why", "bad", "field"), BAD_EVENTS, ids=[b[0] for b in BAD_EVENTS])
def test_it_refuses_a_bad_event_in_bulk_naming_the_line_the_event_and_the_field(
    tmp_path: Path, why: str, bad: dict, field: str
) -> None:
    path = tmp_path / "children.jsonl"
    lines = [
        {"id": "c1", "events": [GOOD]},
        {"id": "c2", "events": [GOOD]},
        {"id": "c3", "events": [GOOD, bad]},
        {"id": "c4", "events": [GOOD]},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    done = oversight("--bulk", str(path), "--as-of", "2027-02-01")
    # line 3 (counted from 1), its second event (index 1); nothing of the good lines printed
    err = assert_bad_input(done, f"events[1].{field}")
    assert "line 3" in err


def test_it_refuses_unreadable_json() -> None:
    done = oversight("-", stdin=b'{"events": [ {"type": ')
    assert_bad_input(done)


def test_it_refuses_unreadable_json_in_bulk(tmp_path: Path) -> None:
    path = tmp_path / "children.jsonl"
    path.write_text(json.dumps({"id": 1, "events": [GOOD]}) + "\n{not json\n")
    assert "line 2" in assert_bad_input(oversight("--bulk", str(path), "--as-of", "2027-02-01"))


def test_it_refuses_an_unknown_policy_in_the_input() -> None:
    assert_bad_input(single({**SPEC_INPUT, "policy": "atlantis"}), "policy")


def test_it_refuses_an_unknown_policy_flag() -> None:
    assert_bad_input(single(SPEC_INPUT, "--policy", "atlantis"), "--policy")


def test_it_refuses_an_unknown_policy_in_bulk(tmp_path: Path) -> None:
    path = tmp_path / "children.jsonl"
    path.write_text(json.dumps({"id": 1, "events": [GOOD]}) + "\n")
    assert_bad_input(oversight("--bulk", str(path), "--policy", "atlantis"), "--policy")


def test_it_refuses_an_as_of_that_is_not_a_real_date() -> None:
    assert_bad_input(single({**SPEC_INPUT, "as_of": "2027-02-29"}), "as_of")
    assert_bad_input(single(SPEC_INPUT, "--as-of", "2027-1-5"), "--as-of")


def test_it_refuses_events_that_are_not_a_list() -> None:
    assert_bad_input(single({"as_of": "2027-02-01", "events": {"type": "icpc"}}), "events")


def test_it_refuses_a_bad_line_far_into_a_bulk_file_with_nothing_on_standard_output(
    tmp_path: Path,
) -> None:
    path = tmp_path / "children.jsonl"
    good = json.dumps({"id": "ok", "events": [GOOD]})
    bad = json.dumps(
        {"id": "bad", "events": [GOOD, GOOD, GOOD, {"type": "icpc", "date": "2027-01-05"}]}
    )
    # 2,499 good children, then a bad one on line 2500: well past the first batches
    path.write_text("\n".join([good] * 2499 + [bad]) + "\n")
    err = assert_bad_input(
        oversight("--bulk", str(path), "--as-of", "2027-02-01"), "events[3].outcome"
    )
    assert "line 2500" in err


def test_it_writes_one_bulk_line_per_child_in_order(tmp_path: Path) -> None:
    path = tmp_path / "children.jsonl"
    children = [
        {"id": "b", "events": SPEC_INPUT["events"]},
        {"id": 7, "events": []},
        {"id": "a", "events": [{"type": "chair_child_discussion", "date": "2027-01-09"}]},
    ]
    path.write_text("".join(json.dumps(c) + "\n" for c in children))
    done = oversight("--bulk", str(path), "--as-of", "2027-02-01")
    assert done.returncode == 0, done.stderr.decode()
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert lines == [
        # the spec's example child, as {id, obligations, flags}
        {"id": "b", "obligations": SPEC_OUTPUT["obligations"], "flags": []},
        {"id": 7, "obligations": [], "flags": []},
        # Sat 2027-01-09 + 5 working days → Fri 2027-01-15; overdue at Mon 2027-02-01
        {"id": "a", "obligations": [
            {"code": "cp.child_discussion.record",
             "trigger": {"type": "chair_child_discussion", "date": "2027-01-09"},
             "due": "2027-01-15", "status": "overdue", "met_on": None, "on_time": None}],
         "flags": []},
    ]  # fmt: skip
