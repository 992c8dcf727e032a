"""The escalation pages: raise a concern (from the child page or an overdue obligation), the
escalation record, respond, issue a notice, extend, resolve, Cafcass or legal advice, the open
concerns list and the challenge meeting pack (a page and a Word document).

Children come only from `child_for_user`, concerns from `concern_for_user`; every change goes
through `oversight.escalations.actions`, which alone decide who may act: a refusal about the input
is shown on the form, one about who is acting is the 403 page. A page that offers an action's form
asks the action's own check (`actions.require_chair`, ...) before showing it. Each page that shows
a child's record writes one audit row per view."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from oversight.audit.actions import record_child_view, record_export, record_page_view
from oversight.cases.access import child_for_user, children_for_user, sees_children, staff_for_user
from oversight.cases.constants import Role
from oversight.cases.formatting import day
from oversight.cases.labels import label_for
from oversight.cases.models import Allocation, Event, Obligation, StaffMember
from oversight.cases.obligations import active_pack
from oversight.cases.proceedings import proceedings_of
from oversight.cases.text import printable
from oversight.escalations import actions, ladders
from oversight.escalations.access import concern_for_user
from oversight.escalations.constants import RESPONSE_CODES, Status, StepKind
from oversight.escalations.display import concern_stage, deadline_rows, names_of, stage_names
from oversight.escalations.forms import (
    ExtendForm,
    NoticeForm,
    OutcomeForm,
    RaiseForm,
    ReferralForm,
    RespondForm,
    StageMeetingForm,
)
from oversight.escalations.models import Concern, Theme
from oversight.policies.schema import Ladder, Stage
from oversight.timescales.dates import calendar_for, working_days_between
from oversight.web.downloads import table_download
from oversight.web.pdf import pdf_response

MANAGER_ROLES = {
    "iro_team_manager",
    "safeguarding_service_manager",
    "service_manager",
    "head_of_service",
    "assistant_director",
    "director",
}


def _refused(form: Form, refusal: actions.Refused) -> None:
    """An action's refusal on its page: about who is acting, the 403 page; about the input, on
    the form (under the field it names)."""
    if refusal.forbidden:
        raise PermissionDenied(refusal.message)
    field = refusal.field.split(".")[0]
    if field in form.fields:
        form.add_error(field, refusal.message)
    else:
        form.add_error(None, refusal.message)


def _offered(check: Callable[[], object]) -> None:
    """A form is shown only to someone its action would allow: the action's own check, its
    refusal the 403 page."""
    try:
        check()
    except actions.Refused as refusal:
        raise PermissionDenied(refusal.message) from None


def _allows(check: Callable[[], object]) -> bool:
    try:
        check()
    except actions.Refused:
        return False
    return True


def _is_chair(request: HttpRequest) -> bool:
    staff = staff_for_user(request.user)
    return staff is not None and actions.is_chair(staff)


def _ladders() -> list[tuple[str, str]]:
    return [(name, ladder.label) for name, ladder in ladders.pack().ladders.items()]


def notice_stages(ladder: Ladder, stage: int) -> list[Stage]:
    """The stages a notice can still be issued at: above the current one, and not a referral
    (a referral to Cafcass or legal advice is recorded as one). None at the ladder's top."""
    return [s for s in ladder.stages if s.number > stage and not (s.refers_to and not s.addressees)]


def next_steps(
    *,
    chair: bool,
    may_respond: bool,
    can_notice: bool,
    can_extend: bool,
    stage_meeting: bool,
    referrals: bool,
) -> list[tuple[str, str, bool]]:
    """What can be done next on an open concern, as (label, url name, main): only what the
    ladder still allows, the first (the next thing to do) the main button. The addressee's is
    the response; the chair's the stage's meeting when one is due, else the next notice, else
    (at the top of the ladder) the resolution."""
    offered: list[tuple[str, str]] = []
    if may_respond:
        offered.append(("Respond", "concern_respond"))
    if chair:
        if stage_meeting:
            offered.append(("Record the stage meeting", "concern_stage_meeting"))
        if can_notice:
            offered.append(("Issue a notice", "concern_notice"))
        offered.append(("Resolve", "concern_resolve"))
        if can_extend:
            offered.append(("Extend the deadline", "concern_extend"))
        if referrals:
            offered.append(("Cafcass or legal advice", "concern_referral"))
    return [(label, name, n == 0) for n, (label, name) in enumerate(offered)]


@login_required
def concern_new(request: HttpRequest, child_id: int) -> HttpResponse:
    """Raise a concern about a child (positive challenge), optionally from an overdue obligation
    (`?obligation=<id>`)."""
    child = child_for_user(request.user, child_id)
    overdue = list(
        Obligation.objects.filter(child=child, status=Obligation.Status.OVERDUE).order_by("due")
    )
    choices = [(str(o.pk), f"{label_for(o.code)}: due {day(o.due)}") for o in overdue]
    source = request.GET.get("obligation") or request.POST.get("obligation") or ""
    obligation = next((o for o in overdue if str(o.pk) == source), None)
    initial: dict[str, Any] = {"ladder": ladders.ladders_for(child, on=timezone.localdate())[0]}
    if obligation is not None:
        initial["obligation"] = str(obligation.pk)
        initial["issue"] = f"{label_for(obligation.code)}: due {day(obligation.due)}, not met."
    form = RaiseForm(
        request.POST or None,
        initial=initial,
        ladders=_ladders(),
        overdue=choices,
        managers=MANAGER_ROLES,
    )
    if request.method == "POST" and form.is_valid():
        rows = form.actions()
        if form.is_valid():
            data = form.cleaned_data
            try:
                concern = actions.raise_concern(
                    child,
                    ladder=data["ladder"],
                    issue=data["issue"],
                    impact=data["impact"],
                    themes=data["themes"],
                    actions=rows,
                    good_practice=data["good_practice"],
                    partner_agency=data["partner_agency"],
                    partner_contact=data["partner_contact"],
                    partner_email=data["partner_email"],
                    copied_emails=data["copied_emails"],
                    obligation_code=obligation.code if obligation else "",
                    formal_reason=data["formal_reason"],
                    agreed_by=form.person("agreed_by"),
                    acting_user=request.user,
                )
            except actions.Refused as refusal:
                _refused(form, refusal)
            else:
                return redirect("concern", concern.pk)
    _offered(lambda: actions.require_chair(child, acting_user=request.user))
    record_child_view(request, child)
    informal = {name: ladder.informal.name for name, ladder in ladders.pack().ladders.items()}
    return render(
        request,
        "escalations/raise.html",
        {"child": child, "form": form, "obligation": obligation, "informal": informal},
    )


def _history(concern: Concern, names: dict[int, str] | None = None) -> list[Any]:
    """The concern's steps, each with the name of its stage (`stage_names`)."""
    names = names_of(concern) if names is None else names
    steps = list(concern.steps.select_related("by__user").order_by("on", "pk"))
    for step in steps:
        step.stage_name = names.get(step.stage, f"Stage {step.stage}") if step.stage else ""  # type: ignore[attr-defined]
    return steps


@login_required
def concern_detail(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The escalation record: every stage, notice, response, date, who was told, who agreed.
    Printable, and as a PDF (`concern_record_pdf`)."""
    concern = concern_for_user(request.user, concern_id)
    record_child_view(request, concern.child)
    return render(request, "escalations/concern.html", _record_context(request, concern))


@login_required
def concern_record_pdf(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The escalation record as a PDF; audited as an export naming the child."""
    concern = concern_for_user(request.user, concern_id)
    html = render_to_string(
        "escalations/concern.html", _record_context(request, concern), request=request
    )
    return pdf_response(
        request, html, what="Escalation record", child=concern.child, audit="concern.record.pdf"
    )


def _record_context(request: HttpRequest, concern: Concern) -> dict[str, Any]:
    """What the escalation record shows, for the viewer of `request`."""
    today = timezone.localdate()
    staff = staff_for_user(request.user)
    ladder = ladders.ladder_of(concern.ladder)
    chair = _allows(lambda: actions.require_chair(concern.child, acting_user=request.user))
    is_open = concern.status == Status.OPEN
    stored = list(
        Obligation.objects.filter(child=concern.child, trigger__concern=concern.engine_id).order_by(
            "due"
        )
    )
    names = stage_names(ladder)
    cal = calendar_for(active_pack().policy)
    steps = _history(concern, names)
    notice = actions.current_notice(concern)
    notices = list(concern.notices.select_related("issued_by__user", "agreed_by__user"))
    for row in notices:
        row.stage_name = names.get(row.stage, f"Stage {row.stage}")  # type: ignore[attr-defined]
    responses = [d for d in stored if d.code in RESPONSE_CODES and d.status != "met"]
    may_respond = is_open and staff is not None and actions.may_respond(concern, staff, as_of=today)
    stage_meeting = actions.stage_meeting_due(concern) if is_open else None
    late = next((d for d in responses if d.due < today), None)
    due_now = next((d for d in responses if d.due >= today), None)
    return {
        "concern": concern,
        "child": concern.child,
        "ladder": ladder,
        "stage_label": names.get(concern.stage, str(concern.stage)),
        "steps": steps,
        "notices": notices,
        "responses": concern.responses.select_related("responded_by__user"),
        "concern_actions": concern.actions.all(),
        "deadlines": deadline_rows(
            stored, steps, names, lambda start, end: working_days_between(start, end, cal)
        ),
        "late": late,
        "due_now": due_now,
        "themes": concern.themes.all(),
        # the complaint it was raised from (`Complaint.concern`: the link kept on the complaint)
        "from_complaint": concern.complaints.order_by("pk").first(),
        "days_open": ((concern.resolved_on or today) - concern.raised_on).days,
        "may_respond": may_respond,
        "chair": chair and is_open,
        "next_steps": next_steps(
            chair=chair and is_open,
            may_respond=may_respond,
            can_notice=bool(notice_stages(ladder, concern.stage)),
            can_extend=notice is not None
            and notice.respond_by is not None
            and any(d.code == "esc.stage.response" for d in responses),
            stage_meeting=stage_meeting is not None,
            referrals=bool(ladder.cafcass or ladder.legal_advice),
        ),
        "may_warn": chair
        and is_open
        and concern.stage == 0
        and ladder.informal.warning is not None
        and not concern.steps.filter(kind="warning").exists(),
        "stage_meeting": stage_meeting,
        "chair_any": _is_chair(request),
        "nav": "children",
    }


@login_required
def concern_notice_record(
    request: HttpRequest, concern_id: int, notice_id: int, *, as_pdf: bool = False
) -> HttpResponse:
    """One notice of concern as a document (to print, or as a PDF with `as_pdf`): its stage, who
    issued and agreed it, to whom it went, the response date and what it says."""
    concern = concern_for_user(request.user, concern_id)
    notice = (
        concern.notices.select_related("issued_by__user", "agreed_by__user")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        raise Http404("No such notice")
    names = names_of(concern)
    step = (
        concern.steps.filter(kind=StepKind.NOTICE, stage=notice.stage, on=notice.issued_on)
        .order_by("pk")
        .first()
    )
    context = {
        "concern": concern,
        "child": concern.child,
        "notice": notice,
        "stage_name": names.get(notice.stage, f"Stage {notice.stage}"),
        "ladder": ladders.ladder_of(concern.ladder),
        "text": step.text if step is not None else "",
        "nav": "children",
    }
    if as_pdf:
        html = render_to_string("escalations/notice.html", context, request=request)
        return pdf_response(
            request, html, what="Notice of concern", child=concern.child, audit="concern.notice.pdf"
        )
    record_child_view(request, concern.child)
    return render(request, "escalations/notice.html", context)


@login_required
def concern_respond(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The addressee (or their manager) answers the concern at its current stage."""
    concern = concern_for_user(request.user, concern_id)
    form = RespondForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = form.plan()
        if form.is_valid():
            try:
                actions.respond(
                    concern,
                    accepted=form.cleaned_data["accepted"],
                    reasons=form.cleaned_data["reasons"],
                    plan=plan,
                    acting_user=request.user,
                )
            except actions.Refused as refusal:
                _refused(form, refusal)
            else:
                return redirect("concern", concern.pk)
    _offered(lambda: actions.require_responder(concern, acting_user=request.user))
    record_child_view(request, concern.child)
    return render(
        request,
        "escalations/form.html",
        {
            "concern": concern,
            "child": concern.child,
            "form": form,
            "title": f"Respond: {names_of(concern).get(concern.stage, '')}",
            "button": "Send the response",
            "steps": _history(concern),
        },
    )


def _chair_page(
    request: HttpRequest,
    concern_id: int,
    make_form: Any,
    run: Any,
    title: str,
    button: str,
) -> HttpResponse:
    concern = concern_for_user(request.user, concern_id)
    form = make_form(concern, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run(concern, form)
        except actions.Refused as refusal:
            _refused(form, refusal)
        else:
            return redirect("concern", concern.pk)
    _offered(lambda: actions.require_chair_step(concern, acting_user=request.user))
    record_child_view(request, concern.child)
    return render(
        request,
        "escalations/form.html",
        {
            "concern": concern,
            "child": concern.child,
            "form": form,
            "title": title,
            "button": button,
            "steps": _history(concern),
        },
    )


@login_required
def concern_notice(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Issue a notice at the next stage (or, where the pack allows, a higher one)."""

    def make(concern: Concern, data: Any) -> NoticeForm:
        ladder = ladders.ladder_of(concern.ladder)
        names = stage_names(ladder)
        stages = [(s.number, names[s.number]) for s in notice_stages(ladder, concern.stage)]
        if not stages:  # the top of the ladder: the record offers no notice
            raise PermissionDenied(
                "This concern is at the last stage of its process: no further notice can be "
                "issued. Resolve it, or record a referral."
            )
        return NoticeForm(
            data,
            stages=stages,
            managers=MANAGER_ROLES,
            initial={"stage": concern.stage + 1},
        )

    def run(concern: Concern, form: NoticeForm) -> None:
        actions.issue_notice(
            concern,
            stage=form.cleaned_data["stage"],
            agreed_by=form.person("agreed_by"),
            bypass_reason=form.cleaned_data["bypass_reason"],
            respond_by=form.cleaned_data["respond_by"],
            shorter_set_by=form.person("shorter_set_by"),
            text=form.cleaned_data["text"],
            acting_user=request.user,
        )

    return _chair_page(
        request, concern_id, make, run, "Issue a notice of concern", "Issue the notice"
    )


@login_required
def concern_extend(request: HttpRequest, concern_id: int) -> HttpResponse:
    def run(concern: Concern, form: ExtendForm) -> None:
        actions.extend(
            concern,
            respond_by=form.cleaned_data["respond_by"],
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
        )

    return _chair_page(
        request, concern_id, lambda c, d: ExtendForm(d), run, "Extend the deadline", "Extend"
    )


@login_required
def concern_resolve(request: HttpRequest, concern_id: int) -> HttpResponse:
    def run(concern: Concern, form: OutcomeForm) -> None:
        actions.resolve(concern, outcome=form.cleaned_data["outcome"], acting_user=request.user)

    return _chair_page(
        request, concern_id, lambda c, d: OutcomeForm(d), run, "Resolve the concern", "Resolve"
    )


@login_required
def concern_referral(request: HttpRequest, concern_id: int) -> HttpResponse:
    """A referral to Cafcass or independent legal advice, with the grounds."""

    def run(concern: Concern, form: ReferralForm) -> None:
        consulted = form.cleaned_data.get("consulted")
        people = list(StaffMember.objects.filter(pk=consulted)) if consulted else []
        if form.cleaned_data["kind"] == "cafcass":
            actions.refer_to_cafcass(
                concern,
                grounds=form.cleaned_data["grounds"],
                consulted=people,
                meeting_on=form.cleaned_data["meeting_on"],
                proceedings=_proceedings_event(concern, form.cleaned_data.get("proceedings")),
                acting_user=request.user,
            )
        else:
            actions.seek_legal_advice(
                concern,
                grounds=form.cleaned_data["grounds"],
                consulted=people,
                acting_user=request.user,
            )

    return _chair_page(
        request,
        concern_id,
        lambda c, d: ReferralForm(d, managers=MANAGER_ROLES, proceedings=_proceedings_of(c)),
        run,
        "Cafcass or independent legal advice",
        "Record it",
    )


def _proceedings_of(concern: Concern) -> list[tuple[str, str]]:
    """The child's care proceedings as the referral form offers them, newest first."""
    found = proceedings_of(concern.child.events.all())
    return [
        (str(p.started.pk), f"Begun {day(p.start)}, {p.started.data.get('court', '')}")
        for p in reversed(found)
    ]


def _proceedings_event(concern: Concern, chosen: str | None) -> Event | None:
    """The proceedings chosen on the form (one the form offered: the child's own)."""
    if not chosen:
        return None
    return Event.objects.filter(pk=int(chosen), child=concern.child).first()


@login_required
def concern_stage_meeting(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The meeting the current stage requires, recorded as held (date, attendees, outcome)."""

    def make(concern: Concern, data: Any) -> StageMeetingForm:
        return StageMeetingForm(data)  # a stage with no meeting: the action refuses, on the form

    def run(concern: Concern, form: StageMeetingForm) -> None:
        actions.record_stage_meeting(
            concern,
            held_on=form.cleaned_data["held_on"],
            attendees=form.cleaned_data["attendees"],
            outcome=form.cleaned_data["outcome"],
            acting_user=request.user,
        )

    return _chair_page(
        request, concern_id, make, run, "Record the stage meeting", "Record the meeting"
    )


@login_required
@require_POST
def concern_warn(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = concern_for_user(request.user, concern_id)
    try:
        actions.warn(concern, acting_user=request.user)
    except actions.Refused as refusal:
        raise PermissionDenied(refusal.message) from None
    return redirect("concern", concern.pk)


@login_required
@require_POST
def concern_agenda(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Put the concern on (or off) the challenge meeting's agenda."""
    concern = concern_for_user(request.user, concern_id)
    try:
        actions.set_agenda(
            concern, on_agenda=request.POST.get("on_agenda") == "yes", acting_user=request.user
        )
    except actions.Refused as refusal:
        raise PermissionDenied(refusal.message) from None
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("challenge_meeting")  # a `next` that leaves the site: not followed
    return redirect(back)


@login_required
@require_POST
def concern_meeting_outcome(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The challenge meeting's outcome for one concern."""
    concern = concern_for_user(request.user, concern_id)
    form = OutcomeForm(request.POST)
    if not form.is_valid() and (request.POST.get("outcome") or "").strip():
        _offered(lambda: actions.require_chair(concern.child, acting_user=request.user))
        return _challenge_page(request, failed=(concern.pk, form))  # refused: on the pack
    outcome = form.cleaned_data["outcome"] if form.is_valid() else ""
    try:
        actions.record_meeting_outcome(concern, outcome=outcome, acting_user=request.user)
    except actions.Refused as refusal:
        if refusal.forbidden:
            raise PermissionDenied(refusal.message) from None
        # no outcome given: nothing recorded, back to the pack
    return redirect("challenge_meeting")


# --- Lists ------------------------------------------------------------------------------------


def _teams(concerns: list[Concern], today: dt.date) -> dict[int, str]:
    """Each child's social work team (from the social worker's allocation)."""
    rows = (
        Allocation.objects.filter(
            child_id__in={c.child_id for c in concerns}, role=Role.SOCIAL_WORKER, ends__isnull=True
        )
        .select_related("staff__team")
        .order_by("-starts")
    )
    teams: dict[int, str] = {}
    for row in rows:
        if row.child_id not in teams and row.staff.team is not None:
            teams[row.child_id] = row.staff.team.name
    return teams


def _decorate(concerns: list[Concern], today: dt.date) -> None:
    teams = _teams(concerns, today)
    for concern in concerns:
        concern.days_open = (today - concern.raised_on).days  # type: ignore[attr-defined]
        concern.team = teams.get(concern.child_id, "")  # type: ignore[attr-defined]
        concern.stage_name = concern_stage(concern)  # type: ignore[attr-defined]
        ladder = ladders.pack().ladders.get(concern.ladder)
        concern.ladder_name = ladder.label if ladder else concern.ladder  # type: ignore[attr-defined]


def _open_concerns(request: HttpRequest) -> Any:
    """The open concerns on the children the user sees: every list of concerns (the page, its
    downloads, the challenge meeting) starts here, so a role that sees no child (an administrator,
    the corporate IRO) finds no such page (404, as its menu offers none), not an empty list."""
    if not sees_children(request.user):
        raise Http404("No such page")
    visible = children_for_user(request.user).values("pk")
    return (
        Concern.objects.filter(status=Status.OPEN, child__in=visible)
        .select_related("child", "raised_by__user")
        .prefetch_related("themes")
        .order_by("raised_on", "pk")
    )


def _listed_concerns(request: HttpRequest) -> tuple[list[Concern], list[str], dict[str, str]]:
    """The open concerns the list shows for the request's filters (ladder, stage, theme, team),
    the teams they are in, and the filters chosen: the page and its downloads alike."""
    today = timezone.localdate()
    rows = _open_concerns(request)
    ladder = request.GET.get("ladder", "")
    stage = request.GET.get("stage", "")
    theme = request.GET.get("theme", "")
    team = request.GET.get("team", "")
    if ladder:
        rows = rows.filter(ladder=ladder)
    if stage.isdigit():
        rows = rows.filter(stage=int(stage))
    if theme:
        rows = rows.filter(themes__code=theme)
    concerns = list(rows.distinct())
    _decorate(concerns, today)
    teams = sorted({c.team for c in concerns if c.team})  # type: ignore[attr-defined]
    if team:
        concerns = [c for c in concerns if c.team == team]  # type: ignore[attr-defined]
    return concerns, teams, {"ladder": ladder, "stage": stage, "theme": theme, "team": team}


@login_required
def concern_list(request: HttpRequest) -> HttpResponse:
    """Every open concern the user may see (the safeguarding service manager: all), by ladder,
    stage, age, team and theme; partner-agency disputes counted separately."""
    concerns, teams, chosen = _listed_concerns(request)
    by_stage = Counter(c.stage_name for c in concerns)  # type: ignore[attr-defined]
    by_ladder: dict[str, list[Concern]] = {}
    for concern in concerns:  # one table per ladder, its name said once
        by_ladder.setdefault(concern.ladder_name, []).append(concern)  # type: ignore[attr-defined]
    record_page_view(request, what="concerns.viewed", children=[c.child for c in concerns])
    return render(
        request,
        "escalations/list.html",
        {
            "concerns": concerns,
            "by_ladder": list(by_ladder.items()),
            "partner_disputes": sum(1 for c in concerns if c.is_partner_dispute),
            "by_stage": sorted(by_stage.items()),
            "ladders": _ladders(),
            "themes": Theme.objects.filter(active=True),
            "teams": teams,
            "chosen": chosen,
            "downloads": [
                (
                    reverse(f"concerns_{fmt}")
                    + (f"?{request.GET.urlencode()}" if request.GET else ""),
                    words,
                )
                for fmt, words in (("csv", "CSV"), ("xlsx", "XLSX (Excel)"))
            ],
            "nav": "concerns",
        },
    )


def _meeting_concerns(request: HttpRequest) -> list[Concern]:
    """Open concerns at a challenge-meeting stage of their ladder, or put on the agenda."""
    stages = {
        name: set(ladder.challenge_meeting.stages)
        for name, ladder in ladders.pack().ladders.items()
        if ladder.challenge_meeting
    }
    q = Q(on_agenda=True)
    for name, numbers in stages.items():
        q |= Q(ladder=name, stage__in=numbers)
    concerns = list(_open_concerns(request).filter(q))
    _decorate(concerns, timezone.localdate())
    for concern in concerns:
        concern.history = _history(concern)  # type: ignore[attr-defined]
    return concerns


@login_required
def challenge_meeting(request: HttpRequest) -> HttpResponse:
    """The challenge meeting pack: cases at the pack's challenge stages plus those chairs put on
    the agenda, each with its history and days open, and a place to record the outcome."""
    return _challenge_page(request)


def _challenge_page(
    request: HttpRequest, failed: tuple[int, OutcomeForm] | None = None
) -> HttpResponse:
    """The pack; `failed`: (concern, form) of an outcome refused, its error under its box."""
    meetings = [
        (ladder.label, ladder.challenge_meeting)
        for ladder in ladders.pack().ladders.values()
        if ladder.challenge_meeting
    ]
    concerns = _meeting_concerns(request)
    record_page_view(request, what="challenge_meeting.viewed", children=[c.child for c in concerns])
    return render(
        request,
        "escalations/challenge_meeting.html",
        {
            "concerns": concerns,
            "meetings": meetings,
            "chair": _is_chair(request),
            "failed_pk": failed[0] if failed else None,
            "failed": failed[1] if failed else None,
            "nav": "challenge_meeting",
        },
    )


@login_required
def challenge_meeting_docx(request: HttpRequest) -> HttpResponse:
    """The challenge meeting pack as a Word document (python-docx). Audited as an export."""
    from docx import Document

    concerns = _meeting_concerns(request)
    doc = Document()

    def para(text: str) -> None:  # what is stored, without what XML cannot hold
        doc.add_paragraph(printable(text))

    doc.add_heading("Challenge meeting pack", level=0)
    para(f"Prepared {day(timezone.localdate())}. {len(concerns)} cases.")
    for concern in concerns:
        child = concern.child
        doc.add_heading(printable(f"{child.full_name} ({child.reference})"), level=1)
        para(
            f"{concern.ladder_name}: {concern.stage_name}. "  # type: ignore[attr-defined]
            f"Open {concern.days_open} days (raised {day(concern.raised_on)} by "  # type: ignore[attr-defined]
            f"{concern.raised_by}). Team: {concern.team or 'not known'}."  # type: ignore[attr-defined]
        )
        para(f"Issue: {concern.issue}")
        para(f"Impact on the child: {concern.impact}")
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ["Date", "Step", "By", "Details"], strict=True):
            cell.text = text
        for step in concern.history:  # type: ignore[attr-defined]
            cells = table.add_row().cells
            cells[0].text = day(step.on)
            kind = step.get_kind_display()
            cells[1].text = f"{kind} ({step.stage_name})" if step.stage_name else kind
            cells[2].text = printable(str(step.by or ""))
            cells[3].text = printable(step.text)
        para("Outcome of the meeting: ______________________________")
    buffer = io.BytesIO()
    doc.save(buffer)
    record_export(request, what="challenge_meeting.docx", children=[c.child for c in concerns])
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = 'attachment; filename="challenge-meeting-pack.docx"'
    return response


CONCERN_COLUMNS = (
    "Council reference",
    "Child",
    "Ladder",
    "Stage",
    "Raised",
    "Days open",
    "Team",
    "Themes",
    "Partner agency",
)


@login_required
def concerns_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The open concerns the list shows for its filters, as CSV or XLSX, audited with the rows
    and each child."""
    concerns, _teams, _chosen = _listed_concerns(request)
    lines = (
        (
            c.child,
            (
                c.child.reference,
                c.child.full_name,
                c.ladder_name,  # type: ignore[attr-defined]
                c.stage_name,  # type: ignore[attr-defined]
                c.raised_on,
                c.days_open,  # type: ignore[attr-defined]
                c.team,  # type: ignore[attr-defined]
                ", ".join(t.label for t in c.themes.all()),
                c.partner_agency,
            ),
        )
        for c in concerns
    )
    return table_download(
        request,
        what="concerns.open",
        name=f"open_concerns_{timezone.localdate().isoformat()}",
        fmt=fmt,
        sheet="Open concerns",
        columns=CONCERN_COLUMNS,
        lines=lines,
    )
