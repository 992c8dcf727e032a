"""Every checkbox and radio label, clicked as a person clicks it, ticks the box beside it (or, for
a box ticked by default, such as the people a booking invites, unticks it).

"Raise a concern" once gave every theme box `id="None"`: a click on any theme's label ticked the
first box, so every concern's themes were saved wrong. These tests click each label of every
checkbox and radio group on every form the IRO can open, and follow one concern from its form to
its escalation record, reading what the page shows."""

from __future__ import annotations

from typing import Any

import pytest

from oversight.web.tests.test_access_convention import ids, routes, url_for
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The box (or radio) drawn beside each label, and whether it is ticked after the click.
LABELS = """
() => [...document.querySelectorAll(
    'form .govuk-checkboxes__item > label, form .govuk-radios__item > label'
)].map((label, index) => ({index, text: label.textContent.trim()}))
"""
BESIDE = """
(index) => {
  const label = [...document.querySelectorAll(
    'form .govuk-checkboxes__item > label, form .govuk-radios__item > label'
  )][index];
  const box = label.closest('.govuk-checkboxes__item, .govuk-radios__item')
    .querySelector('input');
  return {checked: box.checked, radio: box.type === 'radio'};
}
"""


@pytest.fixture
def themes(db: None) -> None:
    """The initial themes, as their migration seeds them: a transactional test before this one
    flushed the tables."""
    from oversight.escalations.constants import INITIAL_THEMES
    from oversight.escalations.models import Theme

    for order, (code, label) in enumerate(INITIAL_THEMES):
        Theme.objects.get_or_create(code=code, defaults={"label": label, "order": order})


FORM_ENDINGS: tuple[str, ...] = ("new/", "change/", "respond/", "notice/", "extend/", "resolve/")
FORM_ENDINGS += ("referral/", "stage-meeting/", "cover/", "duty-rota/")


def form_pages(council: Any) -> list[str]:
    """Every form the walk can reach: creating, changing and acting on a record, and allocation."""
    values = ids(council)
    found = []
    for route in routes():
        if route.startswith("admin/"):
            continue
        if route.endswith(FORM_ENDINGS) or route.startswith("allocation/<"):
            found.append(url_for(route, values))
    return sorted(found)


@pytest.mark.slow
def test_each_label_ticks_the_box_beside_it_on_every_form(
    page,
    council,
    themes,
) -> None:
    sign_in(page, council.iro.user.username, council.password)
    clicked = 0
    wrong = []
    for url in form_pages(council):
        page.goto(url)
        if not page.locator("form").count():
            continue
        for label in page.evaluate(LABELS):
            target = page.locator(
                "form .govuk-checkboxes__item > label, form .govuk-radios__item > label"
            ).nth(label["index"])
            if not target.is_visible():  # inside a conditional reveal that is closed
                continue
            before = page.evaluate(BESIDE, label["index"])
            target.click()
            clicked += 1
            after = page.evaluate(BESIDE, label["index"])
            # A radio is chosen; a checkbox changes, ticked or (ticked by default) unticked.
            changed = after["checked"] if after["radio"] else after["checked"] != before["checked"]
            if not changed:
                wrong.append(f"{url}: {label['text']!r}")
    assert wrong == []
    assert clicked > 50  # the themes alone are 17 boxes: the walk really clicked


def test_the_themes_a_chair_ticks_are_the_themes_on_the_record(
    page,
    council,
    themes,
) -> None:
    from playwright.sync_api import expect

    sign_in(page, council.iro.user.username, council.password)
    page.goto(f"/children/{council.child.pk}/")
    page.get_by_role("link", name="Raise a concern").click()
    page.get_by_label("What is the issue").fill("The core group has not met since the conference")
    page.get_by_label("What is the impact on the child").fill("Nobody is checking the plan")
    page.get_by_text("Visits not done", exact=True).click()
    page.get_by_text("Core group not held", exact=True).click()
    page.get_by_role("button", name="Raise the concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Escalation record")
    themes = page.locator(".govuk-summary-list__row", has_text="Themes").locator("dd")
    # Not "Assessment quality or late", the first box, which every label used to tick.
    expect(themes).to_have_text("Visits not done, Core group not held")
