"""The typed readers of the environment reject nonsense with one sentence."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from oversight.env import (
    database_url,
    env_bool,
    env_int,
    env_list,
    env_mapping,
    lockout_parameters,
)


def test_it_reads_booleans():
    assert env_bool("DEBUG", False, {"DEBUG": "yes"}) is True
    assert env_bool("DEBUG", True, {"DEBUG": "0"}) is False
    assert env_bool("DEBUG", True, {}) is True  # the default when unset
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false, not 'maybe'"):
        env_bool("DEBUG", True, {"DEBUG": "maybe"})


def test_it_reads_whole_numbers():
    assert env_int("EMAIL_PORT", 25, {"EMAIL_PORT": "587"}) == 587
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number"):
        env_int("EMAIL_PORT", 25, {"EMAIL_PORT": "twenty"})


def test_it_reads_comma_separated_lists():
    assert env_list("ALLOWED_HOSTS", [], {"ALLOWED_HOSTS": " a.invalid, ,b.invalid "}) == [
        "a.invalid",
        "b.invalid",
    ]


def test_it_reads_a_mapping_of_groups_to_roles():
    name = "OVERSIGHT_OIDC_GROUP_ROLES"
    environ = {name: "g-1=iro, g-2=iro_team_manager,g-1=duty_iro"}
    assert env_mapping(name, {"iro", "duty_iro", "iro_team_manager"}, environ) == {
        "g-1": frozenset({"iro", "duty_iro"}),  # a group named twice gives both roles
        "g-2": frozenset({"iro_team_manager"}),
    }
    assert env_mapping(name, {"iro"}, {}) == {}
    for bad in ["g-1", "g-1=wizard", "=iro"]:
        with pytest.raises(ImproperlyConfigured, match=f"{name} must be KEY=VALUE pairs"):
            env_mapping(name, {"iro"}, {name: bad})


def test_it_accepts_sqlite_and_postgres_urls():
    assert database_url("DATABASE_URL", "sqlite:///db.sqlite3", {}) == "sqlite:///db.sqlite3"
    url = "postgres://postgres@127.0.0.1:5432/test"
    assert database_url("DATABASE_URL", "", {"DATABASE_URL": url}) == url


@pytest.mark.parametrize(
    "url, says",
    [
        ("mysql://u@h/db", "unknown scheme 'mysql'"),
        ("postgres://u@h:99999999999/db", "port"),
        ("postgres://u@127.0.0.1/", "names no database"),
    ],
)
def test_it_rejects_bad_database_urls(url, says):
    with pytest.raises(ImproperlyConfigured, match=says):
        database_url("DATABASE_URL", "", {"DATABASE_URL": url})


def test_it_reads_what_failed_sign_ins_are_counted_by():
    assert lockout_parameters("BY", ["username"], {}) == ["username"]
    assert lockout_parameters("BY", [], {"BY": "username, ip_address"}) == [
        "username",
        "ip_address",
    ]
    assert lockout_parameters("BY", [], {"BY": "username+ip_address"}) == [
        ["username", "ip_address"]
    ]
    with pytest.raises(ImproperlyConfigured, match="BY must list username, ip_address"):
        lockout_parameters("BY", [], {"BY": "user_agent"})
