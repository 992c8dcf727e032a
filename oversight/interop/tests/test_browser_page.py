"""In the browser: an administrator uploads a census, reads the report, confirms, and the
children are in Oversight. On SQLite in the browser suite and on PostgreSQL in that one's
(`both_databases`): the issue asks for the import page in a real browser on both."""

from __future__ import annotations

from typing import Any

import pytest

from oversight.cases.models import Child
from oversight.interop.tests.helpers import DATA
from oversight.web.tests.test_browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.both_databases,
    pytest.mark.django_db(transaction=True),
]


def test_an_administrator_uploads_checks_and_confirms(page: Any, council: Any) -> None:
    from playwright.sync_api import expect

    sign_in(page, council.administrator.user.username, council.password)
    page.goto("/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a council's records")
    page.get_by_label("Children in Need census (XML)").check()
    page.get_by_label("The files").set_input_files(str(DATA / "cin-2026.xml"))
    page.get_by_role("button", name="Check the files").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    late = page.locator("#problems tbody tr")
    expect(late).to_have_count(1)
    expect(late).to_contain_text("Warning")
    expect(late).to_contain_text("This child's ICPC was late: held Thu 1 October 2026")
    assert not Child.objects.filter(reference__startswith="DfEX").exists()

    page.get_by_role("button", name="Import 3 children and 6 events").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported")
    expect(page.locator("#summary")).to_contain_text("3 children, 6 events (0 already held)")
    assert Child.objects.filter(reference__startswith="DfEX").count() == 3


def test_a_census_with_errors_is_shown_and_not_offered(page: Any, council: Any) -> None:
    from playwright.sync_api import expect

    sign_in(page, council.administrator.user.username, council.password)
    page.goto("/import/")
    page.get_by_label("Children in Need census (XML)").check()
    page.get_by_label("The files").set_input_files(str(DATA / "liiatools_cin-2022.xml"))
    page.get_by_role("button", name="Check the files").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The files cannot be imported")
    expect(page.locator("#problems")).to_contain_text(
        "This UPN's check letter is wrong: A, where its digits give P"
    )
    expect(page.get_by_role("button", name="Import")).to_have_count(0)


def test_a_large_census_goes_through_the_background_worker_with_its_progress_shown(
    page: Any,
    council: Any,
    settings: Any,
) -> None:
    from playwright.sync_api import expect

    from oversight.notifications.tests.conftest import run_tasks

    settings.OVERSIGHT_IMPORT_BACKGROUND_BYTES = 100
    sign_in(page, council.administrator.user.username, council.password)
    page.goto("/import/")
    page.get_by_label("Children in Need census (XML)").check()
    page.get_by_label("The files").set_input_files(str(DATA / "cin-2026.xml"))
    page.get_by_role("button", name="Check the files").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting for the background worker")

    assert run_tasks() == 1
    # The page looks again by itself and shows the report once the worker has checked the file.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import", timeout=10_000)
    page.get_by_role("button", name="Import 3 children and 6 events").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting for the background worker")
    assert run_tasks() == 1
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported", timeout=10_000)
    expect(page.locator(".govuk-panel__body")).to_have_text("3 children and 6 events added")
    assert Child.objects.filter(reference__startswith="DfEX").count() == 3
