"""A full management line around the shared council's child, for the ladders' recipients.

Practice line: Sami (social worker) → Tara (team manager) → Sol (service manager) → Hana (head of
service) → Ari (assistant director) → Dora (director). IRO line: Isla (IRO) → Wren (IRO team
manager) → Greta (safeguarding service manager)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from oversight.cases.constants import Role, TeamKind


@dataclass
class Line:
    council: Any
    service_manager: Any
    head_of_service: Any
    assistant_director: Any
    director: Any
    safeguarding_service_manager: Any


@pytest.fixture
def line(council: Any) -> Line:
    from oversight.cases.factories import make_staff, make_team

    management = make_team("Senior management", TeamKind.MANAGEMENT)

    def staff(first: str, last: str, role: str, **kw: Any) -> Any:
        return make_staff(
            [role], management, first_name=first, last_name=last, password=council.password, **kw
        )

    director = staff("Dora", "Mallory", Role.DIRECTOR)
    assistant_director = staff("Ari", "Kestrel", Role.ASSISTANT_DIRECTOR, line_manager=director)
    head = staff("Hana", "Juniper", Role.HEAD_OF_SERVICE, line_manager=assistant_director)
    service_manager = staff("Sol", "Ibbotson", Role.SERVICE_MANAGER, line_manager=head)
    ssm = staff("Greta", "Holloway", Role.SAFEGUARDING_SERVICE_MANAGER, line_manager=head)
    council.team_manager.line_manager = service_manager
    council.team_manager.save()
    council.iro_team_manager.line_manager = ssm
    council.iro_team_manager.save()
    return Line(council, service_manager, head, assistant_director, director, ssm)


@pytest.fixture
def use_pack(settings: Any):
    """use_pack("camden"): make a pack the active one for this test."""

    def use(name: str) -> None:
        settings.OVERSIGHT_POLICY = name

    return use
