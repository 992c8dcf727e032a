"""The escalation record as the chair and the safeguarding service manager read it, in a real
browser (issue 14, bugs 3 to 6 and the raise form's half of 9). Each concern's past is set up
through the actions with literal dates on England's ladder (responses due in 5 working days);
the test then reads what the pages show and clicks as a person does.

    Mon 2 Nov 2026   concern raised (informal response due Mon 9 Nov); nobody answers
    Wed 11 Nov 2026  stage 1 notice (due Wed 18 Nov)
    Mon 23 Nov 2026  the team manager answers: 3 working days late (Thu 19, Fri 20, Mon 23)
    Tue 24 Nov 2026  stage 2 notice (due Tue 1 Dec)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from oversight.cases.text import MESSAGE
from oversight.escalations import actions
from oversight.escalations.models import Concern
from oversight.escalations.tests.test_browser import as_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

mon_2_nov = dt.date(2026, 11, 2)
wed_11_nov = dt.date(2026, 11, 11)
mon_23_nov = dt.date(2026, 11, 23)
tue_24_nov = dt.date(2026, 11, 24)
wed_25_nov = dt.date(2026, 11, 25)
thu_26_nov = dt.date(2026, 11, 26)


@pytest.fixture
def at_stage_2(line, use_pack) -> Concern:
    use_pack("england")
    c = line.council
    concern = actions.raise_concern(
        c.child, issue="Visits late", impact="Not seen", ladder="default", on=mon_2_nov,
        acting_user=c.iro.user,
    )  # fmt: skip
    actions.issue_notice(concern, stage=1, on=wed_11_nov, acting_user=c.iro.user)
    actions.respond(
        concern, accepted=False, reasons="Visits are booked", on=mon_23_nov,
        acting_user=c.team_manager.user,
    )  # fmt: skip
    actions.issue_notice(concern, stage=2, on=tue_24_nov, acting_user=c.iro.user)
    return concern


def deadline(page: Any, what: str) -> Any:
    return page.locator("table[aria-labelledby=deadlines] tbody tr").filter(has_text=what)


def test_nothing_the_service_missed_vanishes_from_the_deadlines(
    browser,
    live_server,
    line,
    at_stage_2,
):
    from playwright.sync_api import expect

    c = line.council
    chair = as_user(browser, live_server, c.iro, c.password)
    chair.goto(f"/concerns/{at_stage_2.pk}/")
    informal = deadline(chair, "Response to the concern due")
    expect(informal).to_contain_text("Monday 9 November 2026")
    expect(informal).to_contain_text("Not answered on Wednesday 11 November 2026")
    expect(informal).not_to_contain_text("Met")
    stage_1 = deadline(chair, "notice of concern due (Stage 1: Team manager)")
    expect(stage_1).to_contain_text("Met late (3 working days) on Monday 23 November 2026")

    chair.get_by_role("link", name="Extend the deadline").click()
    chair.get_by_label("New response deadline").fill("18 12 2026")
    chair.get_by_label("Reason").fill("The service manager is on leave")
    chair.get_by_role("button", name="Extend").click()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Escalation record")
    stage_2 = deadline(chair, "notice of concern due (Stage 2: Service manager)")
    expect(stage_2).to_contain_text("Friday 18 December 2026")
    # The first date stays beside the new one; by the day it was extended it had passed.
    expect(stage_2).to_contain_text("first due Tuesday 1 December 2026 (missed)")
    chair.context.close()


def test_at_the_top_stage_the_record_offers_only_what_can_still_be_done(
    browser,
    live_server,
    line,
    at_stage_2,
):
    from playwright.sync_api import expect

    c = line.council
    actions.issue_notice(at_stage_2, stage=3, on=wed_25_nov, acting_user=c.iro.user)
    actions.issue_notice(at_stage_2, stage=4, on=thu_26_nov, acting_user=c.iro.user)
    chair = as_user(browser, live_server, c.iro, c.password)
    chair.goto(f"/concerns/{at_stage_2.pk}/")
    expect(chair.locator("#stage")).to_have_text("Stage 4: Director of children's services")
    expect(chair.get_by_role("link", name="Issue a notice")).to_have_count(0)
    main = chair.locator("a.govuk-button:not(.govuk-button--secondary)")
    expect(main).to_have_text(["Resolve"])  # the one main button: the next thing to do
    chair.context.close()


def test_every_stage_is_named_one_way_and_the_list_names_the_process_once(
    browser,
    live_server,
    line,
    at_stage_2,
):
    from playwright.sync_api import expect

    c = line.council
    actions.issue_notice(at_stage_2, stage=3, on=wed_25_nov, acting_user=c.iro.user)
    chair = as_user(browser, live_server, c.iro, c.password)
    chair.goto(f"/concerns/{at_stage_2.pk}/")
    expect(chair.locator("#stage")).to_have_text("Stage 3: Head of service")
    # The whole process runs from the first notice: it names no stage (it said "(stage 1)").
    total = deadline(chair, "Formal dispute resolution to be concluded")
    expect(total).not_to_contain_text("tage 1")
    notices = chair.locator("table[aria-labelledby=notices] tbody tr")
    expect(notices.nth(2)).to_contain_text("Stage 3: Head of service")
    history = chair.locator("table[aria-labelledby=history] tbody tr")
    expect(history.filter(has_text="Notice issued (Stage 3: Head of service)")).to_have_count(1)
    chair.context.close()

    manager = as_user(browser, live_server, line.safeguarding_service_manager, c.password)
    manager.goto("/concerns/")
    tables = manager.locator("table.govuk-table")
    expect(tables).to_have_count(1)
    expect(tables.first.locator("caption")).to_have_text(
        "Formal dispute resolution (national baseline) (1)"
    )
    row = tables.first.locator("tbody tr").first
    expect(row).to_contain_text("Stage 3: Head of service")
    expect(row).not_to_contain_text("Formal dispute resolution")  # said once, above
    manager.context.close()


def test_the_record_the_child_page_and_the_chronology_show_words_not_stored_values(
    browser,
    live_server,
    line,
    at_stage_2,
):
    from playwright.sync_api import expect

    c = line.council
    chair = as_user(browser, live_server, c.iro, c.password)
    chair.goto(f"/concerns/{at_stage_2.pk}/")
    main = chair.locator("main")
    expect(main).to_contain_text("Monday 2 November 2026 by Isla Brightwell")  # raised
    history = chair.locator("table[aria-labelledby=history]")
    expect(history).to_contain_text("Response due Wednesday 18 November 2026")
    assert not re.search(r"\d{4}-\d{2}-\d{2}", main.inner_text()), "no ISO dates"

    chair.goto(f"/children/{c.child.pk}/")
    chair.get_by_role("tab", name="Concerns").click()
    concerns = chair.get_by_role("list", name="Concerns")
    expect(concerns).to_contain_text("Concern raised Monday 2 November 2026")
    expect(concerns).to_contain_text("Open, Stage 2: Service manager")
    chair.get_by_role("tab", name="Chronology").click()
    chronology = chair.locator("table[aria-labelledby=chronology-heading]")
    response = chronology.locator("tr").filter(has_text="Escalation response")
    expect(response).to_contain_text("Accepted: No")
    expect(chronology).not_to_contain_text("Concern: concern-")
    expect(chronology).not_to_contain_text("False")
    chair.context.close()


def test_a_control_character_in_the_issue_is_an_error_under_the_field(
    browser,
    live_server,
    line,
    use_pack,
):
    from playwright.sync_api import expect

    use_pack("england")
    c = line.council
    chair = as_user(browser, live_server, c.iro, c.password)
    chair.goto(f"/children/{c.child.pk}/concerns/new/")
    chair.get_by_label("What is the issue").fill("Visits\u000blate since the conference")
    chair.get_by_role("button", name="Raise the concern").click()
    expect(chair.locator(".govuk-error-summary")).to_contain_text(MESSAGE)
    expect(chair.locator("#id_issue_1_error")).to_contain_text(MESSAGE)
    assert not Concern.objects.exists()  # nothing saved
    chair.context.close()
