"""API authentication: tokens, sessions, the schema and its offline docs."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_token_is_issued_for_the_right_password_and_authenticates(api, advisor):
    answer = api.post(
        "/api/v1/auth/token/", {"username": "ada", "password": PASSWORD}, format="json"
    )
    assert answer.status_code == 200
    token = answer.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/schema/").status_code == 200


def test_a_wrong_password_gets_400_with_the_field_named(api, advisor):
    answer = api.post(
        "/api/v1/auth/token/", {"username": "ada", "password": "x"}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "password"


def test_a_missing_field_gets_400_not_500(api):
    answer = api.post("/api/v1/auth/token/", {}, format="json")
    assert answer.status_code == 400
    fields = {e["field"] for e in answer.json()["errors"]}
    assert fields == {"username", "password"}


def test_anonymous_callers_are_refused_the_schema(api):
    assert api.get("/api/schema/").status_code in (401, 403)


def test_swagger_ui_is_served_from_local_assets(client, advisor):
    client.force_login(advisor)
    html = client.get(reverse("api-docs")).content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert "cdn" not in html.lower()


def test_huge_ids_are_a_client_error_not_a_server_error(client, as_user, cx_lead):
    huge = "9" * 30
    api = as_user(cx_lead)
    assert api.get(f"/api/v1/ideas/{huge}/").status_code in (400, 404)
    # A filter that matches nothing is fine too (PostgreSQL); a 500 is not.
    assert api.get(f"/api/v1/decisions/?initiative={huge}").status_code in (
        200,
        400,
    )
    client.force_login(cx_lead)
    assert client.get(f"/ideas/{huge}/").status_code in (400, 404)
