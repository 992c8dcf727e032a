"""`oversight timescales`: the engine's command-line face, exactly as docs/spec/timescales.md says.

Needs no database and no settings. Bad input: exit 2, nothing on standard output, one line on
standard error naming where (`events[3].date: …`; in bulk mode, `line 5: events[3].date: …`).

The engine knows no policy packs: the caller (`oversight.cli`, above both) hands `main` the
function that turns a pack's name into a `Policy`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from typing import IO, Any

import orjson

from oversight.timescales.engine import evaluate
from oversight.timescales.events import InputError, parse_date
from oversight.timescales.output import dumps
from oversight.timescales.rules import Policy

# A pack's name to its Policy; raises LookupError, saying why, for a name it cannot resolve.
Resolve = Callable[[str], Policy]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2, as for any other bad input
        raise InputError(message)


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = _Parser(prog="oversight timescales", add_help=True)
    parser.add_argument(
        "file", nargs="?", help="a child's chronology as JSON; - for standard input"
    )
    parser.add_argument("--bulk", metavar="FILE.jsonl", help="one child per line: {id, events}")
    parser.add_argument("--policy", help="the policy pack (default: the input's, else england)")
    parser.add_argument(
        "--as-of", dest="as_of", help="YYYY-MM-DD (default: the input's, else today)"
    )
    args = parser.parse_args(argv)
    if (args.file is None) == (args.bulk is None):
        raise InputError("give one FILE.json (or - for standard input), or --bulk FILE.jsonl")
    return args


def _policy(resolve: Resolve, name: Any, where: str) -> Policy:
    if not isinstance(name, str):
        raise InputError(f"{where}: the policy must be a pack's name")
    try:
        return resolve(name)
    except LookupError as exc:
        raise InputError(f"{where}: {exc.args[0] if exc.args else exc}") from None


def _as_of(value: Any, where: str) -> date:
    if value is None:
        return date.today()
    return date.fromordinal(parse_date(value, where))


def _open(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None


def single(args: argparse.Namespace, resolve: Resolve) -> bytes:
    with _open(args.file) as stream:
        text = stream.read()
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"input: not valid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise InputError("input: must be a JSON object with `events`")
    name = args.policy if args.policy is not None else document.get("policy", "england")
    policy = _policy(resolve, name, "--policy" if args.policy is not None else "policy")
    as_of = _as_of(
        args.as_of if args.as_of is not None else document.get("as_of"),
        "--as-of" if args.as_of is not None else "as_of",
    )
    if "events" not in document:
        raise InputError("events: missing (a list of events)")
    result = evaluate(document["events"], policy, as_of)
    head = {"policy": policy.name, "as_of": as_of.isoformat()}
    return dumps(head, result, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def bulk(args: argparse.Namespace, out: IO[bytes], resolve: Resolve) -> None:
    """One child per line in, one per line out, in order; the output is spooled to a temporary
    file and copied to `out` only once every line has been read without error."""
    policy = _policy(resolve, args.policy or "england", "--policy")
    as_of = _as_of(args.as_of, "--as-of")
    from oversight.timescales.bulk import evaluate_lines

    with _open(args.bulk) as stream, tempfile.TemporaryFile() as spool:
        evaluate_lines(stream, spool, policy, as_of)
        spool.seek(0)
        shutil.copyfileobj(spool, out, 1 << 20)


def main(argv: list[str], resolve: Resolve) -> int:
    try:
        args = _arguments(argv)
        if args.bulk is not None:
            bulk(args, sys.stdout.buffer, resolve)
        else:
            sys.stdout.buffer.write(single(args, resolve))
        sys.stdout.buffer.flush()
    except InputError as exc:
        print(f"oversight timescales: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 1
    return 0
