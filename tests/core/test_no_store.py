"""Responses to a signed-in user are not kept by caches (Cache-Control: no-store)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from cxplan.core.middleware import NoStoreForSignedInMiddleware
from tests.factories import api_key_for

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_is_not_stored(client, cx_lead):
    client.force_login(cx_lead)
    answer = client.get(reverse("dashboard"))
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"


def test_an_api_answer_to_a_token_is_not_stored(advisor):
    api = APIClient(HTTP_AUTHORIZATION=f"Token {api_key_for(advisor)}")
    answer = api.get("/api/v1/ideas/")
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"


def test_anonymous_answers_are_left_alone(client):
    answer = client.get(reverse("dashboard"))
    assert answer.status_code == 302
    assert not answer.has_header("Cache-Control")


def test_healthz_keeps_its_own_cache_control_for_a_signed_in_user(client, cx_lead):
    client.force_login(cx_lead)
    answer = client.get("/healthz")
    assert "no-cache" in answer["Cache-Control"]
    assert answer["Cache-Control"] != "no-store"


def _through_middleware(path, *, user, response):
    request = RequestFactory().get(path)
    request.user = user
    return NoStoreForSignedInMiddleware(lambda request: response)(request)


def test_a_view_that_sets_its_own_cache_control_keeps_it(cx_lead):
    own = HttpResponse("x")
    own["Cache-Control"] = "private, max-age=60"
    answer = _through_middleware("/deck/", user=cx_lead, response=own)
    assert answer["Cache-Control"] == "private, max-age=60"


def test_static_files_keep_their_cache_even_for_a_signed_in_user(cx_lead):
    answer = _through_middleware(
        "/static/css/cxplan.css", user=cx_lead, response=HttpResponse("css")
    )
    assert not answer.has_header("Cache-Control")


def test_an_anonymous_request_gets_no_header():
    answer = _through_middleware(
        "/anything", user=AnonymousUser(), response=HttpResponse("x")
    )
    assert not answer.has_header("Cache-Control")
