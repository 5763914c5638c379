"""Passwords: at least 12 characters (ASVS 2.1.1), and not a common one."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from cxplan import demo
from tests.factories import PASSWORD


def test_eleven_characters_are_refused():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("a9-kq!x7Lw2")


def test_twelve_uncommon_characters_are_accepted():
    validate_password("a9-kq!x7Lw2z")


def test_a_common_password_of_twelve_is_still_refused():
    with pytest.raises(ValidationError, match="too common"):
        validate_password("qwerty123456")


def test_the_test_personas_password_passes():
    validate_password(PASSWORD)


@pytest.mark.django_db
def test_the_demo_users_random_password_passes():
    _users, password = demo.users_ensure()
    assert password is not None
    validate_password(password)


@pytest.mark.django_db
def test_seed_demo_refuses_a_short_password_and_creates_no_user():
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("seed_demo", items=10, customers=5, password="short-pw")
    assert not get_user_model().objects.filter(username="clara").exists()
