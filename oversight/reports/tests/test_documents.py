"""The documents on the December council (`conftest.py`): each one's own tables with literal
numbers, their pages, downloads and audit rows, and that every figure they print is the
dashboard's."""

from __future__ import annotations

import io

import pytest

from oversight.audit.models import AuditEntry
from oversight.reports.documents import NeedsIro, document
from oversight.reports.figures import Scope
from oversight.reports.tests.test_figures import DECEMBER_2026
from oversight.reports.tests.test_pages import DECEMBER, children_named, downloaded, figure_text

pytestmark = pytest.mark.django_db


def tables(name: str) -> dict[str, list[tuple]]:
    found = document(name, Scope(), DECEMBER_2026)
    return {t.caption: t.rows for s in found.sections for t in s.tables}


def test_the_quarterly_analysis_counts_concerns_by_theme_and_quotes_them(december):
    found = tables("quarterly")
    assert found["Concerns and good practice by theme"] == [
        ("Drift and delay", 2, 1, 0),  # Ava's (resolved Wed 16 Dec) and Kit's (resolved in January)
        ("No theme", 1, 0, 1),  # Gus's; and Lily's good practice
        ("Visits not done", 1, 0, 0),  # Kit's
    ]
    assert found["The concerns in their own words, for learning"] == [
        ("R-Ava", DECEMBER_2026.first, "Drift and delay", "Ava's plan has drifted",
         "The child has not been seen", "The plan was updated"),
        ("R-Kit", DECEMBER_2026.first.replace(day=15), "Visits not done, Drift and delay",
         "Kit's plan has drifted", "The child has not been seen", "Open"),  # resolved after; themes in the taxonomy's order
        ("R-Gus", DECEMBER_2026.last, "", "Gus's plan has drifted",
         "The child has not been seen", "Open"),
    ]  # fmt: skip


def test_the_annual_report_counts_concerns_open_by_stage_and_age(december):
    found = tables("annual")
    # Open on Thu 31 Dec: Kit's (raised Tue 15 Dec, 10 working days) and Gus's, informal; Ivo's
    # at stage 2, raised Mon 2 Nov: 41 working days, past the 20 of the formal process
    assert found["Concerns open on the period's last day, by stage"] == [
        ("Informal", 2, 0),
        ("Stage 2", 1, 1),
    ]
    assert found["Formal notices issued by stage"] == [("Stage 1", 1)]  # Ivo's on Mon 7 Dec
    headings = [s.heading for s in document("annual", Scope(), DECEMBER_2026).sections]
    assert headings == [
        "Reviews and timeliness",
        "Children's participation",
        "Midway reviews",
        "IRO visits and contact between reviews",
        "Placements",
        "Escalations by stage, theme and outcome",
        "Cafcass and legal advice",
        "Complaints",
        "Caseloads",
        "Foster carer reviews and concerns",
        "Child protection conference activity",
    ]


def test_the_partnership_report_counts_disputes_by_agency(december):
    found = tables("partnership")
    assert found["Disputes with partner agencies by agency"] == [("Northbrook Health Trust", 1, 0)]
    assert found["Each dispute"] == [
        ("Northbrook Health Trust", "R-Gus", DECEMBER_2026.last, "Informal",
         "Gus's plan has drifted", "Open"),
    ]  # fmt: skip


def test_the_supervision_summary_is_one_iros(council, december):
    with pytest.raises(NeedsIro):
        document("supervision", Scope(), DECEMBER_2026)
    owen = document("supervision", Scope(iro=council.other_iro), DECEMBER_2026)
    assert owen.title == "Supervision summary: Owen Carrow"
    shown = {f.key: (f.numerator, f.denominator) for f in owen.figures}
    assert shown["escalations_raised"] == (1, None)  # Gus's
    assert shown["cafcass_referrals"] == (1, None)  # Ned's
    assert shown["conferences_held"] == (3, None)  # Gus's ICPC, Ivo's and Jude's RCPCs
    higher = {t.caption: t.rows for s in owen.sections for t in s.tables}
    assert higher["Concerns at stage 2 or above, open on the period's last day"] == [
        ("R-Ivo", DECEMBER_2026.first.replace(month=11, day=2), "Stage 2")
    ]
    assert [c.reference for c in owen.children] == ["R-Ivo"]
    isla = document("supervision", Scope(iro=council.iro), DECEMBER_2026)
    isla_tables = {t.caption: t.rows for s in isla.sections for t in s.tables}
    assert isla_tables["Concerns at stage 2 or above, open on the period's last day"] == []


@pytest.mark.parametrize("name", ["monthly", "quarterly", "annual", "partnership"])
def test_every_figure_a_document_page_shows_is_the_dashboards(client, december, name):
    client.force_login(december.service_manager.user)
    dashboard = client.get(f"/reports/?{DECEMBER}")
    page = client.get(f"/reports/documents/{name}/?{DECEMBER}")
    assert page.status_code == 200
    found = document(name, Scope(), DECEMBER_2026)
    assert found.figures
    for f in found.figures:
        assert figure_text(page, f.key) == figure_text(dashboard, f.key), f.key


def test_the_quarterly_page_names_its_children_in_the_audit_row(client, december):
    client.force_login(december.service_manager.user)
    page = client.get(f"/reports/documents/quarterly/?{DECEMBER}")
    assert "Kit&#x27;s plan has drifted" in page.text
    entry = AuditEntry.objects.latest("id")
    assert entry.what == "reports.quarterly"
    assert children_named(entry) == ["R-Ava", "R-Kit", "R-Gus"]


def test_the_supervision_page_asks_for_the_iro(client, council, december):
    client.force_login(december.service_manager.user)
    page = client.get(f"/reports/documents/supervision/?{DECEMBER}")
    assert 'id="id_iro_1_error"' in page.text  # the message by the field
    assert "Choose the IRO whose supervision summary this is" in page.text
    owen = client.get(
        f"/reports/documents/supervision/?{DECEMBER}&iro={council.other_iro.user.username}"
    )
    assert "Supervision summary: Owen Carrow" in owen.text


def test_the_annual_report_downloads_as_word_and_pdf_audited(client, december):
    from docx import Document as Word
    from pypdf import PdfReader

    client.force_login(december.service_manager.user)
    word = client.get(f"/reports/documents/annual.docx?{DECEMBER}")
    assert word.status_code == 200 and "no-store" in word["Cache-Control"]
    assert "annual_2026-12-01_2026-12-31.docx" in word["Content-Disposition"]
    doc = Word(io.BytesIO(downloaded(word)))
    headings = [
        p.text for p in doc.paragraphs if p.style and str(p.style.name).startswith("Heading")
    ]
    assert "Escalations by stage, theme and outcome" in headings
    assert AuditEntry.objects.latest("id").what == "reports.annual.docx"
    pdf = client.get(f"/reports/documents/annual.pdf?{DECEMBER}")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(downloaded(pdf))).pages)
    assert "IRO annual report figures" in text
    assert "Tuesday 1 December 2026 to Thursday 31 December 2026" in text
    entry = AuditEntry.objects.latest("id")
    assert (entry.what, entry.reason) == ("reports.annual.pdf", "2026-12-01 to 2026-12-31")


def test_it_refuses_a_document_it_does_not_have_and_anyone_but_a_manager(client, council, december):
    client.force_login(december.service_manager.user)
    assert client.get("/reports/documents/weekly/").status_code == 404
    assert client.get("/reports/documents/weekly.pdf").status_code == 404
    client.force_login(council.social_worker.user)
    assert client.get("/reports/documents/monthly/").status_code == 403
    assert client.get("/reports/documents/monthly.docx").status_code == 403


def test_the_dashboard_links_every_document(client, december):
    client.force_login(december.service_manager.user)
    html = client.get(f"/reports/?{DECEMBER}").text
    links = html[html.index('id="report-links"') :]
    for title in ("Monthly data report", "Quarterly themes analysis", "IRO annual report figures",
                  "Partnership dispute report", "Supervision summary", "Ofsted Annex A lists",
                  "Challenge meeting pack"):  # fmt: skip
        assert title in links


def test_the_annual_report_has_a_section_of_complaints(december):
    found = document("annual", Scope(), DECEMBER_2026)
    (section,) = [s for s in found.sections if s.heading == "Complaints"]
    assert [(f.key, f.numerator, f.denominator) for f in section.figures] == [
        ("complaints_received", 4, None),
        ("complaints_acknowledged_in_time", 2, 5),
        ("complaints_answered_in_time", 2, 3),
        ("complaints_upheld", 1, None),
        ("complaints_partly_upheld", 1, None),
        ("complaints_not_upheld", 1, None),
    ]
