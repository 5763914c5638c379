"""Deck pages: versions with a build button and htmx progress, one version with
its changes and files; CX leads build, executives look, others are refused."""

import pytest
from django.urls import reverse

from deck.models import Deck
from tests.deck.factories import deck_world, media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_the_cx_lead_sees_versions_and_the_build_button(client, cx_lead):
    Deck.objects.create(version=1, status="done", built_by=cx_lead)
    client.force_login(cx_lead)
    page = client.get(reverse("deck-list")).content.decode()
    assert 'data-testid="deck-build-form"' in page
    assert page.count('data-testid="deck-row"') == 1
    assert ">v1</a>" in page


def test_the_executive_sees_versions_without_the_button(client, executive):
    client.force_login(executive)
    response = client.get(reverse("deck-list"))
    assert response.status_code == 200
    assert b"deck-build-form" not in response.content
    assert b'data-nav="decks"' in response.content
    assert client.post(reverse("deck-build")).status_code == 403


def test_the_htmx_build_answers_the_progress_panel_and_finishes(
    client, cx_lead, django_capture_on_commit_callbacks
):
    deck_world()
    client.force_login(cx_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("deck-build"), {"formats": ["html"]}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert b'hx-trigger="every 1s"' in response.content
    deck = Deck.objects.get()
    assert deck.status == "done" and deck.formats == ["html"]
    panel = client.get(reverse("deck-progress", args=[deck.pk])).content.decode()
    assert "every 1s" not in panel
    assert "is ready" in panel


def test_a_building_deck_shows_its_progress(client, cx_lead):
    deck = Deck.objects.create(
        version=3, status="building", progress=40, stage="Writing the HTML deck"
    )
    client.force_login(cx_lead)
    page = client.get(reverse("deck-list")).content.decode()
    assert 'value="40"' in page and "Writing the HTML deck" in page
    panel = client.get(reverse("deck-progress", args=[deck.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in panel


def test_the_html_deck_opens_with_its_scripts_allowed_by_hash(
    client, executive, django_capture_on_commit_callbacks
):
    from deck import services

    deck_world()
    deck = services.deck_request(user=None, formats=["html"], enqueue=False)
    services.deck_build(deck_id=deck.pk)
    client.force_login(executive)
    response = client.get(reverse("deck-file", args=[deck.pk, "html"]))
    assert response.status_code == 200
    assert "attachment" not in response.get("Content-Disposition", "")
    policy = response["Content-Security-Policy"]
    assert policy.count("'sha256-") == 3
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert b'<section class="slide ' in b"".join(response.streaming_content)
    download = client.get(reverse("deck-file", args=[deck.pk, "html"]) + "?download=1")
    assert "attachment" in download["Content-Disposition"]
    assert client.get(reverse("deck-file", args=[deck.pk, "pdf"])).status_code == 404


def test_the_detail_lists_slides_and_what_is_missing(client, cx_lead):
    from deck import services

    deck_world()
    deck = services.deck_request(user=cx_lead, formats=["html"], enqueue=False)
    services.deck_build(deck_id=deck.pk)
    client.force_login(cx_lead)
    page = client.get(reverse("deck-detail", args=[deck.pk])).content.decode()
    assert "Improvement 3: Bills" in page
    assert "No initiative answers “Bills” yet." in page
    assert "This is the first finished version" in page
    assert "Present the HTML deck" in page
    assert page.count('class="cx-chart"') == 8
    assert "js/charts.js" in page and "vendor/plotly/plotly.min.js" in page


@pytest.mark.parametrize("persona", ["advisor", "outsider"])
def test_others_get_403_on_every_page(client, request, persona):
    deck = Deck.objects.create(version=1, status="done")
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("deck-list"),
        reverse("deck-detail", args=[deck.pk]),
        reverse("deck-progress", args=[deck.pk]),
        reverse("deck-file", args=[deck.pk, "html"]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("deck-build")).status_code == 403
    assert not Deck.objects.exclude(pk=deck.pk).exists()


def test_anonymous_goes_to_the_login_page(client):
    response = client.get(reverse("deck-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(reverse("deck-build")).status_code == 302


def test_the_versions_page_costs_the_same_queries_as_it_grows(
    client, cx_lead, django_assert_max_num_queries
):
    client.force_login(cx_lead)
    Deck.objects.create(version=1, status="done", built_by=cx_lead)
    client.get(reverse("deck-list"))
    with django_assert_max_num_queries(8):
        client.get(reverse("deck-list"))
    for n in range(2, 12):
        Deck.objects.create(version=n, status="done", built_by=cx_lead)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("deck-list")).content.decode()
    assert page.count('data-testid="deck-row"') == 11
