"""The report figures and the audit log through the API: the dashboard's JSON as `oversight
report dashboard --format json` gives it, over the children the caller may see; the audit log
for those the audit page is for; both reads audited."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine

from oversight.api import tokens
from oversight.audit.models import AuditEntry
from oversight.reports.command import main as report_command
from oversight.reports.tests.conftest import build_december

pytestmark = pytest.mark.django_db


@pytest.fixture
def december(council):
    # Today Monday 11 January 2027: the last full month is December 2026.
    with time_machine.travel(dt.datetime(2027, 1, 11, 10, 0, tzinfo=dt.UTC), tick=False):
        yield build_december(council)


@pytest.fixture
def get(client, council):
    made: dict[str, str] = {}

    def call(staff, url):
        name = staff.user.username
        if name not in made:
            made[name] = tokens.issue(
                name=name, user=staff.user, read_only=True, expires_on=None,
                acting_user=council.administrator.user,
            ).secret  # fmt: skip
        return client.get(f"/api/v1{url}", HTTP_AUTHORIZATION=f"Bearer {made[name]}")

    return call


def figures(document):
    return {f["key"]: (f["numerator"], f["denominator"]) for f in document["figures"]}


def test_the_dashboard_is_the_commands_json_for_a_manager_of_every_child(get, december):
    got = get(december.service_manager, "/reports/dashboard")  # no dates: December 2026
    assert got.status_code == 200, got.content
    out = io.StringIO()
    assert (
        report_command(["dashboard", "--from", "2026-12-01", "--to", "2026-12-31"], stdout=out) == 0
    )
    assert got.json() == json.loads(out.getvalue())
    assert (got.json()["from"], got.json()["to"]) == ("2026-12-01", "2026-12-31")
    assert figures(got.json())["icpc_within_15_wd"] == (3, 5)


def test_a_team_manager_counts_only_the_children_of_their_line(get, council, december):
    tara = figures(get(council.team_manager, "/reports/dashboard").json())
    assert tara["icpc_within_15_wd"] == (3, 3)  # not the service's 3 of 5
    assert tara["escalations_resolved"] == (2, 3)


def test_the_figures_are_refused_by_field_and_to_those_who_may_not_read_them(
    get, council, december
):
    bad = get(
        december.service_manager, "/reports/dashboard?date_from=2026-12-31&date_to=2026-12-01"
    )
    assert bad.json()["errors"][0]["loc"] == ["query", "date_to"]
    nobody = get(december.service_manager, "/reports/dashboard?iro=nobody")
    assert nobody.json()["errors"][0]["loc"] == ["query", "iro"]
    supervision = get(december.service_manager, "/reports/supervision")
    assert supervision.json()["errors"][0]["loc"] == ["query", "iro"]
    assert get(december.service_manager, "/reports/picnic").status_code == 404
    assert get(council.iro, "/reports/dashboard").status_code == 403  # an IRO reads no reports


def test_the_figures_read_is_audited(get, december):
    get(december.service_manager, "/reports/dashboard")
    row = AuditEntry.objects.get(what="api.reports.dashboard")
    assert row.user == december.service_manager.user and row.via.startswith("API token")


def test_the_auditor_reads_the_log_filtered_by_child(get, council):
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        assert get(council.iro, f"/children/{council.child.pk}").status_code == 200
        assert get(council.other_iro, f"/children/{council.other_child.pk}").status_code == 200
        got = get(council.auditor, "/audit?child=C1000001&action=view")
    assert got.status_code == 200, got.content
    rows = got.json()["items"]
    assert [(r["username"], r["child_reference"]) for r in rows] == [
        (council.iro.user.username, "C1000001")  # Poppy's view, not Milo's
    ]
    assert rows[0]["via"] == f"API token: {council.iro.user.username}"
    read = AuditEntry.objects.get(what="api.audit.listed")
    assert list(read.children.values_list("child_reference", flat=True)) == ["C1000001"]


def test_the_log_is_the_audit_pages_readers_only_and_refuses_bad_filters(get, council):
    assert get(council.iro, "/audit").status_code == 403
    assert get(council.iro_team_manager, "/audit").status_code == 403
    assert get(council.administrator, "/audit").status_code == 200
    bad = get(council.auditor, "/audit?action=picnic")
    assert bad.json()["errors"][0]["loc"] == ["query", "action"]
    backwards = get(council.auditor, "/audit?date_from=2026-12-03&date_to=2026-12-02")
    assert backwards.json()["errors"][0]["loc"] == ["query", "date_to"]


def test_the_log_comes_in_pages_oldest_first(get, council):
    for _ in range(3):
        get(council.iro, f"/children/{council.child.pk}")
    whose = f"/audit?person={council.iro.user.username}&action=view&limit=2"
    first = get(council.auditor, whose).json()
    second = get(council.auditor, f"{whose}&cursor={first['next']}").json()
    ids = [r["id"] for r in first["items"] + second["items"]]
    assert ids == sorted(ids) and len(ids) == 3 and second["next"] is None
