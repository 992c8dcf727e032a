"""`oversight policy show NAME`: a pack in full, resolved through `extends`, in plain words."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from oversight.timescales.catalogue import BASELINE, ENGINE_CODES

from .registry import Merged
from .resolve import policy
from .schema import (
    CONSULTATION_ROUTES,
    CP_VISIT_PLACES,
    Ladder,
    NoResponse,
    Pack,
    Permission,
    Stage,
    Step,
)
from .validate import advisories

WIDTH = 100
_BASELINE = {row.code: row for row in BASELINE}
_KINDS = {
    "review_second": "the first ",
    "review_next": "each later ",
    "booking_before": "counted back from the booked date of ",
}
_ACTIONS = {
    "chair_may_escalate": "the chair may escalate to the next stage",
    "next_stage_issued": "the next stage is issued",
    "chair_decides": "the chair decides the next step",
}


class Text:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def heading(self, title: str) -> None:
        if self.lines:
            self.lines.append("")
        self.lines += [title, "=" * len(title)]

    def sub(self, title: str) -> None:
        self.lines += ["", title, "-" * len(title)]

    def para(self, text: str, indent: int = 0, first: str | None = None) -> None:
        lead = " " * indent
        self.lines += textwrap.wrap(
            " ".join(text.split()),
            WIDTH,
            initial_indent=lead if first is None else first,
            subsequent_indent=lead + ("  " if first is not None else ""),
            break_on_hyphens=False,
        ) or [lead.rstrip()]

    def item(self, label: str, text: str, indent: int = 2) -> None:
        self.para(text, indent, first=" " * indent + f"{label}: ")


def render(merged: Merged, pack: Pack) -> str:
    out = Text()
    resolved = policy(merged)
    roles = pack.roles

    def who(names: Iterable[str]) -> str:
        found = [roles.get(n, n.replace("_", " ")) for n in names]
        return "; ".join(found) if found else "nobody named"

    def origin(key: str) -> str:
        pack_name = merged.origin.get(key)
        return f" [{pack_name}]" if pack_name and pack_name != merged.name else ""

    title = f"{pack.council} (pack {pack.name})"
    out.heading(title)
    chain = " → ".join(merged.chain)
    out.para(f"Resolved through: {chain}.")
    if pack.summary:
        out.lines.append("")
        out.para(pack.summary)

    out.heading("Sources")
    for key, doc in pack.sources.items():
        bits = [doc.title]
        if doc.authority:
            bits.append(doc.authority)
        if doc.file:
            bits.append(f"seed file {doc.file}")
        if doc.issued:
            bits.append(f"issued {doc.issued}")
        if doc.review_date:
            bits.append(f"review date {doc.review_date}")
        out.item(f"{key}{origin('sources.' + key)}", "; ".join(bits))
        if doc.note:
            out.para(doc.note, 6)

    out.heading("Timescales")
    out.para(
        "Every obligation the engine tracks for this pack: its rule, the pack that set it (or "
        "the national catalogue), what starts and meets it, and where the number comes from."
    )
    for row in resolved.obligations:
        setter = merged.origin.get(f"timescales.{row.code}", "national catalogue")
        out.lines.append("")
        out.lines.append(f"  {row.code}: {row.due} ({setter})")
        trigger = (
            _KINDS.get(row.kind, "")
            + row.trigger
            + "".join(
                f" with {field} {'/'.join(str(v) for v in values)}" for field, values in row.when
            )
        )
        if row.kind == "visit":
            trigger += ", and each cp_visit while the plan lasts (or the plan's visit_interval)"
        if row.kind == "sw_visit":
            trigger += (
                " or placement_change, and each lac_visit while the placement lasts (or sooner,"
                " the care plan's visit_interval)"
            )
        out.item("from", trigger, 6)
        if row.intervals:
            out.item(
                "then every",
                "; ".join(f"{name.replace('_', ' ')}: {rule}" for name, rule in row.intervals),
                6,
            )
        if row.or_from is not None:
            out.item(
                "or",
                f"{row.or_from.due} from {row.or_from.event}, whichever is {row.or_from.whichever}",
                6,
            )
        met = " or ".join(row.met_by) + "".join(
            f" with {field} {'/'.join(str(v) for v in values)}" for field, values in row.met_when
        )
        if row.same:
            met += " of the same " + "/".join(row.same)
        out.item("met by", met, 6)
        if row.none_once:
            out.item("none due once", " or ".join(row.none_once) + " comes first", 6)
        if row.from_meeting > 1:
            kinds = "/".join(
                str(v) for field, values in row.when if field == "meeting" for v in values
            )
            scope = f"the {row.belongs_to}" if row.belongs_to else "the child's record"
            out.item(
                "applies from",
                f"{kinds or 'meeting'} number {row.from_meeting} of {scope} onwards",
                6,
            )
        if row.belongs_to:
            out.item("belongs to", f"the {row.belongs_to}", 6)
        out.item("source", row.source, 6)
    for code, text in ENGINE_CODES.items():
        if code.startswith("esc."):
            continue
        out.lines.append("")
        out.lines.append(f"  {code}: on its own date")
        out.item("source", text, 6)

    out.heading("Whose caseload")
    for code, owner in pack.owners.items():
        otherwise = f", else {who(owner.otherwise)}" if owner.otherwise else ""
        watch = f"; watched by {who(owner.watch)}" if owner.watch else ""
        out.item(f"{code}{origin('owners.' + code)}", who(owner.roles) + otherwise + watch)
        if owner.source:
            out.para(f"source: {owner.source}", 6)

    out.heading(f"Escalation ladders{origin('ladders')}")
    names = list(pack.ladders)
    out.para(
        f"Default ladder: {pack.default_ladder or names[0]}. A concern names another with "
        '"ladder" on its events.'
        if len(names) > 1
        else "One ladder, called default."
    )
    for name, ladder in pack.ladders.items():
        _ladder(out, name, ladder, who)

    out.heading("Closure days")
    if not pack.closure_days:
        out.para("None beyond England & Wales bank holidays (Christmas Eve is a working day).")
    for day in pack.closure_days:
        when = day.date.isoformat() if day.date else f"every year on {day.yearly}"
        out.item(when, f"{day.reason} (source: {day.source})")

    out.heading("Support and Challenge Panel")
    if pack.panel:
        out.para(
            f"A plan open {pack.panel.plan_months} months or more; a plan begun within "
            f"{pack.panel.repeat_months} months of an earlier plan's end.{origin('panel')}"
        )
        if pack.panel.reading:
            out.item("reading", pack.panel.reading)
        out.item("source", pack.panel.source)

    if pack.fostering:
        out.heading("Concerns about foster carers")
        out.para(
            "A concern about a foster carer household, raised by the corporate IRO, goes up "
            f"a ladder of its own.{origin('fostering')}"
        )
        for place, stage in enumerate(pack.fostering.concern_ladder, start=1):
            out.item(
                f"stage {place}",
                f"{stage.answered_by}: answered within {stage.response} (source: {stage.source})",
            )
        out.item("source", pack.fostering.source)

    out.heading("Other numbers")
    for key, number in pack.numbers.items():
        if number.rule:
            figure = number.rule
        elif number.min is not None or number.max is not None:
            figure = f"{number.min} to {number.max} {number.unit}".strip()
        else:
            figure = f"{number.value} {number.unit}".strip()
        out.item(f"{key}{origin('numbers.' + key)}", f"{figure}. {number.text}")
        out.para(f"source: {number.source}", 6)

    if pack.cp_visit_places:
        out.heading("Child protection visits")
        out.para(
            "A visit counts as the statutory visit only "
            + " or ".join(CP_VISIT_PLACES[place] for place in pack.cp_visit_places)
            + "; a visit elsewhere is recorded but meets nothing."
        )

    if pack.proceedings is not None and pack.proceedings.confirm_papers_at_review:
        out.heading("Care proceedings")
        out.para(
            "A looked-after review held while care proceedings are open is completed only once "
            "the IRO confirms having had sight of the legal papers filed since the last review."
        )
        out.para(f"source: {pack.proceedings.source}", 6)

    if pack.consultation_route:
        out.heading("Requests for consultation")
        out.para(
            "Routed to the first of: "
            + "; ".join(CONSULTATION_ROUTES[s] for s in pack.consultation_route)
        )

    out.heading("Names used by this council")
    for role, label in pack.roles.items():
        out.item(role, label + (" (a council-wide post)" if role in pack.council_posts else ""))
    for record, label in pack.records.items():
        out.item(f"record: {record}", label)

    out.heading("Notes")
    if not pack.notes:
        out.para("None.")
    for index, note in enumerate(pack.notes):
        from_pack = merged.note_origin[index] if index < len(merged.note_origin) else pack.name
        tag = f" [{from_pack}]" if from_pack != pack.name else ""
        out.lines.append("")
        out.item(f"{note.about}{tag}", note.text)

    warnings = advisories(merged.raw)
    if warnings:
        out.heading("Checks")
        for warning in warnings:
            out.item("warning", warning)
    return "\n".join(out.lines) + "\n"


def _permission(out: Text, label: str, found: Permission | None, who: object) -> None:
    if found is None:
        return
    text = "yes" if found.allowed else "no"
    if found.agreement and callable(who):
        text += f", with the agreement of {who(found.agreement)}"
    if found.when:
        text += f". {found.when}"
    out.item(label, f"{text} (source: {found.source})", 2)


def _no_response(found: NoResponse, who: object) -> str:
    assert callable(who)
    if found.action == "prompt":
        text = f"{who([found.role or ''])} is prompted"
        if found.after:
            text += f" after {found.after}"
    else:
        text = _ACTIONS[found.action]
        if found.after:
            text += f" after {found.after}"
    if found.agreement:
        text += f", with the agreement of {who(found.agreement)}"
    if found.text:
        text += f". {found.text}"
    return f"{text} (source: {found.source})"


def _ladder(out: Text, name: str, ladder: Ladder, who: object) -> None:
    assert callable(who)
    applies = " and ".join(
        {"cp": "child protection", "lac": "looked-after children"}[a] for a in ladder.applies_to
    )
    out.sub(f'Ladder "{name}": {ladder.label} ({applies})')
    out.item("source", ladder.source, 2)
    informal = ladder.informal
    out.lines.append("")
    out.para(
        f'Informal stage "{informal.name}": to {who(informal.addressees)}; '
        f"response within {informal.response}.",
        2,
    )
    out.item("source", informal.source, 4)
    if informal.record:
        out.item("recorded in", informal.record, 4)
    if informal.warning:
        warning = informal.warning
        out.item(
            "warning step",
            f'"{warning.name}" to {who(warning.addressees)}, then a further {warning.further} '
            f"(esc.informal.final; source: {warning.source})",
            4,
        )
    if informal.on_no_response:
        out.item("if no response", _no_response(informal.on_no_response, who), 4)
    if informal.skip_when:
        out.item("straight to a formal stage", informal.skip_when, 4)
    for stage in ladder.stages:
        _stage(out, stage, who)
    out.lines.append("")
    total = ladder.total
    if total is not None:
        if total.rule == "none":
            out.item("Overall limit", f"none (esc.total removed). {total.reason}", 2)
        else:
            out.item("Overall limit", f"{total.rule} from the first formal notice (esc.total)", 2)
        out.item("source", total.source, 4)
    _permission(out, "Enter at any stage", ladder.enter_any_stage, who)
    _permission(out, "Bypass stages", ladder.bypass, who)
    for label, step in (
        ("Cafcass referral", ladder.cafcass),
        ("Legal advice", ladder.legal_advice),
    ):
        if step is not None:
            out.item(label, _step(step, who), 2)
    if ladder.challenge_meeting:
        meeting = ladder.challenge_meeting
        attendees = who(meeting.attendees) + "".join(f"; {o}" for o in meeting.others)
        out.item(
            "Challenge meeting",
            f"{meeting.frequency}, for stages {', '.join(map(str, meeting.stages))}: "
            f"{attendees}. {meeting.purpose} (source: {meeting.source})",
            2,
        )
    if ladder.others_may_alert:
        out.item("Others who may be alerted at any stage", ", ".join(ladder.others_may_alert), 2)
    if ladder.record:
        out.item("Formal process recorded in", f"records.{ladder.record}", 2)
    if ladder.kept_informed:
        out.item("Kept informed of every formal step", who(ladder.kept_informed), 2)
    if ladder.all_parties_told:
        out.item("Each formal step notified to", "all parties addressed so far", 2)
    if ladder.recording:
        rec = ladder.recording
        out.item("Recording", f"{rec.what}: within {rec.within} (source: {rec.source})", 2)


def _stage(out: Text, stage: Stage, who: object) -> None:
    assert callable(who)
    out.lines.append("")
    target = (
        who(stage.addressees)
        if stage.addressees
        else " and ".join(
            {"cafcass": "Cafcass", "legal_advice": "independent legal advice"}[r]
            for r in stage.refers_to
        )
    )
    response = (
        f"no response time: {stage.reason}"
        if stage.response == "none"
        else f"response within {stage.response}"
    )
    out.para(f'Stage {stage.number} "{stage.label}": to {target}; {response}', 2)
    out.item("source", stage.source, 4)
    if stage.purpose:
        out.item("for", stage.purpose, 4)
    if stage.copied:
        out.item("copied to", who(stage.copied), 4)
    if stage.response_copied:
        out.item("response copied to", who(stage.response_copied), 4)
    if stage.not_accepted_copied:
        out.item("a response not accepted told to", who(stage.not_accepted_copied), 4)
    issued = f"issued by {who([stage.issuer])}"
    if stage.agreement:
        issued += f" after the agreement of {who(stage.agreement)} is recorded"
    out.item("notice", issued, 4)
    if stage.shorter_deadline_by:
        out.item("shorter deadline may be set by", who(stage.shorter_deadline_by), 4)
    if stage.meeting:
        meeting = stage.meeting
        bits = []
        if meeting.within:
            bits.append(f"convened within {meeting.within}")
        attendees = [
            *(who(meeting.attendees).split("; ") if meeting.attendees else []),
            *meeting.others,
        ]
        if attendees:
            bits.append("with " + "; ".join(attendees))
        text = "; ".join(bits) + (f". {meeting.purpose}" if meeting.purpose else "")
        out.item("meeting", f"{text} (source: {meeting.source})", 4)
    if stage.on_no_response:
        out.item("if no response", _no_response(stage.on_no_response, who), 4)
    if stage.on_not_accepted:
        out.item("if not accepted", _no_response(stage.on_not_accepted, who), 4)
    if stage.on_accepted:
        accepted = stage.on_accepted
        tracked = f"; tracked as {accepted.obligation}" if accepted.obligation else ""
        out.item(
            "if accepted",
            f"{accepted.what} within {accepted.within} of the {accepted.counted_from}"
            f"{tracked} (source: {accepted.source})",
            4,
        )


def _step(step: Step, who: object) -> str:
    assert callable(who)
    bits = []
    if step.lac_only:
        bits.append("looked-after children only")
    if step.at_stage is not None:
        bits.append(f"stage {step.at_stage}")
    if step.concurrent:
        bits.append("may run alongside any stage")
    if step.meeting_first:
        bits.append(f"after a meeting of {who(step.meeting_first)}")
    consult = [*(who(step.consult).split("; ") if step.consult else []), *step.consult_others]
    if consult:
        bits.append("in consultation with " + "; ".join(consult))
    if step.told:
        bits.append(f"told to {who(step.told)}")
    text = "; ".join(bits)
    for extra in (step.when, step.arrangement):
        if extra:
            text += f". {extra}" if text else extra
    return f"{text} (source: {step.source})"
