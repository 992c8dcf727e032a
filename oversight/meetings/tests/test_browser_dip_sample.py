"""The dip sample in a real browser, as Stockport's IRO team manager judges it: each row's form
has names of its own, so a label clicked in the second row ticks the second row's box, never the
first row's (crispy-forms-gds numbers a radio's ids from its name), and the judgement saved is
the one of the consultation judged."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.meetings.models import DipSampleJudgement
from oversight.meetings.tests.conftest import freeze
from oversight.meetings.tests.test_dip_sample import consultation
from oversight.meetings.tests.test_other_meetings import lac_child  # noqa: F401 - the fixture
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_judges_the_second_consultation_by_its_own_labels(
    page,
    council,
    lac_child,  # noqa: F811 - the fixture
    settings,
):
    from playwright.sync_api import expect

    settings.OVERSIGHT_POLICY = "stockport"  # the council whose seed has a monthly dip sample
    first = consultation(lac_child, 2)  # Tue 2 Mar 2027
    second = consultation(lac_child, 3)  # Wed 3 Mar 2027
    with freeze(dt.date(2027, 4, 6)):
        sign_in(page, council.iro_team_manager.user.username, council.password)
        page.goto("/meetings/dip-sample/?month=2027-03")
        one = page.locator(f"#c{first.pk}")
        two = page.locator(f"#c{second.pk}")
        two.get_by_label("Inadequate").check()
        two.get_by_role("group", name="Were the advice and any resulting TAC timely?").get_by_label(
            "No"
        ).check()
        # the first row's boxes are untouched by the second row's labels
        expect(one.get_by_label("Inadequate")).not_to_be_checked()
        expect(two.get_by_label("Inadequate")).to_be_checked()
        two.get_by_role("button", name="Record the judgement").click()
        # one round: the comment the rule asks for, by its field in the second row
        expect(page.locator(".govuk-error-summary")).to_contain_text("Say what should change")
        two = page.locator(f"#c{second.pk}")
        expect(two.get_by_label("Inadequate")).to_be_checked()  # what was chosen is kept
        two.get_by_label("Comments (what should change, for the IRO's supervision)").fill(
            "No rationale recorded for the advice"
        )
        two.get_by_role("button", name="Record the judgement").click()
        expect(page.locator(f"#c{second.pk} .judged")).to_contain_text(
            "Judged inadequate, not timely"
        )
        expect(page.locator(f"#c{first.pk} .judged")).to_have_count(0)
    judged = DipSampleJudgement.objects.get()
    assert (judged.consultation_id, judged.advice_quality, judged.timely) == (
        second.pk,
        "inadequate",
        False,
    )
