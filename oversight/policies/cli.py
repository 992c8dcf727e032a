"""`oversight policy list | show NAME | validate FILE`.

Exit 0 on success; 2 with one line per problem on standard error (each naming its key path)
for a bad pack or an unknown one. Never a traceback.
"""

from __future__ import annotations

import sys

USAGE = """usage: oversight policy COMMAND

  list            every pack found, with its council and the pack it extends
  show NAME       a pack in full, resolved through extends, with sources and notes
  validate FILE   check a pack file: exit 0, or 2 with one line per problem
"""


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE, end="", file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "list" and not rest:
        return _list()
    if command == "show" and len(rest) == 1:
        return _show(rest[0])
    if command == "validate" and len(rest) == 1:
        return _validate(rest[0])
    print(f"oversight policy: bad arguments {' '.join(argv)!r}\n{USAGE}", end="", file=sys.stderr)
    return 2


def _list() -> int:
    from oversight.policies.registry import BUILTIN, PolicyError, index, read_toml

    for name, path in sorted(index().items()):
        try:
            raw = read_toml(path)
        except PolicyError as exc:
            print(f"{name:<16} (unreadable: {exc})")
            continue
        where = "built in" if path.parent == BUILTIN else str(path)
        extends = raw.get("extends") or "-"
        print(f"{name:<16} {raw.get('council', '?')!s:<42} extends {extends:<10} {where}")
    return 0


def _show(name: str) -> int:
    from oversight.policies import PolicyError, UnknownPolicy, load_pack
    from oversight.policies.registry import merged
    from oversight.policies.show import render

    try:
        pack = load_pack(name)
    except PolicyError as exc:
        for problem in exc.problems:
            print(f"oversight policy show: {problem}", file=sys.stderr)
        return 2
    except UnknownPolicy as exc:
        print(f"oversight policy show: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render(merged(name), pack))
    return 0


def _validate(path: str) -> int:
    from oversight.policies import validate_file

    problems = validate_file(path)
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    if problems:
        return 2
    print(f"{path}: ok")
    return 0
