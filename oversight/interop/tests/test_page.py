"""The import page: upload, the report as a table, confirm; administrators and the safeguarding
(IRO) service manager only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from oversight.audit.models import AuditEntry
from oversight.cases.constants import Role
from oversight.cases.factories import make_staff
from oversight.cases.models import Child, Event
from oversight.interop import tasks, uploads
from oversight.interop.tests.helpers import DATA
from oversight.notifications.tests.conftest import run_tasks

pytestmark = pytest.mark.django_db
# Thu 3 December 2026, noon in London.
TODAY = "2026-12-03T12:00:00+00:00"


def signed_in(client: Client, staff: Any, password: str) -> Client:
    # A request for the sign-in lockout (django-axes), which counts tries by address.
    request = RequestFactory().post("/sign-in/")
    assert client.login(request=request, username=staff.user.username, password=password)
    return client


def files(*names: str) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, (DATA / name).read_bytes()) for name in names]


@time_machine.travel(TODAY, tick=False)
def test_an_administrator_checks_then_confirms_an_import(client: Client, council: Any) -> None:
    signed_in(client, council.administrator, council.password)
    checked = client.post("/import/", {"kind": "cin", "files": files("cin-2026.xml")})
    page = checked.content.decode()
    assert checked.status_code == 200
    assert "Check the import" in page
    # The late ICPC is in the table as a warning; a warning does not stop the import.
    assert "This child&#x27;s ICPC was late: held Thu 1 October 2026" in page
    assert "Import 3 children and 6 events" in page
    assert Child.objects.filter(reference__startswith="DfEX").count() == 0  # nothing yet

    done = client.post("/import/confirm/")
    assert done.status_code == 200
    assert "3 children and 6 events added" in done.content.decode()
    assert Child.objects.filter(reference__startswith="DfEX").count() == 3
    # The files are gone with the session's note of them: a second confirm imports nothing.
    assert client.post("/import/confirm/").status_code == 302


@time_machine.travel(TODAY, tick=False)
def test_a_file_with_errors_shows_them_and_offers_no_import(client: Client, council: Any) -> None:
    signed_in(client, council.administrator, council.password)
    checked = client.post("/import/", {"kind": "cin", "files": files("liiatools_cin-2022.xml")})
    page = checked.content.decode()
    assert "The files cannot be imported" in page
    assert "This UPN&#x27;s check letter is wrong: A, where its digits give P" in page
    assert "interop_confirm" not in page and "/import/confirm/" not in page
    assert client.post("/import/confirm/").status_code == 302  # nothing waits to be confirmed
    assert not Child.objects.filter(reference="DfEX0000001").exists()


@time_machine.travel(TODAY, tick=False)
def test_the_safeguarding_service_manager_imports_903_tables(client: Client, council: Any) -> None:
    manager = make_staff([Role.SAFEGUARDING_SERVICE_MANAGER], password=council.password)
    signed_in(client, manager, council.password)
    names = ("903-header.csv", "903-episodes.csv", "903-reviews.csv")
    assert (
        "Import 2 children and 11 events"  # with each child's legal status and placements
        in client.post("/import/", {"kind": "903", "files": files(*names)}).content.decode()
    )
    client.post("/import/confirm/")
    assert Event.objects.filter(child__reference="900001", type="lac_review").count() == 2


@time_machine.travel(TODAY, tick=False)
def test_an_administrator_downloads_the_template_and_imports_the_dataset(
    client: Client, council: Any
) -> None:
    signed_in(client, council.administrator, council.password)
    page = client.get("/import/").content.decode()
    assert "Download the events template (CSV)" in page
    template = client.get("/import/events-template.csv")
    assert template["Content-Disposition"] == (
        'attachment; filename="oversight-events-template.csv"'
    )
    assert template.content.decode().startswith("child_ref,type,date,time,date_of_birth,")
    tables = [
        SimpleUploadedFile(path.name, path.read_bytes())
        for path in sorted((DATA / "ssd").glob("*.csv"))
    ]
    checked = client.post("/import/", {"kind": "ssd", "files": tables}).content.decode()
    assert "Import 2 children and 8 events" in checked
    client.post("/import/confirm/")
    assert Event.objects.filter(child__reference="SSD0002", type="iro_allocated").count() == 1


def test_it_refuses_a_file_of_the_wrong_type(client: Client, council: Any) -> None:
    signed_in(client, council.administrator, council.password)
    page = client.post("/import/", {"kind": "cin", "files": files("903-reviews.csv")})
    assert "903-reviews.csv: a CIN file ends in .xml" in page.content.decode()
    assert "Choose the files to import" in client.post("/import/", {"kind": "cin"}).content.decode()


@pytest.mark.parametrize("persona", ["iro", "iro_team_manager", "social_worker", "auditor"])
def test_no_one_else_finds_the_page(client: Client, council: Any, persona: str) -> None:
    signed_in(client, getattr(council, persona), council.password)
    assert client.get("/import/").status_code == 404
    assert client.post("/import/confirm/").status_code == 404
    assert client.get("/import/events-template.csv").status_code == 404


def test_it_asks_for_sign_in(client: Client) -> None:
    assert client.get("/import/").status_code == 302


@time_machine.travel(TODAY, tick=False)
def test_the_service_manager_downloads_a_return_from_the_reports_page(
    client: Client, council: Any
) -> None:
    manager = make_staff([Role.SAFEGUARDING_SERVICE_MANAGER], password=council.password)
    signed_in(client, manager, council.password)
    names = ("903-header.csv", "903-episodes.csv", "903-reviews.csv")
    client.post("/import/", {"kind": "903", "files": files(*names)})
    client.post("/import/confirm/")
    assert "Download the statutory returns (CIN census, SSDA903)" in (
        client.get("/reports/").content.decode()
    )
    refused = client.get("/reports/returns/", {"kind": "903", "year": "27"}).content.decode()
    assert "Enter a collection year such as 2027 (from 2009), by the year it ends in" in refused
    assert "Choose the return" in client.get("/reports/returns/", {"year": "2027"}).content.decode()
    got = client.get("/reports/returns/", {"kind": "903", "year": "2027"})
    assert got["Content-Disposition"] == 'attachment; filename="ssda903-reviews-2027.csv"'
    assert got.content.decode().splitlines() == [
        "CHILD,DOB,REVIEW,REVIEW_CODE",
        "900001,12/03/2012,22/06/2026,PN4",
    ]
    (row,) = AuditEntry.objects.filter(action="export")
    assert (row.child_reference, row.what, row.user) == ("900001", "export.903 2027", manager.user)
    assert row.path == "/reports/returns/?kind=903&year=2027"
    episodes = client.get("/reports/returns/", {"kind": "903-episodes", "year": "2027"})
    assert episodes["Content-Disposition"] == ('attachment; filename="ssda903-episodes-2027.csv"')
    # 900001's placements: long-term with a relative (U1), then short-term (U3) from Tue 16 June,
    # on a full care order (C2); 900002 accommodated under section 20 (V2)
    assert [line[:30] for line in episodes.content.decode().splitlines()[1:]] == [
        "900001,02/03/2026,S,C2,,U1,PR1",
        "900001,16/06/2026,P,C2,,U3,PR1",
        "900002,05/01/2026,S,V2,,U1,PR1",
        "C2000001,06/10/2025,S,,,,,,,,,",  # a persona looked after, no placement recorded
    ]


def test_the_returns_are_for_importers_only(client: Client, council: Any) -> None:
    signed_in(client, council.iro_team_manager, council.password)
    assert "Download the statutory returns" not in client.get("/reports/").content.decode()
    assert client.get("/reports/returns/", {"kind": "cin", "year": "2027"}).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_a_large_upload_is_checked_and_imported_by_the_background_worker(
    client: Client, council: Any, settings: Any
) -> None:
    settings.OVERSIGHT_IMPORT_BACKGROUND_BYTES = 100  # every one of these files is larger
    signed_in(client, council.administrator, council.password)
    sent = client.post("/import/", {"kind": "cin", "files": files("cin-2026.xml")})
    assert sent["Location"] == "/import/progress/"
    waiting = client.get("/import/progress/").content.decode()
    assert "Waiting for the background worker" in waiting
    assert '<meta http-equiv="refresh" content="2">' in waiting
    # Kept in the default storage every host shares, not in the process's temporary directory.
    (folder,) = (Path(settings.MEDIA_ROOT) / "imports").iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["001-cin-2026.xml", "state.json"]

    assert run_tasks() == 1
    checked = client.get("/import/progress/").content.decode()
    assert "Check the import" in checked and "Import 3 children and 6 events" in checked
    assert Child.objects.filter(reference__startswith="DfEX").count() == 0

    assert client.post("/import/confirm/")["Location"] == "/import/progress/"
    assert "Waiting for the background worker" in client.get("/import/progress/").content.decode()
    assert run_tasks() == 1
    done = client.get("/import/progress/").content.decode()
    assert "3 children and 6 events added" in done
    assert Child.objects.filter(reference__startswith="DfEX").count() == 3
    assert not folder.exists()  # the files and their state are gone once shown
    assert client.get("/import/progress/")["Location"] == "/import/"


@time_machine.travel(TODAY, tick=False)
def test_the_worker_reports_how_far_it_has_got(
    council: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = uploads.store(files("903-header.csv", "903-episodes.csv", "903-reviews.csv"))
    size = uploads.size(token)
    seen: list[tuple[str, int, int]] = []
    save = uploads.save_state

    def watch(token: str, state: dict[str, Any]) -> None:
        if "done" in state:
            seen.append((state["stage"], state["done"], state["total"]))
        save(token, state)

    monkeypatch.setattr(uploads, "save_state", watch)
    assert tasks.run_upload.call(token, "903", council.administrator.user.pk, True) == "done"
    checking = [s for s in seen if s[0] == "checking"]
    # Every byte of the three files read, then the two children written.
    assert checking[0][2] == size and checking[-1] == ("checking", size, size)
    assert seen[-1] == ("importing", 2, 2)
    assert (uploads.state(token) or {})["stage"] == "done"
    assert uploads.kept(token) == []  # the files gone, the state kept for the page
    assert Event.objects.filter(child__reference="900001", type="lac_review").count() == 2


def test_a_file_that_is_not_its_type_inside_is_refused(
    client: Client, council: Any, settings: Any
) -> None:
    signed_in(client, council.administrator, council.password)
    fake = SimpleUploadedFile("census.xml", b"CHILD,DOB\n1,01/01/2020\n")
    binary = SimpleUploadedFile("reviews.csv", b"\x00\x01\x02PK\x03\x04")
    page = client.post("/import/", {"kind": "cin", "files": [fake]}).content.decode()
    assert "census.xml: this is not XML (it does not begin with &lt;)" in page
    page = client.post("/import/", {"kind": "903", "files": [binary]}).content.decode()
    assert "reviews.csv: this is not a CSV file in UTF-8 text" in page
    settings.OVERSIGHT_IMPORT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.csv", b"CHILD,DOB\n" + b"1,01/01/2020\n" * 90_000)
    page = client.post("/import/", {"kind": "903", "files": [big]}).content.decode()
    assert "big.csv: larger than 1 MB" in page
    assert not (Path(settings.MEDIA_ROOT) / "imports").exists()  # nothing kept
