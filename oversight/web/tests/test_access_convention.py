"""Convention: every URL pattern that takes a child's (or another protected object's) id refuses
the outsider with 404, logging the refusal, and writes exactly one audit row for each successful
view; every page without an id that shows a child writes one row naming each child it shows
(whichever persona asks); and no page
rendered here, with an id or without, shows template syntax (a `{# #}` comment over several
lines is not a comment to Django: it reaches the page as text) or holds inline script or style,
which the Content-Security-Policy refuses (the page would break). And each role's menu is its row
of the table in `docs/access.md` (who sees what, as information governance decided it): the
table people read and the code say the same thing.

The patterns are discovered from the URL resolver, so a new page without a check fails here.
A pattern with an id this file does not know how to build fails too: teach `ids` below."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Max
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from oversight.audit.actions import record_child_view
from oversight.audit.models import AuditEntry, ChildShown
from oversight.cases.constants import EventType, Role
from oversight.cases.factories import make_child, make_staff, record_event
from oversight.cases.obligations import recompute_child

pytestmark = pytest.mark.django_db

PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
SKIPPED_PREFIXES = ("admin/",)  # Django's admin: configuration, its own permission checks
PERSONAS = [
    "iro",
    "other_iro",
    "duty_iro",
    "social_worker",
    "other_social_worker",
    "team_manager",
    "iro_team_manager",
    "auditor",
    "administrator",
]


def routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


# Path parameters that name nothing protected: a policy pack's name (`api/v1/policies/<name>`: the
# rules every deadline is computed from, the same for everyone signed in, no child's); a report's
# name (`api/v1/reports/<report>`: a document's figures, each over the caller's own children).
PUBLIC_PARAMS = {"name", "report"}
API = "/api/v1/"  # the JSON API: its errors are problem details, never a page


def protected(route: str) -> bool:
    return any(m["name"] not in PUBLIC_PARAMS for m in PARAM.finditer(route))


def protected_routes() -> list[str]:
    return sorted(r for r in routes() if protected(r) and not r.startswith(SKIPPED_PREFIXES))


# The foster carers' pages: a household's, not a child's record (the children placed with it are
# named on them, a restricted child only to its named people: oversight/fostering/tests), shown
# under a pack with a ladder for concerns about carers, as Manchester's.
CARER_PAGES = "fostering/"


def child_routes() -> list[str]:
    """The protected routes that show a child's record (a restricted one: the notice)."""
    return [r for r in protected_routes() if not r.startswith(CARER_PAGES)]


def pack_for(route: str, settings: Any) -> None:
    if route.startswith(CARER_PAGES):
        settings.OVERSIGHT_POLICY = "manchester"


def ids(council) -> dict[str, int | str]:
    """A value for each id name a protected URL may take, all belonging to `council.child`
    (an API token: the child's IRO's; a policy pack: the one in force here)."""
    from oversight.api import tokens

    event = record_event(council.child, EventType.CP_VISIT, council.child.events.first().date)
    from oversight.complaints.factories import make_complaint
    from oversight.escalations.factories import make_concern
    from oversight.escalations.models import Notice
    from oversight.fostering.factories import make_carer, make_carer_concern
    from oversight.meetings.factories import make_diary_entry, make_document, make_meeting

    meeting = make_meeting(council.child)
    # The child placed with the carers: their pages name it.
    carer = make_carer()
    record_event(
        council.child,
        EventType.PLACEMENT_START,
        council.child.events.first().date,
        provider=carer.reference,
    )
    concern = make_concern(council.child, council.iro)
    notice = Notice.objects.create(
        concern=concern, stage=1, issued_on=concern.raised_on, issued_by=council.iro
    )
    return {
        "child_id": council.child.pk,
        "event_id": event.pk,
        "meeting_id": meeting.pk,
        "document_id": make_document(meeting).pk,
        "concern_id": concern.pk,
        "complaint_id": make_complaint(council.child).pk,
        "carer_id": carer.pk,
        "carer_concern_id": make_carer_concern(carer, council.iro).pk,
        "notice_id": notice.pk,
        "entry_id": make_diary_entry(council.child, booking=meeting).pk,
        "token_id": tokens.issue(
            name="The IRO's calendar",
            user=council.iro.user,
            read_only=False,
            expires_on=None,
            acting_user=council.administrator.user,
        ).token.pk,
        "name": "england",
        "report": "dashboard",
    }


def plain_routes() -> list[str]:
    """Every page without an id in its path (My caseload, the children, the concerns, ...)."""
    return sorted(r for r in routes() if not PARAM.search(r) and not r.startswith(SKIPPED_PREFIXES))


def assert_no_template_syntax(response: Any, what: str) -> None:
    """A page as rendered holds no `{#` or `{%`: every comment and tag was Django's to consume."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    text = response.content.decode()
    for syntax in ("{#", "{%"):
        assert syntax not in text, f"{what}: {text[max(0, text.index(syntax) - 80) :][:240]!r}"


# Script or style written into the page, which `SECURE_CSP` (no 'unsafe-inline') refuses to run
# (a script element of JSON data is data, never run).
INLINE = re.compile(
    r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>"
    r"|<style\b|\sstyle=\"|\son[a-z]+=\"|javascript:",
    re.IGNORECASE,
)


def assert_no_inline_code(response: Any, what: str) -> None:
    """A page holds no inline script (a `<script>` without `src`), event handler, `javascript:`
    link, `<style>` element or `style` attribute."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    found = INLINE.search(response.content.decode())
    assert found is None, f"{what}: inline {found[0]!r}" if found else what


def url_for(route: str, values: dict[str, int | str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in values:
            pytest.fail(f"{route}: teach test_access_convention.ids how to build {name!r}")
        return str(values[name])

    return "/" + PARAM.sub(fill, route)


def test_it_finds_the_child_pages():
    found = protected_routes()
    assert "children/<int:child_id>/" in found
    assert "allocation/<int:child_id>/" in found


@pytest.mark.parametrize("route", protected_routes())
def test_it_refuses_the_outsider_with_404(client, council, route, settings):
    pack_for(route, settings)
    url = url_for(route, ids(council))
    api = url.startswith(API)
    client.force_login(council.other_social_worker.user)  # holds another child only
    answers = [client.get(url), client.post(url, {})]
    got, posted = (a.status_code for a in answers)
    assert got in (404, 405), f"GET {url}: {got}"
    # A page looks for the child whatever the method; the API answers a method its path does not
    # take with 405 before any child is looked for (a problem, nothing of the child).
    assert posted == 404 or (api and posted == 405), f"POST {url}: {posted}"
    if api:  # the API's refusals are problem details, saying nothing of the child
        for answer in answers:
            assert answer["Content-Type"].startswith("application/problem+json"), url
            assert council.child.reference not in answer.text, url
            assert council.child.first_name not in answer.text, url
    # Nothing of the child was shown; each refusal is on the log as refused, naming the child.
    about_the_child = AuditEntry.objects.filter(child_id=council.child.pk)
    assert not about_the_child.exclude(action=AuditEntry.Action.REFUSED).exists()
    refused = about_the_child.filter(user=council.other_social_worker.user).count()
    not_found = [got, posted].count(404)
    # A page refused to this persona before any child is looked for (the allocation pages, for
    # allocators only) has no child to name; any other names it once per request refused with
    # 404, and so does every API endpoint that takes a child.
    if api:
        assert refused == not_found, f"{url}: one row per refused request"
    else:
        assert refused in (0, not_found), f"{url}: one row per refused request"


@pytest.mark.parametrize("route", protected_routes())
def test_it_writes_one_audit_row_per_successful_view(client, council, route, settings):
    pack_for(route, settings)
    url = url_for(route, ids(council))
    successes = []
    for persona in PERSONAS:
        client.force_login(getattr(council, persona).user)
        before = AuditEntry.objects.count()
        response = client.get(url)
        if response.status_code == 200:
            successes.append(persona)
            assert AuditEntry.objects.count() == before + 1, f"{persona} GET {url}"
        assert_no_template_syntax(response, f"{persona} GET {url}")
        assert_no_inline_code(response, f"{persona} GET {url}")
    if client.get(url).status_code != 405:
        assert successes, f"nobody may open {url}"


@pytest.mark.parametrize("route", child_routes())
def test_it_shows_a_manager_only_that_a_restricted_record_exists(client, council, route):
    url = url_for(route, ids(council))
    child = council.child
    child.restricted = True
    child.restricted_contact = council.iro_team_manager
    child.save()
    noticed = []
    for persona in ["team_manager", "iro_team_manager"]:  # Tara manages Sami; Wren: IRO service
        client.force_login(getattr(council, persona).user)
        before = AuditEntry.objects.count()
        response = client.get(url)
        if url.startswith(API) and response.status_code != 405:
            # The API never shows the restricted notice: 404 as for no such child (a problem,
            # nothing of the child), and the refusal is on the log naming the child.
            noticed.append(persona)
            assert response.status_code == 404, f"{persona} GET {url}"
            assert response["Content-Type"].startswith("application/problem+json"), url
            assert child.reference not in response.text and "Poppy" not in response.text
            assert AuditEntry.objects.count() == before + 1, f"{persona} GET {url}: not audited"
            latest = AuditEntry.objects.latest("id")
            assert (latest.action, latest.child_id) == (AuditEntry.Action.REFUSED, child.pk)
            continue
        if response.status_code in (404, 405):  # a page this manager may not use at all
            assert AuditEntry.objects.count() == before
            continue
        noticed.append(persona)
        assert response.status_code == 403, f"{persona} GET {url}"
        assert "This record is restricted" in response.text
        assert_no_template_syntax(response, f"{persona} GET {url}")
        assert "Poppy" not in response.text
        assert AuditEntry.objects.count() == before + 1
        assert AuditEntry.objects.latest("id").action == "restricted"
    if client.get(url).status_code != 405:
        assert noticed, url


def test_it_finds_the_pages_without_an_id():
    found = plain_routes()
    assert "" in found  # My caseload
    assert "children/" in found


def shown_on_every_list(council) -> None:
    """Something about `council.child` on every page that lists children: an obligation (My
    caseload, the team view, the children), a concern on the challenge meeting's agenda (the
    concerns, the challenge meeting), a child waiting for an IRO (the allocation page), audit
    entries (the audit page)."""
    from oversight.escalations.factories import make_concern

    concern = make_concern(council.child, council.iro)
    concern.on_agenda = True
    concern.save()
    thursday_26_november_2026 = dt.date(2026, 11, 26)  # an ICPC due within 15 working days
    record_event(council.child, EventType.STRATEGY_DISCUSSION, thursday_26_november_2026)
    waiting = make_child(reference="C3000001", first_name="Wynn", last_name="Tallow")
    record_event(waiting, EventType.STRATEGY_DISCUSSION, thursday_26_november_2026)
    for child in (council.child, waiting):
        recompute_child(child, as_of=thursday_26_november_2026)
    request = RequestFactory().get("/")
    request.user = council.iro.user
    record_child_view(request, council.child)


def names_of(child) -> tuple[str, ...]:
    return (child.reference, f"{child.first_name} {child.last_name}")


# The pages that list children: each must show one to some persona here, or the check below
# would pass without looking.
LISTS = {
    "caseload/",
    "team/",
    "children/",
    "concerns/",
    "concerns/challenge-meeting/",
    "audit/",
    "allocation/",
}


@pytest.mark.parametrize("route", plain_routes())
def test_a_page_without_an_id_that_shows_a_child_names_it_on_the_log(
    client, council, route, time_machine
):
    from oversight.cases.models import Child

    time_machine.move_to(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC), tick=False)  # a Thursday
    shown_on_every_list(council)
    children = list(Child.objects.all())
    showed = False
    for persona in PERSONAS:
        user = getattr(council, persona).user
        client.force_login(user)
        before = AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0
        response = client.get("/" + route)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        written = AuditEntry.objects.filter(id__gt=before, user=user)
        logged = set(written.values_list("child_id", flat=True)) | set(
            ChildShown.objects.filter(entry__in=written).values_list("child_id", flat=True)
        )
        for child in children:
            if any(name in response.text for name in names_of(child)):
                showed = True
                assert child.pk in logged, f"{persona} GET /{route} shows {child.reference}"
    assert showed or route not in LISTS, f"nobody was shown a child on /{route}"


@pytest.mark.parametrize("route", plain_routes())
def test_no_page_without_an_id_shows_template_syntax(client, council, route):
    for persona in PERSONAS:
        client.force_login(getattr(council, persona).user)
        response = client.get("/" + route)
        assert_no_template_syntax(response, f"{persona} GET /{route}")
        assert_no_inline_code(response, f"{persona} GET /{route}")


def test_it_sees_template_syntax_left_on_a_page():
    from django.http import HttpResponse

    leaked = HttpResponse("<p>{# The page is rendered once per viewer,\n   ... #}</p>")
    with pytest.raises(AssertionError, match="The page is rendered once"):
        assert_no_template_syntax(leaked, "GET /children/1/")
    assert_no_template_syntax(HttpResponse("<p>Poppy Larkfield</p>"), "GET /children/1/")


ACCESS_TABLE = Path(__file__).resolve().parents[3] / "docs" / "access.md"


def menus() -> dict[str, list[str]]:
    """Each role's menu as `docs/access.md` lists it (role label -> items, notes in brackets
    left out)."""
    found: dict[str, list[str]] = {}
    for line in ACCESS_TABLE.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] in Role.labels:
            found[cells[0]] = [re.sub(r"\s*\(.*?\)", "", item) for item in cells[3].split(", ")]
    return found


# Inside a menu link, what is not the item's name: the Inbox's unread count (`app-count`, with
# its visually hidden " unread"), which varies with the person's messages.
NOT_THE_NAME = {"app-count", "govuk-visually-hidden"}


class _Menu(HTMLParser):
    """The name of each link of the page's menu (`<nav aria-label="Menu">`): its text, less any
    count or visually hidden part (so "Inbox 3 unread" is "Inbox")."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []
        self._in_menu = self._in_link = False
        self._left_out: list[str] = []  # the open elements inside a link whose text is left out

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "nav" and ("aria-label", "Menu") in attrs:
            self._in_menu = True
        if self._in_menu and tag == "a":
            self._in_link = True
            self.items.append("")
        classes = set((dict(attrs).get("class") or "").split())
        if self._in_link and (self._left_out or classes & NOT_THE_NAME):
            self._left_out.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._left_out and self._left_out[-1] == tag:
            self._left_out.pop()
        self._in_menu = self._in_menu and tag != "nav"
        self._in_link = self._in_link and tag != "a"

    def handle_data(self, data: str) -> None:
        if self._in_link and not self._left_out:
            self.items[-1] += data.strip()


def menu_of(html: str) -> list[str]:
    parser = _Menu()
    parser.feed(html)
    return parser.items


def test_a_menu_item_is_named_without_its_unread_count():
    # The Inbox link as base.html writes it with `views_inbox.unread_badge`'s count.
    counted = (
        '<nav aria-label="Menu"><ul><li><a href="/inbox/">Inbox'
        ' <strong class="govuk-tag govuk-tag--red app-count">3'
        '<span class="govuk-visually-hidden"> unread</span></strong></a></li>'
        '<li><a href="/messages/">Messages</a></li></ul></nav>'
    )
    assert menu_of(counted) == ["Inbox", "Messages"]


def person_with(role: Role, password: str) -> Any:
    """A member of staff holding `role` alone (the duty IRO on today's rota), under a pack with
    a dip sample, as the table's menus assume."""
    from django.utils import timezone

    from oversight.cases.models import DutyRota

    staff = make_staff([role], password=password)
    if role == Role.DUTY_IRO:
        DutyRota.objects.create(date=timezone.localdate(), staff=staff)
    return staff


def test_the_access_table_has_a_row_for_every_role():
    assert sorted(menus()) == sorted(Role.labels)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_roles_menu_is_its_row_of_the_access_table(client, council, settings, role):
    settings.OVERSIGHT_POLICY = "stockport"  # a pack with a dip sample
    client.force_login(person_with(role, council.password).user)
    landed = client.get("/", follow=True)
    assert landed.status_code == 200
    expected = menus()[role.label]
    assert menu_of(landed.text) == expected
    # The first page: My caseload, else the children, else the audit log; no empty caseload.
    pages = {
        "My caseload": "/caseload/",
        "Children": "/children/",
        "Foster carers": "/fostering/",
        "Audit log": "/audit/",
    }
    first = next(url for item, url in pages.items() if item in expected)
    assert landed.request["PATH_INFO"] == first
    if "My caseload" not in expected:
        assert client.get("/caseload/")["Location"] == first


def test_the_auditor_reads_every_record_with_the_notice_on_every_page(client, council):
    from oversight.escalations.factories import make_concern

    concern = make_concern(council.child, council.iro)
    client.force_login(council.auditor.user)
    for url in [
        "/children/",
        f"/children/{council.child.pk}/",
        f"/children/{council.other_child.pk}/",
        f"/concerns/{concern.pk}/",
        "/concerns/",
        "/audit/",
    ]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert 'id="record-access"' in page.text, url
        assert "You cannot change it" in page.text or "change none" in page.text, url
    assert client.get(f"/children/{council.child.pk}/events/new/").status_code == 403


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<p style="color: red">',
        "<style>p {}</style>",
        '<a href="#" onclick="go()">',
        '<a href="javascript:go()">',
    ],
)
def test_it_sees_inline_code_on_a_page(html):
    from django.http import HttpResponse

    with pytest.raises(AssertionError, match="inline"):
        assert_no_inline_code(HttpResponse(html), "GET /children/1/")
    assert_no_inline_code(HttpResponse('<script src="/static/web/init.js"></script>'), "GET /")
