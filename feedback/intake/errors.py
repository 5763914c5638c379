"""An import's errors summarised by kind, and written out as CSV: pure.

`error_summary` groups `{"line", "field", "message"}` errors whose messages
differ only in the value quoted or a line number ("'x' is not a date" and
"'y' is not a date" are one kind), with the count and the first three lines.
"""

import re

_QUOTED = re.compile(r"'[^']*'")
_NUMBER = re.compile(r"\b\d[\d,]*\b")
FIRST_LINES = 3


def error_kind(error: dict) -> str:
    """`created: '…' is not a date in the format iso` for one error."""
    message = _QUOTED.sub("'…'", str(error.get("message", "")))
    message = _NUMBER.sub("N", message)
    name = error.get("field") or "row"
    return f"{name}: {message}"


def error_summary(errors: list[dict]) -> list[dict]:
    """`[{"kind", "count", "lines": [first three]}]`, the commonest kind first."""
    kinds: dict[str, dict] = {}
    for error in errors:
        kind = error_kind(error)
        entry = kinds.setdefault(kind, {"kind": kind, "count": 0, "lines": []})
        entry["count"] += 1
        line = error.get("line")
        lines = entry["lines"]
        if line is not None and len(lines) < FIRST_LINES and line not in lines:
            lines.append(line)
    return sorted(kinds.values(), key=lambda e: (-e["count"], e["kind"]))


def duplicates_count(summary: list[dict]) -> int:
    """How many errors of a summary are duplicate rows."""
    return sum(e["count"] for e in summary if "duplicate of line" in e["kind"])
