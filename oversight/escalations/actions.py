"""Every change to a concern. Views, the API and the reminders call these; none saves a
Concern, Notice, Response or Step itself.

Each action is atomic and, in one transaction: checks who is acting and what the active pack's
ladder allows (refusing with `Refused`, nothing changed: the one place these are checked; a page
or endpoint only turns a refusal into its answer), writes its rows here, puts the spec's
chronology event(s) on the child through `oversight.cases.actions.record_event` (which writes the
event's audit row and recomputes the child's obligations, the `esc.*` deadlines among them),
writes one audit row for the concern itself, and queues an email to every party from its
template (`oversight.escalations.messages`, sent after the commit).

    raise_concern(child, *, ladder, issue, impact, ..., acting_user)
    respond(concern, *, accepted, reasons, plan, acting_user)
    warn(concern, *, acting_user)
    issue_notice(concern, *, stage, agreed_by, bypass_reason, respond_by, ..., acting_user)
    issue_next_notice(concern, *, stage, on, text)   the pack's automatic next stage
    extend(concern, *, respond_by, reason, acting_user)
    resolve(concern, *, outcome, acting_user)
    refer_to_cafcass(concern, *, grounds, meeting_on, consulted, acting_user)
    seek_legal_advice(concern, *, grounds, consulted, acting_user)
    alert(concern, *, party, email, acting_user)     one of the others the pack lets be alerted
    set_agenda(concern, *, on_agenda, acting_user) / record_meeting_outcome(...)
    record_stage_meeting(concern, *, held_on, attendees, outcome, acting_user)

The checks of who may act are functions of their own (`require_chair`, `require_chair_step`,
`require_responder`): each action calls its check, and a page that offers an action's form asks
the same function before showing it (never a copy of the rule).

`raise_concern(..., formal_reason=...)` is "immediately formal": a safeguarding concern raises
and issues the ladder's entry stage (its first formal stage) in one transaction.

Who is told is worked out by `oversight.cases.holders.people_for(child, roles)`: the staff
holding each of the pack's roles for the child; the ladder's rules are in
`oversight.escalations.ladders`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from oversight.audit.actions import record_change
from oversight.cases import formatting
from oversight.cases.access import can_edit, managers_of, open_allocations, staff_for_user
from oversight.cases.actions import record_event
from oversight.cases.constants import EventType, Role
from oversight.cases.holders import (
    Person,
    addressee_roles,
    merge,
    people_for,
    person_of,
    unheld,
)
from oversight.cases.models import Allocation, Child, Event, Obligation, StaffMember
from oversight.escalations.constants import CHAIR_ROLES, Kind, Status, StepKind
from oversight.escalations.ladders import (
    Refused,
    due_on,
    ladder_of,
    ladders_for,
    meeting_attendees,
    record_on_file_by,
    records_for,
    require_ladder_for,
    role_label,
    skip_allowed,
    stage_label,
    stage_of,
    statuses,
)
from oversight.escalations.messages import tell
from oversight.escalations.models import (
    Concern,
    ConcernAction,
    Notice,
    Response,
    Step,
    Theme,
)
from oversight.notifications import webhooks
from oversight.notifications.rules import address_problem
from oversight.policies.schema import Ladder, Stage

# --- Who a concern is addressed to --------------------------------------------------------------


def addressees(concern: Concern, *, stage: int | None = None, as_of: dt.date) -> list[Person]:
    """Who must answer the concern at `stage` (default: its current stage)."""
    number = concern.stage if stage is None else stage
    if concern.is_partner_dispute and number == 0:
        name = concern.partner_contact or concern.partner_email
        return [
            Person("partner_agency", f"{name} ({concern.partner_agency})", concern.partner_email)
        ]
    ladder = ladder_of(concern.ladder)
    if number:
        stage_of(ladder, number)  # Refused for a stage the ladder lacks
    return people_for(concern.child, addressee_roles(ladder, number), as_of=as_of)


def _extra(concern: Concern) -> list[Person]:
    """The people the chair copied in (and the others the pack lets the chair alert)."""
    people = [person_of("copied", s) for s in concern.copied_staff.select_related("user")]
    people += [Person("copied", email, email) for email in concern.copied_emails]
    return people


def addressed_so_far(concern: Concern, *, as_of: dt.date) -> list[Person]:
    """Everyone the concern has been addressed to: the informal stage's addressees and those of
    each stage a notice was issued at, in that order."""
    ladder = ladder_of(concern.ladder)
    groups = [addressees(concern, stage=0, as_of=as_of)]
    for number in sorted(set(concern.notices.values_list("stage", flat=True))):
        groups.append(people_for(concern.child, stage_of(ladder, number).addressees, as_of=as_of))
    return merge(*groups)


def kept_informed(concern: Concern, ladder: Ladder, *, as_of: dt.date) -> list[Person]:
    """Who the pack keeps informed of each formal step of the concern (a notice, a response to
    one, an extension, a meeting, a referral, the resolution of a formal concern): the ladder's
    `kept_informed` roles (Leicestershire: the IRO team manager), and where it says each step is
    "notified to all parties" (`all_parties_told`, Camden) everyone addressed so far. Nobody
    while the concern is informal."""
    if not concern.stage and not concern.notices.exists():
        return []
    people = people_for(concern.child, ladder.kept_informed, as_of=as_of)
    if ladder.all_parties_told:
        people += addressed_so_far(concern, as_of=as_of)
    return people


def _informed(
    concern: Concern, told: Sequence[Person], *, as_of: dt.date, leave_out: StaffMember | None
) -> list[Person]:
    """Those the pack keeps informed of this step (`kept_informed`) who are not among `told`,
    the step's own parties."""
    ladder = ladder_of(concern.ladder)
    return merge(told, kept_informed(concern, ladder, as_of=as_of), leave_out=leave_out)[
        len(told) :
    ]


def _inform(
    concern: Concern, people: Sequence[Person], acting_user: Any, *, what: str, stage: str
) -> None:
    """The short message to those only kept informed of a step: what happened, at which stage,
    and the link to the record; not the case's content."""
    tell(concern, people, "informed", acting_user, what=what, stage=stage)


# --- Who may act ----------------------------------------------------------------------------------


def _acting_staff(user: Any) -> StaffMember:
    staff = staff_for_user(user)
    if staff is None:
        raise Refused("Only a member of staff can do this", forbidden=True)
    return staff


def is_chair(staff: StaffMember) -> bool:
    """An IRO or conference chair, or one of their managers (`CHAIR_ROLES`)."""
    return bool(staff.roles & CHAIR_ROLES)


def _require_chair(user: Any, staff: StaffMember, child: Child, as_of: dt.date) -> None:
    if not is_chair(staff):
        raise Refused(
            "Only an IRO or conference chair (or their manager) can do this", forbidden=True
        )
    if not can_edit(user, child, as_of=as_of):
        raise Refused("You can read this record but not change it", forbidden=True)


def require_chair(child: Child, *, acting_user: Any, on: dt.date | None = None) -> StaffMember:
    """The acting member of staff, when they may take a chair's step on `child`'s record: an
    IRO or conference chair (or their manager) who may change it. Otherwise Refused (forbidden),
    naming why. Every chair's action checks this; a page offering one asks it first."""
    staff = _acting_staff(acting_user)
    _require_chair(acting_user, staff, child, on or timezone.localdate())
    return staff


def require_open(concern: Concern) -> None:
    """Refused unless the concern is open: a resolved concern (or good practice noted) takes no
    further step."""
    if concern.status != Status.OPEN:
        raise Refused(
            f"This concern is {concern.get_status_display().lower()}: nothing more can be done"
        )


def may_respond(concern: Concern, staff: StaffMember, *, as_of: dt.date) -> bool:
    """The current stage's addressee or someone above them in the line may respond; for a
    partner agency's concern, the chair records the agency's reply."""
    if concern.is_partner_dispute and concern.stage == 0:
        return is_chair(staff)
    for person in addressees(concern, as_of=as_of):
        if person.staff is None:
            continue
        if person.staff.pk == staff.pk or staff.pk in managers_of(person.staff):
            return True
    return False


def require_chair_step(
    concern: Concern, *, acting_user: Any, on: dt.date | None = None
) -> StaffMember:
    """The acting member of staff, when the concern is open and they may take a chair's step on
    it (`require_chair`); otherwise Refused. The check of warn, extend, resolve and the stage
    meeting, and of the pages that offer them."""
    staff = _acting_staff(acting_user)
    require_open(concern)
    _require_chair(acting_user, staff, concern.child, on or timezone.localdate())
    return staff


def require_responder(
    concern: Concern, *, acting_user: Any, on: dt.date | None = None
) -> StaffMember:
    """The acting member of staff, when the concern is open and they may answer it at its
    current stage (`may_respond`); otherwise Refused (forbidden when it is about who they are)."""
    on = on or timezone.localdate()
    staff = _acting_staff(acting_user)
    require_open(concern)
    if not may_respond(concern, staff, as_of=on):
        raise Refused(
            "Only the person this stage is addressed to, or their manager, can respond",
            forbidden=True,
        )
    return staff


# --- Helpers shared by the actions ------------------------------------------------------------


def _event_data(concern: Concern, **data: Any) -> dict[str, Any]:
    return {"concern": concern.engine_id, "ladder": concern.ladder, **data}


def _event(concern: Concern, type_: str, on: dt.date, user: Any, **data: Any) -> Event:
    return record_event(
        concern.child, type=type_, date=on, data=_event_data(concern, **data), acting_user=user
    )


def snapshot(concern: Concern) -> dict[str, Any]:
    return {
        "concern": concern.pk,
        "ladder": concern.ladder,
        "stage": concern.stage,
        "status": concern.status,
        "kind": concern.kind,
    }


def _audit(
    concern: Concern, action: str, before: dict[str, Any] | None, user: Any, **extra: Any
) -> None:
    record_change(
        concern.child,
        action=f"concern.{action}",
        before=before,
        after={**snapshot(concern), **extra},
        acting_user=user,
    )


def _step(
    concern: Concern,
    kind: str,
    on: dt.date,
    by: StaffMember,
    recipients: Sequence[Person],
    *,
    text: str = "",
    event: Event | None = None,
    **data: Any,
) -> Step:
    return Step.objects.create(
        concern=concern,
        kind=kind,
        stage=concern.stage,
        on=on,
        by=by,
        text=text,
        data=data,
        recipients=[p.as_json() for p in recipients],
        event=event,
        created_at=timezone.now(),
    )


def _record_on_file(concern: Concern, event: Event, what: str, user: Any) -> dt.date | None:
    """Under a ladder with `recording` (Walsall's Formal Resolution), the IRO's record of the
    step `event` on the child's file, as an action due by `record_on_file_by` and owned by the
    IRO: on My caseload until an `action_done` meets it ("Act" opens that form). Not tied to the
    concern (it is no action plan of the concern's). The day it is due, or None."""
    by = record_on_file_by(ladder_of(concern.ladder), event.date, event.time)
    if by is None:
        return None
    formal = records_for(concern)["formal"]
    record_event(
        concern.child,
        type=EventType.ACTION_SET,
        date=event.date,
        data={
            "action": f"{concern.engine_id}-on-file-{event.pk}",
            "text": f"Record {what} on the child's file, in the {formal}",
            "due": by.isoformat(),
            "owner": Role.IRO.value,
        },
        acting_user=user,
    )
    return by


def _engine_due(concern: Concern, code: str, event: Event) -> dt.date | None:
    row = Obligation.objects.filter(child=concern.child, code=code, event=event).first()
    return row.due if row else None


def _add_actions(
    concern: Concern,
    items: Sequence[dict[str, Any]],
    on: dt.date,
    user: Any,
    response: Response | None = None,
) -> list[ConcernAction]:
    """Each item ({"text", "due", "owner"?}) as a ConcernAction and an `action_set` event."""
    made = []
    for index, item in enumerate(items):
        text = str(item.get("text") or "").strip()
        due = item.get("due")
        if not text:
            raise Refused("Say what the action is", field=f"actions.{index}.text")
        if not isinstance(due, dt.date):
            raise Refused("Give the date the action is due", field=f"actions.{index}.due")
        if due < on:
            raise Refused("An action cannot be due before today", field=f"actions.{index}.due")
        n = ConcernAction.objects.filter(concern=concern).count() + 1
        action = ConcernAction.objects.create(
            concern=concern,
            response=response,
            action=f"{concern.engine_id}-{n}",
            text=text[:500],
            due=due,
            owner=str(item.get("owner") or ""),
        )
        data: dict[str, Any] = {
            "action": action.action,
            "due": due.isoformat(),
            "text": action.text,
        }
        if action.owner:
            data["owner"] = action.owner
        _event(concern, EventType.ACTION_SET, on, user, **data)
        made.append(action)
    return made


# --- The actions ------------------------------------------------------------------------------


def raise_concern(
    child: Child,
    *,
    issue: str,
    impact: str = "",
    ladder: str | None = None,
    themes: Iterable[Theme | str] = (),
    actions: Sequence[dict[str, Any]] = (),
    good_practice: bool = False,
    partner_agency: str = "",
    partner_contact: str = "",
    partner_email: str = "",
    copied_staff: Iterable[StaffMember] = (),
    copied_emails: Iterable[str] = (),
    obligation_code: str = "",
    formal_reason: str = "",
    agreed_by: StaffMember | None = None,
    on: dt.date | None = None,
    acting_user: Any,
) -> Concern:
    """Open a concern at the ladder's informal stage (positive challenge): a `concern_raised`
    event (esc.informal.response falls due), an `action_set` per required action, and an email
    to the informal stage's addressees (or the partner agency's contact) and anyone copied in.

    `good_practice=True` records good practice instead: no deadline, status "noted".

    `formal_reason` (a safeguarding concern identified: "immediately formal"): the concern is
    raised and the ladder's entry stage issued at once, in one transaction, with the reason on
    the history and the notice (`agreed_by` where that stage needs an agreement); only the
    notice is emailed. Any refusal of the notice leaves nothing raised."""
    on = on or timezone.localdate()
    staff = require_chair(child, acting_user=acting_user, on=on)
    name = ladder or ladders_for(child, on=on)[0]
    chosen = require_ladder_for(child, name, on=on)
    issue = (issue or "").strip()
    if not issue:
        raise Refused(
            "Describe the issue" if not good_practice else "Describe the good practice",
            field="issue",
        )
    if not good_practice and not (impact or "").strip():
        raise Refused("Say what the impact is on the child", field="impact")
    formal_reason = (formal_reason or "").strip()
    if formal_reason and good_practice:
        raise Refused("Good practice is not escalated", field="formal_reason")
    if formal_reason and not chosen.informal.skip_when:
        raise Refused(
            f"The ladder '{chosen.label}' starts every concern at its informal stage "
            f"({chosen.informal.name}): raise it, then issue the notice",
            field="formal_reason",
        )
    if (partner_agency or partner_contact) and not partner_email:
        raise Refused("Give the partner agency contact's email address", field="partner_email")
    if partner_email and (problem := address_problem(partner_email)):
        raise Refused(problem, field="partner_email")
    if partner_email and not partner_agency:
        raise Refused("Name the partner agency", field="partner_agency")
    theme_rows = []
    for theme in themes:
        row = (
            theme
            if isinstance(theme, Theme)
            else Theme.objects.filter(code=theme, active=True).first()
        )
        if row is None:
            raise Refused(f"Unknown theme {theme!r}", field="themes")
        theme_rows.append(row)
    if not good_practice and not partner_email:
        missing = unheld(child, chosen.informal.addressees, as_of=on)
        if missing:
            raise Refused(
                "Nobody holds the role "
                + ", ".join(role_label(r) for r in missing)
                + " for this child: allocate one before raising a concern",
                field="ladder",
            )
    with transaction.atomic():
        concern = Concern.objects.create(
            child=child,
            kind=Kind.GOOD_PRACTICE if good_practice else Kind.CONCERN,
            status=Status.NOTED if good_practice else Status.OPEN,
            ladder=name,
            raised_on=on,
            raised_by=staff,
            issue=issue,
            impact=(impact or "").strip(),
            partner_agency=partner_agency.strip(),
            partner_contact=partner_contact.strip(),
            partner_email=partner_email.strip(),
            copied_emails=[e.strip() for e in copied_emails if e.strip()],
            obligation_code=obligation_code,
            created_at=timezone.now(),
        )
        concern.themes.set(theme_rows)
        concern.copied_staff.set(list(copied_staff))
        if good_practice:
            told = merge(
                people_for(child, ["social_worker", "team_manager"], as_of=on), leave_out=staff
            )
            _step(concern, StepKind.RAISED, on, staff, told, text=issue, good_practice=True)
            _audit(concern, "good_practice_noted", None, acting_user)
            tell(concern, told, "good_practice", acting_user, staff=staff)
            return concern
        event = _event(concern, EventType.CONCERN_RAISED, on, acting_user)
        _add_actions(concern, actions, on, acting_user)
        told = merge(addressees(concern, as_of=on), _extra(concern), leave_out=staff)
        due = _engine_due(concern, "esc.informal.response", event)
        if formal_reason:
            _step(
                concern, StepKind.RAISED, on, staff, [], text=issue, event=event,
                immediately_formal=True, formal_reason=formal_reason,
            )  # fmt: skip
            _audit(concern, "raised", None, acting_user, immediately_formal=True)
            entry = chosen.stages[0]
            issue_notice(
                concern,
                stage=entry.number,
                agreed_by=agreed_by,
                text=f"Immediately formal: a safeguarding concern has been identified. "
                f"{formal_reason}\n{chosen.informal.skip_when}",
                on=on,
                acting_user=acting_user,
            )
            return concern
        _step(
            concern,
            StepKind.RAISED,
            on,
            staff,
            told,
            text=issue,
            event=event,
            respond_by=due.isoformat() if due else None,
        )
        _audit(concern, "raised", None, acting_user)
        tell(
            concern, told, "raised", acting_user,
            informal=chosen.informal.name, staff=staff, due=due, records=records_for(concern),
        )  # fmt: skip
    return concern


def respond(
    concern: Concern,
    *,
    accepted: bool,
    reasons: str = "",
    plan: Sequence[dict[str, Any]] = (),
    on: dt.date | None = None,
    acting_user: Any,
) -> Response:
    """The addressee's answer at the current stage: accepted (with an action plan, each item an
    action with a date) or not accepted (with reasons). `concern_response` at the informal
    stage, `escalation_response` at a formal one. The chair and the stage's response copies are
    told."""
    on = on or timezone.localdate()
    staff = require_responder(concern, acting_user=acting_user, on=on)
    if concern.kind != Kind.CONCERN:
        raise Refused("Good practice needs no response")
    reasons = (reasons or "").strip()
    if not accepted and not reasons:
        raise Refused("Give the reasons the concern is not accepted", field="reasons")
    if accepted and not plan and not reasons:
        raise Refused("Set out the action plan (what will be done, by when)", field="plan")
    ladder = ladder_of(concern.ladder)
    stage = None if concern.stage == 0 else stage_of(ladder, concern.stage)
    if stage is not None and stage.response == "none":
        raise Refused(f"{stage.label} asks for no response")
    before = snapshot(concern)
    with transaction.atomic():
        response = Response.objects.create(
            concern=concern,
            stage=concern.stage,
            responded_on=on,
            responded_by=staff,
            accepted=accepted,
            reasons=reasons,
        )
        if concern.stage == 0:
            event = _event(concern, EventType.CONCERN_RESPONSE, on, acting_user, accepted=accepted)
        else:
            event = _event(
                concern,
                EventType.ESCALATION_RESPONSE,
                on,
                acting_user,
                stage=concern.stage,
                accepted=accepted,
            )
        items = [{**item, "owner": item.get("owner") or staff.user.username} for item in plan]
        _add_actions(concern, items, on, acting_user, response=response)
        roles = (
            [*stage.response_copied, *([] if accepted else stage.not_accepted_copied)]
            if stage
            else []
        )
        copied = people_for(concern.child, roles, as_of=on)
        chair = [person_of("iro", concern.raised_by)]
        told = merge(chair, copied, _extra(concern), leave_out=staff)
        informed = _informed(concern, told, as_of=on, leave_out=staff)
        word = "accepted" if accepted else "not accepted"
        plan_by = _plan_by(concern, stage, on) if accepted and stage else None
        _step(
            concern, StepKind.RESPONSE, on, staff, [*told, *informed], text=reasons, event=event,
            accepted=accepted, plan_by=plan_by.isoformat() if plan_by else None,
        )  # fmt: skip
        _audit(concern, "responded", before, acting_user, accepted=accepted)
        tell(
            concern, told, "response", acting_user,
            stage=stage_label(concern), staff=staff, word=word,
            plan_what=stage.on_accepted.what if plan_by and stage and stage.on_accepted else "",
            plan_by=plan_by,
        )  # fmt: skip
        _inform(concern, informed, acting_user, what=f"a response ({word})",
                stage=stage_label(concern))  # fmt: skip
    return response


def _plan_by(concern: Concern, stage: Stage, on: dt.date) -> dt.date | None:
    """The day an accepted stage's plan is due by (`on_accepted`, Manchester: "a plan to resolve
    this matter must be agreed within 5 working days of the Starred Recommendation being
    issued"): its time from the stage's notice, or from the response (`on`), as the pack's
    `counted_from` says. None for a stage without `on_accepted`."""
    rule = stage.on_accepted
    if rule is None:
        return None
    notice = current_notice(concern)
    if rule.counted_from == "notice" and notice is not None:
        at = notice.event.time if notice.event is not None else None
        return due_on(rule.within, notice.issued_on, at)
    return due_on(rule.within, on)


def warn(concern: Concern, *, on: dt.date | None = None, acting_user: Any) -> Step:
    """The warning step of the informal stage, where the ladder has one (Camden: possible formal
    notification): `concern_warning`, and its further period (esc.informal.final)."""
    on = on or timezone.localdate()
    staff = require_chair_step(concern, acting_user=acting_user, on=on)
    ladder = ladder_of(concern.ladder)
    warning = ladder.informal.warning
    if warning is None:
        raise Refused(f"The ladder '{ladder.label}' has no warning step")
    if concern.stage != 0:
        raise Refused("The warning belongs to the informal stage; this concern is already formal")
    if concern.steps.filter(kind=StepKind.WARNING).exists():
        raise Refused("The warning has already been given")
    before = snapshot(concern)
    with transaction.atomic():
        event = _event(concern, EventType.CONCERN_WARNING, on, acting_user)
        told = merge(
            people_for(concern.child, addressee_roles(ladder, 0, warning=True), as_of=on),
            _extra(concern),
            leave_out=staff,
        )
        due = _engine_due(concern, "esc.informal.final", event)
        step = _step(
            concern, StepKind.WARNING, on, staff, told, text=warning.name, event=event,
            respond_by=due.isoformat() if due else None,
        )  # fmt: skip
        _audit(concern, "warned", before, acting_user)
        tell(concern, told, "warning", acting_user, warning=warning.name, staff=staff, due=due)
    return step


def issue_notice(
    concern: Concern,
    *,
    stage: int,
    agreed_by: StaffMember | None = None,
    bypass_reason: str = "",
    respond_by: dt.date | None = None,
    shorter_set_by: StaffMember | None = None,
    text: str = "",
    on: dt.date | None = None,
    acting_user: Any,
) -> Notice:
    """A formal notice at `stage` of the concern's ladder: `escalation_notice` with the stage (and
    `respond_by` when a named manager set a shorter deadline); esc.stage.response (and, for the
    first notice, esc.total) fall due. Sent to the stage's addressees with the roles the pack
    copies in and anyone the chair added.

    Refused: a stage the ladder lacks; a stage at or below the current one; skipping stages
    where the ladder forbids it (or without the agreement it names); an issuer without the role
    the stage names; a missing required agreement; a shorter deadline by someone the pack does
    not name, or one that is not shorter."""
    on = on or timezone.localdate()
    staff = _acting_staff(acting_user)
    require_open(concern)
    if concern.kind != Kind.CONCERN:
        raise Refused("Good practice is not escalated")
    ladder = ladder_of(concern.ladder)
    target = stage_of(ladder, stage)
    if stage <= concern.stage:
        raise Refused(f"This concern is already at stage {concern.stage}", field="stage")
    issuers = {target.issuer} | ({Role.DUTY_IRO.value} if target.issuer == Role.IRO else set())
    if not staff.roles & issuers:
        raise Refused(
            f"{target.label} is issued by the {role_label(target.issuer)}",
            field="stage",
            forbidden=True,
        )
    if not can_edit(acting_user, concern.child, as_of=on):
        raise Refused("You can read this record but not change it", forbidden=True)
    skip = skip_allowed(ladder, concern.stage, stage, agreed_by=agreed_by, reason=bypass_reason)
    if target.agreement and (agreed_by is None or not agreed_by.roles & set(target.agreement)):
        names = " or ".join(role_label(r) for r in target.agreement)
        raise Refused(
            f"{target.label} needs the agreement of the {names}: record who agreed",
            field="agreed_by",
        )
    if target.refers_to and not target.addressees:
        raise Refused(
            f"{target.label} is a referral: record it as a referral to Cafcass or legal advice",
            field="stage",
        )
    missing = unheld(concern.child, target.addressees, as_of=on)
    if missing:
        raise Refused(
            "Nobody holds the role " + ", ".join(role_label(r) for r in missing)
            + " for this child: allocate one before issuing this notice",
            field="stage",
        )  # fmt: skip
    if respond_by is not None:
        if target.response in (None, "none"):
            raise Refused(f"{target.label} has no response deadline", field="respond_by")
        if not target.shorter_deadline_by:
            raise Refused(
                "This council's ladder does not allow a shorter deadline at this stage",
                field="respond_by",
            )
        if shorter_set_by is None or not shorter_set_by.roles & set(target.shorter_deadline_by):
            names = " or ".join(role_label(r) for r in target.shorter_deadline_by)
            raise Refused(f"Only the {names} can set a shorter deadline", field="shorter_set_by")
        full = due_on(target.response, on)  # from the notice's event, recorded on `on`
        if respond_by <= on or respond_by >= full:
            raise Refused(
                f"A shorter deadline falls after the notice and before {formatting.short_day(full)}",
                field="respond_by",
            )
    return _record_notice(
        concern,
        target,
        on=on,
        staff=staff,
        agreed_by=agreed_by,
        bypass_reason=bypass_reason,
        respond_by=respond_by,
        shorter_set_by=shorter_set_by,
        text=text,
        skip=skip,
        acting_user=acting_user,
    )


def _record_notice(
    concern: Concern,
    target: Stage,
    *,
    on: dt.date,
    staff: StaffMember,
    agreed_by: StaffMember | None = None,
    bypass_reason: str = "",
    respond_by: dt.date | None = None,
    shorter_set_by: StaffMember | None = None,
    text: str = "",
    skip: str = "",
    acting_user: Any,
) -> Notice:
    """The writes of a notice, once it is allowed (by `issue_notice`'s checks, or by the pack's
    rule that the next stage is issued automatically: then `acting_user` is None)."""
    stage = target.number
    before = snapshot(concern)
    with transaction.atomic():
        previous, concern.stage = concern.stage, stage
        concern.save(update_fields=["stage"])
        webhooks.stage_changed(concern, stage=stage, previous=previous)
        data: dict[str, Any] = {"stage": stage}
        if respond_by is not None:
            data["respond_by"] = respond_by.isoformat()
        event = _event(concern, EventType.ESCALATION_NOTICE, on, acting_user, **data)
        _record_on_file(concern, event, f"the use of {target.label}", acting_user)
        due = _engine_due(concern, "esc.stage.response", event)
        meeting_by = None
        if target.meeting and target.meeting.within:
            meeting_by = due_on(target.meeting.within, event.date, event.time)
        told = merge(
            people_for(concern.child, target.addressees, as_of=on),
            people_for(concern.child, target.copied, as_of=on),
            _extra(concern),
            [person_of("iro", concern.raised_by)],
            leave_out=staff if acting_user is not None else None,
        )
        informed = _informed(
            concern, told, as_of=on, leave_out=staff if acting_user is not None else None
        )
        notice = Notice.objects.create(
            concern=concern,
            stage=stage,
            issued_on=on,
            issued_by=staff,
            agreed_by=agreed_by,
            bypass_reason=bypass_reason.strip(),
            respond_by=due,
            shorter_set_by=shorter_set_by if respond_by else None,
            recipients=[p.as_json() for p in [*told, *informed]],
            event=event,
        )
        _step(
            concern, StepKind.NOTICE, on, staff, [*told, *informed], text=text or bypass_reason,
            event=event,
            respond_by=due.isoformat() if due else None,
            agreed_by=str(agreed_by) if agreed_by else "", skip=skip,
            meeting_by=meeting_by.isoformat() if meeting_by else None,
            automatic=acting_user is None,
        )  # fmt: skip
        _audit(concern, "notice", before, acting_user, respond_by=due, skip=skip)
        tell(
            concern, told, "notice", acting_user,
            stage=target.label, staff=staff, due=due, meeting_by=meeting_by,
            attendees=meeting_attendees(target), records=records_for(concern),
        )  # fmt: skip
        _inform(concern, informed, acting_user, what=f"a {records_for(concern)['notice']}",
                stage=target.label)  # fmt: skip
    return notice


def issue_next_notice(concern: Concern, *, stage: Stage, on: dt.date, text: str) -> Notice:
    """The notice at `stage` issued by the pack's rule rather than by a person (an unanswered
    stage whose `on_no_response` is `next_stage_issued`), in the chair's name, with `text` on the
    history. The caller has decided the rule applies (see `reminders`)."""
    return _record_notice(
        concern, stage, on=on, staff=concern.raised_by, text=text, skip="automatic",
        acting_user=None,
    )  # fmt: skip


def current_notice(concern: Concern) -> Notice | None:
    return (
        concern.notices.filter(stage=concern.stage).select_related("event").order_by("-pk").first()
        if concern.stage
        else None
    )


def extend(
    concern: Concern,
    *,
    respond_by: dt.date,
    reason: str,
    on: dt.date | None = None,
    acting_user: Any,
) -> Notice:
    """Move the current stage's response deadline later, with a reason: `escalation_extended`."""
    on = on or timezone.localdate()
    staff = require_chair_step(concern, acting_user=acting_user, on=on)
    notice = current_notice(concern)
    if notice is None or notice.respond_by is None:
        raise Refused(
            "Only a formal stage with a response deadline can be extended", field="respond_by"
        )
    if not (reason or "").strip():
        raise Refused("Give the reason for the extension", field="reason")
    if respond_by <= notice.respond_by:
        raise Refused(
            f"The new deadline must be after {formatting.short_day(notice.respond_by)}",
            field="respond_by",
        )
    before = snapshot(concern)
    with transaction.atomic():
        event = _event(
            concern, EventType.ESCALATION_EXTENDED, on, acting_user,
            stage=concern.stage, respond_by=respond_by.isoformat(),
        )  # fmt: skip
        notice.respond_by = respond_by
        notice.extension_reason = reason.strip()
        notice.save(update_fields=["respond_by", "extension_reason"])
        told = merge(
            addressees(concern, as_of=on),
            [person_of("iro", concern.raised_by)],
            leave_out=staff,
        )
        informed = _informed(concern, told, as_of=on, leave_out=staff)
        _step(concern, StepKind.EXTENDED, on, staff, [*told, *informed], text=reason.strip(),
              event=event, respond_by=respond_by.isoformat())  # fmt: skip
        _audit(concern, "extended", before, acting_user, respond_by=respond_by)
        tell(
            concern, told, "extended", acting_user,
            stage=stage_label(concern), respond_by=respond_by,
        )  # fmt: skip
        _inform(concern, informed, acting_user, what="an extension of the deadline",
                stage=stage_label(concern))  # fmt: skip
    return notice


def resolve(
    concern: Concern, *, outcome: str, on: dt.date | None = None, acting_user: Any
) -> Concern:
    """The chair marks the concern resolved with its outcome, at whatever stage:
    `concern_resolved`; everyone addressed so far and anyone copied in are told."""
    on = on or timezone.localdate()
    staff = require_chair_step(concern, acting_user=acting_user, on=on)
    outcome = (outcome or "").strip()
    if not outcome:
        raise Refused("Record the outcome", field="outcome")
    ladder = ladder_of(concern.ladder)
    before = snapshot(concern)
    with transaction.atomic():
        event = _event(concern, EventType.CONCERN_RESOLVED, on, acting_user)
        concern.status = Status.RESOLVED
        concern.outcome = outcome
        concern.resolved_on = on
        concern.save(update_fields=["status", "outcome", "resolved_on"])
        told = merge(
            [person_of("iro", concern.raised_by)],
            addressed_so_far(concern, as_of=on),
            _extra(concern),
            leave_out=staff,
        )
        informed = _informed(concern, told, as_of=on, leave_out=staff)
        record_by = (
            _record_on_file(concern, event, "the outcome of the formal process", acting_user)
            if concern.stage >= 1
            else None
        )
        _step(
            concern, StepKind.RESOLVED, on, staff, [*told, *informed], text=outcome, event=event,
            record_by=record_by.isoformat() if record_by else None,
        )  # fmt: skip
        _audit(concern, "resolved", before, acting_user)
        tell(
            concern, told, "resolved", acting_user, ladder=ladder.label,
            record_what=ladder.recording.what if ladder.recording else "", record_by=record_by,
            records=records_for(concern),
        )  # fmt: skip
        _inform(concern, informed, acting_user, what="the resolution", stage=stage_label(concern))
    return concern


def _referral(
    concern: Concern,
    kind: str,
    *,
    grounds: str,
    consulted: Sequence[StaffMember],
    meeting_on: dt.date | None,
    on: dt.date,
    acting_user: Any,
    proceedings: Event | None = None,
) -> Step:
    staff = _acting_staff(acting_user)
    require_open(concern)
    ladder = ladder_of(concern.ladder)
    step_rule = ladder.cafcass if kind == StepKind.CAFCASS else ladder.legal_advice
    what = "a referral to Cafcass" if kind == StepKind.CAFCASS else "independent legal advice"
    if step_rule is None:
        raise Refused(f"The ladder '{ladder.label}' makes no provision for {what}")
    if not can_edit(acting_user, concern.child, as_of=on):
        raise Refused("You can read this record but not change it", forbidden=True)
    if step_rule.lac_only and "lac" not in statuses(concern.child, on=on):
        verb = "be referred to Cafcass" if kind == StepKind.CAFCASS else "have " + what
        raise Refused(f"Only a looked-after child's case can {verb}")
    if kind == StepKind.CAFCASS:
        is_iro = Allocation.objects.filter(
            open_allocations(on), child=concern.child, staff=staff, role=Role.IRO
        ).exists()
        if not is_iro:
            raise Refused(
                "Only the child's IRO can refer to Cafcass, not a conference chair or manager",
                forbidden=True,
            )
    elif not is_chair(staff):
        raise Refused(
            "Only an IRO or conference chair can seek independent legal advice", forbidden=True
        )
    if step_rule.at_stage and not step_rule.concurrent and concern.stage < step_rule.at_stage - 1:
        raise Refused(
            f"This comes after stage {step_rule.at_stage - 1} of the ladder: escalate first"
        )
    if step_rule.meeting_first and meeting_on is None:
        names = ", ".join(role_label(r) for r in step_rule.meeting_first)
        raise Refused(
            f"First hold the meeting the council requires (with the {names})", field="meeting_on"
        )
    if meeting_on is not None and meeting_on > on:
        raise Refused("The meeting must have been held already", field="meeting_on")
    if step_rule.consult:
        wanted = set(step_rule.consult)
        if not any(c.roles & wanted for c in consulted):
            names = " or ".join(role_label(r) for r in step_rule.consult)
            raise Refused(f"Record that you consulted the {names}", field="consulted")
    grounds = (grounds or "").strip()
    if not grounds:
        raise Refused("Record the grounds", field="grounds")
    if proceedings is not None and (
        proceedings.child_id != concern.child_id
        or proceedings.type != EventType.PROCEEDINGS_START
        or proceedings.date > on
    ):
        raise Refused("Choose care proceedings of this child begun by now", field="proceedings")
    linked = {"proceedings": proceedings.pk} if proceedings is not None else {}
    before = snapshot(concern)
    event_type = (
        EventType.CAFCASS_REFERRAL if kind == StepKind.CAFCASS else EventType.LEGAL_ADVICE_SOUGHT
    )
    with transaction.atomic():
        event = _event(concern, event_type, on, acting_user)
        if step_rule.at_stage and concern.stage < step_rule.at_stage:
            previous, concern.stage = concern.stage, step_rule.at_stage
            concern.save(update_fields=["stage"])
            webhooks.stage_changed(concern, stage=concern.stage, previous=previous)
        consulted_people = [person_of("consulted", c) for c in consulted]
        told = merge(
            [person_of("iro", concern.raised_by)],
            consulted_people,
            people_for(concern.child, step_rule.consult, as_of=on),
            people_for(concern.child, step_rule.told, as_of=on),
            leave_out=staff,
        )
        informed = _informed(concern, told, as_of=on, leave_out=staff)
        step = _step(
            concern, kind, on, staff, [*told, *informed], text=grounds, event=event,
            meeting_on=meeting_on.isoformat() if meeting_on else None,
            consulted=[str(c) for c in consulted], **linked,
        )  # fmt: skip
        _audit(concern, kind, before, acting_user)
        tell(
            concern, told, "referral", acting_user,
            ladder=ladder.label, what=what, staff=staff,
            arrangement=step_rule.arrangement, consult_others=step_rule.consult_others,
        )  # fmt: skip
        _inform(concern, informed, acting_user, what=what, stage=stage_label(concern))
    return step


def refer_to_cafcass(
    concern: Concern,
    *,
    grounds: str,
    consulted: Sequence[StaffMember] = (),
    meeting_on: dt.date | None = None,
    on: dt.date | None = None,
    proceedings: Event | None = None,
    acting_user: Any,
) -> Step:
    """A referral to Cafcass (CPPCR reg 45): looked-after children only, by the child's IRO (not
    a conference chair), after the meeting and consultation the pack requires; `cafcass_referral`.
    It may name the care proceedings it relates to (their `proceedings_start` event, of the same
    child, begun by `on`), kept as the step's `proceedings`."""
    return _referral(
        concern, StepKind.CAFCASS, grounds=grounds, consulted=consulted,
        meeting_on=meeting_on, on=on or timezone.localdate(), acting_user=acting_user,
        proceedings=proceedings,
    )  # fmt: skip


def seek_legal_advice(
    concern: Concern,
    *,
    grounds: str,
    consulted: Sequence[StaffMember] = (),
    on: dt.date | None = None,
    acting_user: Any,
) -> Step:
    """Independent legal advice sought (IRO Handbook 6.13-6.14), with the consultation the pack
    requires: `legal_advice_sought`."""
    return _referral(
        concern, StepKind.LEGAL_ADVICE, grounds=grounds, consulted=consulted,
        meeting_on=None, on=on or timezone.localdate(), acting_user=acting_user,
    )  # fmt: skip


def alert(
    concern: Concern,
    *,
    party: str,
    email: str,
    on: dt.date | None = None,
    acting_user: Any,
) -> Concern:
    """Alert one of the others the ladder says may be alerted at any stage (`others_may_alert`,
    Manchester: the Legal Team, the Head of Virtual School, the Designated LAC Nurse): they are
    emailed the link to the record now and copied into every later step. Refused for a party the
    ladder does not name, or without an email address."""
    on = on or timezone.localdate()
    staff = require_chair_step(concern, acting_user=acting_user, on=on)
    ladder = ladder_of(concern.ladder)
    if party not in ladder.others_may_alert:
        names = ", ".join(ladder.others_may_alert) or "nobody else"
        raise Refused(f"The ladder '{ladder.label}' lets the chair alert: {names}", field="party")
    email = (email or "").strip()
    if not email:
        raise Refused(f"Give the email address of the {party}", field="email")
    if problem := address_problem(email):
        raise Refused(problem, field="email")
    before = snapshot(concern)
    with transaction.atomic():
        if email.lower() not in {e.lower() for e in concern.copied_emails}:
            concern.copied_emails = [*concern.copied_emails, email]
            concern.save(update_fields=["copied_emails"])
        _audit(concern, "alerted", before, acting_user, party=party)
        tell(
            concern, [Person(party, party, email)], "alerted", acting_user,
            party=party, staff=staff, stage=stage_label(concern),
        )  # fmt: skip
    return concern


def set_agenda(concern: Concern, *, on_agenda: bool, acting_user: Any) -> Concern:
    """A chair puts the concern on (or takes it off) the challenge meeting's agenda."""
    on = timezone.localdate()
    require_chair(concern.child, acting_user=acting_user, on=on)
    before = snapshot(concern)
    with transaction.atomic():
        concern.on_agenda = on_agenda
        concern.save(update_fields=["on_agenda"])
        _audit(concern, "agenda", before, acting_user, on_agenda=on_agenda)
    return concern


def record_meeting_outcome(
    concern: Concern, *, outcome: str, on: dt.date | None = None, acting_user: Any
) -> Step:
    """What the challenge meeting decided about this concern (a history line; no deadline)."""
    on = on or timezone.localdate()
    staff = require_chair(concern.child, acting_user=acting_user, on=on)
    outcome = (outcome or "").strip()
    if not outcome:
        raise Refused("Record what the meeting decided", field="outcome")
    before = snapshot(concern)
    with transaction.atomic():
        step = _step(concern, StepKind.MEETING, on, staff, [], text=outcome)
        concern.on_agenda = False
        concern.save(update_fields=["on_agenda"])
        _audit(concern, "meeting_outcome", before, acting_user)
    return step


def record_stage_meeting(
    concern: Concern,
    *,
    held_on: dt.date,
    attendees: Sequence[str],
    outcome: str,
    on: dt.date | None = None,
    acting_user: Any,
) -> Step:
    """The meeting the current stage requires (Walsall's stage 2: a meeting of all parties within
    5 working days of the notice) recorded as held: its date, who attended and its outcome, a
    line of the history; the stage's addressees and the chair are told. Refused at a stage that
    requires no meeting, for a date before the notice or in the future, or without attendees or
    an outcome."""
    on = on or timezone.localdate()
    staff = require_chair_step(concern, acting_user=acting_user, on=on)
    ladder = ladder_of(concern.ladder)
    target = stage_of(ladder, concern.stage) if concern.stage else None
    if target is None or target.meeting is None:
        raise Refused(f"{stage_label(concern)} does not call for a meeting", field="held_on")
    notice = current_notice(concern)
    if held_on > on:
        raise Refused("The meeting must have been held already", field="held_on")
    if notice is not None and held_on < notice.issued_on:
        raise Refused(
            f"The meeting follows the notice of {formatting.short_day(notice.issued_on)}",
            field="held_on",
        )
    names = [str(a).strip() for a in attendees if str(a).strip()]
    if not names:
        raise Refused("Say who attended", field="attendees")
    outcome = (outcome or "").strip()
    if not outcome:
        raise Refused("Record the meeting's outcome", field="outcome")
    due = _meeting_by(notice, target)
    before = snapshot(concern)
    with transaction.atomic():
        told = merge(
            people_for(concern.child, target.addressees, as_of=on),
            [person_of("iro", concern.raised_by)],
            leave_out=staff,
        )
        informed = _informed(concern, told, as_of=on, leave_out=staff)
        step = _step(
            concern, StepKind.STAGE_MEETING, held_on, staff, [*told, *informed], text=outcome,
            attendees=names, meeting_by=due.isoformat() if due else None,
            late=bool(due and held_on > due),
        )  # fmt: skip
        _audit(concern, "stage_meeting", before, acting_user, held_on=held_on, attendees=names)
        tell(
            concern, told, "stage_meeting", acting_user,
            stage=target.label, staff=staff, held_on=held_on,
        )  # fmt: skip
        _inform(concern, informed, acting_user, what="the stage's meeting", stage=target.label)
    return step


def stage_meeting_due(concern: Concern) -> dict[str, Any] | None:
    """The meeting the concern's current stage requires and is not yet recorded as held:
    {"stage", "purpose", "by" (a date or None), "attendees" (who the pack says meets)}; else
    None."""
    if concern.status != Status.OPEN or not concern.stage:
        return None
    try:
        target = stage_of(ladder_of(concern.ladder), concern.stage)
    except Refused:
        return None
    if target.meeting is None:
        return None
    if concern.steps.filter(kind=StepKind.STAGE_MEETING, stage=concern.stage).exists():
        return None
    by = _meeting_by(current_notice(concern), target)
    return {
        "stage": concern.stage,
        "purpose": target.meeting.purpose,
        "by": by,
        "attendees": meeting_attendees(target),
    }


def _meeting_by(notice: Notice | None, target: Stage) -> dt.date | None:
    """The day the stage's meeting must be held by: its time from the notice's event."""
    if notice is None or target.meeting is None or not target.meeting.within:
        return None
    at = notice.event.time if notice.event is not None else None
    return due_on(target.meeting.within, notice.issued_on, at)
