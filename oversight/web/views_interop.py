"""The import page: a council's CIN census, SSDA903 tables, Standard Safeguarding Dataset tables
or plain CSV of events uploaded, checked (the report as a
table), then imported on confirmation; for administrators and the safeguarding (IRO) service
manager. Reading, checking and writing live in `oversight.interop`; the page only carries the
files between the check and the confirmation (`interop.uploads`)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from oversight.cases.obligations import active_pack
from oversight.cases.text import TextForm
from oversight.interop import events, tasks, uploads
from oversight.interop.access import may_import
from oversight.interop.actions import Summary, run_import
from oversight.interop.export import RETURNS, Year, write_return
from oversight.interop.problems import Report

# What the session keeps between the check and the confirmation: the upload's token and kind.
PENDING = "interop_upload"
KINDS = [
    ("cin", "Children in Need census (XML)"),
    ("903", "SSDA903 return: the header, episodes and reviews tables (CSV)"),
    ("ssd", "Standard Safeguarding Dataset: its tables (CSV)"),
    ("events", "A plain list of events, laid out as the template (CSV)"),
]


class UploadForm(TextForm):
    kind = forms.ChoiceField(label="What the files are", choices=KINDS, widget=forms.RadioSelect)

    def check_files(self, files: Sequence[uploads.Upload]) -> None:
        kind = str(self.cleaned_data.get("kind") or "")
        if not files:
            self.add_error(None, "Choose the files to import")
        for upload in files if kind else []:
            problem = uploads.problem(kind, upload)
            if problem:
                self.add_error(None, problem)


def _require_importer(request: HttpRequest) -> None:
    if not may_import(request.user):
        raise Http404("No such page")


def _forget(request: HttpRequest) -> None:
    pending = request.session.pop(PENDING, None)
    if pending:
        uploads.discard(pending["token"])


def _report(request: HttpRequest, kind: str, summary: Summary, report: Report) -> HttpResponse:
    return render(
        request,
        "interop/report.html",
        {"summary": summary, "report": report, "kind": dict(KINDS)[kind], "nav": "import"},
    )


def _in_background(token: str) -> bool:
    return uploads.size(token) > settings.OVERSIGHT_IMPORT_BACKGROUND_BYTES


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Upload and check: nothing is written; the report, and a confirm button if it has no
    errors (warnings are shown and imported). Files larger than
    `OVERSIGHT_IMPORT_BACKGROUND_BYTES` are checked by the background worker (`progress`)."""
    _require_importer(request)
    form = UploadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        files = request.FILES.getlist("files")
        form.check_files(files)
        if form.is_valid():
            _forget(request)
            kind = form.cleaned_data["kind"]
            token = uploads.store(files)
            if _in_background(token):
                request.session[PENDING] = {"token": token, "kind": kind, "background": True}
                tasks.queue(token, kind, request.user.pk, confirm=False)
                return redirect("interop_progress")
            summary, report = run_import(
                kind,
                uploads.kept(token),
                acting_user=request.user,
                as_of=timezone.localdate(),
                policy=active_pack().policy,
                dry_run=True,
            )
            if report.errors:
                uploads.discard(token)
            else:
                request.session[PENDING] = {"token": token, "kind": kind}
            return _report(request, kind, summary, report)
    return render(request, "interop/upload.html", {"form": form, "nav": "import"})


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    """Import the files checked a moment ago, checked again (Oversight may have changed since);
    in the background worker if it checked them."""
    _require_importer(request)
    pending = request.session.pop(PENDING, None)
    if not pending:
        return redirect("interop_upload")
    kind, token = pending["kind"], pending["token"]
    sources = uploads.kept(token)
    if not sources:
        return redirect("interop_upload")
    if pending.get("background"):
        request.session[PENDING] = pending
        # Once checked, imported; still checking or already importing, the progress only.
        if (uploads.state(token) or {}).get("stage") == "checked":
            tasks.queue(token, kind, request.user.pk, confirm=True)
        return redirect("interop_progress")
    try:
        summary, report = run_import(
            kind,
            sources,
            acting_user=request.user,
            as_of=timezone.localdate(),
            policy=active_pack().policy,
        )
    finally:
        uploads.discard(token)
    return _report(request, kind, summary, report)


# Where the background worker has got to, in words.
STAGES = {
    "queued": "Waiting for the background worker",
    "checking": "Checking the files",
    "importing": "Importing",
}
REFRESH_SECONDS = 2


@login_required
def progress(request: HttpRequest) -> HttpResponse:
    """How far the background worker has got with this session's upload; once it has, the
    report (and the confirm button), as for a small upload."""
    _require_importer(request)
    pending = request.session.get(PENDING)
    state = uploads.state(pending["token"]) if pending and pending.get("background") else None
    if pending is None or state is None:
        return redirect("interop_upload")
    kind, stage = pending["kind"], state["stage"]
    if stage in ("checked", "done"):
        summary = Summary.from_json(state["summary"])
        report = Report.from_json(state["problems"])
        if stage == "done" or report.errors:
            request.session.pop(PENDING, None)
            uploads.discard(pending["token"])
        return _report(request, kind, summary, report)
    done, total = int(state.get("done", 0)), int(state.get("total", 0))
    if stage == "checking":
        where = f"{done * 100 // max(total, 1)}% of the files read ({done:,} of {total:,} bytes)"
    elif stage == "importing":
        where = f"{done:,} of {total:,} children written"
    else:
        where = "The work will begin when the background worker is free."
    return render(
        request,
        "interop/progress.html",
        {
            "heading": STAGES[stage],
            "where": where,
            "kind": dict(KINDS)[kind],
            "refresh_seconds": REFRESH_SECONDS,
            "nav": "import",
        },
    )


@login_required
def template(request: HttpRequest) -> HttpResponse:
    """The plain CSV of events' template (`interop.events.template`): columns and example lines of
    an invented child, no one's data."""
    _require_importer(request)
    response = HttpResponse(events.template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="oversight-events-template.csv"'
    return response


class ReturnForm(TextForm):
    kind = forms.ChoiceField(
        label="Which return",
        choices=[(k, label) for k, (label, _, _) in RETURNS.items()],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the return", "invalid_choice": "Choose the return"},
    )
    year = forms.CharField(
        label="Collection year",
        help_text="The year it ends in: 2027 is 1 April 2026 to 31 March 2027",
        error_messages={"required": "Enter the collection year, for example 2027"},
    )

    def clean_year(self) -> Year:
        try:
            return Year.parse(self.cleaned_data["year"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


@login_required
def returns(request: HttpRequest) -> HttpResponse:
    """The statutory returns from Oversight's data (`interop.export`), linked from the reports
    page: the return and year chosen, then the file; each child in it on the audit log."""
    _require_importer(request)
    form = ReturnForm(request.GET or None)
    if request.GET and form.is_valid():
        kind, year = form.cleaned_data["kind"], form.cleaned_data["year"]
        out = io.BytesIO()
        write_return(
            kind,
            year,
            out,
            policy=active_pack().policy,
            made_at=timezone.localtime(),
            user=request.user,
            request=request,
        )
        _, name, content_type = RETURNS[kind]
        response = HttpResponse(out.getvalue(), content_type=f"{content_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name.format(year=year.year)}"'
        return response
    return render(request, "interop/returns.html", {"form": form, "nav": "reports"})
