"""`validate_file` and `oversight policy validate`: one message per problem, naming its key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.policies import validate_file
from oversight.policies.cli import main

GOOD = """
name = "{name}"
council = "Synthetic Borough Council"
extends = "england"

[timescales."lac.review.second"]
rule = "91 days"
source = "Synthetic protocol, section 2"

[ladders.default]
label = "Dispute resolution"
applies_to = ["lac"]
source = "Synthetic protocol, section 3"

[ladders.default.informal]
name = "Informal stage"
addressees = ["social_worker", "team_manager"]
response = "5 working days"
source = "Synthetic protocol, section 3.1"

[[ladders.default.stages]]
number = 1
label = "Stage 1"
addressees = ["team_manager"]
response = "5 working days"
source = "Synthetic protocol, section 3.2"

[[ladders.default.stages]]
number = 2
label = "Stage 2"
addressees = ["service_manager"]
response = "5 working days"
source = "Synthetic protocol, section 3.3"

[ladders.default.total]
rule = "20 working days"
source = "Synthetic protocol, section 3.4"
"""


def write(tmp_path: Path, text: str, name: str = "synthetic") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace("{name}", name), encoding="utf-8")
    return path


def problems(tmp_path: Path, old: str, new: str) -> list[str]:
    assert old in GOOD
    return validate_file(write(tmp_path, GOOD.replace(old, new, 1)))


def test_it_accepts_a_good_pack(tmp_path: Path) -> None:
    assert validate_file(write(tmp_path, GOOD)) == []


def test_it_names_an_unknown_obligation_code(tmp_path: Path) -> None:
    found = problems(tmp_path, '"lac.review.second"', '"lac.review.thrid"')
    assert found == [
        "timescales.\"lac.review.thrid\": unknown obligation code 'lac.review.thrid' (not in the "
        "catalogue; a row the pack adds needs a trigger and met_by)"
    ]


def test_it_accepts_a_code_the_pack_adds_with_a_trigger(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        '[timescales."lac.review.second"]',
        '[timescales."synthetic.visit.record"]\ntrigger = "chair_child_discussion"\n'
        'met_by = ["child_discussion_recorded"]',
    )
    assert found == []


def test_it_names_stages_out_of_order(tmp_path: Path) -> None:
    found = problems(tmp_path, "number = 2", "number = 3")
    assert found == [
        "ladders.default.stages[1].number: stages must be numbered 1, 2, 3… in order "
        "(expected 2, found 3)"
    ]


def test_it_names_a_negative_duration(tmp_path: Path) -> None:
    found = problems(tmp_path, 'rule = "91 days"', 'rule = "-91 days"')
    assert len(found) == 1
    assert found[0].startswith('timescales."lac.review.second".rule: negative duration')


def test_it_names_a_malformed_duration(tmp_path: Path) -> None:
    found = problems(tmp_path, 'response = "5 working days"', 'response = "five days"')
    assert len(found) == 1
    assert found[0].startswith("ladders.default.informal.response: 'five days' is not a rule")


def test_it_names_a_stage_response_missing_without_none(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        'addressees = ["service_manager"]\nresponse = "5 working days"\n',
        'addressees = ["service_manager"]\n',
    )
    assert found == [
        "ladders.default.stages[1].response: missing: give a rule such as '5 working days', "
        "or 'none' with a reason"
    ]


def test_it_asks_for_the_reason_of_a_stage_with_no_response(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        'addressees = ["service_manager"]\nresponse = "5 working days"\n',
        'addressees = ["service_manager"]\nresponse = "none"\n',
    )
    assert found == [
        "ladders.default.stages[1].reason: missing: say why the stage has no response time"
    ]


def test_it_names_an_unknown_role(tmp_path: Path) -> None:
    found = problems(tmp_path, 'addressees = ["team_manager"]', 'addressees = ["boss"]')
    assert len(found) == 1
    assert found[0].startswith("ladders.default.stages[0].addressees[0]: unknown role 'boss'")


def test_it_refuses_a_label_for_a_role_that_does_not_exist(tmp_path: Path) -> None:
    found = validate_file(write(tmp_path, GOOD + '\n[roles]\nboss = "The Boss"\n'))
    assert len(found) == 1
    assert found[0].startswith("roles.boss: unknown role 'boss'")


def test_it_names_an_unknown_default_ladder(tmp_path: Path) -> None:
    found = validate_file(write(tmp_path, 'default_ladder = "cp"\n' + GOOD))
    assert found == ["default_ladder: unknown ladder 'cp' (this pack has: default)"]


def test_it_names_an_unknown_key(tmp_path: Path) -> None:
    found = problems(tmp_path, 'label = "Stage 1"', 'label = "Stage 1"\nrespnse = "2 days"')
    assert found == ["ladders.default.stages[0].respnse: unknown key"]


def test_it_names_a_ladder_with_no_total(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        '[ladders.default.total]\nrule = "20 working days"\nsource = "Synthetic protocol, section 3.4"',
        "",
    )
    assert found[0].startswith("ladders.default.total: missing")


def test_it_names_an_unknown_parent(tmp_path: Path) -> None:
    found = problems(tmp_path, 'extends = "england"', 'extends = "englnd"')
    assert len(found) == 1
    assert found[0].startswith("extends: unknown policy 'englnd' (known: camden, england,")


def test_it_names_an_extends_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, GOOD.replace('extends = "england"', 'extends = "beta"'), "alpha")
    write(tmp_path, GOOD.replace('extends = "england"', 'extends = "alpha"'), "beta")
    monkeypatch.setenv("OVERSIGHT_POLICY_DIRS", str(tmp_path))
    assert validate_file(tmp_path / "alpha.toml") == ["extends: cycle alpha → beta → alpha"]


def test_it_refuses_a_number_for_a_code_the_ladders_set(tmp_path: Path) -> None:
    found = problems(tmp_path, '"lac.review.second"', '"esc.stage.response"')
    assert found[0].startswith("timescales.\"esc.stage.response\": 'esc.stage.response' is counted")


def test_it_keeps_a_before_rule_before(tmp_path: Path) -> None:
    found = problems(tmp_path, '"lac.review.second"', '"lac.review.documents"')
    assert found[0].startswith('timescales."lac.review.documents".rule: ')
    assert "before" in found[0]


def test_it_names_a_name_that_is_not_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "other.toml"
    path.write_text(GOOD.replace("{name}", "synthetic"), encoding="utf-8")
    assert validate_file(path) == ["name: 'synthetic' does not match the file name 'other.toml'"]


def test_it_names_a_file_that_is_not_toml(tmp_path: Path) -> None:
    found = validate_file(write(tmp_path, "name = \n"))
    assert len(found) == 1
    assert found[0].startswith("not valid TOML")


def test_it_exits_0_for_a_good_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: ok\n"


def test_it_exits_2_with_a_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = GOOD.replace("number = 2", "number = 3").replace('["team_manager"]', '["boss"]')
    path = write(tmp_path, bad)
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}: ladders.default.stages[0].addressees[0]: unknown role")
    assert lines[1].startswith(f"{path}: ladders.default.stages[1].number: stages must be")


def test_it_exits_2_for_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nothing.toml")]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        (
            'rule = "3 working days"',
            "numbers: restricted_information: '3 working days' counts the wrong way: "
            "e.g. '3 working days before'",
        ),
        ("value = 3", "numbers: restricted_information: give `rule`, e.g. '3 working days'"),
    ],
)
def test_it_names_a_meeting_number_of_the_wrong_shape(
    tmp_path: Path, number: str, problem: str
) -> None:
    # the meeting rules count restricted information back from the conference
    text = f"""
[numbers.restricted_information]
text = "Restricted information before the conference"
{number}
source = "Synthetic protocol, section 4"
"""
    assert validate_file(write(tmp_path, GOOD + text)) == [problem]


def test_it_names_a_dip_sample_that_is_not_a_count(tmp_path: Path) -> None:
    text = """
[numbers.dip_sample]
text = "Consultations drawn a month"
rule = "5 working days"
source = "Synthetic protocol, section 5"
"""
    assert validate_file(write(tmp_path, GOOD + text)) == [
        "numbers: dip_sample: give `value`, a whole number of 1 or more"
    ]


def test_it_refuses_otherwise_beside_roles_that_name_nobody_on_the_trigger(tmp_path: Path) -> None:
    """`otherwise` is whose an obligation is when `action_owner` finds nobody: beside fixed
    roles it would never apply, so it is refused rather than ignored."""
    owners = '\n[owners]\n"complaint.response" = {{ roles = [{roles}], otherwise = ["iro"] }}\n'
    found = validate_file(write(tmp_path, GOOD + owners.format(roles='"iro_team_manager"')))
    assert found == [
        'owners."complaint.response": otherwise applies only to roles that include action_owner'
    ]
    assert validate_file(write(tmp_path, GOOD + owners.format(roles='"action_owner"'))) == []
