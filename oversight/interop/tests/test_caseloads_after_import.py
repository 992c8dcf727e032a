"""After an import the engine's obligations are on the right caseloads: the imported child's
overdue first review on the caseload of the social worker the file allocates, and on nobody
else's. Thu 3 December 2026."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine

from oversight.interop.actions import run_import
from oversight.interop.tests.helpers import THURSDAY_3_DECEMBER_2026, csv_file
from oversight.policies import resolve_policy

pytestmark = pytest.mark.django_db


def rows(response: Any) -> list[str]:
    body = response.text[response.text.find('id="caseload"') :]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body, re.S)[1:]
    ]


def test_an_imported_childs_obligations_are_on_the_allocated_workers_caseload(
    tmp_path: Path, client: Any, council: Any
) -> None:
    worker = council.social_worker.user.username
    sources = [
        csv_file(tmp_path, "ssd_person.csv", "pers_person_id,pers_dob", "SSD0301,2014-03-09"),
        csv_file(
            tmp_path,
            "ssd_cla_episodes.csv",
            "clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date",
            # Looked after from Mon 2 November 2026: the first review is due in 20 working
            # days, Mon 30 November 2026, and was not held.
            "EP-1,SSD0301,2026-11-02",
        ),
        csv_file(
            tmp_path,
            "ssd_involvements.csv",
            "invo_involvements_id,invo_professional_id,invo_professional_role_id,"
            "invo_person_id,invo_involvement_start_date",
            f"I-1,{worker},Social Worker,SSD0301,2026-11-02",
        ),
    ]
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        summary, report = run_import(
            "ssd",
            sources,
            acting_user=None,
            as_of=THURSDAY_3_DECEMBER_2026,
            policy=resolve_policy("england"),
        )
        assert report.problems == [] and summary.imported
        assert summary.overdue >= 1
        client.force_login(council.social_worker.user)
        # Everyone's obligations for the children the worker holds (the review is the IRO's).
        mine = [row for row in rows(client.get("/caseload/?mine=0")) if "SSD0301" in row]
        client.force_login(council.other_social_worker.user)
        theirs = [row for row in rows(client.get("/caseload/?mine=0")) if "SSD0301" in row]
    assert any("First looked-after review due" in r and "Mon 30 Nov 2026" in r for r in mine)
    assert theirs == []
