"""For each watched model (`oversight.cache.watched`), a change through its action (or, where it
has none, its ordinary save) shows on the viewer's very next request, though the page was
remembered a moment before (issue 12). A completeness test fails when a model is watched without
a case here. A fixed clock: Wednesday 20 January 2027, 09:00."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from oversight.cache import watched
from oversight.cases import actions, allocations
from oversight.cases.access import open_record
from oversight.cases.constants import EventType, Role
from oversight.cases.models import Flag, SiblingGroup, StaffRole, Team
from oversight.cases.sessions import sign_out_everywhere
from oversight.escalations.factories import make_concern
from oversight.meetings.constants import Kind
from oversight.meetings.constants import Status as MeetingStatus
from oversight.meetings.models import Document, Meeting

pytestmark = pytest.mark.django_db

WEDNESDAY_20_JANUARY_2027 = dt.date(2027, 1, 20)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def remembered_part(client: Client, path: str) -> str:
    """The page as the signed-in viewer gets it ("" when refused), without "who has seen this
    record" (read afresh on every view, so no test of memory)."""
    response = client.get(path)
    html = response.content.decode() if response.status_code == 200 else ""
    return html.split('id="seen-by"')[0]


def child_page(council: Any) -> str:
    return f"/children/{council.child.pk}/"


def user(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    def rename() -> None:
        council.iro.user.first_name = "Isadora"
        council.iro.user.save()

    client.force_login(council.iro.user)
    return child_page(council), "Isadora Brightwell", rename


def access_grant(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    client.force_login(council.other_iro.user)  # another team's IRO: refused until it opens

    def open_it() -> None:
        open_record(
            council.child.reference,
            purpose="consultation",
            reason="Consulted on a new referral",
            acting_user=council.other_iro.user,
        )

    return child_page(council), "Poppy", open_it


def allocation(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    def reallocate() -> None:
        allocations.allocate_iro(
            council.child,
            iro=council.other_iro,
            reason="Caseload balance",
            acting_user=council.iro_team_manager.user,
        )

    client.force_login(council.other_iro.user)  # refused until the child is theirs
    return child_page(council), "Poppy", reallocate


def child(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    def rename() -> None:
        council.child.first_name = "Primrose"
        council.child.save()

    client.force_login(council.iro.user)
    return child_page(council), "Primrose", rename


def api_token(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    """The API tokens page lists a token made a moment before (the remembered token an API call
    reads, revoked and refused at once, is `oversight/api/tests/test_tokens.py`'s)."""
    from oversight.api import tokens

    def issue() -> None:
        tokens.issue(
            name="Warehouse nightly", user=council.iro.user, read_only=True, expires_on=None,
            acting_user=council.administrator.user,
        )  # fmt: skip

    client.force_login(council.administrator.user)
    return "/api-tokens/", "Warehouse nightly", issue


def cover(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    def give() -> None:
        allocations.give_cover(
            council.iro,
            covering=council.other_iro,
            starts=WEDNESDAY_20_JANUARY_2027,
            ends=dt.date(2027, 1, 22),  # Friday
            reason="Annual leave",
            acting_user=council.iro_team_manager.user,
        )

    client.force_login(council.other_iro.user)
    return child_page(council), "Poppy", give


def duty_rota(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    def on_duty() -> None:
        allocations.set_duty_iro(
            WEDNESDAY_20_JANUARY_2027,
            staff=council.duty_iro,
            acting_user=council.iro_team_manager.user,
        )

    client.force_login(council.duty_iro.user)  # the navigation offers "Open a record" on duty
    return "/caseload/", "Open a record", on_duty


def event(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    count = council.child.events.count()

    def record() -> None:
        actions.record_event(
            council.child,
            type=EventType.STRATEGY_DISCUSSION,
            date=WEDNESDAY_20_JANUARY_2027,
            data={},
            acting_user=council.iro.user,
            as_of=WEDNESDAY_20_JANUARY_2027,
        )

    client.force_login(council.iro.user)
    return child_page(council), f"All events ({count + 1})", record


def flag(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    def raise_flag() -> None:
        Flag.objects.create(
            child=council.child,
            code="cp.support_challenge_panel",
            reason="second plan",
            as_of=WEDNESDAY_20_JANUARY_2027,
        )

    client.force_login(council.iro.user)
    return child_page(council), "Support and Challenge Panel: Second plan", raise_flag


def sibling_group(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    def rename() -> None:
        group = SiblingGroup.objects.get(pk=council.child.sibling_group_id)
        group.reference = "SG-LARKFIELD"
        group.save()

    client.force_login(council.iro.user)
    return child_page(council), "SG-LARKFIELD", rename


def staff_member(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    def move() -> None:
        council.iro.team = Team.objects.get(name="IRO team B")
        council.iro.save()

    client.force_login(council.iro.user)
    return child_page(council), "IRO team B", move


def staff_role(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    def promote() -> None:  # the IRO team manager sees every child
        StaffRole.objects.create(staff=council.other_iro, role=Role.IRO_TEAM_MANAGER)

    client.force_login(council.other_iro.user)
    return child_page(council), "Poppy", promote


def team(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    def rename() -> None:
        found = Team.objects.get(pk=council.iro.team_id)
        found.name = "Reviewing officers north"
        found.save()

    client.force_login(council.iro.user)
    return child_page(council), "Reviewing officers north", rename


def sign_out(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    def sign_out() -> None:
        sign_out_everywhere(council.iro.user)

    client.force_login(council.iro.user)  # signed in: the sign-in page sends them on
    return "/sign-in/", "Sign in to Oversight", sign_out


def concern(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    def raise_it() -> None:
        make_concern(council.child, council.iro)

    client.force_login(council.iro.user)
    return child_page(council), 'aria-label="Concerns"', raise_it


def complaint(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    from oversight.complaints.factories import make_complaint

    def record() -> None:
        make_complaint(council.child)

    client.force_login(council.iro.user)
    return child_page(council), 'aria-label="Complaints"', record


def step(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    from oversight.cases.factories import record_event
    from oversight.escalations.constants import StepKind
    from oversight.escalations.models import Step

    begun = record_event(
        council.child, EventType.PROCEEDINGS_START, WEDNESDAY_20_JANUARY_2027, court="Walsall"
    )
    concern = make_concern(council.child, council.iro)

    def refer() -> None:
        Step.objects.create(
            concern=concern,
            kind=StepKind.CAFCASS,
            on=WEDNESDAY_20_JANUARY_2027,
            text="Drift in the plan for permanence",
            data={"proceedings": begun.pk},
            created_at=timezone.now(),
        )

    client.force_login(council.iro.user)
    return child_page(council), "Drift in the plan for permanence", refer  # proceedings tab


def named_staff(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    council.child.restricted = True
    council.child.save()
    client.force_login(council.iro.user)  # allocated, but the record is restricted
    return child_page(council), "Poppy", lambda: council.child.named_staff.add(council.iro)


def meeting(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    def record() -> None:
        Meeting.objects.create(
            child=council.child,
            kind=Kind.IRO_VISIT,
            status=MeetingStatus.COMPLETED,
            date=WEDNESDAY_20_JANUARY_2027,
            created_at=timezone.now(),
        )

    client.force_login(council.iro.user)
    return child_page(council), "IRO visit between reviews", record  # the meetings tab


def document(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    visit = Meeting.objects.create(
        child=council.child,
        kind=Kind.IRO_VISIT,
        status=MeetingStatus.COMPLETED,
        date=WEDNESDAY_20_JANUARY_2027,
        created_at=timezone.now(),
    )

    def attach() -> None:
        Document.objects.create(
            meeting=visit,
            type=Document.Type.MINUTES,
            name="visit-notes-poppy.pdf",
            file="meetings/2027/01/visit-notes-poppy.pdf",
            size=10,
            content_type="application/pdf",
            uploaded_at=timezone.now(),
        )

    client.force_login(council.iro.user)
    return child_page(council), "visit-notes-poppy.pdf", attach  # the documents tab


def message(client: Client, council: Any) -> tuple[str, str, Callable[[], None]]:
    from oversight.notifications.actions import queue_message

    def tell() -> None:
        queue_message(to=council.iro, subject="A response arrived", body="", child=council.child)

    client.force_login(council.iro.user)
    return "/caseload/", '1<span class="govuk-visually-hidden"> unread', tell  # the menu's count


CHANGES: dict[str, Callable[[Client, Any], tuple[str, str, Callable[[], None]]]] = {
    settings.AUTH_USER_MODEL: user,
    "api.ApiToken": api_token,
    "cases.AccessGrant": access_grant,
    "cases.Allocation": allocation,
    "cases.Child": child,
    "cases.Cover": cover,
    "cases.DutyRota": duty_rota,
    "cases.Event": event,
    "cases.Flag": flag,
    "cases.SiblingGroup": sibling_group,
    "cases.SignOut": sign_out,
    "cases.StaffMember": staff_member,
    "cases.StaffRole": staff_role,
    "cases.Team": team,
    "escalations.Concern": concern,
    "complaints.Complaint": complaint,
    "escalations.Step": step,
    "meetings.Meeting": meeting,
    "meetings.Document": document,
    "notifications.Message": message,
    "cases.Child.named_staff": named_staff,
}


def test_every_watched_model_has_a_case_here():
    assert set(CHANGES) == {*watched.WATCHED, *watched.WATCHED_MANY_TO_MANY}


@pytest.mark.parametrize("label", list(CHANGES))
def test_a_change_shows_on_the_next_request(client, council, label):
    path, shows, change = CHANGES[label](client, council)
    assert shows not in remembered_part(client, path)  # not yet
    assert shows not in remembered_part(client, path)  # and now from memory
    change()
    assert shows in remembered_part(client, path)  # the very next request shows it
