"""Schemathesis over every operation of /api/v1/openapi.json on a seeded council, as two people
who see different children (the child's IRO with a writing token, the team manager of the other
social work team with a read-only one): no server error, and every response (success or
problem) matches what the document says of it. Runs in CI with the rest of the suite."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from oversight.api import tokens
from oversight.api.v1 import api

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def callers(council, use_pack):
    """The two callers' tokens; and, as Django's own test client does, the test's database
    connection kept open across the requests (its transaction holds the council)."""
    use_pack("england")
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    def secret(staff, name, read_only):
        return tokens.issue(
            name=name, user=staff.user, read_only=read_only, expires_on=None,
            acting_user=council.administrator.user,
        ).secret  # fmt: skip

    yield [
        secret(council.iro, "iro", read_only=False),
        secret(council.other_social_worker, "social worker", read_only=True),
    ]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def use_pack(settings):
    def use(name: str) -> None:
        settings.OVERSIGHT_POLICY = name

    return use


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_error_and_every_answer_as_documented(case, callers, settings):
    settings.OVERSIGHT_API_RATE = "100000/m"
    for secret in callers:
        case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)
