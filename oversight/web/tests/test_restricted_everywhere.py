"""Convention: a restricted record (a staff member's child, say) is shown to no one but the people
named on it, on every page, export, report and API answer without an id, for every persona:
the IRO service's managers who see every child, the auditor who reads every record, the child's
own social worker and their manager, the administrator. Its reference and first name appear in
nothing they get back: the page, a CSV, the text inside an XLSX or Word file, a PDF's text.

The URLs come from the URL configuration (`test_access_convention.plain_routes`), so a new list
or export is checked the day it is added. The pages with a child's id are held to the same by
`test_access_convention.test_it_shows_a_manager_only_that_a_restricted_record_exists`.
The named IRO is shown the child on the lists and the API, so the check cannot pass by showing
the child to nobody."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from pypdf import PdfReader

from oversight.cases.constants import Role
from oversight.cases.factories import make_staff
from oversight.web.tests.test_access_convention import (
    PERSONAS,
    plain_routes,
    shown_on_every_list,
)

pytestmark = pytest.mark.django_db

# Each search once more with words that find the child and its unrestricted brother (and are
# not themselves the marks looked for: a page repeats what was searched for).
SEARCHES = [
    "children/?q=Larkf",
    "children/?q=C100000",
    "api/v1/children?search=C100000",
    "audit/?q=C100000",
]
MARKS = ("C1000001", "Poppy")  # the restricted child's reference and first name (Alfie, its
# brother, shares the family name and is not restricted)


def readable(response: Any) -> str:
    """What a person would read in the response: its text, the XML inside an Office file, the
    text of a PDF."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if body.startswith(b"PK"):  # XLSX, DOCX: zipped XML
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return " ".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    if body.startswith(b"%PDF") or "pdf" in kind:
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8", "replace")


@pytest.mark.slow
def test_a_restricted_child_is_shown_on_no_list_export_report_or_api_answer_to_anyone_not_named(
    client, council, time_machine
):
    time_machine.move_to(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC), tick=False)  # a Thursday
    shown_on_every_list(council)
    child = council.child
    child.restricted = True
    child.restricted_contact = council.iro_team_manager
    child.save()
    child.named_staff.add(council.iro)
    service_manager = make_staff([Role.SAFEGUARDING_SERVICE_MANAGER], council.iro.team)
    outsiders = [getattr(council, p).user for p in PERSONAS if p != "iro"] + [service_manager.user]
    urls = ["/" + route for route in plain_routes()] + ["/" + url for url in SEARCHES]

    for user in outsiders:
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            text = readable(response)
            for mark in MARKS:
                assert mark not in text, f"{user.get_username()} GET {url} shows {mark}"

    client.force_login(council.iro_team_manager.user)  # sees every child, the brother too
    assert "C1000002" in readable(client.get("/children/?q=Larkf"))
    client.force_login(council.iro.user)  # named on the record: shown it
    for url in ["/children/?q=Larkf", "/api/v1/children?search=C100000"]:
        assert "C1000001" in readable(client.get(url)), url
