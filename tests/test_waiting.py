"""tests/waiting.py: a wait returns as soon as its condition holds, and fails, naming what it
waited for, once the deadline passes without."""

from __future__ import annotations

import time

import pytest

from tests.waiting import wait_until


def test_it_returns_once_the_condition_holds():
    calls = []

    def third_time() -> bool:
        calls.append(1)
        return len(calls) == 3

    wait_until(third_time, what="the third call", every=0)
    assert len(calls) == 3


def test_it_fails_saying_what_never_happened_after_the_deadline():
    started = time.monotonic()
    with pytest.raises(pytest.fail.Exception, match=r"timed out after 0.2 s waiting for a reply"):
        wait_until(lambda: False, what="a reply", timeout=0.2)
    assert time.monotonic() - started >= 0.2  # it waited the whole deadline


def test_it_asks_once_more_at_the_deadline_when_polls_are_further_apart():
    answers = iter([False, True])
    started = time.monotonic()
    wait_until(lambda: next(answers), what="the second answer", timeout=0.1, every=60)
    assert time.monotonic() - started < 30  # the second poll came at the deadline, not 60 s on


def test_it_stops_at_once_when_the_condition_raises():
    def died() -> bool:
        raise AssertionError("the server exited")

    with pytest.raises(AssertionError, match="the server exited"):
        wait_until(died, what="the server", timeout=60)
