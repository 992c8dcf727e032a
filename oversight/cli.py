"""The `oversight` command.

`timescales` and `policy` are pure: they load neither Django nor any settings, so other programs can
call them on a machine where the app was never configured. Everything else runs inside Django.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

USAGE = """usage: oversight COMMAND [ARGS]

  timescales FILE.json | --bulk FILE.jsonl   obligations from a chronology (no database needed)
  policy list | show NAME | validate FILE     the policy packs
  serve [--bind HOST:PORT] [--workers N]      serve the web app with gunicorn
  demo --children N --seed S --as-of DATE     build a synthetic demo council
  signins                                     print the demo sign-ins, one per role
  import cin|903|ssd|events FILE... [--dry-run]
                                              import a council's CIN census, SSDA903 return,
                                              Standard Safeguarding Dataset or CSV of events
  export cin|903 --year YYYY [--output FILE]  the CIN census's child protection modules or the
                                              SSDA903 reviews of a collection year
  report dashboard --from DATE --to DATE [--team ID] [--iro USERNAME] [--format json|csv]
         [--output FILE]                      the dashboard's figures for the council
  erase --child REF --by USERNAME [--confirm] erase a child's record after retention (a dry run
                                              without --confirm)
  backup FILE                                 a checked backup of the whole database
  restore FILE                                restore a backup into an empty database
  manage COMMAND ...                          any Django management command
"""


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE, end="")
        return 0
    command, rest = args[0], args[1:]
    if command != "serve" and rest[:1] != ["db_worker"]:
        # A one-off command's standard output is its answer (an export, a report): logs go to
        # standard error. The service (serve, the worker) logs to standard output.
        os.environ.setdefault("OVERSIGHT_LOGS", "stderr")
    if command == "timescales":
        # The engine knows no packs: the packs' resolver is handed to it from here, above both.
        from oversight.policies import resolve_policy
        from oversight.timescales.cli import main as timescales_main

        return timescales_main(rest, resolve_policy)
    if command == "policy":
        from oversight.policies.cli import main as policy_main

        return policy_main(rest)
    if command == "serve":
        return _serve(rest)
    if command == "manage":
        return _django(rest)
    if command == "report":
        return _report(rest)
    if command in {"backup", "restore"}:
        return _backup([command, *rest])
    if command in {"demo", "erase"}:
        return _django([command, *rest], project_command=True)
    return _django([command, *rest])


def _django(argv: list[str], *, project_command: bool = False) -> int:
    """Run a Django management command, or with `project_command` the project's own command of
    that name (`oversight.demo`, `oversight.erasure`: each puts several parts together, so it
    belongs to none of them);
    a configuration fault is one line and exit 2, not a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django
        from django.core.management import execute_from_command_line

        django.setup()
        if project_command:
            from oversight import demo, erasure

            command = {"demo": demo.Command, "erase": erasure.Command}[argv[0]]
            command().run_from_argv(["oversight", *argv])
        else:
            execute_from_command_line(["oversight", *argv])
    except ImproperlyConfigured as exc:
        print(f"oversight: {exc}", file=sys.stderr)
        return 2
    return 0


def _report(argv: list[str]) -> int:
    """`oversight report`: the reports part's command inside Django, its own exit status (bad
    input is one line and 2, as a configuration fault is)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
        from oversight.reports.command import main as report_main

        return report_main(argv)
    except ImproperlyConfigured as exc:
        print(f"oversight: {exc}", file=sys.stderr)
        return 2


def _backup(argv: list[str]) -> int:
    """`oversight backup` and `oversight restore` (`oversight.backup`) inside Django."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
        from oversight.backup import main as backup_main

        return backup_main(argv)
    except ImproperlyConfigured as exc:
        print(f"oversight: {exc}", file=sys.stderr)
        return 2


def default_web_workers(cores: int | None) -> int:
    """gunicorn's advice for synchronous workers: two per core and one more, so that a slow
    request (a password hashed, a report) does not hold up the rest."""
    return 2 * (cores or 1) + 1


def with_web_workers(argv: list[str], environ: Mapping[str, str], cores: int | None) -> list[str]:
    """gunicorn's arguments with a worker count: the one given (`--workers N`, `-w N`), else
    OVERSIGHT_WEB_WORKERS, else `default_web_workers`."""
    if any(arg in ("-w", "--workers") or arg.startswith("--workers=") for arg in argv):
        return argv
    from django.core.exceptions import ImproperlyConfigured

    from oversight.env import env_int

    workers = env_int("OVERSIGHT_WEB_WORKERS", default_web_workers(cores), environ)
    if workers < 1:
        raise ImproperlyConfigured(f"OVERSIGHT_WEB_WORKERS must be at least 1, not {workers}")
    return ["--workers", str(workers), *argv]


def _cores() -> int | None:
    """The cores this process may run on (its CPU affinity where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count()


def _serve(argv: list[str]) -> int:
    """Serve with gunicorn, after the system checks (an invalid policy pack refuses to start;
    with DEBUG off, `check --deploy` as well)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django
        from django.core.management import call_command
        from django.core.management.base import SystemCheckError

        django.setup()
        from django.conf import settings

        # In production (DEBUG off) the deployment checks too (HTTPS, HSTS, cookies, a real mail
        # backend): any of their warnings refuses to start, as an error does.
        production = not settings.DEBUG
        call_command("check", deploy=production, fail_level="WARNING" if production else "ERROR")
        gunicorn_argv = with_web_workers(argv, os.environ, _cores())
    except (ImproperlyConfigured, SystemCheckError) as exc:
        print(f"oversight: {str(exc).strip()}", file=sys.stderr)
        return 2
    from gunicorn.app.wsgiapp import run

    sys.argv = ["gunicorn", "oversight.wsgi:application", *gunicorn_argv]
    run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
