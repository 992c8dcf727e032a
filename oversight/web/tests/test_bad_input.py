"""Bad input is an error under its field, never a server error, and nothing is saved (issue 14,
bug 9), through HTTP as a browser or a program sends it:

- a control character (U+000B, U+0000) in any free-text field of every form page and API
  endpoint that takes free text;
- a partner agency or an action owner longer than its column;
- a `next=` that leaves the site; a dip sample month no date can be; the challenge meeting's
  Word document with a control character already stored.

That every form class and body schema refuses control characters and keeps to its columns'
lengths is `test_input_conventions`; here each page and endpoint answers a person."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest

from oversight.cases.models import AccessGrant, Allocation, Cover, Event
from oversight.cases.text import MESSAGE
from oversight.escalations import actions
from oversight.escalations.models import Concern, ConcernAction, Step
from oversight.escalations.tests.conftest import line, use_pack  # noqa: F401 - fixtures
from oversight.meetings.models import Meeting
from oversight.meetings.tests.conftest import freeze
from oversight.meetings.tests.test_other_meetings import (
    consultation_post,
    lac_child,  # noqa: F401 - a fixture
)

pytestmark = pytest.mark.django_db

VT, NUL = "\u000b", "\u0000"
mon_1_mar_2027 = dt.date(2027, 3, 1)
wed_3_mar_2027 = dt.date(2027, 3, 3)


@pytest.fixture
def england(line, use_pack):  # noqa: F811
    use_pack("england")
    return line


@pytest.fixture
def concern(england) -> Concern:
    c = england.council
    return actions.raise_concern(
        c.child, issue="Visits late", impact="Not seen", on=mon_1_mar_2027, acting_user=c.iro.user
    )


@pytest.fixture
def at_stage_1(concern, england) -> Concern:
    actions.issue_notice(concern, stage=1, on=wed_3_mar_2027, acting_user=england.council.iro.user)
    return concern


def changes(*querysets: Callable[[], Any]) -> Callable[[], tuple[int, ...]]:
    return lambda: tuple(q().count() for q in querysets)


def refused_on_page(got, field_id: str) -> None:
    assert got.status_code == 200, got.status_code
    text = got.content.decode()
    assert MESSAGE in text, "the error under the field"
    assert f'id="{field_id}-error"' in text or f'href="#{field_id}"' in text, field_id


# (who, url, the valid post, the free-text fields, what must not change). Each field in turn
# gets a control character.
def concern_forms(england, concern, at_stage_1):
    c = england.council
    pk = concern.pk
    steps = changes(lambda: Step.objects.all(), lambda: ConcernAction.objects.all())
    return [
        (c.iro, f"/children/{c.child.pk}/concerns/new/",
         {"ladder": "default", "issue": "Visits late", "impact": "Not seen",
          "partner_agency": "", "action_1_text": "Visit", "action_1_due": "4 1 2030",
          "copied_emails": ""},
         ["issue", "impact", "partner_agency", "partner_contact", "action_1_text"],
         changes(lambda: Concern.objects.all())),
        (c.team_manager, f"/concerns/{pk}/respond/",
         {"accepted": "no", "reasons": "The core group met", "plan_1_text": ""},
         ["reasons", "plan_1_text"], steps),
        (c.iro, f"/concerns/{pk}/notice/", {"stage": "2", "text": "Escalated"},
         ["text", "bypass_reason"], steps),
        (c.iro, f"/concerns/{pk}/extend/", {"respond_by": "1 4 2030", "reason": "Leave"},
         ["reason"], steps),
        (c.iro, f"/concerns/{pk}/resolve/", {"outcome": "Visits booked"}, ["outcome"], steps),
        (c.iro, f"/concerns/{pk}/referral/", {"kind": "legal_advice", "grounds": "Drift"},
         ["grounds"], steps),
    ]  # fmt: skip


@pytest.mark.parametrize("bad", [VT, NUL], ids=["vertical-tab", "nul"])
def test_every_concern_form_refuses_a_control_character(client, england, concern, at_stage_1, bad):
    for who, url, data, fields, count in concern_forms(england, concern, at_stage_1):
        client.force_login(who.user)
        for field in fields:
            before = count()
            got = client.post(url, {**data, field: f"Visits{bad} late"})
            refused_on_page(got, f"id_{field}")
            assert count() == before, f"{url} {field}: nothing saved"


def test_the_challenge_meeting_outcome_refuses_a_control_character(client, england, concern):
    c = england.council
    actions.set_agenda(concern, on_agenda=True, acting_user=c.iro.user)
    client.force_login(c.iro.user)
    got = client.post(f"/concerns/{concern.pk}/meeting-outcome/", {"outcome": f"Agreed{VT}to act"})
    refused_on_page(got, f"outcome-{concern.pk}")
    assert not concern.steps.filter(kind="meeting").exists()


def test_the_chronology_and_the_people_pages_refuse_a_control_character(client, england):
    c = england.council
    events = changes(lambda: Event.objects.all())
    client.force_login(c.iro.user)
    before = events()
    got = client.post(
        f"/children/{c.child.pk}/events/new/",
        {"type": "action_set", "date": "1 3 2026", "text": f"Visit{NUL}", "due": "4 3 2026"},
    )
    refused_on_page(got, "id_text")
    assert events() == before

    client.force_login(c.iro_team_manager.user)  # allocates, and arranges cover
    before_allocations = Allocation.objects.count()
    got = client.post(
        f"/allocation/{c.child.pk}/", {"iro": str(c.other_iro.pk), "reason": f"Annual{VT}leave"}
    )
    refused_on_page(got, "id_reason")
    assert Allocation.objects.count() == before_allocations
    got = client.post(
        "/allocation/cover/",
        {"absent": str(c.iro.pk), "covering": str(c.iro_team_manager.pk),
         "starts": "2030-01-07", "ends": "2030-01-11", "reason": f"Annual{VT}leave"},
    )  # fmt: skip
    refused_on_page(got, "id_reason")
    assert not Cover.objects.exists()

    client.force_login(c.iro.user)  # consulted about a child not theirs: break-glass
    got = client.post(
        "/open-record/",
        {"reference": c.other_child.reference, "purpose": "consultation", "reason": f"x{NUL}"},
    )
    refused_on_page(got, "id_reason")
    assert not AccessGrant.objects.exists()


def test_the_audit_search_refuses_a_control_character(client, england):
    client.force_login(england.council.administrator.user)  # reads the audit log
    got = client.get("/audit/", {"person": f"Isla{NUL}"})
    refused_on_page(got, "id_person")  # not PostgreSQL's refusal of U+0000, a server error


def test_a_meeting_record_and_its_draft_refuse_a_control_character(client, council, lac_child):  # noqa: F811
    child = lac_child
    url = f"/children/{child.pk}/meetings/consultation/new/"
    with freeze(mon_1_mar_2027):
        client.force_login(council.iro.user)
        got = client.post(url, consultation_post(advice=f"Manage{VT} through TAC"))
        refused_on_page(got, "id_advice")
        got = client.post(url, {**consultation_post(advice=f"Manage{NUL}"), "draft": "yes"})
        assert got.status_code == 200  # not saved as a draft: the form again, with the error
        assert MESSAGE in got.content.decode()
    assert not Meeting.objects.filter(child=child).exists()


def api(client: Any, url: str, body: Any) -> Any:
    """POST `body` as JSON, with the If-Match a step on a concern needs (else it is 428 before
    the body is read)."""
    from oversight.api.tests.steps import if_match

    return client.post(url, body, content_type="application/json", **if_match(client, url))


def test_every_api_endpoint_names_the_field_with_a_control_character(client, england, concern):
    c = england.council
    client.force_login(c.iro.user)
    before = Concern.objects.count()
    for field, body in [
        ("issue", {"issue": f"Visits{VT}"}),
        ("partner_agency", {"issue": "x", "partner_agency": f"Police{NUL}"}),
        ("actions", {"issue": "x", "actions": [{"text": f"Visit{VT}", "due": "2030-01-04"}]}),
    ]:
        got = api(client, f"/api/v1/children/{c.child.pk}/concerns", body)
        assert got.status_code == 422, (field, got.content)
        assert got.json()["errors"][0]["loc"][:2] == ["body", field]
        assert got.json()["errors"][0]["msg"] == MESSAGE
    assert Concern.objects.count() == before
    for url, body in [
        (f"/api/v1/concerns/{concern.pk}/notices", {"stage": 1, "text": f"x{VT}"}),
        (f"/api/v1/concerns/{concern.pk}/resolution", {"outcome": f"x{NUL}"}),
    ]:
        assert api(client, url, body).status_code == 422, url
    client.force_login(c.team_manager.user)
    got = api(
        client, f"/api/v1/concerns/{concern.pk}/responses", {"accepted": False, "reasons": VT}
    )
    assert got.status_code == 422
    concern.refresh_from_db()
    assert (concern.stage, concern.status) == (0, "open")
    assert list(concern.steps.values_list("kind", flat=True)) == ["raised"]


def test_a_partner_agency_or_action_owner_longer_than_its_column_is_refused(client, england):
    c = england.council
    client.force_login(c.iro.user)
    got = client.post(
        f"/children/{c.child.pk}/concerns/new/",
        {"ladder": "default", "issue": "Police not at the strategy meeting",
         "partner_agency": "P" * 101, "partner_contact": "Sgt Ola Brightwater",
         "partner_email": "ola.brightwater@police.invalid"},
    )  # fmt: skip
    assert got.status_code == 200
    assert "Ensure this value has at most 100 characters (it has 101)." in got.content.decode()
    got = api(
        client,
        f"/api/v1/children/{c.child.pk}/concerns",
        {"issue": "x", "actions": [{"text": "Visit", "due": "2030-01-04", "owner": "o" * 151}]},
    )
    assert got.status_code == 422
    assert got.json()["errors"][0]["loc"] == ["body", "actions", 0, "owner"]
    assert not Concern.objects.exists()


def test_a_next_that_leaves_the_site_is_not_followed(client, england, concern):
    client.force_login(england.council.iro.user)
    for away in ("https://phish.example/", "//phish.example/", "https:/\\phish.example"):
        got = client.post(f"/concerns/{concern.pk}/agenda/", {"on_agenda": "yes", "next": away})
        assert got.status_code == 302
        assert got["Location"] == "/concerns/challenge-meeting/", away
    got = client.post(
        f"/concerns/{concern.pk}/agenda/", {"on_agenda": "no", "next": f"/concerns/{concern.pk}/"}
    )
    assert got["Location"] == f"/concerns/{concern.pk}/"  # a page of the site: followed


def test_the_dip_sample_answers_a_month_no_date_can_be(client, council, settings):
    from oversight.cases.constants import Role
    from oversight.cases.factories import make_staff

    settings.OVERSIGHT_POLICY = "stockport"  # the council whose seed has a monthly dip sample

    leader = make_staff(
        [Role.SAFEGUARDING_SERVICE_MANAGER], None, first_name="Greta", last_name="Holloway",
        password=council.password,
    )  # fmt: skip
    client.force_login(leader.user)
    for month in ("0001-01", "9999-12"):
        got = client.get("/meetings/dip-sample/", {"month": month})
        assert got.status_code == 404, month  # "Page not found", not a server error
    assert client.get("/meetings/dip-sample/", {"month": "2027-03"}).status_code == 200


def test_the_challenge_meeting_document_holds_what_is_already_stored(client, england, concern):
    from docx import Document

    c = england.council
    Concern.objects.filter(pk=concern.pk).update(
        issue=f"Visits{VT}late\u0001", on_agenda=True
    )  # no U+0000: PostgreSQL stores none
    Step.objects.filter(concern=concern).update(text=f"Raised{VT}")
    client.force_login(c.iro.user)
    got = client.get("/concerns/challenge-meeting.docx")
    assert got.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(got.content)).paragraphs)
    assert "Issue: Visitslate" in text  # the control characters left out, the rest kept
