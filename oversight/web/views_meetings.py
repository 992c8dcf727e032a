"""The child's meeting records: the list, a form per kind (draft, complete, amend with a reason),
a record with "what happens next", and its documents.

Children come only from `child_for_user` (404 outside the user's scope), changes need `can_edit`
(403); each page view writes one audit row; every change goes through `oversight.meetings.actions`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from oversight.audit.actions import record_child_view, record_export, record_page_view
from oversight.cases import formatting
from oversight.cases.access import (
    can_edit,
    child_for_user,
    children_for_user,
    real_id,
    staff_for_user,
)
from oversight.cases.forms import DayField, ReasonForm
from oversight.cases.models import Allocation, Child, Event, Obligation
from oversight.cases.text import MESSAGE as CONTROL_MESSAGE
from oversight.cases.text import fields_with_control
from oversight.meetings import actions, diary
from oversight.meetings import dip_sample as dip
from oversight.meetings.constants import Kind, Status
from oversight.meetings.facts import facts_about, record_name
from oversight.meetings.forms import (
    FORMS,
    ConsultationRequestForm,
    DipJudgementForm,
    DocumentForm,
    MeetingForm,
    meeting_form,
    open_actions_of,
)
from oversight.meetings.models import DiaryEntry, Meeting
from oversight.meetings.rules.looked_after import meeting_needed_by
from oversight.web.pdf import pdf_response
from oversight.web.templatetags.oversight import anchor as field_anchor
from oversight.web.templatetags.oversight import value as shown_value
from oversight.web.views_caseload import decorate


def _child(request: HttpRequest, child_id: int, today: dt.date, *, edit: bool) -> Child:
    found = child_for_user(request.user, child_id, as_of=today)
    if edit and not can_edit(request.user, found, as_of=today):
        raise PermissionDenied
    return found


def _meeting(child: Child, meeting_id: int) -> Meeting:
    found = Meeting.objects.filter(child=child, pk=real_id(meeting_id, "meeting")).first()
    if found is None:
        raise Http404("No such meeting record")
    return found


def _last_venue(child: Child) -> str:
    """A new booking's venue: that of the child's last booking (else of a booking by someone
    allocated to the child)."""
    last = (
        DiaryEntry.objects.filter(child=child).exclude(venue="").order_by("-pk").first()
        or DiaryEntry.objects.filter(
            chair__in=Allocation.objects.filter(child=child).values("staff")
        )
        .exclude(venue="")
        .order_by("-pk")
        .first()
    )
    return last.venue if last is not None else ""


def _sections(form: MeetingForm) -> list[tuple[str, list[Any]]]:
    """The form's fields under their headings; any field not placed goes under "Details"."""
    placed: set[str] = set()
    out = []
    for heading, names in form.SECTIONS:
        fields = [form[n] for n in names if n in form.fields]
        placed.update(names)
        if fields:
            out.append((heading, fields))
    rest = [form[n] for n in form.fields if n not in placed]
    if rest:
        out.insert(0 if not out else 1, ("Details", rest))
    return out


def _lower_first(label: str) -> str:
    """ "IRO visit" stays; "Midway review" -> "midway review" (for "Record a ...")."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() or first.startswith("IRO") else label[0].lower() + label[1:]


@login_required
def meeting_list(request: HttpRequest, child_id: int) -> HttpResponse:
    today = timezone.localdate()
    child = _child(request, child_id, today, edit=False)
    record_child_view(request, child)
    meetings = child.meetings.select_related("chair__user").order_by("-date", "-pk")
    flagged = child.flags.filter(code="cp.support_challenge_panel").first()
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "child": child,
            "meetings": meetings,
            "kinds": [
                (reverse(f"meeting_new_{k}", args=[child.pk]), _lower_first(Kind(k).label))
                for k in FORMS
            ],
            "can_edit": can_edit(request.user, child, as_of=today),
            "scp_flag": flagged,
            "nav": "children",
        },
    )


@login_required
def meeting_new(request: HttpRequest, child_id: int, kind: str) -> HttpResponse:
    today = timezone.localdate()
    child = _child(request, child_id, today, edit=True)
    return _edit(request, child, kind, None, today)


@login_required
def meeting_edit(request: HttpRequest, child_id: int, meeting_id: int) -> HttpResponse:
    today = timezone.localdate()
    child = _child(request, child_id, today, edit=True)
    meeting = _meeting(child, meeting_id)
    return _edit(request, child, meeting.kind, meeting, today)


def _edit(
    request: HttpRequest, child: Child, kind: str, meeting: Meeting | None, today: dt.date
) -> HttpResponse:
    amending = meeting is not None and meeting.status == Status.COMPLETED
    if FORMS[kind].IN_STEPS and not amending:
        return _edit_in_steps(request, child, kind, meeting, today)
    skip = list(meeting.event_ids) if amending and meeting is not None else []
    reason_form = ReasonForm(request.POST or None) if amending else None
    if request.method == "POST":
        drafting = "draft" in request.POST and not amending
        # A draft is saved unchecked, but never with a control character in it.
        unsaved = fields_with_control(request.POST) if drafting else []
        if drafting and not unsaved:
            meeting = actions.save_draft(
                child,
                kind=kind,
                typed=actions.typed_values(request.POST),
                meeting=meeting,
                acting_user=request.user,
            )
            return redirect("meeting_list", child.pk)
        form = meeting_form(kind, child, today, data=request.POST, skip=skip)
        reason_ok = reason_form.is_valid() if reason_form is not None else True
        if unsaved:  # nothing saved: the form says which fields hold one
            if form.is_valid() or not set(unsaved) & set(form.fields):
                form.add_error(None, CONTROL_MESSAGE)
        elif form.is_valid() and reason_ok:
            try:
                if amending and meeting is not None and reason_form is not None:
                    meeting = actions.amend_meeting(
                        meeting,
                        record=form.record(),
                        typed=actions.typed_values(request.POST),
                        reason=reason_form.cleaned_data["reason"],
                        acting_user=request.user,
                    )
                else:
                    meeting = actions.complete_meeting(
                        child,
                        record=form.record(),
                        typed=actions.typed_values(request.POST),
                        meeting=meeting,
                        acting_user=request.user,
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("meeting_detail", child.pk, meeting.pk)
    else:
        # A new record opened from "Act" on My caseload: the meeting and date it names.
        prefill = {k: request.GET[k] for k in ("meeting", "date") if k in request.GET}
        if kind == Kind.BOOKING and meeting is None:
            prefill = {"venue": _last_venue(child), **prefill}
        typed = meeting.typed if meeting is not None else prefill
        form = meeting_form(kind, child, today, initial=typed, skip=skip)
        if kind == Kind.BOOKING and meeting is None:  # the core group's professionals invited
            form.initial["invite"] = [value for value, _label in form.people]
    record_child_view(request, child)
    title = Kind(kind).label
    if amending:
        title = f"Amend: {title}"
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "child": child,
            "form": form,
            "sections": _sections(form),
            "reason_form": reason_form,
            "meeting": meeting,
            "amending": amending,
            "title": title,
            "council_record": record_name(kind),
            "latest": _latest_dates(child) if kind == Kind.BOOKING else [],
            "nav": "children",
        },
    )


def _step(request: HttpRequest, count: int) -> int:
    """The section asked for (`section`, from 1), within the form's `count` sections."""
    raw = request.POST.get("section") or request.GET.get("section") or "1"
    number = int(raw) if raw.isdigit() else 1
    return min(max(number, 1), count)


def _as_data(typed: dict[str, Any]) -> QueryDict:
    """Typed values (`actions.typed_values`) as a posted form's data again."""
    data = QueryDict(mutable=True)
    for name, value in typed.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


def _edit_in_steps(
    request: HttpRequest, child: Child, kind: str, meeting: Meeting | None, today: dt.date
) -> HttpResponse:
    """A long form one section at a time, in the GOV.UK task list pattern: each "Save and
    continue" keeps what was typed as the draft and opens the next section; "Complete the record"
    checks every section at once (the rules over the whole record, as a single page would) and
    lists every refusal, each linked to its section; the draft keeps what was typed in each
    section, refused or not (a draft sets no dates)."""
    typed: dict[str, Any] = dict(meeting.typed) if meeting is not None else {}
    if meeting is None and request.method != "POST":
        typed = {k: request.GET[k] for k in ("meeting", "date") if k in request.GET}
    layout = [
        (heading, [f.name for f in fields])
        for heading, fields in _sections(meeting_form(kind, child, today))
    ]
    step = _step(request, len(layout))
    failed = False
    if request.method == "POST":
        # One section posted: the draft's other sections kept. The whole form posted at once (as
        # the API would, or a page without sections): only what was posted, nothing kept on a
        # refusal.
        in_steps = "section" in request.POST
        here = set(layout[step - 1][1])
        kept = {k: v for k, v in typed.items() if k not in here} if in_steps else {}
        typed = kept | actions.typed_values(request.POST)
        unsaved = fields_with_control(request.POST)
        drafting = "draft" in request.POST
        if (in_steps or drafting) and not unsaved:
            meeting = actions.save_draft(
                child, kind=kind, typed=typed, meeting=meeting, acting_user=request.user
            )
        if drafting and not unsaved and meeting is not None:
            if in_steps and request.POST["draft"] == "next" and step < len(layout):
                edit = reverse("meeting_edit", args=[child.pk, meeting.pk])
                return redirect(f"{edit}?section={step + 1}")
            return redirect("meeting_list", child.pk)
        form = meeting_form(kind, child, today, data=_as_data(typed))
        if unsaved:  # nothing saved: the form says which fields hold one
            if form.is_valid() or not set(unsaved) & set(form.fields):
                form.add_error(None, CONTROL_MESSAGE)
        elif form.is_valid():
            try:
                meeting = actions.complete_meeting(
                    child,
                    record=form.record(),
                    typed=typed,
                    meeting=meeting,
                    acting_user=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("meeting_detail", child.pk, meeting.pk)
        failed = True
    else:
        form = meeting_form(kind, child, today, initial=typed)
    here_url = (
        reverse("meeting_edit", args=[child.pk, meeting.pk])
        if meeting is not None
        else reverse(f"meeting_new_{kind}", args=[child.pk])
    )
    steps, summary = [], []
    for number, (heading, names) in enumerate(layout, start=1):
        url = f"{here_url}?section={number}"
        wrong = [form[n] for n in names if failed and form[n].errors]
        for bound in wrong:
            anchor = f"#{field_anchor(bound)}"
            for error in bound.errors:
                summary.append((error, anchor if number == step else url + anchor))
        started = any(typed.get(n) not in (None, "", []) for n in names)
        status = "problem" if wrong else "started" if started else "not_started"
        steps.append({"number": number, "heading": heading, "url": url, "status": status})
    record_child_view(request, child)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "child": child,
            "form": form,
            "sections": [_sections(form)[step - 1]],
            "steps": steps,
            "step": step,
            "last_step": step == len(layout),
            "summary": summary,
            "action": here_url,
            "meeting": meeting,
            "amending": False,
            "title": Kind(kind).label,
            "council_record": record_name(kind),
            "nav": "children",
        },
    )


def _latest_dates(child: Child) -> list[tuple[str, Obligation]]:
    """For the booking form: each meeting the child has a statutory latest date for, and that
    date's obligation."""
    found = []
    for meeting in diary.MEETINGS:
        latest = diary.latest_date(child, meeting)
        if latest is not None:
            found.append((Kind(meeting).label, latest))
    return found


@login_required
def meeting_detail(
    request: HttpRequest, child_id: int, meeting_id: int, *, as_pdf: bool = False
) -> HttpResponse:
    """A meeting's record (a conference's, a review's, ...); as a PDF with `as_pdf`, audited as
    an export naming the child."""
    today = timezone.localdate()
    child = _child(request, child_id, today, edit=False)
    meeting = _meeting(child, meeting_id)
    context = _detail_context(request, child, meeting, today)
    if as_pdf:
        html = render_to_string("meetings/meeting_detail.html", context, request=request)
        return pdf_response(
            request,
            html,
            what=meeting.get_kind_display(),
            child=child,
            audit=f"meeting.record.pdf {meeting.pk}",
        )
    record_child_view(request, child)
    return render(request, "meetings/meeting_detail.html", context)


def _detail_context(
    request: HttpRequest, child: Child, meeting: Meeting, today: dt.date
) -> dict[str, Any]:
    events = Event.objects.filter(pk__in=meeting.event_ids).order_by("date", "pk")
    # Met by this record: on its day, or on the day of one of its events (a consultation or
    # documents received before the review, recorded on the review's record).
    met_days = {meeting.date, *(e.date for e in events)} - {None}
    rows = list(
        child.obligations.filter(
            Q(status__in=[Obligation.Status.PENDING, Obligation.Status.OVERDUE])
            | Q(event_id__in=meeting.event_ids)
            | Q(status=Obligation.Status.MET, met_on__in=met_days)
        )
        .select_related("owner_staff__user")
        .order_by("due", "code", "pk")
    )
    decorate(rows, today)
    set_here = [o for o in rows if o.event_id in meeting.event_ids]
    # Met on the day of the meeting or of one of its events, by an obligation set earlier.
    met_here = [o for o in rows if o not in set_here and o.status == Obligation.Status.MET]
    still_due = [o for o in rows if o not in set_here and o.status != Obligation.Status.MET]
    return {
        "child": child,
        "meeting": meeting,
        "events": events,
        "set_here": set_here,
        "still_due": still_due,
        "met_here": met_here,
        "record_rows": _record_rows(meeting, child, today),
        "meeting_needed_by": _meeting_needed_by(child, meeting, today),
        "council_record": record_name(meeting.kind),
        "documents": meeting.documents.order_by("-uploaded_at"),
        "can_edit": can_edit(request.user, child, as_of=today),
        "upload_url": reverse("meeting_document_new", args=[child.pk, meeting.pk]),
        "entry": meeting.diary_entries.filter(cancelled_at__isnull=True)
        .annotate(invited_count=Count("invited"))
        .first(),
        "cancelled": meeting.diary_entries.filter(cancelled_at__isnull=False).first(),
        "nav": "children",
    }


def _meeting_needed_by(child: Child, meeting: Meeting, today: dt.date) -> dt.date | None:
    """After a looked-after review held without a meeting, the day by which a review must meet
    (Walsall: a meeting at least once a year); None for any other record or pack."""
    if (
        meeting.kind != Kind.LAC_REVIEW
        or meeting.date is None
        or not meeting.details.get("without_meeting")
    ):
        return None
    return meeting_needed_by(facts_about(child, today=today), meeting.date)


def _shown(field: Any, value: Any) -> str:
    """One stored value as the form would show it: choice labels, names, dates, Yes."""
    from oversight.cases.models import StaffMember

    if isinstance(value, list):
        return "; ".join(_shown(field, v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(field, forms.ModelChoiceField):
        staff = StaffMember.objects.filter(user__username=value).select_related("user").first()
        return str(staff) if staff is not None else str(value)
    if isinstance(field, forms.ChoiceField):
        labels = {str(k): v for k, v in field.choices if not isinstance(v, list | tuple)}  # type: ignore[union-attr,misc]
        return str(labels.get(str(value), value))
    if isinstance(field, DayField):
        return formatting.short_day(value)
    # A value the form no longer has a field for: a stored code, date or time, in words.
    return str(value) if field is not None else shown_value(value)


def _record_rows(meeting: Meeting, child: Child, today: dt.date) -> list[tuple[str, str]]:
    """The record's values under the form's own labels, in the form's order; actions and
    exclusions as lines; anything the form no longer has under its stored name."""
    form = FORMS[meeting.kind](
        child=child, today=today, people=[], open_actions=open_actions_of(child)
    )
    details = dict(meeting.details)
    details.pop("changes_labels", None)
    rows: list[tuple[str, str]] = []
    if meeting.outcome:
        outcome = form.fields.get("outcome")
        shown = _shown(outcome, meeting.outcome) if outcome is not None else meeting.outcome
        rows.append(("Decision", shown))
    for name, field in form.fields.items():
        value = details.pop(name, None)
        if name == "outcome" or value in (None, "", [], False):
            continue
        rows.append((str(field.label), _shown(field, value)))
    owner_field = form.fields.get("action_1_owner")
    owners = (
        {str(k): str(v) for k, v in owner_field.choices}  # type: ignore[union-attr,misc]
        if isinstance(owner_field, forms.ChoiceField)
        else {}
    )
    for n, action in enumerate(details.pop("actions", None) or [], start=1):
        owner = owners.get(action.get("owner", ""), action.get("owner", ""))
        due = _shown(DayField(), action.get("due", ""))
        rows.append(
            (
                f"Action {n}",
                f"{action.get('text', '')}, due {due}" + (f" ({owner})" if owner else ""),
            )
        )
    for n, excluded in enumerate(details.pop("exclusions", None) or [], start=1):
        text = f"{excluded.get('who', '')}: {excluded.get('rationale', '')}"
        if excluded.get("record"):
            text += f" (record: {excluded['record']})"
        rows.append((f"Person excluded {n}", text))
    for name, value in details.items():
        if value not in (None, "", [], False):
            rows.append((name.replace("_", " ").capitalize(), _shown(None, value)))
    return rows


@login_required
def document_new(request: HttpRequest, child_id: int, meeting_id: int) -> HttpResponse:
    today = timezone.localdate()
    child = _child(request, child_id, today, edit=True)
    meeting = _meeting(child, meeting_id)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        actions.attach_document(
            meeting,
            type=form.cleaned_data["type"],
            upload=form.cleaned_data["file"],
            acting_user=request.user,
        )
        return redirect("meeting_detail", child.pk, meeting.pk)
    record_child_view(request, child)
    return render(
        request,
        "meetings/document_form.html",
        {"child": child, "meeting": meeting, "form": form, "nav": "children"},
    )


@login_required
def consultation_request(request: HttpRequest, child_id: int) -> HttpResponse:
    """A social worker asks for a consultation (GET: the form, today's date filled in; POST: the
    request, routed by the pack, and back to the child's page)."""
    today = timezone.localdate()
    child = _child(request, child_id, today, edit=True)
    form = ConsultationRequestForm(request.POST or None, initial={"on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.request_consultation(
                child,
                on=data["on"],
                at=data.get("at"),
                question=data["question"],
                team_leader_agreed=data["team_leader_agreed"],
                acting_user=request.user,
            )
        except actions.RequestRefused as refused:
            for name, messages in refused.message_dict.items():
                for message in messages:
                    form.add_error(None if name == "__all__" else name, message)
        else:
            return redirect(reverse("child", args=[child.pk]) + "#obligations")
    record_child_view(request, child)
    return render(
        request,
        "meetings/consultation_request.html",
        {"child": child, "form": form, "nav": "children"},
    )


@login_required
def document_download(
    request: HttpRequest, child_id: int, meeting_id: int, document_id: int
) -> FileResponse:
    today = timezone.localdate()
    child = _child(request, child_id, today, edit=False)
    meeting = _meeting(child, meeting_id)
    document = meeting.documents.filter(pk=real_id(document_id, "document")).first()
    if document is None:
        raise Http404("No such document")
    record_export(
        request, what=f"meeting.document.{document.pk}", child=child, reason=document.name
    )
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)


def _sample_month(value: str | None, today: dt.date) -> dt.date:
    """The month of `?month=YYYY-MM` (today's without one). A month no consultation can be in
    (before 2000, or after next year: `0001-01`, `9999-12`, whose neighbours are no dates) is
    "Page not found", with the reason."""
    month = dip.month_start(value, today)
    if not dt.date(2000, 1, 1) <= month <= dt.date(today.year + 1, 12, 1):
        raise Http404(
            f"There is no dip sample for {value}: choose a month from 2000 to {today.year + 1}"
        )
    return month


def _row_prefix(consultation: Meeting) -> str:
    """The form prefix of one consultation's judgement on the dip sample: crispy-forms-gds
    numbers a radio's ids from its name (`id_<name>_1`), so each row's form needs names of its
    own for its labels to tick its own boxes."""
    return f"c{consultation.pk}"


def _posted_row(data: QueryDict, rows: list[dip.Row]) -> Meeting | None:
    """The sampled consultation whose judgement form was posted (by its prefix), or None when
    the posted form is of no consultation in this month's sample."""
    for row in rows:
        if any(key.startswith(f"{_row_prefix(row.consultation)}-") for key in data):
            return row.consultation
    return None


@login_required
def dip_sample(request: HttpRequest) -> HttpResponse:
    """The service leader's monthly dip sample of consultations: the sample (seeded by the
    month), each with its timeliness and the resulting TAC, and the leader's judgement of each.
    Only the safeguarding service manager and the IRO team manager; consultations of children in
    their scope only (`children_for_user`, the judged child through `child_for_user`). Not found
    under a pack with no `numbers.dip_sample`."""
    today = timezone.localdate()
    staff = staff_for_user(request.user)
    if staff is None or not (staff.roles & dip.LEADER_ROLES):
        raise PermissionDenied
    size = dip.sample_size()
    if size is None:
        raise Http404("The council's policy has no dip sample of consultations")
    month = _sample_month(request.GET.get("month"), today)
    rows = dip.sample(children_for_user(request.user, as_of=today), month, size)
    failed: DipJudgementForm | None = None
    if request.method == "POST":
        posted = _posted_row(request.POST, rows)
        if posted is None:
            raise Http404("That consultation is not in this month's sample")
        form = DipJudgementForm(request.POST, prefix=_row_prefix(posted))
        if form.is_valid():
            child_for_user(request.user, posted.child_id, as_of=today)
            actions.judge_consultation(
                posted,
                month=month,
                advice_quality=form.cleaned_data["advice_quality"],
                timely=form.cleaned_data["timely"] == "yes",
                comments=form.cleaned_data["comments"],
                acting_user=request.user,
            )
            return redirect(f"{reverse('dip_sample')}?month={month:%Y-%m}#c{posted.pk}")
        failed = form
    record_page_view(request, what=f"meetings.dip_sample {month:%Y-%m}")
    forms_by_row = []
    for row in rows:
        prefix = _row_prefix(row.consultation)
        if failed is not None and failed.prefix == prefix:
            form = failed
        else:
            j = row.judgement
            initial: dict[str, Any] = {}
            if j is not None:
                initial |= {
                    "advice_quality": j.advice_quality,
                    "timely": "yes" if j.timely else "no",
                    "comments": j.comments,
                }
            form = DipJudgementForm(initial=initial, prefix=prefix)
        forms_by_row.append((row, form))
    return render(
        request,
        "meetings/dip_sample.html",
        {
            "month": month,
            "previous": (month - dt.timedelta(days=1)).replace(day=1),
            "following": dip.next_month(month),
            "rows": forms_by_row,
            "size": size,
            "failed": failed,
            "nav": "dip_sample",
        },
    )
