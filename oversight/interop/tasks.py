"""Checking and importing a large upload in the background worker (`oversight manage db_worker`),
so that the page answers at once and shows how far the work has got.

`run_upload(token, kind, user_id, confirm)` reads the files kept under `token`
(`interop.uploads`), checks them (`confirm` False) or imports them (`confirm` True) through
`actions.run_import`, the page's and the command's one way in, and keeps in the upload's state
where it has got to (`stage`: "queued", "checking", "importing", then "checked" or "done"; `done`
of `total`) and, at the end, the summary and the report. A check with errors, and an import,
remove the files and keep the state for the page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.tasks import task
from django.utils import timezone

from oversight.cases.obligations import active_pack
from oversight.interop import uploads
from oversight.interop.actions import run_import


def queue(token: str, kind: str, user_id: int | None, *, confirm: bool) -> None:
    """Hand the upload to the background worker."""
    uploads.save_state(token, {"kind": kind, "stage": "queued", "done": 0, "total": 0})
    run_upload.enqueue(token, kind, user_id, confirm)


@task()
def run_upload(token: str, kind: str, user_id: int | None, confirm: bool) -> str:
    """Check or import the upload `token`; its last stage ("gone" if its files are)."""
    sources = uploads.kept(token)
    if not sources:
        return "gone"
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None

    def progress(stage: str, done: int, total: int) -> None:
        uploads.save_state(token, {"kind": kind, "stage": stage, "done": done, "total": total})

    summary, report = run_import(
        kind,
        sources,
        acting_user=user,
        as_of=timezone.localdate(),
        policy=active_pack().policy,
        dry_run=not confirm,
        progress=progress,
    )
    stage = "done" if confirm else "checked"
    state: dict[str, Any] = {
        "kind": kind,
        "stage": stage,
        "summary": summary.as_json(),
        "problems": report.as_json(),
    }
    if confirm or report.errors:
        uploads.discard(token, keep_state=True)
    uploads.save_state(token, state)
    return stage
