"""Waiting, in a test, for something to become true: polled until a deadline, then the test fails
saying what never happened. Never a fixed number of tries or a bare `time.sleep`: those pass on
an idle machine, and on a loaded one (two cores shared by several suites) either fail for no
reason or go on as if the wait had succeeded.

`OVERSIGHT_TEST_WAIT_SECONDS` sets the deadline of a wait that names none (default 60 s: a PDF printed
while both cores run two browser suites took over 30), for a
machine slower still."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest

WAIT_SECONDS = float(os.environ.get("OVERSIGHT_TEST_WAIT_SECONDS") or 60)


def wait_until(
    condition: Callable[[], object],
    *,
    what: str,
    timeout: float | None = None,
    every: float = 0.02,
) -> None:
    """Call `condition` every `every` seconds until it returns something true; fail the test with
    "timed out after N s waiting for `what`" once `timeout` seconds (default `WAIT_SECONDS`) have
    passed without. The last poll is at the deadline itself, never a sleep short of it; an
    exception it raises (an assertion about a process that died) ends the
    wait at once."""
    limit = WAIT_SECONDS if timeout is None else timeout
    deadline = time.monotonic() + limit
    while not condition():
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"timed out after {limit:g} s waiting for {what}")
        time.sleep(min(every, left))
