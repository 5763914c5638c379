"""Reads of decks for the page, the API and the builder."""

from django.db.models import QuerySet

from deck.exporters import FORMATS
from deck.models import Deck


def deck_list() -> QuerySet[Deck]:
    """Every deck, newest version first, with who built it (one query; the
    snapshot data itself is left out of the list)."""
    return Deck.objects.select_related("built_by").defer("data")


def deck_get(*, deck_id: int) -> Deck | None:
    return Deck.objects.select_related("built_by").filter(pk=deck_id).first()


def deck_previous(*, deck: Deck) -> Deck | None:
    """The newest finished deck before `deck` (what its changes compare with)."""
    return (
        Deck.objects.filter(version__lt=deck.version, status=Deck.Status.DONE)
        .order_by("-version")
        .first()
    )


def deck_in_flight() -> Deck | None:
    """The newest deck still waiting or building, if any."""
    return (
        Deck.objects.filter(status__in=[Deck.Status.PENDING, Deck.Status.BUILDING])
        .order_by("-version")
        .first()
    )


def deck_files(deck: Deck) -> dict[str, bool]:
    """Which formats have a file: `{"html": True, "pdf": False, ...}`."""
    return {fmt: bool(getattr(deck, fmt)) for fmt in FORMATS}


def deck_file(*, deck: Deck, file_format: str):
    """The deck's stored file in `file_format`, or None (unknown format, not
    requested, not built yet, or failed)."""
    if file_format not in FORMATS:
        return None
    field = getattr(deck, file_format)
    return field if field else None
