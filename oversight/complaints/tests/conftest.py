"""The shared council's fixtures, with the active pack chosen per test (`use_pack`)."""

from oversight.escalations.tests.conftest import line, use_pack

__all__ = ["line", "use_pack"]
