from __future__ import annotations

from collections.abc import Iterator

import pytest

from oversight.policies import clear_caches


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test sees the built-in packs only, unless it sets OVERSIGHT_POLICY_DIRS itself."""
    monkeypatch.delenv("OVERSIGHT_POLICY_DIRS", raising=False)
    clear_caches()
    yield
    clear_caches()
