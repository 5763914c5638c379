"""A customers file (issue 23.2): outcomes and revenue, parsed and checked whole.

Pure pandas, no ORM. `read_table` reads the bytes; a mapping `{column: field}`
renames columns (matched case-insensitively; unmapped columns whose name is a
field feed it, the others are ignored). `customer_rows` answers the rows to
store, or every problem as `line, field, message`: one bad row refuses the file.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from feedback.intake.reading import Table, read_table

FIELDS = ("external_id", "name", "segment", "annual_revenue", "churned", "churned_on")
YES = {"yes", "y", "true", "t", "1", "churned"}
NO = {"no", "n", "false", "f", "0", "active", "retained"}
MAX_ROWS = 200_000
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _columns(table: Table, mapping: dict[str, str]) -> tuple[dict[str, str], list]:
    """field -> column of the file, and the mapping's errors."""
    by_lower = {str(c).strip().lower(): c for c in table.frame.columns}
    columns, errors = {}, []
    for key, target in mapping.items():
        target = target.strip().lower()
        if target in ("", "ignore"):
            continue
        column = by_lower.get(key.strip().lower())
        if target not in FIELDS:
            message = f"'{target}' is not a field; use one of " + ", ".join(FIELDS)
            errors.append({"line": 1, "field": key, "message": message})
        elif column is None:
            errors.append({"line": 1, "field": key, "message": "no such column"})
        elif target in columns:
            message = f"{target} is mapped from two columns"
            errors.append({"line": 1, "field": key, "message": message})
        else:
            columns[target] = column
    mapped = set(columns.values())
    for lower, column in by_lower.items():
        if lower in FIELDS and lower not in columns and column not in mapped:
            columns[lower] = column
    if "external_id" not in columns:
        message = "no column gives the required field external_id; map one"
        errors.append({"line": 1, "field": "external_id", "message": message})
    return columns, errors


def _row(values: dict[str, str], line: int, errors: list) -> dict:
    out: dict = {}

    def bad(name: str, message: str) -> None:
        errors.append({"line": line, "field": name, "message": message})

    for name, raw in values.items():
        raw = raw.strip()
        if name == "external_id":
            if not raw or len(raw) > 200:
                bad(name, "is required (at most 200 characters)")
            out[name] = raw
        elif name in ("name", "segment"):
            limit = 300 if name == "name" else 100
            if len(raw) > limit:
                bad(name, f"is longer than {limit} characters")
            out[name] = raw
        elif name == "annual_revenue":
            try:
                amount = Decimal(raw.replace(",", "")) if raw else None
            except InvalidOperation:
                amount = Decimal(-1)
            if amount is not None and (not amount.is_finite() or amount < 0):
                bad(name, f"'{raw}' is not an amount >= 0")
            out[name] = amount
        elif name == "churned":
            word = raw.lower()
            if word and word not in YES | NO:
                bad(name, f"'{raw}' is not yes or no")
            out[name] = None if not word else word in YES
        elif name == "churned_on":
            try:
                day = date.fromisoformat(raw[:10]) if raw else None
                if raw and not _DATE.match(raw):
                    raise ValueError
            except ValueError:
                bad(name, f"'{raw}' is not a date (YYYY-MM-DD)")
                day = None
            out[name] = day
    if out.get("churned_on") and out.get("churned") is False:
        bad("churned_on", "a churn date on a customer marked not churned")
    if out.get("churned_on") and "churned" not in values:
        out["churned"] = True
    return out


def customer_rows(data: bytes, mapping: dict[str, str] | None = None):
    """(rows, fields, errors): the customers to store (dicts of the fields the
    file gives), those fields, and every error; rows is [] when any error."""
    table = read_table(data, max_columns=200)
    columns, errors = _columns(table, mapping or {})
    errors = [*errors, *table.errors]
    if errors:
        return [], [], errors
    if len(table.frame) > MAX_ROWS:
        message = f"has {len(table.frame):,} rows; the limit is {MAX_ROWS:,}"
        return [], [], [{"line": 1, "field": "", "message": message}]
    fields = list(columns)
    if "churned_on" in fields and "churned" not in fields:
        fields.append("churned")
    rows, seen = [], {}
    frame = table.frame[[columns[f] for f in columns]]
    for line, values in zip(table.lines, frame.itertuples(index=False), strict=True):
        line = int(line)
        row = _row(dict(zip(columns, values, strict=True)), line, errors)
        key = row.get("external_id")
        if key and key in seen:
            message = f"external_id {key} is also on line {seen[key]}"
            errors.append({"line": line, "field": "external_id", "message": message})
        seen.setdefault(key, line)
        rows.append(row)
    return ([] if errors else rows), fields, errors
