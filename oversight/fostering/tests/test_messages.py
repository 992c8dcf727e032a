"""Each step of a concern about a carer household emails whoever must act next (through the
outbox: a link and the household's reference, never the concern), and `oversight reminders`
reminds of a stage's response two working days before it is due and on the first working day
after, once each however often it runs.

The Ashdown household is supervised by Sami Fairholm, whose line manager Tara Elsworth is the
fostering team manager (stage 1), hers Sol Quarry the service lead (stage 2); Hana Rooke is the
one head of service council-wide (stage 3). A concern raised Wed 23 December 2026 is to be
answered at stage 1 by Mon 4 January 2027 (Christmas Day, Boxing Day's substitute Mon 28 December
and New Year's Day skipped): reminded Wed 30 December, two working days before, and overdue Tue 5
January."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from oversight.cases.constants import Role
from oversight.cases.factories import make_staff
from oversight.fostering import actions, ladder
from oversight.fostering.factories import make_carer
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db

WEDNESDAY_23_DECEMBER_2026 = dt.date(2026, 12, 23)
ISSUE = "The household's smoke alarms were not working"


@pytest.fixture
def household(council, use_pack):
    use_pack("manchester")
    service_lead = make_staff(
        [Role.SERVICE_MANAGER], first_name="Sol", last_name="Quarry", username="sol.quarry"
    )
    council.team_manager.line_manager = service_lead
    council.team_manager.save()
    make_staff([Role.HEAD_OF_SERVICE], first_name="Hana", last_name="Rooke", username="hana.rooke")
    return make_carer(supervising_social_worker=council.social_worker)


def sent() -> list[tuple[str, str]]:
    return [(m.to_email.split("@")[0], m.subject) for m in Message.objects.order_by("pk")]


def _raise(carer, iro):
    return actions.raise_concern(
        carer,
        issue=ISSUE,
        on=WEDNESDAY_23_DECEMBER_2026,
        acting_user=iro.user,
        as_of=WEDNESDAY_23_DECEMBER_2026,
    )


def test_each_stage_is_answered_up_the_supervising_social_workers_line(
    council, corporate_iro, household
):
    assert [str(s) for s in ladder.answerers(household, 1)] == ["Tara Elsworth"]
    assert [str(s) for s in ladder.answerers(household, 2)] == ["Sol Quarry"]
    assert [str(s) for s in ladder.answerers(household, 3)] == ["Hana Rooke"]  # council-wide
    household.supervising_social_worker = None  # none recorded: the one team manager there is
    assert [str(s) for s in ladder.answerers(household, 1)] == ["Tara Elsworth"]


def test_each_step_tells_whoever_acts_next_without_the_concern(council, corporate_iro, household):
    iro = corporate_iro.user
    concern = _raise(household, corporate_iro)
    assert sent() == [
        ("tara.elsworth", "Concern about carers FC1001: stage 1 response due Mon 4 Jan 2027")
    ]
    message = Message.objects.get()
    assert "smoke" not in message.body.lower()
    assert f"/fostering/concerns/{concern.pk}/" in message.body
    assert "Monday 4 January 2027" in message.body
    assert message.child_id is None

    Message.objects.all().delete()
    actions.record_response(
        concern, on=dt.date(2026, 12, 24), response="Not accepted", acting_user=council.team_manager.user,
        as_of=dt.date(2026, 12, 24),
    )  # fmt: skip
    assert sent() == [("cora.lindqvist", "Concern about carers FC1001: stage 1 answered")]

    Message.objects.all().delete()
    actions.escalate(
        concern, on=dt.date(2026, 12, 29), reason="No plan", acting_user=iro,
        as_of=dt.date(2026, 12, 29),
    )  # fmt: skip
    # Reached Tue 29 December: Wed 30, Thu 31, Mon 4, Tue 5, Wed 6 January.
    assert sent() == [
        ("sol.quarry", "Concern about carers FC1001: stage 2 response due Wed 6 Jan 2027")
    ]

    Message.objects.all().delete()
    actions.resolve(
        concern, on=dt.date(2026, 12, 30), resolution="Alarms fitted", acting_user=iro,
        as_of=dt.date(2026, 12, 30),
    )  # fmt: skip
    assert sent() == [("sol.quarry", "Concern about carers FC1001: resolved")]


def test_the_answerer_opens_the_link_and_records_the_response(
    client, council, corporate_iro, household, time_machine
):
    time_machine.move_to(dt.datetime(2026, 12, 24, 10, tzinfo=dt.UTC), tick=False)
    concern = _raise(household, corporate_iro)
    url = f"/fostering/concerns/{concern.pk}/"
    client.force_login(council.team_manager.user)
    page = client.get(url).text
    assert "Record the response" in page
    assert "Record the resolution" not in page  # the corporate IRO's
    assert client.get(f"/fostering/{household.pk}/").status_code == 404  # no more of the carers
    assert client.get(url + "resolve/").status_code == 200  # the form, but refused if posted
    answered = client.post(url + "respond/", {"on": "24 12 2026", "response": "A visit today"})
    assert answered.status_code == 302
    client.force_login(council.social_worker.user)  # not the answerer
    assert client.get(url).status_code == 404


def test_a_refused_step_sends_nothing(council, corporate_iro, household):
    concern = _raise(household, corporate_iro)
    Message.objects.all().delete()
    with pytest.raises(Exception):  # noqa: B017 - a ValidationError naming "reason"
        actions.escalate(
            concern, on=dt.date(2026, 12, 24), reason=" ", acting_user=corporate_iro.user,
            as_of=dt.date(2026, 12, 24),
        )  # fmt: skip
    assert sent() == []


def run(day: dt.date) -> None:
    with time_machine.travel(dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC), tick=False):
        call_command("reminders", stdout=io.StringIO())


def reminders() -> list[tuple[str, str]]:
    return [s for s in sent() if "Reminder" in s[1] or "Overdue" in s[1]]


def test_reminders_of_a_stage_response_come_once_each(council, corporate_iro, household):
    concern = _raise(household, corporate_iro)
    run(dt.date(2026, 12, 29))  # three working days before: nothing yet
    assert reminders() == []
    run(dt.date(2026, 12, 30))
    run(dt.date(2026, 12, 30))  # again the same day: nothing twice
    run(dt.date(2026, 12, 31))  # the working day before: nothing
    before = "Reminder: response due Mon 4 Jan 2027: concern about carers FC1001"
    assert reminders() == [("tara.elsworth", before), ("cora.lindqvist", before)]
    body = Message.objects.filter(subject=before)[0].body
    assert "smoke" not in body.lower()
    assert f"/fostering/concerns/{concern.pk}/" in body
    run(dt.date(2027, 1, 4))  # the due day itself: nothing
    run(dt.date(2027, 1, 5))
    run(dt.date(2027, 1, 5))
    overdue = "Overdue: response was due Mon 4 Jan 2027: concern about carers FC1001"
    assert reminders()[2:] == [("tara.elsworth", overdue), ("cora.lindqvist", overdue)]


def test_an_answered_or_resolved_concern_is_not_reminded(council, corporate_iro, household):
    answered = _raise(household, corporate_iro)
    actions.record_response(
        answered, on=dt.date(2026, 12, 24), response="A plan", acting_user=corporate_iro.user,
        as_of=dt.date(2026, 12, 24),
    )  # fmt: skip
    resolved = _raise(make_carer(reference="FC1002"), corporate_iro)
    actions.resolve(
        resolved, on=dt.date(2026, 12, 24), resolution="Fixed", acting_user=corporate_iro.user,
        as_of=dt.date(2026, 12, 24),
    )  # fmt: skip
    run(dt.date(2026, 12, 30))
    run(dt.date(2027, 1, 5))
    assert reminders() == []
