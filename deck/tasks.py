"""Celery task for the deck (queue `deck`, routed in settings)."""

from celery import shared_task

from deck.services import deck_build


@shared_task(name="deck.tasks.build_deck")
def build_deck(deck_id: int) -> dict:
    """Build deck `deck_id`; idempotent (a finished or claimed deck is left as is)."""
    deck = deck_build(deck_id=deck_id)
    if deck is None:
        return {"deck_id": deck_id, "status": "missing"}
    return {"deck_id": deck.pk, "version": deck.version, "status": deck.status}
