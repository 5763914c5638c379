"""/api/v1/decks: build (202, CX leads), versions and files (CX leads and
executives), refusals for everyone else."""

import pytest

from deck.models import Deck
from tests.deck.factories import deck_world, media  # noqa: F401
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

BUILD = "/api/v1/decks/build/"
LIST = "/api/v1/decks/"


def _build(client, capture, body=None):
    with capture(execute=True):
        return client.post(BUILD, body or {"formats": ["html"]}, format="json")


def test_it_answers_202_and_the_eager_build_finishes(
    cx_lead, as_user, django_capture_on_commit_callbacks
):
    deck_world()
    client = as_user(cx_lead)
    response = _build(client, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    body = response.json()
    assert body["version"] == 1
    assert body["status"] == "pending"
    assert body["built_by"] == "clara"
    detail = client.get(f"{LIST}{body['id']}/").json()
    assert detail["status"] == "done"
    assert detail["progress"] == 100
    assert detail["files"]["html"].endswith(f"/api/v1/decks/{body['id']}/html/")
    assert detail["files"]["pdf"] is None
    assert detail["data"]["ranking"]["themes"][0]["theme"] == "Slow refunds"
    file = client.get(detail["files"]["html"])
    assert file.status_code == 200
    assert file["Content-Type"].startswith("text/html")
    assert b"Slow refunds" in b"".join(file.streaming_content)


def test_versions_count_up(cx_lead, as_user, django_capture_on_commit_callbacks):
    client = as_user(cx_lead)
    for _ in range(2):
        _build(client, django_capture_on_commit_callbacks)
    versions = [d["version"] for d in client.get(LIST).json()["results"]]
    assert versions == [2, 1]


def test_an_unknown_format_is_a_400(cx_lead, as_user):
    response = as_user(cx_lead).post(BUILD, {"formats": ["docx"]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"].startswith("formats")
    assert not Deck.objects.exists()


def test_a_missing_file_is_a_404_saying_why(cx_lead, as_user):
    deck = Deck.objects.create(version=1, status="failed", error="boom")
    response = as_user(cx_lead).get(f"{LIST}{deck.pk}/pdf/")
    assert response.status_code == 404
    assert "has no PDF file: boom" in response.json()["detail"]
    assert as_user(cx_lead).get(f"{LIST}{deck.pk}/exe/").status_code == 404
    assert as_user(cx_lead).get(f"{LIST}999/html/").status_code == 404


def test_the_executive_reads_but_may_not_build(executive, as_user):
    deck = Deck.objects.create(version=1, status="done")
    client = as_user(executive)
    assert client.get(LIST).status_code == 200
    assert client.get(f"{LIST}{deck.pk}/").status_code == 200
    assert client.post(BUILD, {}, format="json").status_code == 403


@pytest.mark.parametrize("persona", ["advisor", "outsider"])
def test_others_are_refused_everything(persona, request, as_user):
    deck = Deck.objects.create(version=1, status="done")
    client = as_user(request.getfixturevalue(persona))
    for url in (LIST, f"{LIST}{deck.pk}/", f"{LIST}{deck.pk}/html/"):
        assert client.get(url).status_code == 403
    assert client.post(BUILD, {}, format="json").status_code == 403


def test_anonymous_is_refused(api):
    assert api.get(LIST).status_code in (401, 403)
    assert api.post(BUILD, {}, format="json").status_code in (401, 403)


def test_the_list_costs_the_same_queries_as_it_grows(
    cx_lead, as_user, django_assert_max_num_queries
):
    client = as_user(cx_lead)
    builders = [UserFactory(username=f"b{n}", role="cx_lead") for n in range(6)]
    Deck.objects.create(version=1, status="done", built_by=builders[0])
    with django_assert_max_num_queries(4):
        assert len(client.get(LIST).json()["results"]) == 1
    for n, user in enumerate(builders[1:], start=2):
        Deck.objects.create(version=n, status="done", built_by=user)
    with django_assert_max_num_queries(4):
        assert len(client.get(LIST).json()["results"]) == 6
