"""Feedback export rows, CSV and JSON: pure, no ORM.

Each row carries the item's fields, `themes` (names joined by `;`, most
confident first), `sentiment` and `polarity`. CSV cells that a spreadsheet
would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
return) get a leading apostrophe.
"""

import csv
import io
import json
from datetime import date, datetime

COLUMNS = (
    "id",
    "external_id",
    "source",
    "text",
    "created",
    "channel",
    "score",
    "score_type",
    "customer_id",
    "segment",
    "sentiment",
    "polarity",
    "themes",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_row(item: dict) -> dict:
    """One export row from an item dict (with `themes` as a list of names)."""
    row = {name: item.get(name) for name in COLUMNS}
    themes = item.get("themes") or []
    row["themes"] = ";".join(themes) if isinstance(themes, list | tuple) else themes
    if isinstance(row["created"], datetime | date):
        row["created"] = row["created"].isoformat()
    if row["sentiment"] is not None:
        row["sentiment"] = round(float(row["sentiment"]), 4)
    return row


def neutralise(value):
    """A cell safe to open in a spreadsheet: formulas become plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(items: list[dict]) -> str:
    """CSV text (header + a row per item), formula cells neutralised."""
    buffer = io.StringIO()
    # CRLF (RFC 4180): the writer then also quotes a field holding a bare CR.
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for item in items:
        row = export_row(item)
        writer.writerow({k: neutralise("" if v is None else v) for k, v in row.items()})
    return buffer.getvalue()


def to_json(items: list[dict]) -> str:
    """A JSON array of export rows (values as they are: JSON has no formulas)."""
    return json.dumps([export_row(item) for item in items], ensure_ascii=False)
