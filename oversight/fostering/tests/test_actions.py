"""Recording a review and the steps of a concern: each refuses bad input naming the field, and
changes nothing when it does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.audit.models import AuditEntry
from oversight.fostering import actions
from oversight.fostering.factories import make_carer
from oversight.fostering.models import CarerConcern, CarerReview, ConcernStep

pytestmark = pytest.mark.django_db

THURSDAY_3_DECEMBER_2026 = dt.date(2026, 12, 3)


def _review(carer, chair, user, **overrides):
    fields = {
        "held_on": dt.date(2026, 11, 30),
        "chaired_by": chair,
        "continue_to_foster": True,
        "household_appropriate": True,
        "terms_appropriate": True,
        "acting_user": user,
        "as_of": THURSDAY_3_DECEMBER_2026,
    }
    fields.update(overrides)
    return actions.record_review(carer, **fields)


def test_it_records_a_review_on_the_audit_log(council, corporate_iro):
    carer = make_carer()
    review = _review(carer, corporate_iro, corporate_iro.user, carers_views="We are settled")
    assert CarerReview.objects.get().carers_views == "We are settled"
    entry = AuditEntry.objects.get(what="carer.review_recorded")
    assert entry.child_id is None  # a household, not a child
    after = entry.after
    assert isinstance(after, dict)
    assert (after["carer"], after["id"]) == ("FC1001", review.pk)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_on": dt.date(2026, 12, 4)}, "held_on"),  # tomorrow
        ({"held_on": dt.date(2026, 3, 1)}, "held_on"),  # before the approval, Mon 2 Mar 2026
        ({"terms_appropriate": False}, "new_terms"),  # not appropriate, no new terms
        ({"new_terms": "3 children"}, "new_terms"),  # new terms, though still appropriate
    ],
)
def test_it_refuses_bad_input_naming_the_field(council, corporate_iro, overrides, field):
    carer = make_carer()
    with pytest.raises(ValidationError) as refused:
        _review(carer, corporate_iro, corporate_iro.user, **overrides)
    assert field in refused.value.message_dict
    assert not CarerReview.objects.exists()
    assert not AuditEntry.objects.filter(what="carer.review_recorded").exists()


def test_only_a_corporate_iro_chairs(council, corporate_iro):
    with pytest.raises(ValidationError) as refused:
        _review(make_carer(), council.iro_team_manager, corporate_iro.user)
    assert "chaired_by" in refused.value.message_dict


def test_a_role_that_does_not_see_carers_may_not_record(council, corporate_iro):
    with pytest.raises(PermissionDenied):
        _review(make_carer(), corporate_iro, council.iro.user)


def test_it_takes_a_concern_up_the_ladder_and_resolves_it(council, corporate_iro, use_pack):
    use_pack("manchester")
    carer = make_carer()
    user = corporate_iro.user
    concern = actions.raise_concern(
        carer, issue="Smoke alarms", on=dt.date(2026, 11, 30), acting_user=user,
        as_of=THURSDAY_3_DECEMBER_2026,
    )  # fmt: skip
    actions.record_response(
        concern, on=dt.date(2026, 12, 1), response="Not accepted", acting_user=user,
        as_of=THURSDAY_3_DECEMBER_2026,
    )  # fmt: skip
    actions.escalate(
        concern, on=dt.date(2026, 12, 2), reason="No plan", acting_user=user,
        as_of=THURSDAY_3_DECEMBER_2026,
    )  # fmt: skip
    assert (concern.stage, concern.stage_since) == (2, dt.date(2026, 12, 2))
    actions.resolve(
        concern, on=dt.date(2026, 12, 3), resolution="Alarms fitted", acting_user=user,
        as_of=THURSDAY_3_DECEMBER_2026,
    )  # fmt: skip
    assert list(ConcernStep.objects.values_list("kind", "stage")) == [
        ("raised", 1),
        ("response", 1),
        ("escalated", 2),
        ("resolved", 2),
    ]
    with pytest.raises(ValidationError) as refused:
        actions.record_response(
            concern, on=dt.date(2026, 12, 3), response="Late", acting_user=user,
            as_of=THURSDAY_3_DECEMBER_2026,
        )  # fmt: skip
    assert "on" in refused.value.message_dict


def test_it_refuses_past_the_last_stage(council, corporate_iro, use_pack):
    use_pack("manchester")
    concern = actions.raise_concern(
        make_carer(), issue="Smoke alarms", on=dt.date(2026, 11, 30),
        acting_user=corporate_iro.user, as_of=THURSDAY_3_DECEMBER_2026,
    )  # fmt: skip
    concern.stage = 3  # Manchester's ladder has three stages
    concern.save()
    with pytest.raises(ValidationError) as refused:
        actions.escalate(
            concern, on=dt.date(2026, 12, 1), reason="Still", acting_user=corporate_iro.user,
            as_of=THURSDAY_3_DECEMBER_2026,
        )  # fmt: skip
    assert "on" in refused.value.message_dict
    assert CarerConcern.objects.get().stage == 3


def test_a_council_without_the_ladder_raises_no_concern(council, corporate_iro, use_pack):
    use_pack("stockport")
    with pytest.raises(ValidationError) as refused:
        actions.raise_concern(
            make_carer(), issue="Smoke alarms", on=dt.date(2026, 11, 30),
            acting_user=corporate_iro.user, as_of=THURSDAY_3_DECEMBER_2026,
        )  # fmt: skip
    assert "issue" in refused.value.message_dict
    assert not CarerConcern.objects.exists()
