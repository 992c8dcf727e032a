"""The shared council's fixtures, a corporate IRO beside them, and the active pack per test."""

from __future__ import annotations

from typing import Any

import pytest

from oversight.cases.constants import Role, TeamKind
from oversight.cases.factories import make_staff, make_team
from oversight.escalations.tests.conftest import use_pack

__all__ = ["corporate_iro", "use_pack"]


@pytest.fixture
def corporate_iro(council: Any) -> Any:
    """Cora Lindqvist, Manchester's Foster Care (Corporate) IRO: she holds no child."""
    team = make_team("Fostering reviews", TeamKind.IRO)
    return make_staff(
        [Role.CORPORATE_IRO],
        team,
        first_name="Cora",
        last_name="Lindqvist",
        password=council.password,
    )
