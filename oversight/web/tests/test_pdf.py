"""The PDF downloads (`oversight.web.pdf`): a child's summary, a meeting record, an escalation
record and a notice of concern. Each is a PDF of the page's own words, for those who may see the
child only, audited as an export naming the child, and kept by no cache."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from oversight.audit.models import AuditEntry
from oversight.escalations import actions
from oversight.escalations.tests.conftest import line, use_pack  # noqa: F401 - fixtures
from oversight.meetings.constants import Kind, Status
from oversight.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment; filename=")
    pdf = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)


@pytest.fixture
def concern(line, use_pack):  # noqa: F811
    use_pack("england")
    c = line.council
    raised = actions.raise_concern(
        c.child,
        issue="No core group since the review conference",
        impact="Nobody is checking the plan",
        on=dt.date(2026, 11, 2),  # Monday
        acting_user=c.iro.user,
    )
    actions.issue_notice(
        raised,
        stage=3,
        bypass_reason="The plan has drifted for months",
        text="The chair asks for the core group to meet within a week.",
        on=dt.date(2026, 11, 9),  # Monday
        acting_user=c.iro.user,
    )
    return raised


def test_the_child_summary_has_the_header_and_every_section(client, council):
    client.force_login(council.iro.user)
    text = text_of(client.get(f"/children/{council.child.pk}/summary.pdf"))
    assert "Poppy Larkfield" in text
    assert "C1000001 · NHS number 999 000 0018" in text
    assert "Child protection plan" in text
    assert "Review child protection conference" in text  # the chronology's section
    assert "People allocated" in text  # the people's section
    assert "Sign out" not in text  # the service's controls are not printed
    assert "Child summary, C1000001. Printed by Isla Brightwell" in text  # every sheet's footer
    entry = AuditEntry.objects.filter(what="child.summary.pdf").get()
    assert (entry.action, entry.child_reference) == ("export", "C1000001")


def test_a_meeting_record_downloads_as_its_page_reads(client, council):
    record = Meeting.objects.create(
        child=council.child,
        kind=Kind.RCPC,
        status=Status.COMPLETED,
        date=dt.date(2026, 3, 12),
        outcome="continue",
        created_at=timezone.now(),
    )
    client.force_login(council.social_worker.user)
    text = text_of(client.get(f"/children/{council.child.pk}/meetings/{record.pk}/record.pdf"))
    assert "Review child protection conference on Thursday 12 March 2026" in text
    assert "Poppy Larkfield (C1000001)" in text
    entry = AuditEntry.objects.filter(what=f"meeting.record.pdf {record.pk}").get()
    assert entry.child_reference == "C1000001"


def test_the_escalation_record_and_its_notice_download(client, concern):
    client.force_login(concern.raised_by.user)
    record = text_of(client.get(f"/concerns/{concern.pk}/record.pdf"))
    assert "Escalation record" in record
    assert "No core group since the review conference" in record
    assert "Monday 2 November 2026" in record
    notice = concern.notices.get()
    text = text_of(client.get(f"/concerns/{concern.pk}/notices/{notice.pk}.pdf"))
    assert "Notice of concern" in text
    assert "Issued Monday 9 November 2026 by Isla Brightwell" in text
    assert "The chair asks for the core group to meet within a week." in text
    assert "stages skipped: The plan has drifted for months" in text
    exports = AuditEntry.objects.filter(action="export", child_reference="C1000001")
    assert sorted(exports.values_list("what", flat=True)) == [
        "concern.notice.pdf",
        "concern.record.pdf",
    ]


def test_the_notice_is_a_page_to_print_too(client, concern):
    client.force_login(concern.raised_by.user)
    notice = concern.notices.get()
    page = client.get(f"/concerns/{concern.pk}/notices/{notice.pk}/")
    assert page.status_code == 200
    assert "Download the notice (PDF)" in page.text
    assert AuditEntry.objects.filter(what="child.viewed", child_reference="C1000001").exists()


def test_a_download_is_refused_to_whoever_may_not_see_the_child(client, council, concern):
    client.force_login(council.other_social_worker.user)
    notice = concern.notices.get()
    for path in (
        f"/children/{council.child.pk}/summary.pdf",
        f"/concerns/{concern.pk}/record.pdf",
        f"/concerns/{concern.pk}/notices/{notice.pk}.pdf",
    ):
        assert client.get(path).status_code == 404, path
    assert not AuditEntry.objects.filter(action="export").exists()


def test_a_notice_of_another_concern_is_not_found(client, council, concern):
    other = actions.raise_concern(
        council.child,
        issue="Another",
        impact="Delay",
        on=dt.date(2026, 11, 3),
        acting_user=council.iro.user,
    )
    client.force_login(council.iro.user)
    notice = concern.notices.get()
    assert client.get(f"/concerns/{other.pk}/notices/{notice.pk}.pdf").status_code == 404
