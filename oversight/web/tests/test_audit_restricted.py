"""The audit log, on its page and through the API, as a restricted child's outsider reads it:
restriction wins over the auditor's role (docs/access.md), so the child's entries are left out,
a list's entry keeps its other children, and a search for the child finds nothing; the reader
named on the record reads all of it."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.api import tokens
from oversight.cases.constants import Role
from oversight.cases.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(client, council, time_machine):
    """Poppy (C1000001) restricted, her named safeguarding service manager having opened her
    record and listed her with Alfie (C1000002), her unrestricted brother."""
    time_machine.move_to(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC), tick=False)
    named = make_staff([Role.SAFEGUARDING_SERVICE_MANAGER], council.iro.team)
    council.child.restricted = True
    council.child.restricted_contact = council.iro_team_manager
    council.child.save()
    council.child.named_staff.add(council.iro, named)
    client.force_login(named.user)
    assert client.get(f"/children/{council.child.pk}/").status_code == 200
    page = client.get("/children/?q=Larkfield").content.decode()
    assert "C1000001" in page and "C1000002" in page
    return named


def api_log(client, council, staff):
    """The log's items through the API for `staff`'s token, for a query string."""
    secret = tokens.issue(
        name=staff.user.username, user=staff.user, read_only=True, expires_on=None,
        acting_user=council.administrator.user,
    ).secret  # fmt: skip

    def read(query=""):
        got = client.get(f"/api/v1/audit{query}", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert got.status_code == 200, got.content
        return got.json()["items"]

    return read


def test_the_auditor_reads_no_entry_of_a_restricted_child_on_the_page(client, council, restricted):
    client.force_login(council.auditor.user)
    page = client.get("/audit/").content.decode()
    assert "C1000001" not in page and "Poppy" not in page
    assert "1 child<" in page  # the list's entry, naming Alfie only
    found = client.get("/audit/?child=C1000001").content.decode()
    assert "0 entries" in found
    assert "1 entry" in client.get("/audit/?child=C1000002").content.decode()


def test_the_auditor_reads_no_entry_of_a_restricted_child_in_the_api(client, council, restricted):
    log = api_log(client, council, council.auditor)
    rows = log()
    assert "C1000001" not in str(rows)
    listed = [r for r in rows if r["what"] == "children.viewed"]
    assert [[c["reference"] for c in r["children"]] for r in listed] == [["C1000002"]]
    assert log("?child=C1000001") == []


def test_the_reader_named_on_the_record_reads_its_entries(client, council, restricted):
    rows = api_log(client, council, restricted)("?child=C1000001")
    assert {r["what"] for r in rows} >= {"children.viewed"}
    assert any(r["child_reference"] == "C1000001" for r in rows)
    client.force_login(restricted.user)
    assert "C1000001" in client.get("/audit/?child=C1000001").content.decode()
