"""Walsall (seed 002 section 5.2): the IRO's private conversation with a looked-after child
before the review is recorded within 5 working days. It is a looked-after obligation: the
caseload's "Looked after" filter shows it, "Child protection" does not (the same obligation
after a conference chair's discussion with a child stays under child protection)."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases.labels import category_for
from oversight.cases.models import Obligation
from oversight.meetings.tests.conftest import freeze
from oversight.meetings.tests.test_other_meetings import lac_child, review_post  # noqa: F401

pytestmark = pytest.mark.django_db
WORDS = "Discussion with the child to be recorded"


def test_it_shows_the_private_conversation_record_under_looked_after(
    client,
    council,
    lac_child,  # noqa: F811
    use_pack,
):
    use_pack("walsall")
    # the review on Mon 2027-02-01; the IRO saw Finn privately on Thu 2027-01-28, not yet recorded
    with freeze(dt.date(2027, 2, 1)):
        client.force_login(council.iro.user)
        response = client.post(f"/children/{lac_child.pk}/meetings/lac-review/new/", review_post())
        assert response.status_code == 302, response.context["form"].errors
        row = Obligation.objects.get(child=lac_child, code="cp.child_discussion.record")
        # Thu 28 Jan + 5 working days: Thu 2027-02-04
        assert (row.due, row.category) == (dt.date(2027, 2, 4), Obligation.Category.LAC)
        looked_after = client.get("/caseload/", {"type": "lac", "mine": "0"}).text
        protection = client.get("/caseload/", {"type": "cp", "mine": "0"}).text
    assert WORDS in looked_after
    assert WORDS not in protection


def test_it_keeps_a_conference_chairs_discussion_under_child_protection():
    # a `chair_child_discussion` written by a conference carries no meeting: child protection
    assert category_for("cp.child_discussion.record", {"type": "chair_child_discussion"}) == "cp"
    assert (
        category_for("cp.child_discussion.record", {"meeting": "lac_review"})
        == Obligation.Category.LAC
    )


def test_a_conversation_recorded_on_the_chronology_with_a_looked_after_child_is_looked_after(
    client, council
):
    from oversight.cases.models import Event

    # Milo, looked after since Mon 6 October 2025 and on no plan; Poppy on a plan since Fri 19
    # September 2025. Each spoken with on Tue 1 December 2026, recorded from the chronology.
    with freeze(dt.date(2026, 12, 2)):
        for child, iro in ((council.other_child, council.other_iro), (council.child, council.iro)):
            client.force_login(iro.user)
            response = client.post(
                f"/children/{child.pk}/events/new/",
                {"type": "chair_child_discussion", "date": "1 12 2026"},
            )
            assert response.status_code == 302
    milo = Event.objects.get(child=council.other_child, type="chair_child_discussion")
    poppy = Event.objects.get(child=council.child, type="chair_child_discussion")
    assert (milo.data, poppy.data) == ({"meeting": "lac_review"}, {})
    record = Obligation.objects.get(child=council.other_child, code="cp.child_discussion.record")
    # Tue 1 December + 5 working days: Tue 8 December 2026, under looked after
    assert (record.due, record.category) == (dt.date(2026, 12, 8), Obligation.Category.LAC)
