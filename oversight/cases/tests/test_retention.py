"""Retention: a child's records come up for review the pack's years after their last event (or
the last review that kept them); the nightly run flags them, once; nothing is deleted; the
safeguarding service manager keeps them (until the next review) or marks them for disposal by
the records manager, with a reason, on the audit log; a marked child is never flagged again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from oversight.audit.models import AuditEntry
from oversight.cases.constants import EventType, RetentionDecision, Role
from oversight.cases.factories import make_child, make_staff, record_event
from oversight.cases.models import Child, Event, RetentionReview
from oversight.cases.retention import decide, flag_due, review_due, review_years, years_after

THURSDAY_3_DECEMBER_2026 = dt.date(2026, 12, 3)


def test_a_leap_day_comes_up_a_day_early_in_a_year_without_one():
    thursday_29_february_2024 = dt.date(2024, 2, 29)
    assert years_after(thursday_29_february_2024, 6) == dt.date(2030, 2, 28)  # Thu, not 1 March
    assert years_after(thursday_29_february_2024, 4) == dt.date(2028, 2, 29)  # a leap year again


def test_a_review_that_kept_the_records_starts_the_years_again():
    wednesday_2_december_2020 = dt.date(2020, 12, 2)
    assert review_due(wednesday_2_december_2020, None, 6) == dt.date(2026, 12, 2)
    # kept on Thu 3 Dec 2026: the next review Fri 3 Dec 2032
    assert review_due(wednesday_2_december_2020, THURSDAY_3_DECEMBER_2026, 6) == dt.date(
        2032, 12, 3
    )


def test_the_national_baseline_reviews_six_years_on(settings):
    settings.OVERSIGHT_POLICY = "england"
    assert review_years() == 6


@pytest.mark.django_db
def test_the_nightly_run_flags_the_children_due_once_and_deletes_nothing():
    due = make_child(reference="R-DUE", date_of_birth=dt.date(2010, 1, 5))
    record_event(due, EventType.STRATEGY_DISCUSSION, dt.date(2019, 5, 1))
    record_event(due, EventType.ICPC_NOT_REQUIRED, dt.date(2020, 12, 2))  # last: Wed 2 Dec 2020
    not_yet = make_child(reference="R-NOT-YET", date_of_birth=dt.date(2011, 1, 5))
    record_event(not_yet, EventType.STRATEGY_DISCUSSION, dt.date(2020, 12, 4))  # due Fri 4 Dec
    make_child(reference="R-NO-EVENTS", date_of_birth=dt.date(2012, 1, 5))
    events = Event.objects.count()

    assert flag_due(as_of=THURSDAY_3_DECEMBER_2026, years=6) == 1
    review = RetentionReview.objects.get()
    assert review.child == due
    assert (review.last_event_on, review.due_on) == (dt.date(2020, 12, 2), dt.date(2026, 12, 2))
    assert (
        AuditEntry.objects.filter(what="child.retention_review_due", child_id=due.pk).count() == 1
    )
    # the next night: nothing new (the review is open), nothing deleted
    assert flag_due(as_of=dt.date(2026, 12, 4), years=6) == 1  # Fri 4 Dec: R-NOT-YET now due
    assert flag_due(as_of=dt.date(2026, 12, 5), years=6) == 0
    assert Child.objects.count() == 3 and Event.objects.count() == events


@pytest.mark.django_db
def test_kept_records_come_up_again_the_years_after_the_review():
    child = make_child(reference="R-KEPT", date_of_birth=dt.date(2010, 1, 5))
    record_event(child, EventType.STRATEGY_DISCUSSION, dt.date(2020, 12, 2))
    manager = make_staff([Role.SAFEGUARDING_SERVICE_MANAGER])
    flag_due(as_of=THURSDAY_3_DECEMBER_2026, years=6)
    review = RetentionReview.objects.get()
    decide(review, RetentionDecision.KEEP, reason="Sibling's proceedings continue",
           on=THURSDAY_3_DECEMBER_2026, acting_user=manager.user)  # fmt: skip
    review.refresh_from_db()
    assert (review.decision, review.decided_by) == ("keep", manager)
    assert review.next_review_on == dt.date(2032, 12, 3)  # Fri 3 Dec 2032: the pack's 6 years on
    assert flag_due(as_of=dt.date(2032, 12, 2), years=6) == 0  # Thu 2 Dec 2032: not yet
    assert flag_due(as_of=dt.date(2032, 12, 3), years=6) == 1  # Fri 3 Dec 2032
    kept = AuditEntry.objects.get(what="child.retention_kept")
    assert (kept.child_id, kept.reason) == (child.pk, "Sibling's proceedings continue")
    assert kept.after == {"decided_on": "2026-12-03", "next_review_on": "2032-12-03"}


@pytest.mark.django_db
def test_records_marked_for_disposal_are_kept_as_they_are_and_never_flagged_again():
    child = make_child(reference="R-DISPOSE", date_of_birth=dt.date(2001, 1, 5))
    record_event(child, EventType.STRATEGY_DISCUSSION, dt.date(2020, 2, 29))  # a leap day
    manager = make_staff([Role.SAFEGUARDING_SERVICE_MANAGER])
    assert flag_due(as_of=dt.date(2026, 2, 27), years=6) == 0  # Fri 27 Feb 2026: not yet
    assert flag_due(as_of=dt.date(2026, 2, 28), years=6) == 1  # Sat 28 Feb: the leap day's
    review = RetentionReview.objects.get()
    events = Event.objects.count()
    decide(review, RetentionDecision.DISPOSE, reason="Retention period passed, no proceedings",
           on=dt.date(2026, 3, 2), acting_user=manager.user)  # fmt: skip
    review.refresh_from_db()
    assert (review.decision, review.decided_on, review.next_review_on) == (
        "dispose",
        dt.date(2026, 3, 2),
        None,
    )
    # Nothing deleted, and the nightly run leaves the marked child alone, years on too.
    assert Child.objects.filter(pk=child.pk).exists() and Event.objects.count() == events
    assert flag_due(as_of=dt.date(2040, 3, 2), years=6) == 0
    assert RetentionReview.objects.count() == 1
    marked = AuditEntry.objects.get(what="child.retention_marked_for_disposal")
    assert (marked.child_id, marked.reason) == (child.pk, "Retention period passed, no proceedings")
    assert marked.after == {"decided_on": "2026-03-02"}


@pytest.mark.django_db
def test_the_nightly_command_says_how_many_it_flagged(capsys):
    child = make_child(reference="R-CMD", date_of_birth=dt.date(2010, 1, 5))
    record_event(child, EventType.STRATEGY_DISCUSSION, dt.date(2020, 12, 2))
    call_command("nightly", "--as-of", "2026-12-03")
    out = capsys.readouterr().out
    assert "Records due for review (6 years after the last event): 1 more children flagged." in out
