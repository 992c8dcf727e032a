"""Each rule once through the form, where no other page test shows it: the page puts the rule's
message (`oversight.meetings.rules`) on its field and saves nothing. Frozen on Fri 2027-01-08; the
child (born Fri 2020-05-01) has an IRO and a social worker and no plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from oversight.cases.constants import Role
from oversight.cases.models import Event
from oversight.meetings.models import Meeting
from oversight.meetings.tests.conftest import icpc_post

pytestmark = pytest.mark.django_db

FRI_8_JAN = "8 1 2027"
CONSULTATION = {
    "date": FRI_8_JAN,
    "time": "10:00",
    "requested_by": "Sami Fairholm",
    "requested_on": FRI_8_JAN,
    "iro": "duty",
    "advice": "Hold a TAC meeting",
    "rationale": "Concerns are below the threshold",
    "iro_recommendation": "tac",
    "team_decision": "tac",
    "outcome": "tac",
}
LAC_REVIEW = {"date": FRI_8_JAN, "venue": "placement"}
CASES: list[tuple[str, dict[str, Any], str, str]] = [
    # (kind, values posted, field, words of the refusal)
    ("strategy", {"date": "9 1 2027", "meeting_type": "s47"}, "date", "today or in the past"),
    (
        "strategy",
        {"date": "30 4 2020", "meeting_type": "s47"},
        "date",
        "on or after the child's date of birth (1 May 2020)",
    ),
    ("strategy", {"date": FRI_8_JAN, "meeting_type": "exploitation"}, "rag", "RAG rating"),
    ("s47_outcome", {"date": FRI_8_JAN, "outcome": "icpc"}, "icpc_on", "Book the initial"),
    ("s47_outcome", {"date": FRI_8_JAN, "outcome": "not_required"}, "reason", "no conference"),
    (
        "consultation",
        {**CONSULTATION, "requested_on": "7 1 2027"},
        "not_same_day",
        "should be the same working day",
    ),
    (
        "consultation",
        {**CONSULTATION, "team_decision": "icpc"},
        "outcome",
        "A TAC outcome needs the IRO and the team to agree on TAC",
    ),
    (
        "tac_meeting",
        {"date": FRI_8_JAN, "chair": "iro", "action_1_text": "Home visit"},
        "action_1_due",
        "Enter the date action 1 is due by",
    ),
    (
        "tac_meeting",
        {"date": FRI_8_JAN, "chair": "iro", "action_2_due": "22 1 2027"},
        "action_2_text",
        "Enter action 2",
    ),
    (
        "booking",
        {"date": FRI_8_JAN, "meeting": "lac_review", "on": "20 1 2027", "brought_forward": "on"},
        "reason",
        "Give the reason the review is brought forward",
    ),
    ("icpc", {"quorate": "no"}, "inquorate_went_ahead", "whether the inquorate conference"),
    ("icpc", {"arrangements": ["split"]}, "split_reason", "Say why the conference was split"),
    ("icpc", {"lpm_recommended": "on"}, "lpm_reason", "Legal Planning Meeting is recommended"),
    ("icpc", {"risks": ""}, "risks", "State the risks to the child"),
    ("icpc", {"lead_social_worker": ""}, "lead_social_worker", "Choose the lead social worker"),
    ("icpc", {"next_review": ""}, "next_review", "Book the review conference"),
    ("icpc", {"midway_review": ""}, "midway_review", "or say why none is needed"),
    ("icpc", {"first_core_group": ""}, "first_core_group", "Book the first core group"),
    (
        "icpc",
        {"excluded_1_rationale": "Threats to the chair"},
        "excluded_1_who",
        "Name the person excluded",
    ),
    (
        "scp_referral",
        {"date": FRI_8_JAN, "reason": "A second plan", "outcome": "pending"},
        "__all__",
        "The Support and Challenge Panel flag is not raised",
    ),
    (
        "lac_review",
        {**LAC_REVIEW, "venue": "elsewhere"},
        "seen_in_placement",
        "saw the child in the placement",
    ),
    (
        "lac_review",
        {**LAC_REVIEW, "without_meeting": "on"},
        "without_meeting_consultation",
        "Record the decision not to meet",
    ),
    (
        "lac_review",
        {**LAC_REVIEW, "sw_consulted": "9 1 2027"},
        "sw_consulted",
        "on or before the review",
    ),
    ("review_issued", {"date": "4 1 2027"}, "decisions_issued", "or the record were issued"),
    (
        "review_issued",
        {"date": "4 1 2027", "record_issued": "11 1 2027"},
        "record_issued",
        "today or in the past",
    ),
    (
        "iro_handover",
        {"date": FRI_8_JAN, "outgoing": "Owen Carrow", "introduced": "no", "handover": "All"},
        "not_introduced_reason",
        "Say why not, and how the child was told",
    ),
]


# Refusals of a council's own number: the pack that sets it.
PACK_OF = {"not_same_day": "stockport"}  # timescales."consult.request"


@pytest.mark.parametrize(("kind", "posted", "field", "words"), CASES)
def test_it_shows_the_rules_refusal_on_its_field(
    client, council, new_child, frozen, use_pack, kind, posted, field, words
):
    if field in PACK_OF:
        use_pack(PACK_OF[field])
    if kind == "icpc":
        posted = icpc_post(council, **posted)
    if kind == "iro_handover":
        posted = {**posted, "new_iro": str(council.iro.pk)}
    client.force_login(council.iro.user)
    response = client.post(
        f"/children/{new_child.pk}/meetings/{kind.replace('_', '-')}/new/", posted
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert words in " ".join(errors.get(field, [])), errors
    assert not Meeting.objects.filter(child=new_child).exists()  # nothing saved
    assert not Event.objects.filter(child=new_child).exclude(type="strategy_discussion").exists()


def test_it_refuses_a_handover_to_an_iro_who_is_not_the_childs(client, council, new_child, frozen):
    client.force_login(council.iro.user)
    response = client.post(
        f"/children/{new_child.pk}/meetings/iro-handover/new/",
        {
            "date": FRI_8_JAN,
            "outgoing": "Isla Brightwell",
            "new_iro": str(council.other_iro.pk),
            "introduced": "yes",
            "handover": "The care plan and the child's wishes",
        },
    )
    assert "Owen Carrow is not this child's IRO" in " ".join(
        response.context["form"].errors["new_iro"]
    )


def test_it_refuses_a_chair_who_is_the_childs_social_worker(client, council, new_child, frozen):
    from oversight.cases.factories import allocate, make_staff

    # an IRO who is also the child's social worker (from Fri 2027-01-01) cannot chair
    both = make_staff(
        [Role.IRO, Role.SOCIAL_WORKER], council.iro.team, first_name="Uma", last_name="Penrose"
    )
    allocate(new_child, both, Role.SOCIAL_WORKER, dt.date(2027, 1, 1))
    client.force_login(council.iro.user)
    response = client.post(
        f"/children/{new_child.pk}/meetings/icpc/new/",
        icpc_post(council, chair=str(both.pk), chair_change_reason="Isla is on leave"),
    )
    assert "Uma Penrose is in the management line of Uma Penrose" in " ".join(
        response.context["form"].errors["chair"]
    )
    assert not Meeting.objects.filter(child=new_child).exists()
