"""In the browser: printing a page leaves out the service's controls and prints every tab's
section; a person downloads the PDF of the child's summary, of a meeting record, of the
escalation record and of its notice by clicking their links."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from oversight.escalations import actions
from oversight.escalations.tests.conftest import line, use_pack  # noqa: F401 - fixtures
from oversight.meetings.constants import Kind, Status
from oversight.meetings.models import Meeting
from oversight.web.tests.test_browser import sign_in
from tests.waiting import WAIT_SECONDS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def downloaded(page, link_name: str) -> tuple[str, str]:
    """Click the link; the file's suggested name and its text. A PDF takes seconds to print (the
    first in a process longer, loading WeasyPrint): the tests' wait, not the page's 10 s."""
    with page.expect_download(timeout=WAIT_SECONDS * 1000) as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    with open(download.path(), "rb") as handle:
        pdf = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    return download.suggested_filename, text


def test_printing_the_child_page_shows_every_section_and_no_controls(page, council):
    from playwright.sync_api import expect

    sign_in(page, council.iro.user.username, council.password)
    page.goto(f"/children/{council.child.pk}/")
    expect(page.locator("#chronology")).to_be_hidden()  # on screen: a tab not chosen
    page.emulate_media(media="print")
    for section in ("obligations", "meetings", "concerns", "chronology", "people", "documents"):
        expect(page.locator(f"#{section}")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    expect(page.get_by_role("link", name="Record an event")).to_be_hidden()
    expect(page.locator(".govuk-tabs__list")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Poppy Larkfield")


@pytest.mark.slow
def test_a_person_downloads_each_record_as_a_pdf(page, line, use_pack):  # noqa: F811
    use_pack("england")
    c = line.council
    concern = actions.raise_concern(
        c.child,
        issue="No core group since the review conference",
        impact="Nobody is checking the plan",
        on=dt.date(2026, 11, 2),  # Monday
        acting_user=c.iro.user,
    )
    actions.issue_notice(
        concern,
        stage=3,
        bypass_reason="The plan has drifted",
        on=dt.date(2026, 11, 9),  # Monday
        acting_user=c.iro.user,
    )
    Meeting.objects.create(
        child=c.child,
        kind=Kind.RCPC,
        status=Status.COMPLETED,
        date=dt.date(2026, 3, 12),  # Thursday
        outcome="continue",
        created_at=timezone.now(),
    )
    sign_in(page, c.iro.user.username, c.password)
    page.goto(f"/children/{c.child.pk}/")

    name, text = downloaded(page, "Download a summary (PDF)")
    assert name == "child-summary-c1000001.pdf"
    assert "Poppy Larkfield" in text and "Chronology" in text

    page.get_by_role("tab", name="Meetings").click()
    page.locator("#meetings").get_by_role("link", name="Review child protection conference").click()
    name, text = downloaded(page, "Download this record (PDF)")
    assert name == "review-child-protection-conference-c1000001.pdf"
    assert "Review child protection conference on Thursday 12 March 2026" in text

    page.goto(f"/children/{c.child.pk}/")
    page.get_by_role("tab", name="Concerns").click()
    page.get_by_role("link", name="Concern raised Monday 2 November 2026").click()
    name, text = downloaded(page, "Download the escalation record (PDF)")
    assert name == "escalation-record-c1000001.pdf"
    assert "No core group since the review conference" in text

    page.get_by_role("link", name="the notice of Monday 9 November 2026").click()
    name, text = downloaded(page, "Download the notice (PDF)")
    assert name == "notice-of-concern-c1000001.pdf"
    assert "Issued Monday 9 November 2026 by Isla Brightwell" in text
