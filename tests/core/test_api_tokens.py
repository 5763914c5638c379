"""API tokens have a lifecycle: made (shown once), used, listed, revoked, expired,
and ended by a new password or a deactivated account. Only hashes are stored."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cxplan.core.models import ApiToken
from tests.factories import PASSWORD, UserFactory, api_key_for

pytestmark = pytest.mark.django_db

IDEAS = "/api/v1/ideas/"
TOKENS = "/api/v1/auth/tokens/"


def with_key(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}")


def token_of(key: str) -> ApiToken:
    return ApiToken.objects.get(prefix=key[:8])


def issue(api, name=None) -> dict:
    body = {"username": "ada", "password": PASSWORD}
    if name is not None:
        body["name"] = name
    answer = api.post("/api/v1/auth/token/", body, format="json")
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_the_token_endpoint_makes_a_new_named_expiring_token_each_time(api, advisor):
    first = issue(api, name="BI export")
    second = issue(api)
    assert first["token"] != second["token"]
    assert first["name"] == "BI export"
    assert second["name"] == f"API token {timezone.now():%Y-%m-%d}"
    lifetime = token_of(first["token"]).expires_at - timezone.now()
    assert timedelta(days=89, hours=23) < lifetime <= timedelta(days=90)
    assert with_key(first["token"]).get(IDEAS).status_code == 200
    assert with_key(second["token"]).get(IDEAS).status_code == 200


def test_the_lifetime_follows_the_setting(api, advisor, settings):
    settings.CXPLAN_TOKEN_DAYS = 7
    key = issue(api)["token"]
    lifetime = token_of(key).expires_at - timezone.now()
    assert timedelta(days=6, hours=23) < lifetime <= timedelta(days=7)


def test_the_database_holds_no_key_in_clear(api, advisor):
    keys = [issue(api)["token"] for _ in range(3)] + [api_key_for(advisor)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert ApiToken.objects.count() == 4
    for key in keys:
        assert len(key) >= 43  # 32 random bytes, base64url
        assert key not in stored
        assert key[:8] in stored  # the display prefix, and only that


def test_a_wrong_key_is_refused(advisor):
    answer = with_key("not-a-key").get(IDEAS)
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Invalid token."


def test_a_revoked_token_is_refused_with_a_clear_message(advisor):
    key = api_key_for(advisor)
    client = with_key(key)
    mine = client.get(TOKENS).json()["results"]
    assert client.delete(f"{TOKENS}{mine[0]['id']}/").status_code == 204
    answer = client.get(IDEAS)
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Token revoked."
    assert answer.has_header("WWW-Authenticate")


def test_an_expired_token_is_refused(advisor):
    key = api_key_for(advisor)
    ApiToken.objects.filter(prefix=key[:8]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    answer = with_key(key).get(IDEAS)
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Token expired."


def test_a_new_password_revokes_every_token(advisor, other_advisor):
    keys = [api_key_for(advisor), api_key_for(advisor)]
    others = api_key_for(other_advisor)
    advisor.set_password("a brand new long passphrase")
    advisor.save()
    for key in keys:
        answer = with_key(key).get(IDEAS)
        assert answer.status_code == 401
        assert answer.json()["detail"] == "Token revoked."
    assert with_key(others).get(IDEAS).status_code == 200


def test_a_password_set_in_the_admin_revokes_the_tokens(client, advisor):
    key = api_key_for(advisor)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    new = "another long enough passphrase 42"
    answer = client.post(
        reverse("admin:auth_user_password_change", args=[advisor.pk]),
        {"password1": new, "password2": new},
    )
    assert answer.status_code == 302, answer.content[:2000]
    assert with_key(key).get(IDEAS).status_code == 401


def test_saving_the_user_without_a_new_password_keeps_the_tokens(advisor):
    key = api_key_for(advisor)
    advisor.first_name = "Ada"
    advisor.save()
    Client().login(username="ada", password=PASSWORD)  # saves last_login
    assert with_key(key).get(IDEAS).status_code == 200


def test_a_hash_upgrade_at_sign_in_is_no_new_password(advisor, settings):
    key = api_key_for(advisor)
    assert advisor.password.startswith("md5$")
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert Client().login(username="ada", password=PASSWORD)
    advisor.refresh_from_db()
    assert advisor.password.startswith("pbkdf2_sha256$")  # it was re-hashed
    assert with_key(key).get(IDEAS).status_code == 200


def test_deactivating_the_account_revokes_its_tokens(advisor):
    key = api_key_for(advisor)
    advisor.is_active = False
    advisor.save()
    answer = with_key(key).get(IDEAS)
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Token revoked."
    # Coming back does not bring the old keys back.
    advisor.is_active = True
    advisor.save()
    assert with_key(key).get(IDEAS).status_code == 401


def test_an_inactive_user_is_refused_even_with_a_live_token(advisor):
    key = api_key_for(advisor)
    # A bulk update skips save(), so the token is still live: the check at
    # authentication refuses the user anyway.
    get_user_model().objects.filter(pk=advisor.pk).update(is_active=False)
    answer = with_key(key).get(IDEAS)
    assert answer.status_code == 401
    assert answer.json()["detail"] == "User inactive or deleted."


def test_last_used_is_written_at_most_once_a_minute(advisor):
    key = api_key_for(advisor)
    assert token_of(key).last_used_at is None
    client = with_key(key)
    client.get(IDEAS)
    first = token_of(key).last_used_at
    assert first is not None
    client.get(IDEAS)
    assert token_of(key).last_used_at == first
    ApiToken.objects.filter(prefix=key[:8]).update(
        last_used_at=first - timedelta(minutes=2)
    )
    client.get(IDEAS)
    assert token_of(key).last_used_at > first


def test_the_list_shows_only_my_tokens_and_never_a_key(advisor, other_advisor):
    mine = {api_key_for(advisor, name="one"), api_key_for(advisor, name="two")}
    api_key_for(other_advisor, name="not yours")
    answer = with_key(next(iter(mine))).get(TOKENS)
    assert answer.status_code == 200
    rows = answer.json()["results"]
    assert sorted(r["name"] for r in rows) == ["one", "two"]
    assert set(rows[0]) == {
        "id",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked",
        "revoked_at",
    }
    for key in mine:
        assert key not in answer.content.decode()


def test_revoking_someone_elses_token_is_404_and_leaves_it_working(
    advisor, other_advisor
):
    theirs = api_key_for(other_advisor)
    answer = with_key(api_key_for(advisor)).delete(f"{TOKENS}{token_of(theirs).pk}/")
    assert answer.status_code == 404
    assert with_key(theirs).get(IDEAS).status_code == 200


def test_a_huge_token_id_is_404_not_500(advisor):
    answer = with_key(api_key_for(advisor)).delete(f"{TOKENS}{'9' * 30}/")
    assert answer.status_code == 404


def test_the_page_sends_anonymous_users_to_log_in(client):
    answer = client.get(reverse("account-tokens"))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("login"))


def test_the_page_makes_a_token_shows_it_once_and_revokes_it(client, advisor):
    client.force_login(advisor)
    made = client.post(reverse("account-tokens"), {"name": "Sheets"})
    assert made.status_code == 200
    key = made.context["new"].key
    assert key in made.content.decode()
    assert with_key(key).get(IDEAS).status_code == 200
    again = client.get(reverse("account-tokens")).content.decode()
    assert "Sheets" in again
    assert key[:8] in again
    assert key not in again  # shown once
    revoked = client.post(reverse("account-token-revoke", args=[token_of(key).pk]))
    assert revoked.status_code == 302
    assert with_key(key).get(IDEAS).status_code == 401
    assert "revoked" in client.get(reverse("account-tokens")).content.decode()


def test_the_page_will_not_revoke_someone_elses_token(client, advisor, other_advisor):
    theirs = api_key_for(other_advisor)
    client.force_login(advisor)
    answer = client.post(reverse("account-token-revoke", args=[token_of(theirs).pk]))
    assert answer.status_code == 404
    assert with_key(theirs).get(IDEAS).status_code == 200


def test_the_page_forms_need_the_csrf_token(advisor):
    key = api_key_for(advisor)
    client = Client(enforce_csrf_checks=True)
    client.force_login(advisor)
    assert client.post(reverse("account-tokens"), {"name": "x"}).status_code == 403
    revoke = reverse("account-token-revoke", args=[token_of(key).pk])
    assert client.post(revoke).status_code == 403
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1


def test_old_drf_tokens_are_carried_over_as_hashes_and_their_table_dropped(advisor):
    """Migration 0004: a key from the old plain-text table keeps working."""
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, '
            "created timestamp with time zone NOT NULL, user_id integer NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            [old_key, timezone.now(), advisor.pk],
        )
    migration = importlib.import_module(
        "cxplan.core.migrations.0004_move_authtoken_keys"
    )
    from django.apps import apps

    # It only needs the editor's connection (SQLite refuses a real schema editor
    # inside the test's transaction).
    migration.move_keys(apps, SimpleNamespace(connection=connection))
    assert "authtoken_token" not in connection.introspection.table_names()
    assert with_key(old_key).get(IDEAS).status_code == 200
    assert token_of(old_key).user == advisor


def test_staff_revoke_tokens_in_the_admin_and_never_see_a_hash(client, advisor):
    key = api_key_for(advisor)
    token = token_of(key)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:cxplan_apitoken_change", args=[token.pk]))
    assert page.status_code == 200
    assert token.key_hash not in page.content.decode()
    answer = client.post(
        reverse("admin:cxplan_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert answer.status_code == 302
    assert with_key(key).get(IDEAS).status_code == 401
