"""My caseload's content and the child page's record are cached per viewer, filters, page, day and data version
(oversight.cache.page_cache): whatever changes what it shows or who may see it shows on the very
next request (issue 6, performance: correctness over speed)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oversight.audit.models import AuditEntry
from oversight.cases import actions
from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.models import Allocation, Child, Cover, Flag
from oversight.cases.obligations import recompute_all, recompute_child
from oversight.escalations.factories import make_concern

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 1, 20)
START = dt.date(2026, 1, 5)


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def on_plan(child: Child) -> None:
    record_event(child, EventType.ICPC, dt.date(2027, 1, 5), outcome="plan")
    recompute_child(child, as_of=TODAY)


def page(client, **params: str) -> str:
    response = client.get("/caseload/", {"mine": "0", "status": "all", **params})
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_view_reuses_the_content_and_runs_fewer_queries(client, council, frozen):
    recompute_all(as_of=TODAY)
    client.force_login(council.iro.user)
    first = page(client)
    with CaptureQueriesContext(connection) as again:
        second = page(client)
    main = 'id="main-content">'
    assert second.split(main)[1] == first.split(main)[1]  # the shell's CSRF token differs
    content = [
        q["sql"]
        for q in again
        if not any(t in q["sql"] for t in ("audit_", "SAVEPOINT", "notifications_message"))
    ]  # besides the view's audit row (naming its children) and the menu's unread count
    assert len(content) <= 4, content  # session, user, staff; nothing of the content


def test_a_recorded_event_shows_at_once(client, council, frozen):
    recompute_all(as_of=TODAY)
    client.force_login(council.iro.user)
    before = page(client)
    actions.record_event(
        council.child,
        type=EventType.STRATEGY_DISCUSSION,
        date=TODAY,
        data={},
        acting_user=council.iro.user,
        as_of=TODAY,
    )
    assert page(client) != before


def test_a_new_allocation_shows_at_once_and_an_ended_one_goes(client, council, frozen):
    newcomer = make_child(first_name="Zebedee", last_name="Newcomer")
    on_plan(newcomer)
    client.force_login(council.iro.user)
    assert "Newcomer" not in page(client)
    allocation = allocate(newcomer, council.iro, Role.IRO, START)
    assert "Newcomer" in page(client)
    allocation.ends = TODAY - dt.timedelta(days=1)
    allocation.save()
    assert "Newcomer" not in page(client)
    Allocation.objects.filter(pk=allocation.pk).delete()
    assert "Newcomer" not in page(client)


def test_cover_shows_the_absent_iros_children_at_once(client, council, frozen):
    theirs = make_child(first_name="Yolanda", last_name="Covered")
    allocate(theirs, council.other_iro, Role.IRO, START)
    on_plan(theirs)
    client.force_login(council.iro.user)
    assert "Covered" not in page(client)
    Cover.objects.create(
        absent=council.other_iro,
        covering=council.iro,
        starts=TODAY,
        ends=TODAY + dt.timedelta(days=7),
        reason="leave",
        granted_by=council.iro_team_manager.user,
        granted_at=timezone.now(),
    )
    assert "Covered" in page(client)


def test_a_restricted_child_goes_at_once_and_a_renamed_one_is_renamed(client, council, frozen):
    child = make_child(first_name="Xavier", last_name="Shown")
    allocate(child, council.team_manager, Role.TEAM_MANAGER, START)
    allocate(child, council.social_worker, Role.SOCIAL_WORKER, START)
    on_plan(child)
    client.force_login(council.team_manager.user)
    assert "Shown" in page(client)
    child.last_name = "Renamed"
    child.save()
    assert "Renamed" in page(client)
    child.restricted = True
    child.save()
    assert "Renamed" not in page(client)


def test_each_viewer_and_each_filter_has_its_own_content(client, council, frozen):
    recompute_all(as_of=TODAY)
    client.force_login(council.iro.user)
    mine = page(client)
    client.force_login(council.other_iro.user)
    assert page(client) != mine
    assert page(client, status="met") != page(client, status="overdue")


# The child page: cached per viewer, child, access, filter, day and data version; the access
# check, the audit row, "who has seen this record" and the CSRF token on every view.


def child_page(client, child: Child, status: int = 200, **params: str) -> str:
    response = client.get(f"/children/{child.pk}/", params)
    assert response.status_code == status
    return response.content.decode()


def record(html: str) -> str:
    """The cached part of the child page: from the main content to "who has seen this record"."""
    return html.split('id="main-content">')[1].split('id="seen-by"')[0]


def token_of(browser: Client, path: str) -> str:
    html = browser.get(path).content.decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None, "the page has no sign-out form"
    return found[1]


@pytest.mark.parametrize(
    "page_of",
    [lambda c: f"/children/{c.child.pk}/", lambda c: "/caseload/"],
    ids=["child page", "My caseload"],
)
def test_a_remembered_page_carries_each_browsers_own_csrf_token(council, frozen, page_of):
    """The IRO on two computers: the second gets the page (the child's, My caseload) remembered
    for the first, yet its sign-out form carries a token for its own CSRF cookie, not the first
    one's."""
    path = page_of(council)
    office, home = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    office.force_login(council.iro.user)
    home.force_login(council.iro.user)
    office_token = token_of(office, path)
    home_token = token_of(home, path)  # the remembered page
    assert home.post("/sign-out/", {"csrfmiddlewaretoken": office_token}).status_code == 403
    assert home.post("/sign-out/", {"csrfmiddlewaretoken": home_token}).status_code == 302
    assert home.get(path).status_code == 302  # signed out
    assert office.post("/sign-out/", {"csrfmiddlewaretoken": office_token}).status_code == 302


def test_a_second_view_of_a_child_reuses_the_record_and_still_audits_it(client, council, frozen):
    recompute_all(as_of=TODAY)
    client.force_login(council.iro.user)
    views = AuditEntry.objects.filter(child_id=council.child.pk, action=AuditEntry.Action.VIEW)
    first = child_page(client, council.child)
    assert views.count() == 1
    with CaptureQueriesContext(connection) as again:
        second = child_page(client, council.child)
    assert views.count() == 2  # exactly one audit row per view, cached or not
    assert record(second) == record(first)
    # session, user, the child and access, the audit row and the viewer's count (in one
    # transaction: its savepoints, inside the test's, are not queries), who has seen it
    run = [
        q["sql"]
        for q in again.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert len(run) <= 6, run
    assert "Isla Brightwell" in second.split('id="seen-by"')[1]
    assert ">2<" in second.split('id="seen-by"')[1]  # the second view counted at once


def test_a_recorded_event_shows_on_the_childs_next_view(client, council, frozen):
    recompute_all(as_of=TODAY)
    client.force_login(council.iro.user)
    before = council.child.events.count()
    assert f"All events ({before})" in record(child_page(client, council.child))
    actions.record_event(
        council.child,
        type=EventType.STRATEGY_DISCUSSION,
        date=TODAY,
        data={},
        acting_user=council.iro.user,
        as_of=TODAY,
    )
    assert f"All events ({before + 1})" in record(child_page(client, council.child))


def test_the_chronology_filter_has_its_own_content(client, council, frozen):
    record_event(council.child, EventType.STRATEGY_DISCUSSION, dt.date(2027, 1, 4))
    on_plan(council.child)
    client.force_login(council.iro.user)
    everything = record(child_page(client, council.child))
    only = record(child_page(client, council.child, type=EventType.STRATEGY_DISCUSSION))
    assert only != everything
    assert record(child_page(client, council.child)) == everything


def test_an_allocation_change_shows_on_the_childs_next_view(client, council, frozen):
    client.force_login(council.iro.user)
    assert "Owen Carrow" not in record(child_page(client, council.child))
    allocation = allocate(council.child, council.other_iro, Role.IRO, START)
    assert "Owen Carrow" in record(child_page(client, council.child)).split('id="plan"')[0]
    allocation.ends = TODAY - dt.timedelta(days=1)
    allocation.save()
    current = record(child_page(client, council.child)).split("Earlier allocations")[0]
    assert "Owen Carrow" not in current


def test_a_flag_and_a_concern_show_on_the_childs_next_view(client, council, frozen):
    client.force_login(council.iro.user)
    assert "Support and Challenge Panel" not in child_page(client, council.child)
    Flag.objects.create(
        child=council.child, code="cp.support_challenge_panel", reason="second plan", as_of=TODAY
    )
    assert "Support and Challenge Panel: Second plan" in child_page(client, council.child)
    assert 'aria-label="Concerns"' not in child_page(client, council.child)
    make_concern(council.child, council.iro)
    assert 'aria-label="Concerns"' in child_page(client, council.child)


def test_a_restricted_child_is_refused_on_its_next_view_and_shown_to_the_named(
    client, council, frozen
):
    client.force_login(council.iro.user)
    child_page(client, council.child)
    council.child.restricted = True
    council.child.save()
    child_page(client, council.child, status=404)
    council.child.named_staff.add(council.iro)
    assert "Poppy" in record(child_page(client, council.child))


def test_viewers_with_different_edit_rights_get_their_own_content(client, council, frozen):
    client.force_login(council.iro.user)  # allocated: may record events
    editable = child_page(client, council.child)
    assert "Record an event" in editable
    client.force_login(council.auditor.user)  # reads everything, changes nothing
    read_only = child_page(client, council.child)
    assert "Record an event" not in read_only
    assert "Raise a concern" not in read_only
    client.force_login(council.iro.user)
    assert "Record an event" in child_page(client, council.child)
