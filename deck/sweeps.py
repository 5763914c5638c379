"""The deck's rows for the outbox sweep: decks still waiting to be built."""

from cxplan.core.queue import send
from deck.models import Deck
from deck.tasks import build_deck


def deck_sweep(*, stale) -> dict[str, int]:
    """Send the build of every deck that has waited since before `stale`."""
    decks = Deck.objects.filter(
        status=Deck.Status.PENDING, created_at__lt=stale
    ).values_list("pk", flat=True)
    return {"decks": sum(send(build_deck, deck_id) for deck_id in decks)}
