"""The escalation tests' management line and pack switch, for the concern endpoints."""

from oversight.escalations.tests.conftest import line, use_pack

__all__ = ["line", "use_pack"]
