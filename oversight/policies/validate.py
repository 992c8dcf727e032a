"""Every problem of a pack, one message each, each starting with its key path
(`ladders.default.stages[2].number: …`, indexes counted from 0)."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from oversight.timescales.catalogue import BASELINE, CODES, ENGINE_CODES
from oversight.timescales.rules import parse_rule

from .registry import PolicyError, UnknownPolicy, chain, implicit_default, merge, read_toml
from .schema import CODE, Pack

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_BEFORE = {row.code for row in BASELINE if row.kind == "booking_before"}
_MESSAGES = {
    "Extra inputs are not permitted": "unknown key",
    "Field required": "missing",
}


def key_path(parts: tuple[Any, ...] | list[Any]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part) if _PLAIN_KEY.match(str(part)) else f'"{part}"'
            out += f".{text}" if out else text
    return out


def _real_loc(raw: Any, loc: tuple[Any, ...]) -> list[Any]:
    """The error's location as keys of the input, without pydantic's union and type tags."""
    parts: list[Any] = []
    here = raw
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(here, dict):
            parts.append(part)
            here = here.get(part)
        elif isinstance(here, list) and isinstance(part, int) and 0 <= part < len(here):
            parts.append(part)
            here = here[part]
    return parts


def schema_problems(raw: dict[str, Any]) -> tuple[Pack | None, list[str]]:
    try:
        return Pack.model_validate(raw), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            message = _MESSAGES.get(message, message)
            if error["type"] == "missing" and error["loc"][-1:] == ("response",):
                message = "missing: give a rule such as '5 working days', or 'none' with a reason"
            line = f"{key_path(_real_loc(raw, error['loc']))}: {message}"
            if line not in problems:
                problems.append(line)
        return None, problems


def _ancestor_codes(parents: list[tuple[str, dict[str, Any]]]) -> set[str]:
    codes: set[str] = set()
    for _, raw in parents:
        for code, row in (raw.get("timescales") or {}).items():
            if isinstance(row, dict) and "trigger" in row:
                codes.add(code)
    return codes


def pack_problems(pack: Pack, parents: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Problems a schema cannot see: codes, stage order, missing `none` reasons, ladders."""
    problems: list[str] = []
    inherited = _ancestor_codes(parents)
    added = {code for code, row in pack.timescales.items() if row.trigger is not None}
    for code, row in pack.timescales.items():
        at = key_path(["timescales", code])
        before = parse_rule(row.rule).before
        if code in ENGINE_CODES:
            problems.append(
                f"{at}: '{code}' is counted from the ladders: set it in ladders.<name> "
                "(informal.response, informal.warning.further, stages[n].response, total)"
            )
        elif code in CODES or code in inherited:
            if code in CODES and row.trigger is not None:
                problems.append(
                    f"{at}.trigger: '{code}' is a catalogue row: a pack changes its rule and "
                    "source only"
                )
            if code in _BEFORE and not before:
                problems.append(
                    f"{at}.rule: '{code}' is counted back from the booked meeting: "
                    "write e.g. '3 working days before'"
                )
            if code in CODES and code not in _BEFORE and before:
                problems.append(f"{at}.rule: '{code}' is counted from its trigger, not 'before'")
        elif row.trigger is None:
            problems.append(
                f"{at}: unknown obligation code '{code}' (not in the catalogue; a row the pack "
                "adds needs a trigger and met_by)"
            )
        else:
            if not CODE.match(code):
                problems.append(
                    f"{at}: an obligation code is lower-case words joined by dots, "
                    "e.g. 'walsall.visit.record'"
                )
            if not row.met_by:
                problems.append(f"{at}.met_by: missing: name the events that meet the row")
            if before and row.trigger != "meeting_booked":
                problems.append(
                    f"{at}.rule: only a row triggered by meeting_booked is counted 'before'"
                )
    known = CODES | inherited | added
    for code in pack.owners:
        if code not in known:
            problems.append(f"{key_path(['owners', code])}: unknown obligation code '{code}'")
    for index, day in enumerate(pack.closure_days):
        if (day.date is None) == (day.yearly is None):
            problems.append(
                f"closure_days[{index}]: give either date (2027-12-24) or yearly ('12-24')"
            )
    for name, ladder in pack.ladders.items():
        problems += _ladder_problems(f"ladders.{name}", ladder, known)
    problems += _default_problems(pack, parents)
    return problems


def _ladder_problems(at: str, ladder: Any, known: AbstractSet[str]) -> list[str]:
    problems = []
    numbers = set()
    for index, stage in enumerate(ladder.stages):
        here = f"{at}.stages[{index}]"
        numbers.add(stage.number)
        if stage.response == "none" and not stage.reason.strip():
            problems.append(f"{here}.reason: missing: say why the stage has no response time")
        elif stage.response not in (None, "none") and parse_rule(stage.response).before:
            problems.append(f"{here}.response: a stage's time runs forward, not 'before'")
        if not stage.addressees and not stage.refers_to:
            problems.append(
                f"{here}.addressees: missing: name the role or roles the stage goes to "
                "(or refers_to = ['cafcass'])"
            )
        no_reply = stage.on_no_response
        if no_reply is not None and no_reply.action == "prompt" and no_reply.role is None:
            problems.append(f"{here}.on_no_response.role: missing: who is prompted")
        accepted = stage.on_accepted
        if accepted and accepted.obligation and accepted.obligation not in known:
            problems.append(
                f"{here}.on_accepted.obligation: unknown obligation code '{accepted.obligation}'"
            )
    if ladder.total is None:
        problems.append(
            f"{at}.total: missing: give the overall limit (rule = '20 working days') "
            "or rule = 'none' with a reason"
        )
    elif ladder.total.rule == "none" and not ladder.total.reason.strip():
        problems.append(f"{at}.total.reason: missing: say why the ladder has no overall limit")
    meeting = ladder.challenge_meeting
    for index, number in enumerate(meeting.stages if meeting else ()):
        if number not in numbers:
            problems.append(f"{at}.challenge_meeting.stages[{index}]: no stage {number}")
    for step in ("cafcass", "legal_advice"):
        found = getattr(ladder, step)
        if found is not None and found.at_stage is not None and found.at_stage not in numbers:
            problems.append(f"{at}.{step}.at_stage: no stage {found.at_stage}")
    return problems


def _default_problems(pack: Pack, parents: list[tuple[str, dict[str, Any]]]) -> list[str]:
    if pack.ladders:
        have = sorted(pack.ladders)
        default = pack.default_ladder or implicit_default(pack.ladders)
        if default is None:
            return [f"default_ladder: missing: the pack has ladders {', '.join(have)}; name one"]
    else:
        have = sorted(merge(parents).raw.get("ladders") or {}) if parents else []
        default = pack.default_ladder
        if default is None:
            return [] if have else ["ladders: missing: the pack has no ladder and extends none"]
    if default not in have:
        return [f"default_ladder: unknown ladder '{default}' (this pack has: {', '.join(have)})"]
    return []


def stage_problems(raw: dict[str, Any]) -> list[str]:
    """Stage order and missing response times, found even when other keys are wrong."""
    problems = []
    ladders = raw.get("ladders")
    for name, ladder in (ladders if isinstance(ladders, dict) else {}).items():
        stages = ladder.get("stages") if isinstance(ladder, dict) else None
        for index, stage in enumerate(stages if isinstance(stages, list) else []):
            if not isinstance(stage, dict):
                continue
            here = f"ladders.{name}.stages[{index}]"
            if isinstance(stage.get("number"), int) and stage["number"] != index + 1:
                problems.append(
                    f"{here}.number: stages must be numbered 1, 2, 3… in order "
                    f"(expected {index + 1}, found {stage['number']})"
                )
            if "response" not in stage:
                problems.append(
                    f"{here}.response: missing: give a rule such as '5 working days', "
                    "or 'none' with a reason"
                )
    return problems


def raw_problems(raw: dict[str, Any], stem: str | None = None) -> list[str]:
    """Every problem of a pack's tables; `stem` is its file's name without `.toml`."""
    pack, problems = schema_problems(raw)
    problems += stage_problems(raw)
    if pack is None:
        return sorted(problems, key=_by_path)
    if stem is not None and pack.name != stem:
        problems.append(f"name: {pack.name!r} does not match the file name '{stem}.toml'")
    try:
        parents = chain(pack.name, first=raw)[:-1]
    except PolicyError as exc:
        return problems + exc.problems
    except UnknownPolicy as exc:  # pragma: no cover - chain() wraps these
        return [*problems, f"extends: {exc}"]
    for name, parent in parents:
        _, theirs = schema_problems(parent)
        problems += [f"extends: pack {name!r} is invalid: {p}" for p in theirs]
    return sorted(problems + pack_problems(pack, parents), key=_by_path)


def _by_path(problem: str) -> str:
    return problem.split(": ", 1)[0]


def file_problems(path: str | Path) -> list[str]:
    path = Path(path)
    if not path.is_file():
        return [f"{path}: no such file"]
    try:
        raw = read_toml.__wrapped__(path)
    except PolicyError as exc:
        return exc.problems
    return raw_problems(raw, path.stem)


def advisories(raw: dict[str, Any]) -> list[str]:
    """Warnings, not errors: a ladder whose timed stages run past its total."""
    out = []
    for name, ladder in (raw.get("ladders") or {}).items():
        total = ladder.get("total", {}).get("rule", "none")
        rules = [parse_rule(s["response"]) for s in ladder["stages"] if s["response"] != "none"]
        if total == "none" or not rules:
            continue
        limit = parse_rule(total)
        if limit.unit != "working_days" or any(r.unit != "working_days" for r in rules):
            continue
        summed = sum(r.amount for r in rules)
        if summed > limit.amount:
            out.append(
                f"ladders.{name}: its timed stages add up to {summed} working days, over its "
                f"total of {limit}: a concern taken through every stage will pass esc.total"
            )
    return out
