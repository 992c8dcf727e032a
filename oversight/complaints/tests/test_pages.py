"""The complaints log through its pages: recorded from a conference's record, on the chair's
caseload with the pack's dates, acknowledged and answered; seen only by those who may see the
child, each view audited naming the child; bad input refused on the form with nothing saved;
a child's complaint a reason to escalate where the pack says so.

Today is Wed 13 January 2027. A complaint received Wed 23 December 2026 is to be acknowledged by
Wed 30 December and answered by Mon 11 January (Christmas Day, Boxing Day's substitute Mon 28
December and New Year's Day skipped)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from oversight.audit.models import AuditEntry, ChildShown
from oversight.complaints.models import Complaint
from oversight.escalations.models import Concern
from oversight.meetings.constants import Kind
from oversight.meetings.factories import make_meeting

pytestmark = pytest.mark.django_db

WED_13_JANUARY_2027 = dt.datetime(2027, 1, 13, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(WED_13_JANUARY_2027, tick=False):
        yield


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))


def post_complaint(client, child, **overrides):
    data = {
        "complainant": "Jo Larkfield",
        "complainant_is": "parent",
        "received_on": "23 12 2026",
        "summary": "The chair did not let me speak at the conference",
        **overrides,
    }
    return client.post(f"/children/{child.pk}/complaints/new/", data)


def test_a_complaint_about_a_conference_goes_on_its_chairs_caseload_with_camdens_dates(
    client, line, use_pack
):
    use_pack("camden")
    c = line.council
    conference = make_meeting(c.child, kind=Kind.RCPC, date=dt.date(2026, 12, 17), chair=c.iro)
    client.force_login(c.iro.user)
    record = client.get(f"/children/{c.child.pk}/meetings/{conference.pk}/")
    assert f"/children/{c.child.pk}/complaints/new/?meeting={conference.pk}" in record.text
    got = post_complaint(client, c.child, meeting=str(conference.pk))
    complaint = Complaint.objects.get()
    assert got.status_code == 302 and got["Location"] == f"/complaints/{complaint.pk}/"
    assert complaint.chair == c.iro and complaint.meeting == conference
    page = text_of(client.get(got["Location"]))
    assert "Review child protection conference" in page
    assert "Wed 30 Dec 2026 Overdue" in page  # acknowledge by: 3 working days
    assert "Mon 11 Jan 2027 Overdue" in page  # answer by: 10 working days
    listed = client.get("/caseload/")
    caseload = text_of(listed)
    assert "Response to the complaint due" in caseload
    assert "Complaint to be acknowledged" in caseload
    # both rows act on the complaint's record, where it is acknowledged and answered
    assert listed.text.count(f'href="/complaints/{complaint.pk}/"') == 2

    got = client.post(
        f"/complaints/{complaint.pk}/respond/",
        {"on": "12 1 2027", "outcome": "partly_upheld", "response": "Apology; the chair will..."},
    )
    assert got.status_code == 302
    page = text_of(client.get(f"/complaints/{complaint.pk}/"))
    assert "Answered" in page
    assert "Mon 11 Jan 2027 Met Tue 12 Jan 2027" in page  # a day late: met, not on time
    complaint.refresh_from_db()
    assert complaint.answered_on == dt.date(2027, 1, 12)
    assert "Response to the complaint due" not in text_of(client.get("/caseload/"))


def test_only_those_who_may_see_the_child_see_its_complaints_each_view_audited(
    client, line, use_pack
):
    use_pack("england")
    c = line.council
    client.force_login(c.iro.user)
    post_complaint(client, c.child)
    complaint = Complaint.objects.get()

    client.force_login(c.other_iro.user)
    assert client.get(f"/complaints/{complaint.pk}/").status_code == 404
    assert client.get(f"/complaints/{complaint.pk}/respond/").status_code == 404
    assert "Poppy Larkfield" not in client.get("/complaints/").text

    client.force_login(c.social_worker.user)
    before = AuditEntry.objects.count()
    assert "Poppy Larkfield" in client.get(f"/complaints/{complaint.pk}/").text
    viewed = AuditEntry.objects.order_by("-id")[0]
    assert AuditEntry.objects.count() == before + 1
    assert viewed.child_reference == "C1000001"
    listed = client.get("/complaints/")
    assert "Poppy Larkfield" in listed.text and "Jo Larkfield (a parent or carer)" in listed.text
    shown = ChildShown.objects.filter(entry=AuditEntry.objects.order_by("-id")[0])
    assert [s.child_reference for s in shown] == ["C1000001"]

    client.force_login(c.auditor.user)  # reads every record, changes none
    page = client.get(f"/complaints/{complaint.pk}/")
    assert page.status_code == 200 and "Record the response" not in page.text
    assert client.get(f"/complaints/{complaint.pk}/respond/").status_code == 403


def test_bad_input_is_a_field_error_and_nothing_is_saved(client, line, use_pack):
    use_pack("england")
    c = line.council
    client.force_login(c.iro.user)
    got = post_complaint(client, c.child, received_on="14 1 2027")
    assert got.status_code == 200
    assert "The date cannot be in the future" in got.text
    got = post_complaint(client, c.child, received_on="31 2 2026", complainant="")
    assert "Enter a real date" in got.text and "Enter who complained" in got.text
    assert not Complaint.objects.exists()
    assert not c.child.events.filter(type="complaint_received").exists()


def test_manchester_raises_a_concern_from_the_childs_complaint(client, line, use_pack):
    use_pack("manchester")
    c = line.council
    client.force_login(c.iro.user)
    post_complaint(client, c.child, complainant="Poppy Larkfield", complainant_is="child",
                   summary="Nobody told me I was moving school")  # fmt: skip
    post_complaint(client, c.child)  # a parent's: no reason to escalate
    childs, parents = Complaint.objects.order_by("id")
    assert (
        "Raise a concern from this complaint" not in client.get(f"/complaints/{parents.pk}/").text
    )
    page = client.get(f"/complaints/{childs.pk}/")
    assert "Raise a concern from this complaint" in page.text
    form = client.get(f"/complaints/{childs.pk}/concern/")
    assert "Nobody told me I was moving school" in form.text  # the issue starts from it
    got = client.post(
        f"/complaints/{childs.pk}/concern/",
        {"issue": "The child's complaint: school move not discussed", "impact": "Upset"},
    )
    concern = Concern.objects.get()
    assert got["Location"] == f"/concerns/{concern.pk}/"
    childs.refresh_from_db()
    assert childs.concern == concern
    assert "Concern raised Wednesday 13 January 2027" in text_of(
        client.get(f"/complaints/{childs.pk}/")
    )
    record = client.get(f"/concerns/{concern.pk}/")  # the concern names the complaint it came from
    assert f'href="/complaints/{childs.pk}/"' in record.text
    assert (
        "Raised from The complaint by Poppy Larkfield, received Wednesday 23 December 2026"
        in text_of(record)
    )
    again = client.post(f"/complaints/{childs.pk}/concern/", {"issue": "Again"})
    assert "already been raised" in again.text and Concern.objects.count() == 1


@pytest.mark.parametrize(("pack", "offered"), [("manchester", True), ("camden", False)])
def test_a_complaint_made_for_the_child_is_a_reason_to_escalate_in_manchester_only(
    client, line, use_pack, pack, offered
):
    """Manchester's seed: "the complaints procedure is used by the child directly or an adult who
    is authorised to act on their behalf"; Camden's: "where the child has or will make a formal
    complaint", the child's own only."""
    use_pack(pack)
    c = line.council
    client.force_login(c.iro.user)
    post_complaint(client, c.child, complainant="Dee Marsh (advocate)", complainant_is="on_behalf")
    complaint = Complaint.objects.get()
    page = client.get(f"/complaints/{complaint.pk}/").text
    assert ("Raise a concern from this complaint" in page) is offered
    client.post(
        f"/complaints/{complaint.pk}/concern/",
        {"issue": "Contact not reviewed", "impact": "Upset before contact"},
    )
    assert Concern.objects.exists() is offered


def test_england_offers_no_concern_from_a_complaint(client, line, use_pack):
    use_pack("england")
    c = line.council
    client.force_login(c.iro.user)
    post_complaint(client, c.child, complainant_is="child")
    complaint = Complaint.objects.get()
    assert (
        "Raise a concern from this complaint" not in client.get(f"/complaints/{complaint.pk}/").text
    )
