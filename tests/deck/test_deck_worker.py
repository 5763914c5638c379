"""A deck requested over the API is built by a real worker on the deck queue."""

import time

import pytest

from deck.models import Deck


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_requested_deck(live_worker, cx_lead, as_user):
    client = as_user(cx_lead)
    response = client.post("/api/v1/decks/build/", {"formats": ["html"]}, format="json")
    assert response.status_code == 202
    deck_id = response.json()["id"]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        deck = Deck.objects.get(pk=deck_id)
        if deck.status in (Deck.Status.DONE, Deck.Status.FAILED):
            break
        time.sleep(0.5)
    assert deck.status == Deck.Status.DONE, deck.error
    assert deck.progress == 100 and deck.html
    file = client.get(f"/api/v1/decks/{deck_id}/html/")
    assert b'<section class="slide ' in b"".join(file.streaming_content)
