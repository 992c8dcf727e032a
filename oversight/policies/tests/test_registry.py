"""The registry: packs found in OVERSIGHT_POLICY_DIRS with no code change; unknown names; the
`oversight policy` commands' exit codes and output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from oversight.policies import (
    PolicyError,
    UnknownPolicy,
    list_packs,
    load_pack,
    resolve_policy,
    validate_active,
)
from oversight.policies.cli import main
from oversight.timescales.engine import evaluate

BARNET = """
name = "barnet"
council = "Synthetic Borough of Barnet"
extends = "england"

[[notes]]
about = "timescales"
text = "A synthetic council for the tests."

[timescales."lac.review.second"]
rule = "91 days"
source = "Synthetic protocol, section 2"

[[closure_days]]
yearly = "12-24"
reason = "Offices closed on Christmas Eve"
source = "Synthetic protocol, section 5"

[[closure_days]]
date = 2027-06-04
reason = "Staff training day"
source = "Synthetic protocol, section 5"
"""


@pytest.fixture
def barnet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "barnet.toml").write_text(BARNET, encoding="utf-8")
    monkeypatch.setenv("OVERSIGHT_POLICY_DIRS", f"/nonexistent:{tmp_path}")
    return tmp_path


def test_it_finds_a_council_pack_in_oversight_policy_dirs(barnet: Path) -> None:
    assert "barnet" in list_packs()
    assert validate_active("barnet") == []
    assert load_pack("barnet").council == "Synthetic Borough of Barnet"
    policy = resolve_policy("barnet")
    assert policy.closure_yearly == frozenset({(12, 24)})
    # Ladders come from england: the council wrote none.
    assert policy.default_ladder == "default"
    assert len(policy.ladders["default"].stages) == 4


def test_it_counts_the_council_closure_days(barnet: Path) -> None:
    result = evaluate(
        [{"type": "concern_raised", "date": "2027-05-27"}],  # Thu 2027-05-27
        resolve_policy("barnet"),
        __import__("datetime").date(2027, 5, 27),
    )
    # 5 working days: Fri 28 May, (Mon 31 May bank holiday), Tue 1, Wed 2, Thu 3,
    # (Fri 4 June the council's training day), Mon 7 June.
    assert result.obligations[0].due == __import__("datetime").date(2027, 6, 7)  # Mon 7 June


def test_it_applies_the_council_rule_over_england(barnet: Path) -> None:
    rows = {row.code: row for row in resolve_policy("barnet").obligations}
    assert str(rows["lac.review.second"].due) == "91 days"
    assert rows["lac.review.second"].source == "Synthetic protocol, section 2"
    assert str(rows["lac.review.next"].due) == "6 months"  # england's, unchanged


def test_it_reads_comma_separated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "barnet.toml").write_text(BARNET, encoding="utf-8")
    monkeypatch.setenv("OVERSIGHT_POLICY_DIRS", f"{tmp_path},/nonexistent")
    assert "barnet" in list_packs()


def test_it_names_the_known_packs_for_an_unknown_one() -> None:
    with pytest.raises(UnknownPolicy) as caught:
        resolve_policy("camdn")
    assert str(caught.value) == (
        "unknown policy 'camdn' (known: camden, england, leicestershire, manchester, "
        "stockport, walsall)"
    )
    assert isinstance(caught.value, LookupError)


def test_it_refuses_to_resolve_an_invalid_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken.toml").write_text(
        'name = "broken"\ncouncil = "Broken"\nextends = "england"\n'
        '[timescales."lac.review.second"]\nrule = "three months"\nsource = "x"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("OVERSIGHT_POLICY_DIRS", str(tmp_path))
    with pytest.raises(PolicyError) as caught:
        resolve_policy("broken")
    assert caught.value.problems[0].startswith('broken.toml: timescales."lac.review.second".rule')
    assert validate_active("broken") == caught.value.problems


def test_it_reports_an_unknown_active_policy() -> None:
    assert validate_active("nowhere") == [
        "unknown policy 'nowhere' (known: camden, england, leicestershire, manchester, "
        "stockport, walsall)"
    ]


def test_it_caches_the_resolved_policy() -> None:
    assert resolve_policy("camden") is resolve_policy("camden")


def test_it_lists_the_packs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [
        "camden", "england", "leicestershire", "manchester", "stockport", "walsall",
    ]  # fmt: skip
    assert "Manchester City Council" in lines[3]


def test_it_shows_a_pack_with_its_notes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "walsall"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Walsall Metropolitan Borough Council (pack walsall)\n")
    assert "lac.review.second: 91 days (walsall)" in out
    assert 'Ladder "cp"' in out and 'Ladder "iro"' in out
    assert "Notes\n=====" in out


def test_it_exits_2_for_an_unknown_pack(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "nowhere"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "oversight policy show: unknown policy 'nowhere' (known: camden, england, "
        "leicestershire, manchester, stockport, walsall)\n"
    )


def test_it_exits_2_for_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert main([]) == 2
    assert "usage: oversight policy" in capsys.readouterr().err


def test_it_runs_as_the_oversight_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "oversight.cli", "policy", "show", "nowhere"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_it_resolves_without_importing_pydantic() -> None:
    code = (
        "import sys; from oversight.policies import resolve_policy; "
        "resolve_policy('walsall'); print('pydantic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
