"""Passwords: Argon2 for new hashes, older PBKDF2 hashes still check and are rehashed with Argon2
at sign-in, and Django's similarity and numeric validators beside the length and common ones."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from oversight import settings as project_settings
from oversight.cases.demo import DEFAULT_PASSWORD, demo_password_hash

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.fixture
def project_hashers(settings):
    """The project's hashers, not the tests' fast MD5 (root conftest)."""
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    settings.AUTH_PASSWORD_VALIDATORS = project_settings.AUTH_PASSWORD_VALIDATORS


def test_argon2_hashes_new_passwords():
    assert project_settings.PASSWORD_HASHERS[0] == ARGON2


@pytest.mark.django_db
def test_a_pbkdf2_hash_still_signs_in_and_is_rehashed_with_argon2(client, council, project_hashers):
    user = council.iro.user
    # Few iterations, for speed: an older hash from before Argon2.
    user.password = PBKDF2PasswordHasher().encode(council.password, "pbkdf2salt1234", 1000)
    user.save(update_fields=["password"])
    response = client.post("/sign-in/", {"username": user.username, "password": council.password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert check_password(council.password, user.password)


def test_the_demo_password_hashes_once_with_argon2_and_checks(project_hashers):
    hashed = demo_password_hash(seed=7, password=DEFAULT_PASSWORD)
    assert hashed.startswith("argon2$")
    assert hashed == demo_password_hash(seed=7, password=DEFAULT_PASSWORD)  # same seed, same row
    assert check_password(DEFAULT_PASSWORD, hashed)


@pytest.mark.django_db
def test_the_demo_password_passes_the_validators(council, project_hashers):
    validate_password(DEFAULT_PASSWORD, council.iro.user)


@pytest.mark.django_db
def test_a_password_like_the_username_is_refused(council, project_hashers):
    user = council.iro.user
    with pytest.raises(ValidationError, match="too similar to the username"):
        validate_password(f"{user.username}1", user)


def test_an_all_numeric_password_is_refused(project_hashers):
    with pytest.raises(ValidationError, match="entirely numeric"):
        validate_password("4820175639284")
