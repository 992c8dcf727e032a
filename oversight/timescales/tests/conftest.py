"""The timescales engine's tests are pure: no Django, no database, no settings.

The project's root conftest.py asks every test for pytest-django's `settings` (to speed up
password hashing); the engine has no passwords, so that autouse fixture is replaced here by one
that touches nothing."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """Nothing to do: the timescales engine never loads Django."""
