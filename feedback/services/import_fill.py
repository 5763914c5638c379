"""What an import was not told, filled in: the source's remembered mapping,
else the guess over the file's first rows. The API and the inbox poller call
the same function, so a file imports the same way whichever way it came."""

from __future__ import annotations

from feedback.selectors.import_preview import mapping_propose, preview_read
from feedback.selectors.imports import ColumnMapping, column_mapping_get
from feedback.services import imports as services


def mapping_fill_from_guess(
    raw: bytes, *, mapping: dict | None, constants: dict | None, date_format: str
) -> ColumnMapping:
    """The mapping, constants and date format given, the rest from the guess.

    Raises TooManyColumns or FileError for a file that cannot be read."""
    table = preview_read(raw, max_columns=services.columns_cap())
    proposal = mapping_propose(source="", sample=table.frame)
    mapping = mapping or proposal.mapping
    if constants is None:  # proposed ones, unless a column gives that field
        given = set(mapping.values())
        constants = {k: v for k, v in proposal.constants.items() if k not in given}
    return ColumnMapping(
        mapping=mapping,
        date_format=date_format or proposal.date_format,
        remembered=None,
        plan=None,
        constants=constants,
    )


def import_mapping_for(
    *,
    source: str,
    raw: bytes,
    mapping: dict | None = None,
    constants: dict | None = None,
    date_format: str = "",
) -> ColumnMapping:
    """Given, else remembered for `source`, else guessed from `raw`."""
    filled = column_mapping_get(
        source=source, mapping=mapping, date_format=date_format, constants=constants
    )
    if filled.remembered is None and not (
        mapping and date_format and constants is not None
    ):
        filled = mapping_fill_from_guess(
            raw, mapping=mapping, constants=constants, date_format=date_format
        )
    return filled
