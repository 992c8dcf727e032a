from io import StringIO

import pytest
from django.core.management import call_command

from oversight.cases.constants import Role
from oversight.cases.factories import make_staff

pytestmark = pytest.mark.django_db


def signins() -> str:
    out = StringIO()
    call_command("signins", stdout=out)
    return out.getvalue()


def test_it_prints_one_sign_in_per_role_with_the_demo_password(council, settings):
    settings.OVERSIGHT_DEMO_PASSWORD = "oversight-demo"
    output = signins()
    assert "isla.brightwell" in output or "owen.carrow" in output  # an IRO
    assert "wren.ashdown" in output  # the IRO team manager
    assert "ada.hartsell" in output  # the auditor
    lines = output.splitlines()
    for role in [Role.IRO, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.AUDITOR]:
        [line] = [line for line in lines if line.strip().startswith(role.label + " ")]
        assert line.rstrip().endswith("oversight-demo")
    assert "(nobody holds this role)" in output  # nobody is a director in this council


def test_it_prefers_the_person_with_children_allocated(council):
    make_staff([Role.IRO], first_name="Zed", last_name="Nobody")  # an IRO with no children
    assert "isla.brightwell" in signins()


def test_it_says_what_to_do_when_there_are_no_staff():
    assert "oversight demo" in signins()
