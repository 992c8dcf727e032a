"""A referral to Cafcass that names the care proceedings it relates to, and the child's page
listing it under those proceedings. Camden's looked-after ladder (seed 000) makes provision for
Cafcass. Milo is looked after from Mon 6 Oct 2025; proceedings were issued on Mon 1 Feb 2027;
the concern is raised on Mon 1 Mar 2027 and the referral made on Wed 3 Mar 2027."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.escalations import actions
from oversight.escalations.models import Step
from oversight.escalations.tests.conftest import line, use_pack  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
MONDAY_1_MARCH_2027 = dt.date(2027, 3, 1)


@pytest.fixture
def referral(line, use_pack):  # noqa: F811
    use_pack("camden")
    c = line.council
    c.other_social_worker.line_manager = c.team_manager
    c.other_social_worker.save()
    milo = c.other_child
    begun = record_event(
        milo, EventType.PROCEEDINGS_START, dt.date(2027, 2, 1), court="Central Family Court"
    )
    concern = actions.raise_concern(
        milo,
        issue="Plan not updated",
        impact="Drift",
        on=MONDAY_1_MARCH_2027,
        acting_user=c.other_iro.user,
    )
    with time_machine.travel(dt.datetime(2027, 3, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        yield c, milo, begun, concern


def test_the_referral_names_the_proceedings_and_their_page_lists_it(client, referral):
    c, milo, begun, concern = referral
    client.force_login(c.other_iro.user)
    posted = {"kind": "cafcass", "grounds": "Care plan not implemented", "proceedings": begun.pk}
    assert client.post(f"/concerns/{concern.pk}/referral/", posted).status_code == 302
    step = Step.objects.get(concern=concern, kind="cafcass")
    assert step.data["proceedings"] == begun.pk
    page = client.get(f"/children/{milo.pk}/").text
    assert "Referrals to Cafcass about these proceedings" in page
    assert "Referred Wednesday 3 March 2027</a>: Care plan not implemented" in page


def test_another_childs_proceedings_are_refused_on_the_field(client, referral):
    c, _milo, _begun, concern = referral
    poppys = record_event(c.child, EventType.PROCEEDINGS_START, dt.date(2027, 2, 1), court="X")
    client.force_login(c.other_iro.user)
    posted = {"kind": "cafcass", "grounds": "Care plan not implemented", "proceedings": poppys.pk}
    response = client.post(f"/concerns/{concern.pk}/referral/", posted)
    assert response.status_code == 200
    assert "Choose care proceedings of this child from the list" in response.text
    assert not Step.objects.filter(concern=concern, kind="cafcass").exists()


def test_a_referral_without_proceedings_names_none(client, referral):
    c, milo, _begun, concern = referral
    client.force_login(c.other_iro.user)
    posted = {"kind": "cafcass", "grounds": "Care plan not implemented"}
    assert client.post(f"/concerns/{concern.pk}/referral/", posted).status_code == 302
    assert "proceedings" not in Step.objects.get(concern=concern, kind="cafcass").data
    assert "Referrals to Cafcass" not in client.get(f"/children/{milo.pk}/").text
