"""The children, events and obligations endpoints: the pages' access and rules, problem
details naming the field, cursor pages, ETags with If-Match, Idempotency-Key and the rate."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from oversight.api import tokens
from oversight.audit.models import AuditEntry
from oversight.cases.constants import Role
from oversight.cases.factories import allocate
from oversight.cases.models import Event, Obligation
from oversight.cases.obligations import recompute_all

pytestmark = pytest.mark.django_db

# Tuesday 29 December 2026, between Christmas and New Year's bank holidays.
TUE = dt.datetime(2026, 12, 29, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(TUE, tick=False):
        yield


def secret_for(council, staff, *, name="bridge", read_only=False) -> str:
    return tokens.issue(
        name=name,
        user=staff.user,
        read_only=read_only,
        expires_on=None,
        acting_user=council.administrator.user,
    ).secret


@pytest.fixture
def api(client, council):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret_for(council, council.iro)}"}

    class Api:
        def get(self, url, **headers):
            return client.get(f"/api/v1{url}", **auth, **headers)

        def send(self, method, url, body, **headers):
            return getattr(client, method)(
                f"/api/v1{url}", json.dumps(body), content_type="application/json", **auth,
                **headers,
            )  # fmt: skip

    return Api()


def test_a_visit_recorded_through_the_api_meets_the_visit_obligation(api, council, frozen):
    url = f"/children/{council.child.pk}/events"
    got = api.send("post", url, {"type": "cp_visit", "date": "2026-12-24"})
    assert got.status_code == 201, got.content
    event = Event.objects.get(pk=got.json()["id"])
    assert (event.type, event.date) == ("cp_visit", dt.date(2026, 12, 24))
    assert event.recorded_by == council.iro.user
    # the engine recomputed at once: a visit obligation met on Thursday 24 December
    met = Obligation.objects.filter(
        child=council.child, code="cp.visit", met_on=dt.date(2026, 12, 24)
    )
    assert met.exists()
    listed = api.get(f"/children/{council.child.pk}/obligations").json()["items"]
    assert any(o["code"] == "cp.visit" and o["met_on"] == "2026-12-24" for o in listed)


def test_the_event_forms_rules_refuse_the_same_bad_input(api, council, frozen):
    url = f"/children/{council.child.pk}/events"
    cases = [
        ({"type": "cp_visit", "date": "2026-12-30"}, "date", "today or in the past"),
        ({"type": "cp_visit", "date": "2025-08-01"}, "date", "start of the child protection plan"),
        ({"type": "cp_visit", "date": "2026-02-30"}, "date", "date"),
        ({"type": "icpc", "date": "2026-12-01"}, "type", "recorded on its own"),
        ({"type": "meeting_booked", "date": "2026-12-01"}, "meeting", "Choose the meeting"),
        ({"type": "action_set", "date": "2026-12-01", "text": "Visit",
          "due": "2026-11-30"}, "due", "on or after the date it was set"),
        ({"type": "action_set", "date": "2026-12-01", "text": "Visit", "due": "2026-12-04",
          "owner": council.other_iro.user.username}, "owner", "allocated to the child"),
        ({"type": "action_done", "date": "2026-12-01", "action": "a99"}, "action", "still open"),
        ({"type": "cp_visit\u000b", "date": "2026-12-01"}, "type", "control"),
    ]  # fmt: skip
    before = Event.objects.count()
    for body, field, words in cases:
        got = api.send("post", url, body)
        assert got.status_code == 422, (body, got.content)
        assert got["Content-Type"] == "application/problem+json"
        problem = got.json()
        assert problem["status"] == 422 and problem["title"]
        found = [e for e in problem["errors"] if e["loc"][:2] == ["body", field]]
        assert found, (body, problem)
        assert words.lower() in found[0]["msg"].lower(), (body, found)
    assert Event.objects.count() == before


def test_a_retried_create_with_the_same_key_makes_one_event(api, council, frozen):
    url = f"/children/{council.child.pk}/events"
    body = {"type": "cp_visit", "date": "2026-12-23"}
    first = api.send("post", url, body, HTTP_IDEMPOTENCY_KEY="visit-23-dec")
    again = api.send("post", url, body, HTTP_IDEMPOTENCY_KEY="visit-23-dec")
    assert first.status_code == again.status_code == 201
    assert again.json() == json.loads(first.content)
    assert again["Idempotent-Replayed"] == "true"
    assert council.child.events.filter(type="cp_visit", date=dt.date(2026, 12, 23)).count() == 1
    other = api.send(
        "post", url, {**body, "date": "2026-12-22"}, HTTP_IDEMPOTENCY_KEY="visit-23-dec"
    )
    assert other.status_code == 422
    assert council.child.events.filter(date=dt.date(2026, 12, 22)).count() == 0
    # without a key, two posts are two events
    api.send("post", url, {**body, "date": "2026-12-21"})
    api.send("post", url, {**body, "date": "2026-12-21"})
    assert council.child.events.filter(date=dt.date(2026, 12, 21)).count() == 2


def test_a_change_needs_the_current_etag(api, council, frozen):
    url = f"/children/{council.child.pk}/events"
    made = api.send("post", url, {"type": "cp_visit", "date": "2026-12-23"}).json()
    one = f"{url}/{made['id']}"
    tag = api.get(one)["ETag"]
    change = {"date": "2026-12-22", "reason": "Typed the wrong day"}
    assert api.send("patch", one, change).status_code == 428
    moved = api.send("patch", one, change, HTTP_IF_MATCH=tag)
    assert moved.status_code == 200, moved.content
    assert moved.json()["date"] == "2026-12-22"
    # a second system still holding the first version is refused, and changes nothing
    stale = api.send("patch", one, {"date": "2026-12-21", "reason": "x"}, HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    assert Event.objects.get(pk=made["id"]).date == dt.date(2026, 12, 22)
    assert api.get(one, HTTP_IF_NONE_MATCH=moved["ETag"]).status_code == 304
    gone = api.send("delete", one, {"reason": "Recorded twice"}, HTTP_IF_MATCH=moved["ETag"])
    assert gone.status_code == 204
    assert not Event.objects.filter(pk=made["id"]).exists()


def test_a_meeting_is_not_changed_as_a_plain_event(api, council, frozen):
    icpc = council.child.events.get(type="icpc")
    one = f"/children/{council.child.pk}/events/{icpc.pk}"
    tag = api.get(one)["ETag"]
    got = api.send("patch", one, {"date": "2025-09-18", "reason": "x"}, HTTP_IF_MATCH=tag)
    assert got.status_code == 409
    assert council.child.events.get(type="icpc").date == dt.date(2025, 9, 19)


def test_lists_come_in_cursor_pages_in_a_stable_order(api, council, frozen):
    url = f"/children/{council.child.pk}/events"
    ids = []
    cursor = None
    while True:
        got = api.get(url + "?limit=2" + (f"&cursor={cursor}" if cursor else "")).json()
        ids += [e["id"] for e in got["items"]]
        cursor = got["next"]
        if cursor is None:
            break
    assert ids == sorted(council.child.events.values_list("pk", flat=True))
    assert api.get(url + "?cursor=not-ours").status_code == 400
    assert api.get(url + "?limit=0").status_code == 400


def test_children_search_and_scope(api, council, frozen):
    found = api.get("/children?search=larkfield").json()["items"]
    assert [c["reference"] for c in found] == ["C1000001"]  # Alfie is nobody's here
    assert api.get("/children?search=9990000018").json()["items"][0]["reference"] == "C1000001"
    assert api.get("/children?search=oakridge").json()["items"] == []


def test_the_caseload_obligations_filter(api, council, frozen):
    recompute_all(as_of=TUE.date())
    got = api.get("/obligations?status=overdue").json()["items"]
    assert got and {o["child"] for o in got} == {council.child.pk}
    assert all(o["status"] == "overdue" for o in got)
    window = api.get("/obligations?due_from=2026-01-01&due_to=2026-12-31").json()["items"]
    assert all("2026-01-01" <= o["due"] <= "2026-12-31" for o in window)
    assert api.get("/obligations?status=late").status_code == 400
    assert api.get("/obligations?due_from=2026-12-31&due_to=2026-01-01").status_code == 400


def test_the_caseload_obligations_audit_names_each_child_on_the_page(api, council, frozen):
    recompute_all(as_of=TUE.date())
    got = api.get("/obligations?limit=1").json()["items"]
    assert [o["child"] for o in got] == [council.child.pk]
    entry = AuditEntry.objects.get(what="api.obligations.listed")
    assert entry.via == "API token: bridge"
    named = list(entry.children.values_list("child_id", "child_reference"))
    assert named == [(council.child.pk, "C1000001")]  # never Milo (C2000001), not the IRO's


def test_a_page_of_the_caseload_obligations_costs_the_same_few_queries_whatever_the_caseload(
    api, council, frozen
):
    """After the first call the caseload's children and the token are remembered (until who
    may see what changes): a page is one query, the page with each child's reference, and the
    audit row naming them; the caseload is never planned again with each page (issue 17's
    benchmark)."""
    recompute_all(as_of=TUE.date())
    assert api.get("/obligations?limit=2").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        got = api.get("/obligations?limit=2")
    assert got.status_code == 200 and len(got.json()["items"]) == 2
    asked = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert "cases_obligation" in asked[0] and "api_apitoken" not in asked[0], asked
    audit = asked[1:]  # the audit row, and its children's rows (one statement on PostgreSQL)
    assert len(audit) == (1 if connection.vendor == "postgresql" else 2), asked
    assert all("INSERT" in sql for sql in audit)


def test_the_remembered_caseload_follows_an_allocation(api, council, frozen):
    recompute_all(as_of=TUE.date())
    children = {o["child"] for o in api.get("/obligations?limit=200").json()["items"]}
    assert children == {council.child.pk}
    allocate(council.other_child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    recompute_all(as_of=TUE.date())
    children = {o["child"] for o in api.get("/obligations?limit=200").json()["items"]}
    assert children == {council.child.pk, council.other_child.pk}


def test_too_many_calls_get_429_with_retry_after(api, council, frozen):
    with override_settings(OVERSIGHT_API_RATE="3/m"):
        codes = [api.get("/policies").status_code for _ in range(4)]
        last = api.get("/policies")
    assert codes == [200, 200, 200, 429]
    assert last.status_code == 429 and int(last["Retry-After"]) > 0
    assert last.json()["status"] == 429


def test_the_rate_counts_each_minute_from_its_first_second(api, council):
    """A fixed window: the count of the minute that began at 10:00 is not the next minute's,
    and Retry-After is the seconds left of the minute (the counter is one number a call, never a
    list of every call's time that each call rewrites)."""
    with override_settings(OVERSIGHT_API_RATE="3/m"):
        with time_machine.travel(TUE + dt.timedelta(seconds=15), tick=False):
            assert [api.get("/policies").status_code for _ in range(4)] == [200, 200, 200, 429]
            assert api.get("/policies")["Retry-After"] == "45"
        with time_machine.travel(TUE + dt.timedelta(seconds=60), tick=False):
            assert api.get("/policies").status_code == 200


def test_the_policy_pack_is_readable(api, council, frozen):
    packs = api.get("/policies").json()
    assert packs["active"] in packs["packs"] and "walsall" in packs["packs"]
    walsall = api.get("/policies/walsall").json()
    assert walsall and api.get("/policies/nowhere").status_code == 404


def manager_api(client, council):
    secret = secret_for(council, council.iro_team_manager, name="allocations")

    def send(url, body):
        return client.post(
            f"/api/v1{url}", json.dumps(body), content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )  # fmt: skip

    return send


def test_a_child_is_registered_then_given_an_iro(client, council, frozen):
    send = manager_api(client, council)
    made = send(
        "/children",
        {"reference": "C4000001", "first_name": "Rosa", "last_name": "Thistlewood",
         "date_of_birth": "2020-02-29", "nhs_number": "9434765919"},
    )  # fmt: skip
    assert made.status_code == 201, made.content
    child = made.json()
    assert child["nhs_number"] == "9434765919"
    given = send(
        f"/children/{child['id']}/allocations",
        {"iro": council.iro.user.username, "reason": "New to the service"},
    )
    assert given.status_code == 201, given.content
    assert given.json()["starts"] == "2026-12-29"
    # the IRO now sees the child
    iro = {"HTTP_AUTHORIZATION": f"Bearer {secret_for(council, council.iro, name='iro')}"}
    assert client.get(f"/api/v1/children/{child['id']}", **iro).status_code == 200


def test_a_registration_is_refused_by_field(client, council, frozen):
    send = manager_api(client, council)
    got = send(
        "/children",
        {"reference": "C1000001", "last_name": "Thistlewood", "date_of_birth": "2026-12-30",
         "nhs_number": "9434765918"},
    )  # fmt: skip
    assert got.status_code == 422
    named = {e["loc"][1]: e["msg"] for e in got.json()["errors"]}
    assert named["reference"] == "A child with this reference is already held"
    assert "today or in the past" in named["date_of_birth"]
    assert "check digit" in named["nhs_number"]
    neither = send("/children", {"reference": "C4000002", "last_name": "Thistlewood"})
    assert neither.json()["errors"][0]["loc"] == ["body", "date_of_birth"]


def test_only_the_iro_service_managers_register_and_allocate(api, council, frozen):
    got = api.send("post", "/children", {"reference": "C4000003", "last_name": "Vale",
                                         "date_of_birth": "2019-01-01"})  # fmt: skip
    assert got.status_code == 403
    assert (
        api.send(
            "post",
            f"/children/{council.child.pk}/allocations",
            {"iro": council.other_iro.user.username, "reason": "x"},
        ).status_code
        == 403
    )


def test_a_placement_change_through_the_api_tells_the_iro_and_restarts_the_visits(
    api, council, frozen, settings
):
    settings.OVERSIGHT_POLICY = "camden"  # numbers.change_decision: 1 working day
    from oversight.cases.constants import EventType, Role
    from oversight.cases.factories import allocate, make_child, record_event
    from oversight.notifications.models import Message

    child = make_child(reference="C5000009", first_name="Rae", date_of_birth=dt.date(2014, 3, 3))
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    record_event(child, EventType.LAC_START, dt.date(2026, 12, 7))  # Mon
    url = f"/children/{child.pk}/events"
    placed = {"type": "placement_start", "date": "2026-12-07", "placement_type": "foster",
              "provider": "Oak Lane", "area": "in", "until_18": "yes", "distance": 4}  # fmt: skip
    assert api.send("post", url, placed).status_code == 201
    bad = api.send("post", url, {**placed, "type": "placement_change", "area": "elsewhere"})
    assert bad.status_code == 422
    assert [e["loc"][:2] for e in bad.json()["errors"]] == [["body", "area"]]
    moved = {**placed, "type": "placement_change", "date": "2026-12-24", "area": "out"}
    assert api.send("post", url, moved).status_code == 201
    assert Message.objects.get(recipient=council.iro).subject == (
        "Significant change for C5000009: decide on the review"
    )
    decide = Obligation.objects.get(child=child, code="action.due")
    # Thu 24 December + 1 working day, over Christmas Day and Boxing Day's substitute Mon 28th
    assert decide.due == dt.date(2026, 12, 29)
    visits = Obligation.objects.filter(child=child, code="lac.sw_visit").order_by("due")
    # the first placement's visit, Mon 14 December, overdue; the new one's Thu 31 December
    assert [(v.due, v.status) for v in visits] == [
        (dt.date(2026, 12, 14), "overdue"),
        (dt.date(2026, 12, 31), "pending"),
    ]


def test_care_proceedings_through_the_api_are_checked_as_the_form_checks_them(api, council, frozen):
    from oversight.cases.constants import EventType, Role
    from oversight.cases.factories import allocate, make_child, record_event

    child = make_child(reference="C5100009", first_name="Rae", date_of_birth=dt.date(2014, 3, 3))
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    record_event(child, EventType.LAC_START, dt.date(2026, 12, 7))  # Mon
    url = f"/children/{child.pk}/events"
    status = {"type": "legal_status", "date": "2026-12-07", "legal_status": "C9"}
    bad = api.send("post", url, status)
    assert bad.status_code == 422
    assert [e["loc"][:2] for e in bad.json()["errors"]] == [["body", "legal_status"]]
    assert api.send("post", url, {**status, "legal_status": "C1"}).status_code == 201
    begun = {"type": "proceedings_start", "date": "2026-12-08", "court": "Walsall"}
    assert api.send("post", url, begun).status_code == 201
    papers = {"type": "legal_papers_seen", "date": "2026-12-24", "papers": ["swet", "threshold"]}
    assert api.send("post", url, papers).status_code == 201
    # ended on Mon 7 December, the day before the proceedings began: refused on its date
    ended = {"type": "proceedings_end", "date": "2026-12-07", "outcome": "care_order"}
    early = api.send("post", url, ended)
    assert early.status_code == 422
    assert [e["loc"][:2] for e in early.json()["errors"]] == [["body", "date"]]
    stored = Event.objects.get(child=child, type="legal_papers_seen")
    assert stored.data == {"papers": ["swet", "threshold"]}


def test_a_care_plans_visits_and_a_court_application_through_the_api_are_the_forms(
    api, council, frozen
):
    from oversight.cases.constants import EventType, Role
    from oversight.cases.factories import allocate, make_child, record_event

    child = make_child(reference="C5100010", first_name="Kit", date_of_birth=dt.date(2013, 5, 5))
    allocate(child, council.iro, Role.IRO, dt.date(2026, 12, 1))
    record_event(child, EventType.LAC_START, dt.date(2026, 12, 7))  # Mon
    record_event(child, EventType.PLACEMENT_START, dt.date(2026, 12, 7), placement_type="foster")
    url = f"/children/{child.pk}/events"
    # every 2 months is less often than the first year's 6 weeks: refused on its field
    plan = {"type": "care_plan_visits", "date": "2026-12-07", "visit_interval": "2 months"}
    bad = api.send("post", url, plan)
    assert bad.status_code == 422
    assert [e["loc"][:2] for e in bad.json()["errors"]] == [["body", "visit_interval"]]
    assert api.send("post", url, {**plan, "visit_interval": "28 days"}).status_code == 201
    applied = {"type": "court_application", "date": "2026-12-08", "applicant": "parent"}
    wrong = api.send("post", url, applied)
    assert [e["loc"][:2] for e in wrong.json()["errors"]] == [
        ["body", "applicant"],
        ["body", "order"],
    ]
    fixed = {**applied, "applicant": "appropriate_adult", "order": "child_arrangements_order"}
    assert api.send("post", url, fixed).status_code == 201
    stored = Event.objects.get(child=child, type="court_application")
    assert stored.data == {"applicant": "appropriate_adult", "order": "child_arrangements_order"}
