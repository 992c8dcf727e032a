""" "Act" on My caseload opens the form that meets the obligation (`ACT_FORMS`), with the child
and the date filled in: every code of the catalogue and of the packs has a form or a reason."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from django.urls import reverse

from oversight.cases.constants import EventType, Role
from oversight.cases.factories import allocate, make_child, record_event
from oversight.cases.forms import RECORDABLE
from oversight.cases.obligations import recompute_all
from oversight.meetings.forms import BookingForm
from oversight.policies import list_packs, resolve_policy
from oversight.timescales.catalogue import CODES
from oversight.web.views_caseload import ACT_FORMS, NO_FORM

wednesday_20_january_2027 = dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC)


def every_code() -> set[str]:
    found = set(CODES)
    for name in list_packs():
        found |= {row.code for row in resolve_policy(name).obligations}
    return found


def test_it_gives_every_code_a_form_or_a_reason():
    missing = sorted(every_code() - set(ACT_FORMS) - set(NO_FORM))
    assert missing == []  # each of these would only reload the child's page
    assert set(ACT_FORMS) & set(NO_FORM) == set()  # one answer per code
    assert sorted(set(ACT_FORMS) | set(NO_FORM)) == sorted(every_code())  # no stale code


def test_it_names_forms_that_exist_with_choices_they_offer():
    meetings = {value for value, _ in BookingForm.base_fields["meeting"].choices}  # type: ignore[attr-defined]
    for code, act in ACT_FORMS.items():
        if act.url != "concern":
            assert reverse(act.url, args=[1]), code
        for key, value in act.given:
            if key == "type":
                assert value in RECORDABLE, code  # the chronology's form offers it
            if key == "meeting":
                assert value in meetings, code  # the booking form offers it


def act_links(text: str, child: str) -> dict[str, str]:
    """Each of `child`'s rows: its label -> its "Act" link."""
    found = {}
    for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', text, re.S):
        if child not in row:
            continue
        cells = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row, re.S)
        link = re.search(r'href="([^"]+)">Act<', row)
        if cells and link:
            # the obligation's words, before the line with its type under them
            words = re.sub(r"<[^>]+>", "\n", cells[1]).strip().split("\n")[0]
            found[words.strip()] = html.unescape(link[1])
    return found


@pytest.mark.django_db
def test_it_links_each_row_to_its_form_with_the_child_and_date(client, council):
    with time_machine.travel(wednesday_20_january_2027, tick=False):
        iro = council.iro
        child = make_child(first_name="Wren", last_name="Kettlewell")
        allocate(child, iro, Role.IRO, dt.date(2026, 11, 2))
        allocate(child, iro, Role.SOCIAL_WORKER, dt.date(2026, 11, 2))
        # ICPC Thu 3 Dec 2026: the first visit (10 working days) is overdue by Wed 20 Jan
        record_event(child, EventType.ICPC, dt.date(2026, 12, 3), outcome="plan")
        record_event(
            child, EventType.MEETING_BOOKED, dt.date(2027, 1, 4), meeting="rcpc", on="2027-02-26"
        )
        recompute_all(as_of=dt.date(2027, 1, 20))
        client.force_login(iro.user)
        page = client.get("/caseload/?mine=0&status=all").text
        links = act_links(page, "Wren Kettlewell")
    base = f"/children/{child.pk}"
    assert links["Child protection visit due"] == (
        f"{base}/meetings/cp-visit/new/?date=20+1+2027"  # today, Wed 20 Jan 2027
    )
    assert links["First review conference due"] == (
        f"{base}/meetings/booking/new/?meeting=rcpc&date=20+1+2027"
    )
    assert (
        links["First core group meeting due"] == f"{base}/meetings/core-group/new/?date=20+1+2027"
    )
    assert links["Conference reports due to the chair"] == (
        f"{base}/events/new/?type=conference_reports_received&date=20+1+2027"
    )
    assert links["Booked review conference"] == (
        f"{base}/meetings/rcpc/new/?date=26+2+2027"  # the day booked, Fri 26 Feb 2027
    )


@pytest.mark.django_db
def test_it_fills_in_the_forms_from_the_link(client, council):
    client.force_login(council.iro.user)
    child = council.child
    page = client.get(f"/children/{child.pk}/meetings/booking/new/?meeting=rcpc&date=20+1+2027")
    assert 'value="20 1 2027"' in page.text  # the day the booking is made
    assert re.search(r'value="rcpc"[^>]*checked', page.text)  # the meeting to book
    page = client.get(f"/children/{child.pk}/events/new/?type=sw_consulted&date=20+1+2027")
    assert 'value="20 1 2027"' in page.text
