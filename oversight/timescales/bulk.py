"""Bulk mode: a whole council or the country, one child per line, in constant memory.

Each line is evaluated by the same engine as a single child. Lines go in batches to worker
processes (one per core, started by a fork server so that no thread of the caller is forked, and
given the policy once); at most a few batches are in flight, and results are written in input
order, so memory does not grow with the number of children."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from typing import IO

import orjson

from oversight.timescales.engine import evaluate
from oversight.timescales.events import InputError
from oversight.timescales.output import dumps
from oversight.timescales.rules import Policy

BATCH = 1000
_policy: Policy | None = None
_as_of: date | None = None


def evaluate_batch(first_number: int, lines: list[bytes], policy: Policy, as_of: date) -> bytes:
    """The output lines of a batch of input lines, numbered from `first_number` for errors."""
    out = []
    loads, newline = orjson.loads, orjson.OPT_APPEND_NEWLINE
    for number, line in enumerate(lines, start=first_number):
        if not line.strip():
            continue
        try:
            child = loads(line)
        except orjson.JSONDecodeError as exc:
            raise InputError(f"line {number}: not valid JSON ({exc})") from None
        if not isinstance(child, dict):
            raise InputError(f"line {number}: must be a JSON object with `id` and `events`")
        if "events" not in child:
            raise InputError(f"line {number}: events: missing (a list of events)")
        try:
            result = evaluate(child["events"], policy, as_of)
        except InputError as exc:
            raise InputError(f"line {number}: {exc}") from None
        out.append(dumps({"id": child.get("id")}, result, option=newline))
    return b"".join(out)


def _batches(stream: IO[bytes]) -> Iterator[tuple[int, list[bytes]]]:
    batch: list[bytes] = []
    first = 1
    for number, line in enumerate(stream, start=1):
        batch.append(line)
        if len(batch) == BATCH:
            yield first, batch
            batch, first = [], number + 1
    if batch:
        yield first, batch


def _start_worker(policy: Policy, as_of: date) -> None:
    global _policy, _as_of
    _policy, _as_of = policy, as_of


def _work(first: int, lines: list[bytes]) -> bytes:
    assert _policy is not None and _as_of is not None
    return evaluate_batch(first, lines, _policy, _as_of)


def evaluate_lines(
    stream: IO[bytes], out: IO[bytes], policy: Policy, as_of: date, workers: int | None = None
) -> None:
    """Write one output line per input line to `out`, in order; raise InputError naming the line
    on bad input (the caller discards `out`). Blank lines are skipped."""
    batches = _batches(stream)
    first = next(batches, None)
    if first is None:
        return
    out.write(evaluate_batch(*first, policy, as_of))
    workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    if workers < 2:
        for batch in batches:
            out.write(evaluate_batch(*batch, policy, as_of))
        return
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(policy, as_of)
    ) as pool:
        pending: deque[Future[bytes]] = deque()
        try:
            for batch in batches:
                pending.append(pool.submit(_work, *batch))
                if len(pending) >= workers * 3:
                    out.write(pending.popleft().result())
            while pending:
                out.write(pending.popleft().result())
        finally:
            for future in pending:
                future.cancel()
