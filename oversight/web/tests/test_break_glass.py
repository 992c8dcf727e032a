"""Break-glass needs a second pair of eyes: a reason that says something, the IRO team manager
told at once, every opening on the audit page for review, and, where the pack says so, approval
before the record opens."""

import pytest

from oversight.audit.models import AuditEntry
from oversight.cases.access import break_glass_rules
from oversight.cases.models import AccessGrant
from oversight.notifications.models import Message

pytestmark = pytest.mark.django_db
# Owen Carrow, an IRO of team B, consulted by a social worker about Poppy (team A's).
ASK = {"reference": "C1000001", "purpose": "consultation"}
REASON = "Sami asked for advice before Monday's ICPC"


def use_break_glass(tmp_path, monkeypatch, settings, **rules: object) -> None:
    """A council's pack over the national baseline with its own `[break_glass]` table."""
    from oversight.policies import clear_caches

    table = "\n".join(f"{key} = {str(value).lower()}" for key, value in rules.items())
    (tmp_path / "careful.toml").write_text(
        'name = "careful"\ncouncil = "Careful Borough"\nextends = "england"\n\n'
        f'[break_glass]\n{table}\nsource = "Test pack: break-glass rules"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("OVERSIGHT_POLICY_DIRS", str(tmp_path))
    settings.OVERSIGHT_POLICY = "careful"
    clear_caches()


@pytest.fixture(autouse=True)
def _forget_packs():
    from oversight.policies import clear_caches

    yield
    clear_caches()


@pytest.fixture
def pack_requiring_approval(tmp_path, monkeypatch, settings):
    use_break_glass(tmp_path, monkeypatch, settings, approval_required=True)


def test_a_one_letter_reason_is_refused(client, council):
    client.force_login(council.other_iro.user)
    response = client.post("/open-record/", {**ASK, "reason": "x"})
    assert response.status_code == 200
    assert "in at least 20 characters" in response.text
    assert 'id="id_reason_1_error"' in response.text  # under the reason, not the reference
    assert not AccessGrant.objects.exists()
    assert not Message.objects.exists()


def test_the_minimum_is_the_packs(client, council, tmp_path, monkeypatch, settings):
    use_break_glass(tmp_path, monkeypatch, settings, reason_min_chars=50)
    client.force_login(council.other_iro.user)
    response = client.post("/open-record/", {**ASK, "reason": REASON})  # 43 characters
    assert "in at least 50 characters" in response.text
    assert not AccessGrant.objects.exists()


def test_the_iro_team_manager_is_told_at_once_without_the_reason(client, council):
    client.force_login(council.other_iro.user)
    response = client.post("/open-record/", {**ASK, "reason": REASON})
    assert response.status_code == 302
    (told,) = Message.objects.all()
    assert told.recipient == council.iro_team_manager  # Wren Ashdown
    assert told.subject == "Break-glass: Owen Carrow opened C1000001"
    assert "Review the opening and its reason on the audit page: http" in told.body
    assert "Monday's ICPC" not in told.body  # the reason stays in Oversight


def test_the_audit_page_lists_the_openings_for_review(client, council):
    client.force_login(council.other_iro.user)
    client.post("/open-record/", {**ASK, "reason": REASON})
    client.force_login(council.administrator.user)
    page = client.get("/audit/")
    table = page.text.split('id="break-glass"')[1].split("</table>")[0]
    assert "Owen Carrow" in table
    assert "C1000001" in table
    assert REASON.replace("'", "&#x27;") in table
    assert "At once" in table


def test_a_pack_may_require_approval_first(client, council, pack_requiring_approval):
    client.force_login(council.other_iro.user)
    asked = client.post("/open-record/", {**ASK, "reason": REASON})
    assert "Waiting for approval" in asked.text
    assert client.get(f"/children/{council.child.pk}/").status_code == 404  # still closed
    (told,) = Message.objects.all()
    assert told.subject == "Break-glass: Owen Carrow asks to open C1000001"
    assert "/open-record/approvals/" in told.body

    # Isla (an IRO, not a manager) may not approve; Wren (the IRO team manager) may.
    client.force_login(council.iro.user)
    assert client.get("/open-record/approvals/").status_code == 404
    client.force_login(council.iro_team_manager.user)
    waiting = client.get("/open-record/approvals/")
    assert "Owen Carrow" in waiting.text
    grant = AccessGrant.objects.get()
    assert client.post("/open-record/approvals/", {"grant": grant.pk}).status_code == 302
    grant.refresh_from_db()
    assert grant.approved_by == council.iro_team_manager
    assert AuditEntry.objects.filter(what="child.opening_approved", child_id=council.child.pk)

    client.force_login(council.other_iro.user)
    assert client.get(f"/children/{council.child.pk}/").status_code == 200  # open now


def test_the_national_baseline_opens_at_once_with_twenty_characters():
    rules = break_glass_rules()
    assert rules.reason_min_chars == 20
    assert rules.approval_required is False
