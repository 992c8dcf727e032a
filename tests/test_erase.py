"""Erasing a child's record after retention (`oversight.erasure`, `oversight erase`): only a
record marked for disposal whose retention date has passed; afterwards no table holds the child's
names, reference, NHS number or date of birth (every text and JSON column of every model walked),
the documents are gone from storage, the audit log keeps every row under a pseudonym and says who
erased it under which decision, and the service's figures of the months before count as they did.
Synthetic people only."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from oversight import erasure
from oversight.audit.actions import record_change
from oversight.audit.models import AuditEntry, ChildShown
from oversight.cases.constants import EventType, RetentionDecision, Role, TeamKind
from oversight.cases.factories import allocate, make_child, make_staff, make_team, record_event
from oversight.cases.models import Child, Event, RetentionReview
from oversight.cases.obligations import recompute_children
from oversight.cases.retention import decide, flag_due, marked_for_disposal
from oversight.complaints.factories import make_complaint
from oversight.escalations.factories import make_concern
from oversight.fostering.factories import make_carer
from oversight.fostering.models import CarerReview
from oversight.meetings.factories import make_document, make_meeting
from oversight.notifications.models import Message
from oversight.reports.figures import Period, Scope, figures

THURSDAY_3_DECEMBER_2026 = dt.date(2026, 12, 3)
FIRST, LAST, REFERENCE, NHS = "Zephyrine", "Quillfeather", "C-ZQ-4471", "9990001022"
BORN = dt.date(2009, 5, 17)  # no event, meeting or review falls on it
PERIODS = [
    Period(dt.date(2019, 3, 1), dt.date(2019, 3, 31)),
    Period(dt.date(2020, 12, 1), dt.date(2020, 12, 31)),
    Period(dt.date(2019, 1, 1), dt.date(2020, 12, 31)),
]


@pytest.fixture
def manager(db):
    return make_staff([Role.SAFEGUARDING_SERVICE_MANAGER], make_team("Safeguarding", TeamKind.IRO))


def _marked(manager, *, reference=REFERENCE, looked_after=False, **names) -> Child:
    """A child whose last event was Wed 2 Dec 2020, its review due Wed 2 Dec 2026, marked for
    disposal on Thu 3 Dec 2026."""
    child = make_child(reference=reference, date_of_birth=BORN, **names)
    record_event(child, EventType.STRATEGY_DISCUSSION, dt.date(2019, 3, 4))
    if looked_after:
        record_event(child, EventType.LAC_START, dt.date(2019, 3, 5))
    record_event(child, EventType.ICPC, dt.date(2019, 3, 18), outcome="plan")
    record_event(child, EventType.RCPC, dt.date(2020, 12, 2), outcome="end")
    flag_due(as_of=THURSDAY_3_DECEMBER_2026, years=6)
    review = RetentionReview.objects.get(child=child)
    decide(
        review,
        RetentionDecision.DISPOSE,
        reason=f"Past the schedule: the plan of {FIRST} {LAST} ended in 2020",
        on=THURSDAY_3_DECEMBER_2026,
        acting_user=manager.user,
    )
    return child


def _identifying_everywhere(child_words: list[str], born: dt.date) -> list[str]:
    """Every column of every model that still holds one of `child_words` (as text, JSON
    included) or the date of birth."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            rows = model._default_manager.all()
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                as_text = rows.annotate(_as_text=Cast(field.name, models.TextField()))
                for word in [*child_words, born.isoformat()]:
                    if as_text.filter(_as_text__icontains=word).exists():
                        found.append(f"{model._meta.label}.{field.name} holds {word!r}")
            elif (
                isinstance(field, models.DateField)
                and not isinstance(field, models.DateTimeField)
                and rows.filter(**{field.name: born}).exists()
            ):
                found.append(f"{model._meta.label}.{field.name} holds the date of birth")
    return found


def _counts() -> list[dict[str, tuple[object, object]]]:
    return [
        {f.key: (f.numerator, f.denominator) for f in figures(Scope(), period)}
        for period in PERIODS
    ]


@pytest.mark.django_db
def test_after_an_erasure_no_table_names_the_child_and_the_figures_still_count(
    manager, client, django_capture_on_commit_callbacks
):
    child = _marked(manager, first_name=FIRST, last_name=LAST, nhs_number=NHS)
    iro = make_staff([Role.IRO], make_team("IRO team", TeamKind.IRO))
    allocate(
        child, iro, Role.IRO, dt.date(2019, 3, 4), ends=dt.date(2021, 1, 4), reason=f"{FIRST} moved"
    )
    Event.objects.filter(child=child, type=EventType.ICPC).update(
        data={"outcome": "plan", "notes": f"{FIRST} spoke at {LAST} family's conference"}
    )
    record_event(
        child,
        EventType.ACTION_SET,
        dt.date(2019, 3, 18),
        text=f"{FIRST} {LAST} to see the school nurse",
        due="2019-04-01",
    )
    recompute_children([child.pk], as_of=dt.date(2020, 12, 31))
    meeting = make_meeting(
        child,
        date=dt.date(2019, 3, 18),
        outcome="plan",
        details={"participation": "attended", "views": f"{FIRST} wants to stay at school"},
        typed={"views": f"{FIRST} wants to stay at school"},
    )
    document = make_document(meeting, name=f"{LAST} minutes.txt", body=f"{FIRST} {LAST}".encode())
    make_concern(
        child, manager.user.staff, issue=f"{FIRST}'s plan drifts", raised_on=dt.date(2019, 6, 3)
    )
    make_complaint(child, complainant=f"Mrs {LAST}", summary=f"About {FIRST}")
    Message.objects.create(
        child=child,
        message_id="<erase-test@oversight.invalid>",
        to_email="isla.brightwell@council.invalid",
        subject=f"A concern about {REFERENCE}",
        body=f"{FIRST} {LAST}",
    )
    CarerReview.objects.create(
        carer=make_carer(),
        held_on=dt.date(2020, 3, 2),
        chaired_by=iro,
        continue_to_foster=True,
        household_appropriate=True,
        terms_appropriate=True,
        childrens_views=f"{FIRST} {LAST} (then placed here) was happy",
        created_at=timezone.now(),
    )
    record_change(
        child,
        action="child.registered",
        before=None,
        after={"first_name": FIRST, "last_name": LAST, "date_of_birth": BORN, "nhs": NHS},
        acting_user=manager.user,
    )
    client.force_login(manager.user)
    assert client.get("/children/", {"q": f"{FIRST} {LAST}"}).status_code == 200
    assert client.get(f"/children/{child.pk}/").status_code == 200
    words = [FIRST, LAST, REFERENCE, NHS]
    assert _identifying_everywhere(words, BORN)  # the walk finds them before
    before = _counts()
    rows_about = AuditEntry.objects.filter(child_id=child.pk).count()
    shown = ChildShown.objects.filter(child_id=child.pk).count()
    stored = document.file.name
    records_manager = make_staff([Role.ADMINISTRATOR]).user

    with django_capture_on_commit_callbacks(execute=True):
        done = erasure.erase(child, by=records_manager, today=THURSDAY_3_DECEMBER_2026)

    assert _identifying_everywhere(words, BORN) == []
    assert not default_storage.exists(stored)
    assert _counts() == before
    child.refresh_from_db()
    assert child.reference == done.pseudonym and done.pseudonym.startswith("ERASED-")
    assert child.date_of_birth == dt.date(2009, 1, 1)  # the year only
    assert child.events.count() == 4  # kept, as codes: dates, types, outcomes
    assert Event.objects.get(child=child, type=EventType.ICPC).data == {"outcome": "plan"}
    assert AuditEntry.objects.filter(child_id=child.pk).count() == rows_about + 1
    assert set(
        ChildShown.objects.filter(child_id=child.pk).values_list("child_reference", flat=True)
    ) == {done.pseudonym}
    assert ChildShown.objects.filter(child_id=child.pk).count() == shown
    erased = AuditEntry.objects.get(child_id=child.pk, what="child.erased")
    review = RetentionReview.objects.get(child=child)
    assert erased.user == records_manager
    assert erased.child_reference == done.pseudonym
    assert erased.after["retention_review"] == review.pk
    assert erased.after["erased_on"] == "2026-12-03"
    assert list(marked_for_disposal(manager.user)) == []  # awaiting the records manager no more


@pytest.mark.django_db
def test_a_record_not_marked_or_looked_after_and_under_75_is_refused_and_kept(manager):
    unmarked = make_child(reference="C-KEEP-1", first_name="Orla", last_name="Pennant")
    record_event(unmarked, EventType.STRATEGY_DISCUSSION, dt.date(2020, 1, 6))
    looked_after = _marked(manager, reference="C-LAC-1", looked_after=True, last_name="Tamsin")

    with pytest.raises(ValueError, match="no retention review has marked this record"):
        erasure.erase(unmarked, by=manager.user, today=THURSDAY_3_DECEMBER_2026)
    with pytest.raises(ValueError, match="75th birthday, 17 May 2084"):
        erasure.erase(looked_after, by=manager.user, today=THURSDAY_3_DECEMBER_2026)
    record_event(looked_after, EventType.LAC_END, dt.date(2026, 12, 1))
    assert "needs a new review" in erasure.refusal(looked_after, today=dt.date(2090, 1, 1))
    assert set(Child.objects.values_list("reference", flat=True)) == {"C-KEEP-1", "C-LAC-1"}
    assert not AuditEntry.objects.filter(what="child.erased").exists()


@pytest.mark.django_db
def test_the_command_is_a_dry_run_unless_confirmed_and_refuses_clearly(manager):
    child = _marked(manager, first_name=FIRST, last_name=LAST)
    out = StringIO()

    call_command(erasure.Command(), "--child", REFERENCE, stdout=out)

    assert "Would erase C-ZQ-4471 under retention review" in out.getvalue()
    assert "3  chronology events" in out.getvalue()
    assert "A dry run: nothing changed" in out.getvalue()
    child.refresh_from_db()
    assert (child.reference, child.first_name) == (REFERENCE, FIRST)
    with pytest.raises(CommandError, match="--by must name the records manager's active account"):
        call_command(erasure.Command(), "--child", REFERENCE, "--confirm", stdout=out)
    with pytest.raises(CommandError, match="no child has the reference 'C-NONE'"):
        call_command(erasure.Command(), "--child", "C-NONE", stdout=out)
    other = make_child(reference="C-OTHER")
    record_event(other, EventType.STRATEGY_DISCUSSION, dt.date(2026, 11, 2))
    with pytest.raises(CommandError, match="C-OTHER cannot be erased: no retention review"):
        call_command(erasure.Command(), "--child", "C-OTHER", stdout=out)
    assert not AuditEntry.objects.filter(what="child.erased").exists()


@pytest.mark.slow
def test_oversight_erase_is_the_command(tmp_path):
    """`oversight erase` reaches this command (a project command, like `oversight demo`)."""
    environ = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    environ["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    oversight = str(Path(sys.executable).parent / "oversight")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [oversight, *args], capture_output=True, text=True, env=environ, timeout=120
        )

    assert run("manage", "migrate", "-v0").returncode == 0
    refused = run("erase", "--child", "C-NONE")
    assert refused.returncode == 2
    assert "no child has the reference 'C-NONE'" in refused.stderr


def _keys_read(module: object) -> set[str]:
    """The string constants a module reads as `x.get("key")` or `x["key"]`."""
    import ast
    import inspect

    found: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):  # type: ignore[arg-type]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value))
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            found.add(str(node.slice.value))
    return found


def test_every_detail_of_an_event_is_either_kept_by_an_erasure_or_dropped_and_the_engine_keeps_what_it_reads():
    """A details key added to the events' contract (the import's columns, the API's body) must be
    put in `CODED_DETAILS` or `DROPPED_DETAILS` by whoever adds it; and every key the engine, its
    rules' `same` fields or the obligations' owners read is kept, so a record recomputed after an
    erasure keeps its obligations and their owners."""
    from oversight.api.children import EventDetailsIn
    from oversight.cases import obligations
    from oversight.interop.events import FIELDS
    from oversight.timescales import catalogue, engine

    contract = {key for fields in FIELDS.values() for key in fields} | set(
        EventDetailsIn.model_fields
    )
    assert not erasure.CODED_DETAILS & erasure.DROPPED_DETAILS
    assert contract - {"date", "time"} - erasure.CODED_DETAILS - erasure.DROPPED_DETAILS == set()
    same = {name for row in catalogue.BASELINE for name in row.same}
    read = (_keys_read(engine) | _keys_read(obligations) | same) & contract
    assert {"owner", "complaint", "stage", "accepted", "until_18"} <= read  # the scan sees them
    assert read - erasure.CODED_DETAILS == set()
