"""A complaint's deadlines go to its first point of contact: the chair of the conference
complained about (Camden, seed 000 Appendix 1, 4.12.2), who need not be the child's IRO; any other
complaint, and one recorded without its first point of contact (an import's), to the child's IRO.
Each pack's complaint rule is held to its seed's words.

Today is Wed 13 January 2027. Owen Carrow (IRO team B) chaired the conference of Isla
Brightwell's child (IRO team A): the two differ, so a deadline on the wrong caseload shows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from oversight.cases.constants import EventType
from oversight.cases.factories import record_event
from oversight.cases.obligations import recompute_child
from oversight.complaints import actions
from oversight.complaints.constants import Complainant
from oversight.meetings.constants import Kind
from oversight.meetings.factories import make_meeting
from oversight.policies import load_pack
from oversight.policies.coverage import SEEDS

pytestmark = pytest.mark.django_db

WED_13_JANUARY_2027 = dt.datetime(2027, 1, 13, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2027, 1, 13)
WED_23_DECEMBER_2026 = dt.date(2026, 12, 23)
ROWS = ("Complaint to be acknowledged", "Response to the complaint due")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(WED_13_JANUARY_2027, tick=False):
        yield


def caseload_of(client, staff) -> str:
    client.force_login(staff.user)
    page = client.get("/caseload/")
    assert page.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))


def complain(council, meeting=None):
    return actions.record_complaint(
        council.child,
        complainant="Jo Larkfield",
        complainant_is=Complainant.PARENT,
        received_on=WED_23_DECEMBER_2026,
        summary="The chair did not let me speak at the conference",
        meeting=meeting,
        acting_user=council.iro.user,
        as_of=TODAY,
    )


@pytest.mark.parametrize("pack", ["camden", "england"])
def test_a_complaint_about_a_conference_is_on_its_chairs_caseload_not_the_childs_iros(
    client, line, use_pack, pack
):
    use_pack(pack)
    c = line.council
    assert c.other_iro != c.iro  # the chair is not the child's IRO
    conference = make_meeting(
        c.child, kind=Kind.RCPC, date=dt.date(2026, 12, 17), chair=c.other_iro
    )
    complaint = complain(c, conference)
    assert complaint.chair == c.other_iro
    rows = c.child.obligations.filter(code__startswith="complaint.")
    assert {(o.code, o.due, o.owner_staff_id, o.owner_roles) for o in rows} == {
        ("complaint.acknowledge", dt.date(2026, 12, 30), c.other_iro.pk, ""),
        ("complaint.response", dt.date(2027, 1, 11), c.other_iro.pk, ""),
    }
    chairs = caseload_of(client, c.other_iro)
    assert all(row in chairs for row in ROWS)
    # asked to act, the chair sees the complaint in the log and acknowledges it
    assert f'href="/complaints/{complaint.pk}/"' in client.get("/complaints/").text
    acknowledged = client.post(f"/complaints/{complaint.pk}/acknowledge/", {"on": "13 1 2027"})
    assert acknowledged.status_code == 302
    met = c.child.obligations.get(code="complaint.acknowledge")
    assert (met.status, met.met_on) == ("met", TODAY)
    childs_iro = caseload_of(client, c.iro)
    assert not any(row in childs_iro for row in ROWS)


def test_a_complaint_about_the_case_is_the_childs_iros(client, line, use_pack):
    use_pack("camden")
    c = line.council
    complain(c)
    assert not any(row in caseload_of(client, c.other_iro) for row in ROWS)
    assert all(row in caseload_of(client, c.iro) for row in ROWS)


def test_an_imported_complaint_naming_nobody_is_the_childs_iros(client, line, use_pack):
    """A chronology's complaint with no `owner` (the events CSV's): the `otherwise` roles."""
    use_pack("camden")
    c = line.council
    record_event(c.child, EventType.COMPLAINT_RECEIVED, WED_23_DECEMBER_2026, complaint="k1")
    recompute_child(c.child, as_of=TODAY)
    rows = c.child.obligations.filter(code__startswith="complaint.")
    assert {(o.owner_roles, o.owner_staff_id) for o in rows} == {("|iro|", None)}
    assert all(row in caseload_of(client, c.iro) for row in ROWS)


def seed(name: str) -> str:
    return re.sub(r"\s+", " ", (SEEDS / name).read_text(encoding="utf-8"))


def test_camdens_complaint_rules_are_its_seeds_words():
    text = seed("000_5599954f077def44.txt")
    # Appendix 1 (4.12.2): the owners rows, action_owner (the chair) else the child's IRO
    assert (
        "The chair will be the first point of contact for those who wish to complain about the "
        "conduct of the conference and the decisions made (4.12.2). Complaints should be "
        "addressed to the chair in the first instance"
    ) in text
    # ... under a procedure the seed does not reproduce: no timescale of Camden's own
    assert "dealt with under the CSCP procedure" in text
    # Appendix 2, Stage 1: a child's complaint is a reason to escalate
    assert "Where the child has or will make a formal complaint" in text
    pack = load_pack("camden")
    for code in ("complaint.acknowledge", "complaint.response"):
        owner = pack.owners[code]
        assert (owner.roles, owner.otherwise) == (["action_owner"], ["iro"])
        assert "first point of contact" in owner.source
        assert "the seed gives no timescale" in pack.timescales[code].source
    assert pack.complaints is not None and pack.complaints.escalate_from == ["child"]


def test_manchesters_complaint_rule_is_its_seeds_words():
    text = seed("003_050b11c306d45310.txt")
    # "Referral to Cafcass": a child's own complaint, beside the protocol, as a way to resolve
    assert (
        "address these concerns through this Protocol or it may be the complaints procedure is "
        "used by the child directly or an adult who is authorised to act on their behalf"
    ) in text
    pack = load_pack("manchester")
    # the child's own complaint, or one an authorised adult makes for them
    assert pack.complaints is not None
    assert pack.complaints.escalate_from == ["child", "on_behalf"]
    assert "or an adult who is authorised to act on their behalf" in pack.complaints.source
    assert_baselines(pack)  # no timescale in the seed


def assert_baselines(pack) -> None:
    """The pack's complaint rows and owners are the national baseline's, inherited."""
    england = load_pack("england")
    for code in ("complaint.acknowledge", "complaint.response"):
        assert pack.timescales.get(code) == england.timescales.get(code)
        assert pack.owners[code] == england.owners[code]
        assert (england.owners[code].roles, england.owners[code].otherwise) == (
            ["action_owner"],
            ["iro"],
        )


def test_the_other_seeds_give_no_complaint_rule():
    """Walsall's only complaint words are the child's knowing the route (seed 002); Stockport's
    and Leicestershire's seeds have none: their packs keep the baseline's."""
    assert "know the route for making a complaint" in seed("002_6b547a9841511f01.txt")
    for name in ("001_558784eee321db03.txt", "004_184c5097ab010ef4.txt"):
        assert "complain" not in seed(name).lower()
    for name in ("walsall", "stockport", "leicestershire"):
        pack = load_pack(name)
        assert pack.complaints is None
        assert_baselines(pack)
