"""The demo council's open concerns get escalation records (`adopt_demo_concerns`, run by
`oversight demo`), so /concerns/, the challenge meeting pack and the record pages work on it."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from oversight.cases.models import Event
from oversight.demo import Command
from oversight.escalations.demo import adopt_demo_concerns
from oversight.escalations.models import Concern, Notice, Step

pytestmark = pytest.mark.django_db

AS_OF = "2026-11-23"


def open_on_events() -> dict[tuple[int, str], int]:
    """(child, concern id) → its highest notice stage, for every concern not resolved."""
    stage: dict[tuple[int, str], int] = {}
    resolved = set()
    for child_id, type_, data in Event.objects.order_by("child_id", "date", "id").values_list(
        "child_id", "type", "data"
    ):
        key = (child_id, (data or {}).get("concern", ""))
        if type_ == "concern_raised":
            stage[key] = 0
        elif type_ == "escalation_notice":
            stage[key] = data["stage"]
        elif type_ == "concern_resolved":
            resolved.add(key)
    return {key: s for key, s in stage.items() if key not in resolved}


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command(Command(), "--children", "300", "--seed", "1", "--as-of", AS_OF, stdout=out)
    return out.getvalue()


def test_each_open_concern_of_the_demo_gets_its_record_at_its_stage(demo):
    expected = open_on_events()
    assert len(expected) >= 10
    adopted = {(c.child_id, c.engine_key): c.stage for c in Concern.objects.all()}
    assert adopted == expected
    assert f"Escalation records for {len(expected):,} open concerns." in demo
    assert set(Concern.objects.values_list("status", flat=True)) == {"open"}
    # every notice, and a history line for every event of the concern
    for concern in Concern.objects.all():
        events = Event.objects.filter(child_id=concern.child_id, data__concern=concern.engine_key)
        assert concern.steps.count() == events.count()
        assert concern.notices.count() == events.filter(type="escalation_notice").count()
        assert concern.themes.count() == 1


def test_adopting_again_makes_nothing_new(demo):
    before = (Concern.objects.count(), Notice.objects.count(), Step.objects.count())
    assert adopt_demo_concerns() == 0
    assert (Concern.objects.count(), Notice.objects.count(), Step.objects.count()) == before


def test_the_next_concern_gets_the_next_id(demo):
    top = Concern.objects.order_by("-pk").first()
    assert top is not None
    made = Concern.objects.create(
        child_id=top.child_id, ladder="default", raised_on=top.raised_on,
        raised_by=top.raised_by, issue="x", created_at=top.created_at,
    )  # fmt: skip
    assert made.pk == top.pk + 1
    assert made.engine_id == f"concern-{made.pk}"


def test_the_demo_concerns_show_on_the_list_and_their_record(client, demo):
    call_command("nightly", "--as-of", AS_OF, stdout=StringIO())
    concern = Concern.objects.filter(stage__gte=1).order_by("pk").first()
    assert concern is not None
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)):
        client.force_login(concern.raised_by.user)
        record = client.get(f"/concerns/{concern.pk}/")
        assert record.status_code == 200
        assert record.context["deadlines"], "the engine's esc.* deadlines of its events"
        assert "Notice issued (Stage 1: Team manager)" in record.text
        from oversight.cases.constants import Role
        from oversight.cases.models import StaffMember

        manager = StaffMember.objects.filter(
            role_set__role=Role.SAFEGUARDING_SERVICE_MANAGER
        ).first()
        assert manager is not None
        client.force_login(manager.user)
        listed = client.get("/concerns/")
    assert listed.status_code == 200
    assert len(listed.context["concerns"]) == Concern.objects.count()


def test_the_reminders_run_covers_the_demo_concerns(demo):
    from oversight.cases.models import Obligation
    from oversight.escalations.reminders import send_reminders
    from oversight.notifications.models import Message
    from oversight.policies import resolve_policy
    from oversight.policies.checks import active_policy
    from oversight.timescales.dates import due_date

    call_command("nightly", "--as-of", AS_OF, stdout=StringIO())
    row = (
        Obligation.objects.filter(code="esc.stage.response")
        .exclude(status="met")
        .order_by("due", "pk")
        .first()
    )
    assert row is not None
    concern = Concern.objects.get(child_id=row.child_id, engine_key=row.trigger["concern"])
    day = due_date("1 working day", row.due, resolve_policy(active_policy()))
    assert send_reminders(today=day) > 0
    assert Message.objects.filter(
        child_id=concern.child_id, subject__startswith="Overdue:"
    ).exists()


def test_it_adopts_a_concern_on_the_ladder_its_events_name(line, use_pack):
    from oversight.cases.factories import record_event

    use_pack("walsall")
    c = line.council
    # Mon 2027-03-01: Poppy is on a plan, so the chairs' protocol, not the pack's default (iro)
    record_event(
        c.child, "concern_raised", dt.date(2027, 3, 1), recorded_by=c.iro.user, concern="c1",
        ladder="cp",
    )  # fmt: skip
    assert adopt_demo_concerns() == 1
    assert Concern.objects.get().ladder == "cp"
