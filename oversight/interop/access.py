"""Who may import a council's records: administrators and the safeguarding (IRO) service
manager, the roles that read the audit log an import writes to."""

from __future__ import annotations

from typing import Any

from oversight.cases.access import staff_for_user
from oversight.cases.constants import Role

IMPORTER_ROLES = frozenset({Role.ADMINISTRATOR, Role.SAFEGUARDING_SERVICE_MANAGER})


def may_import(user: Any) -> bool:
    staff = staff_for_user(user)
    return staff is not None and bool(staff.roles & IMPORTER_ROLES)
