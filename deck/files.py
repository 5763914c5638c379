"""Serving a deck's stored files (shared by the API and the pages)."""

from django.http import FileResponse

from deck import selectors
from deck.exporters import CONTENT_TYPES
from deck.models import Deck


def deck_file_response(deck: Deck, file_format: str, *, attachment: bool):
    """A streaming response of one deck file, or None when it is not there."""
    field = selectors.deck_file(deck=deck, file_format=file_format)
    if field is None:
        return None
    try:
        handle = field.open("rb")
    except FileNotFoundError:  # the row outlived its file (a wiped media folder)
        return None
    return FileResponse(
        handle,
        as_attachment=attachment,
        filename=f"cx-deck-v{deck.version}.{file_format}",
        content_type=CONTENT_TYPES[file_format],
    )


def missing_file_message(deck: Deck, file_format: str) -> str:
    return f"Deck v{deck.version} has no {file_format.upper()} file" + (
        f": {deck.error}" if deck.error else "."
    )
