"""The chair's side of a concern on My caseload (issue 8, item 5).

An `esc.*` response deadline belongs to the addressee (its owner roles: "Response to the notice
of concern due"). Once it is overdue it is also the chair's to act on: the pack's watchers of
that obligation who are chairs (england: the IRO) and hold that role for the child see it as
"No response — escalate or extend", linked to the escalation record. No query per row: the
scope is one more condition of the caseload's query (`overdue_for_watchers`), and the links
are made from the rows' `concern` ids (at most one query for a page, for concerns whose
chronology was not written by Oversight's actions, such as the demo council's)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from oversight.cases.models import Obligation, StaffMember
from oversight.cases.obligations import active_pack
from oversight.escalations.constants import CHAIR_ROLES, RESPONSE_CODES
from oversight.escalations.models import Concern

CHAIR_LABEL = "No response — escalate or extend"
_PREFIX = "concern-"


def overdue_for_watchers() -> dict[str, list[str]]:
    """Chair role → the response codes the active pack has that role watch (its `owners`
    table's `watch`): an overdue one of these is that role holder's to act on."""
    owners = active_pack().owners
    found: dict[str, list[str]] = {}
    for code in RESPONSE_CODES:
        for role in owners.get(code, ((), ()))[1]:
            if role in CHAIR_ROLES:
                found.setdefault(role, []).append(code)
    return found


def _owner_roles(row: Obligation) -> set[str]:
    return set(row.owner_roles.strip("|").split("|")) if row.owner_roles else set()


def mark_concern_rows(rows: Sequence[Obligation], staff: StaffMember) -> None:
    """After `decorate`: each concern response row (and its action plan, which only that
    concern's plan meets) links to its escalation record, and an overdue response the viewer
    does not own but chairs reads "No response — escalate or extend" (the addressee keeps its
    label)."""
    linked = (*RESPONSE_CODES, "esc.action_plan")
    wanted = [r for r in rows if r.code in linked and (r.trigger or {}).get("concern")]
    if not wanted:
        return
    pks: dict[tuple[int, str], int] = {}
    others: set[str] = set()
    for row in wanted:
        key = str(row.trigger["concern"])
        number = key[len(_PREFIX) :] if key.startswith(_PREFIX) else ""
        if number.isdigit():
            pks[(row.child_id, key)] = int(number)
        else:
            others.add(key)
    if others:  # concerns adopted from the chronology (the demo's): one query for the page
        for found, child_id, key in Concern.objects.filter(
            child_id__in={r.child_id for r in wanted}, engine_key__in=others
        ).values_list("pk", "child_id", "engine_key"):
            pks[(child_id, key)] = found
    chair = bool(staff.roles & CHAIR_ROLES)
    head, tail = reverse("concern", args=[2147483647]).rsplit("2147483647", 1)  # one reverse
    for row in wanted:
        pk = pks.get((row.child_id, str(row.trigger["concern"])))
        record: Any = row
        if pk is not None:
            record.act_url = f"{head}{pk}{tail}"
        if (
            chair
            and row.code in RESPONSE_CODES
            and row.status == Obligation.Status.OVERDUE
            and not _owner_roles(row) & staff.roles
        ):
            record.label = CHAIR_LABEL
