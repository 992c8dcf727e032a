"""The escalation pages through HTTP: raise, the record, respond, notice, the open list and the
challenge meeting pack (page and Word document)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from oversight.audit.models import AuditEntry
from oversight.escalations import actions
from oversight.escalations.models import Concern

pytestmark = pytest.mark.django_db


@pytest.fixture
def england(line, use_pack):
    use_pack("england")
    return line


def test_it_raises_a_concern_from_the_child_page(client, england):
    c = england.council
    client.force_login(c.iro.user)
    page = client.get(f"/children/{c.child.pk}/")
    assert f"/children/{c.child.pk}/concerns/new/" in page.text
    form = client.get(f"/children/{c.child.pk}/concerns/new/")
    assert "Informal resolution" in form.text
    got = client.post(
        f"/children/{c.child.pk}/concerns/new/",
        {"ladder": "default", "issue": "Visits late", "impact": "Not seen", "themes": ["visits"],
         "action_1_text": "Visit Poppy", "action_1_due": "4 1 2030"},
    )  # fmt: skip
    concern = Concern.objects.get()
    assert got.status_code == 302
    assert got["Location"] == f"/concerns/{concern.pk}/"
    record = client.get(got["Location"])
    assert "Visits late" in record.text
    assert "Sami Fairholm" in record.text  # told at the informal stage
    assert concern.actions.get().due == dt.date(2030, 1, 4)


def test_it_offers_the_childs_overdue_obligations(client, england):
    from oversight.cases.models import Obligation
    from oversight.cases.obligations import recompute_child

    c = england.council
    recompute_child(c.child, as_of=dt.date(2027, 3, 1))  # the 2025-26 chronology is long overdue
    overdue = Obligation.objects.filter(child=c.child, status="overdue").earliest("due")
    client.force_login(c.iro.user)
    form = client.get(f"/children/{c.child.pk}/concerns/new/?obligation={overdue.pk}")
    assert "Raised from an overdue obligation" in form.text
    assert "not met." in form.text  # the issue starts from the obligation


def test_it_shows_the_ladders_refusal_on_the_form(client, england):
    c = england.council
    client.force_login(c.iro.user)
    got = client.post(f"/children/{c.child.pk}/concerns/new/", {"ladder": "default", "issue": "x"})
    assert got.status_code == 200
    assert "Say what the impact is on the child" in got.text
    assert not Concern.objects.exists()


def test_it_refuses_the_raise_page_to_a_social_worker(client, england):
    c = england.council
    client.force_login(c.social_worker.user)
    assert client.get(f"/children/{c.child.pk}/concerns/new/").status_code == 403


def test_it_lets_the_team_manager_respond_and_the_chair_issue_stage_one(client, england):
    c = england.council
    concern = actions.raise_concern(c.child, issue="x", impact="y", acting_user=c.iro.user)
    client.force_login(c.team_manager.user)
    got = client.post(f"/concerns/{concern.pk}/respond/", {"accepted": "no", "reasons": "Disagree"})
    assert got.status_code == 302
    client.force_login(c.iro.user)
    got = client.post(f"/concerns/{concern.pk}/notice/", {"stage": "1"})
    assert got.status_code == 302, got.text
    concern.refresh_from_db()
    assert concern.stage == 1
    record = client.get(f"/concerns/{concern.pk}/")
    assert "Not accepted" in record.text or "not accepted" in record.text


def test_it_refuses_the_respond_page_to_the_chair(client, england):
    c = england.council
    concern = actions.raise_concern(c.child, issue="x", impact="y", acting_user=c.iro.user)
    client.force_login(c.iro.user)
    assert client.get(f"/concerns/{concern.pk}/respond/").status_code == 403


def test_it_lists_open_concerns_for_the_safeguarding_service_manager(client, england):
    c = england.council
    actions.raise_concern(c.child, issue="x", impact="y", themes=["visits"], acting_user=c.iro.user)
    client.force_login(england.safeguarding_service_manager.user)
    page = client.get("/concerns/?theme=visits")
    assert "1 open concern," in page.text
    assert "Poppy Larkfield" in page.text
    assert "Social work team 1" in page.text
    assert "0 open concerns" in client.get("/concerns/?theme=health").text


def test_it_builds_the_challenge_meeting_pack_as_a_page_and_a_word_document(client, line, use_pack):
    from docx import Document

    use_pack("leicestershire")
    c = line.council
    at_three = actions.raise_concern(c.child, issue="Drift", impact="Delay", acting_user=c.iro.user)
    actions.issue_notice(at_three, stage=3, bypass_reason="Serious", acting_user=c.iro.user)
    client.force_login(c.iro.user)
    page = client.get("/concerns/challenge-meeting/")
    assert "Drift" in page.text
    assert "Outcome of the meeting" in page.text
    before = AuditEntry.objects.count()
    got = client.get("/concerns/challenge-meeting.docx")
    assert got["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(got.content)).paragraphs)
    assert "Poppy Larkfield (C1000001)" in text
    assert AuditEntry.objects.count() == before + 1  # the export
    got = client.post(f"/concerns/{at_three.pk}/meeting-outcome/", {"outcome": "AD to review"})
    assert got.status_code == 302
    assert at_three.steps.filter(kind="meeting", text="AD to review").exists()


def test_it_prompts_the_chair_to_escalate_or_extend_when_no_response_came(client, england):
    c = england.council
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", on=dt.date(2026, 3, 2), acting_user=c.iro.user
    )  # Mon 2 March 2026: the informal response was due Mon 9 March 2026, long past
    client.force_login(c.iro.user)
    page = client.get(f"/concerns/{concern.pk}/")
    assert "No response by Monday 9 March 2026: escalate or extend." in page.text


def test_it_answers_403_when_the_action_refuses_who_is_acting(client, england):
    c = england.council
    concern = actions.raise_concern(c.child, issue="x", impact="y", acting_user=c.iro.user)
    client.force_login(c.social_worker.user)
    # the notice page is not offered, and a notice posted anyway is refused by the action
    assert client.get(f"/concerns/{concern.pk}/notice/").status_code == 403
    assert client.post(f"/concerns/{concern.pk}/notice/", {"stage": "1"}).status_code == 403
    assert client.post(f"/concerns/{concern.pk}/warn/").status_code == 403
    assert client.post(f"/concerns/{concern.pk}/agenda/", {"on_agenda": "yes"}).status_code == 403
    got = client.post(f"/concerns/{concern.pk}/meeting-outcome/", {"outcome": "Agreed"})
    assert got.status_code == 403
    concern.refresh_from_db()
    assert (concern.stage, concern.on_agenda) == (0, False)  # nothing changed
    assert not concern.steps.exclude(kind="raised").exists()


def test_it_offers_no_form_for_a_resolved_concern(client, england):
    c = england.council
    concern = actions.raise_concern(c.child, issue="x", impact="y", acting_user=c.iro.user)
    actions.resolve(concern, outcome="Agreed", acting_user=c.iro.user)
    client.force_login(c.iro.user)
    assert client.get(f"/concerns/{concern.pk}/extend/").status_code == 403
    client.force_login(c.team_manager.user)
    assert client.get(f"/concerns/{concern.pk}/respond/").status_code == 403


def test_at_the_top_stage_no_notice_is_offered_nor_its_empty_form(client, england):
    c = england.council
    concern = actions.raise_concern(
        c.child, issue="x", impact="y", on=dt.date(2026, 11, 2), acting_user=c.iro.user
    )  # Mon 2 Nov 2026, then a notice at each of England's four stages
    for stage, day in enumerate((11, 18, 25, 30), start=1):
        actions.issue_notice(
            concern, stage=stage, on=dt.date(2026, 11, day), acting_user=c.iro.user
        )
    client.force_login(c.iro.user)
    record = client.get(f"/concerns/{concern.pk}/")
    assert f"/concerns/{concern.pk}/notice/" not in record.text
    assert f"/concerns/{concern.pk}/resolve/" in record.text
    form = client.get(f"/concerns/{concern.pk}/notice/")
    assert form.status_code == 403  # not a form with an empty list of stages
    assert "This field is required" not in form.text
