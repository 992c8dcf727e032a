"""The client's address behind trusted proxies, for the audit log and the sign-in lockout."""

import pytest

from oversight.audit.addresses import client_address
from oversight.audit.models import AuditEntry


def test_without_a_trusted_proxy_it_is_the_sockets_address():
    assert client_address("203.0.113.7", "198.51.100.1", proxies=0) == "203.0.113.7"


def test_behind_one_proxy_it_is_the_address_the_proxy_was_reached_from():
    # A client wrote the first entry itself; nginx appended the second.
    assert client_address("10.0.0.2", "192.0.2.66, 198.51.100.1", proxies=1) == "198.51.100.1"
    assert client_address("10.0.0.2", "192.0.2.66, 198.51.100.1", proxies=2) == "192.0.2.66"


def test_a_request_that_did_not_come_through_the_proxies_keeps_the_sockets_address():
    assert client_address("10.0.0.2", "", proxies=1) == "10.0.0.2"
    assert client_address("10.0.0.2", "unknown", proxies=1) == "10.0.0.2"  # not an address


@pytest.mark.django_db
def test_behind_a_proxy_users_are_locked_out_by_their_own_address(client, council, settings):
    settings.OVERSIGHT_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):
        client.post(
            "/sign-in/",
            {"username": "not-a-user", "password": "wrong-password"},
            HTTP_X_FORWARDED_FOR="198.51.100.1",
            **proxy,
        )
    refused = client.post(
        "/sign-in/",
        {"username": council.iro.user.username, "password": council.password},
        HTTP_X_FORWARDED_FOR="198.51.100.1",
        **proxy,
    )
    assert refused.status_code == 429
    elsewhere = client.post(
        "/sign-in/",
        {"username": council.iro.user.username, "password": council.password},
        HTTP_X_FORWARDED_FOR="198.51.100.2",
        **proxy,
    )
    assert elsewhere.status_code == 302
    failed = AuditEntry.objects.filter(action=AuditEntry.Action.SIGN_IN_FAILED)
    assert set(failed.values_list("ip_address", flat=True)) == {"198.51.100.1"}
