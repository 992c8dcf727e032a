"""The system check the lead registers: no errors for a good active pack, one per problem else.
(Django's check classes only: no settings and no database.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.policies import checks


def test_it_passes_a_good_active_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "active_policy", lambda: "walsall")
    assert checks.check_active_policy() == []


def test_it_refuses_an_invalid_active_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "broken.toml").write_text(
        'name = "broken"\ncouncil = "Broken"\nextends = "englnd"\n', encoding="utf-8"
    )
    monkeypatch.setenv("OVERSIGHT_POLICY_DIRS", str(tmp_path))
    monkeypatch.setattr(checks, "active_policy", lambda: "broken")
    errors = checks.check_active_policy()
    assert [e.id for e in errors] == ["oversight.policies.E001"]
    assert errors[0].msg.startswith("OVERSIGHT_POLICY=broken: broken.toml: extends: unknown policy")


def test_it_refuses_an_unknown_active_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "active_policy", lambda: "nowhere")
    assert [e.msg for e in checks.check_active_policy()] == [
        "OVERSIGHT_POLICY=nowhere: unknown policy 'nowhere' (known: camden, england, "
        "leicestershire, manchester, stockport, walsall)"
    ]
