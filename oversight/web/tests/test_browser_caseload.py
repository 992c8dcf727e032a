"""In the browser: an IRO signs in, sees an overdue visit first on My caseload, opens the child,
records the visit, and the obligation turns to met."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone

from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, make_staff, record_event
from oversight.cases.obligations import recompute_all
from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_lets_an_iro_record_an_overdue_visit(page, council):
    from playwright.sync_api import expect

    today = timezone.localdate()
    # An IRO who is also the visiting worker of a child whose plan began 30 days ago: the
    # first visit (10 working days after the ICPC) is overdue today.
    iro = make_staff([Role.IRO], first_name="Rhea", last_name="Penhale", password=council.password)
    # born years before the plan (the factory's default depends on how many children came before)
    child = make_child(
        first_name="Wren", last_name="Kettlewell", date_of_birth=today - dt.timedelta(days=3000)
    )
    allocate(child, iro, Role.IRO, today - dt.timedelta(days=60))
    allocate(child, iro, Role.SOCIAL_WORKER, today - dt.timedelta(days=60))
    record_event(
        child,
        EventType.ICPC,
        today - dt.timedelta(days=30),
        outcome="plan",
        visit_interval="5 working days",  # so the visit falls due before the first core group
    )
    recompute_all(as_of=today)

    sign_in(page, iro.user.username, council.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    first = page.locator("#caseload tbody tr").first
    expect(first).to_contain_text("Child protection visit due")
    expect(first).to_contain_text("late")
    expect(first).to_contain_text("8 years old")  # born 3,000 days ago: the child's age on the row
    first.get_by_role("link", name="Wren Kettlewell", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wren Kettlewell")
    page.get_by_role("link", name="Record an event").click()
    page.get_by_label("What happened").select_option("cp_visit")
    page.get_by_label("Date", exact=True).fill(f"{today.day} {today.month} {today.year}")
    page.get_by_role("button", name="Record the event").click()
    met = page.locator("#met-obligations")
    met.locator("summary").click()
    expect(met).to_contain_text("Child protection visit due")
    # the next visit is due 5 working days after this one: open, not late
    next_visit = page.locator("#open-obligations tr", has_text="Child protection visit due")
    expect(next_visit).to_contain_text("5 working days left")


def test_it_lets_an_iro_filter_and_sort_beside_the_list(page, council):
    """Filters beside the table, not above it; a column sorted by clicking its heading, and
    the other way from the keyboard; the heading says which way (aria-sort)."""
    from playwright.sync_api import expect

    today = timezone.localdate()
    iro = make_staff([Role.IRO], first_name="Rhea", last_name="Penhale", password=council.password)
    for first, last, days in [("Zara", "Abbot", 40), ("Ada", "Young", 30), ("Nell", "Moss", 20)]:
        child = make_child(first_name=first, last_name=last)
        allocate(child, iro, Role.IRO, today - dt.timedelta(days=60))
        record_event(child, EventType.ICPC, today - dt.timedelta(days=days), outcome="plan")
    recompute_all(as_of=today)

    sign_in(page, iro.user.username, council.password)
    page.set_viewport_size({"width": 1280, "height": 800})
    table = page.locator("#caseload")
    filters = page.locator("form.app-filters")
    beside = filters.bounding_box(), table.bounding_box()
    assert beside[0] and beside[1]
    assert beside[0]["x"] + beside[0]["width"] <= beside[1]["x"]  # to its left
    assert beside[0]["y"] < beside[1]["y"] + beside[1]["height"]  # not above it

    def children() -> list[str]:
        names = table.locator("tbody tr td:first-child a").all_inner_texts()
        return [n for n in names if n in ("Zara Abbot", "Ada Young", "Nell Moss")]

    filters.get_by_label("Type").select_option(label="Child protection")
    filters.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#result-count")).to_contain_text("obligations")
    assert children()[:3] == ["Zara Abbot", "Ada Young", "Nell Moss"]  # the first due first
    heading = table.get_by_role("columnheader", name="Child")
    expect(heading).to_have_attribute("aria-sort", "none")
    heading.get_by_role("link", name="Child").click()
    expect(heading).to_have_attribute("aria-sort", "ascending")
    assert children()[:3] == ["Zara Abbot", "Nell Moss", "Ada Young"]  # by last name
    expect(filters.get_by_label("Type")).to_have_value("cp")  # the filter kept
    heading.get_by_role("link", name="Child").focus()
    page.keyboard.press("Enter")
    expect(heading).to_have_attribute("aria-sort", "descending")
    assert children()[:3] == ["Ada Young", "Nell Moss", "Zara Abbot"]
    # the download holds what the page lists, in its order, with its filter
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these obligations as CSV").click()
    saved = download.value
    assert saved.suggested_filename == f"caseload_{today.isoformat()}.csv"
    lines = list(csv.reader(io.StringIO(Path(saved.path()).read_text(encoding="utf-8"))))
    listed = [line[1] for line in lines[1:]]
    assert [n for n in listed if n in ("Zara Abbot", "Ada Young", "Nell Moss")][:3] == [
        "Ada Young", "Nell Moss", "Zara Abbot"]  # fmt: skip
    assert {line[4] for line in lines[1:]} == {"Child protection"}  # the type filter kept


def test_the_demo_iros_first_obligations_show_without_scrolling(page, tmp_path):
    """The screenshot target of issue 14: My caseload at 1280 by 800 as the demo's IRO (the one
    `oversight signins` prints), the first obligation rows inside the window as it opens."""
    from io import StringIO

    from django.core.management import call_command
    from playwright.sync_api import expect

    from oversight.demo import Command as Demo

    call_command(Demo(), "--children", "600", "--seed", "1", stdout=StringIO())
    call_command("nightly", stdout=StringIO())
    printed = StringIO()
    call_command("signins", stdout=printed)
    username = next(
        line.split()[-2] for line in printed.getvalue().splitlines() if "IRO / conference" in line
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, username, "oversight-demo")
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    rows = page.locator("#caseload tbody tr")
    expect(rows.first).to_be_visible()
    page.screenshot(path=tmp_path / "my-caseload-1280x800.png")
    assert (tmp_path / "my-caseload-1280x800.png").stat().st_size > 0
    assert page.evaluate("window.scrollY") == 0
    for i in range(3):
        box = rows.nth(i).bounding_box()
        assert box is not None and box["y"] >= 0
        assert box["y"] + box["height"] <= 800, f"row {i + 1} ends at {box['y'] + box['height']}"
