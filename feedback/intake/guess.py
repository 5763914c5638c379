"""Propose a column mapping from a file's headers and a sample of its values.

Pure pandas, no ORM. `mapping_guess(sample)` looks at every column of a sample
(a DataFrame of strings, as `feedback.intake.reading.read_table` gives) and
answers which column most likely feeds each field, how sure it is (0..1), the
date format the date column parses with, and constants worth proposing (the
score type a score's range implies; the import date when no column holds
dates). Header words count, but values decide: the text is the longest free
text, a date column must parse, a score must be whole numbers in a known range.
"""

import re
from dataclasses import dataclass, field

import pandas as pd

from feedback.intake.dates import DATE_FORMATS, parse_dates
from feedback.intake.fields import CHANNEL_ALIASES, CHANNELS, normalise_name

# Words in a header that point at a field (compared on the header's words).
HINTS: dict[str, tuple[str, ...]] = {
    "text": (
        "text",
        "review",
        "body",
        "comment",
        "comments",
        "feedback",
        "narrative",
        "complaint",
        "verbatim",
        "message",
        "reason",
        "description",
        "answer",
    ),
    "created": ("date", "datetime", "created", "timestamp", "received", "time"),
    "external_id": ("id", "complaint_id", "review_id", "ticket_id", "response_id"),
    "customer_id": ("customer_id", "client_id", "account_id", "user_id"),
    "customer_name": ("customer_name", "author", "reviewer", "full_name"),
    "segment": (
        "segment",
        "product",
        "contract",
        "tier",
        "traveller",
        "traveler",
        "department",
    ),
    "channel": ("channel", "submitted_via", "via", "medium"),
    "score": ("rating", "score", "nps", "csat", "stars", "satisfaction"),
    "annual_revenue": ("revenue", "arr", "annual_revenue"),
}
# A score's range -> its type; `nps`/`csat` in the header break the 1-5 / 0-10 ties.
SCORE_RANGES = (("stars", 1, 5), ("rating", 1, 10), ("nps", 0, 10))
IMPORT_DATE = "import_date"
SAMPLE_ROWS = 500
MIN_TEXT_SCORE = 5.0


@dataclass
class Guess:
    mapping: dict[str, str] = field(default_factory=dict)  # column -> field
    confidence: dict[str, float] = field(default_factory=dict)  # field -> 0..1
    constants: dict[str, str] = field(default_factory=dict)  # field -> value
    date_format: str = "iso"
    # The text column is blank in many rows: propose skipping those rows.
    skip_empty_text: bool = False

    def take(self, column: str, name: str, confidence: float) -> None:
        self.mapping[column] = name
        self.confidence[name] = round(max(0.0, min(1.0, confidence)), 2)


def _words(column: str) -> set[str]:
    name = normalise_name(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(column)))
    parts = [p for p in re.split(r"[^a-z0-9]+", name) if p]
    joined = {"_".join(parts[i : i + 2]) for i in range(len(parts) - 1)}
    return set(parts) | joined | {"_".join(parts)}


def _hint(column: str, name: str) -> bool:
    if name == "customer_name" and normalise_name(column) == "name":
        return True  # "Name" alone; "Division Name" is not a person
    return bool(_words(column) & set(HINTS[name]))


def _filled(values: pd.Series) -> pd.Series:
    values = values.astype(str).str.strip()
    return values[values != ""]


def _numbers(values: pd.Series) -> pd.Series | None:
    """The values as numbers, or None when some are not numbers."""
    numbers = pd.to_numeric(values.str.replace(",", ".", regex=False), errors="coerce")
    return None if numbers.isna().any() else numbers


def _text_score(values: pd.Series) -> float:
    """Mean length of the distinct non-numeric values with a space."""
    if values.empty or _numbers(values) is not None:
        return 0.0
    worded = values[values.str.contains(" ", regex=False)]
    if len(worded) < len(values) / 2:
        return 0.0
    distinct = values.nunique() / len(values)
    return float(values.str.len().mean()) * min(1.0, distinct * 2)


def _best_date(values: pd.Series) -> tuple[str, float]:
    """The named format that parses most of the values, and that share."""
    if values.empty or _numbers(values) is not None:
        return "iso", 0.0
    best, share = "iso", 0.0
    for name in DATE_FORMATS:
        parsed = parse_dates(values, name)
        ok = float(parsed.notna().mean())
        if ok > share + 1e-9:
            best, share = name, ok
    return best, share


def _score_type(column: str, numbers: pd.Series) -> str | None:
    if (numbers % 1 != 0).any():
        return None
    low, high = numbers.min(), numbers.max()
    words = _words(column)
    if "nps" in words or "recommend" in words:
        return "nps" if low >= 0 and high <= 10 else None
    if "csat" in words or "satisfaction" in words:
        return "csat" if low >= 1 and high <= 5 else None
    for kind, lo, hi in SCORE_RANGES:
        if low >= lo and high <= hi:
            return kind
    return None


def _channel_share(values: pd.Series) -> float:
    words = values.str.lower().replace(CHANNEL_ALIASES)
    return float(words.isin(CHANNELS).mean()) if len(words) else 0.0


def mapping_guess(sample: pd.DataFrame) -> Guess:
    """Propose `column -> field` for a sample of a file (strings, "" when empty).

    Each field is given at most one column and each column at most one field.
    When no column parses as dates, `constants` proposes `created=import_date`;
    a score column's range proposes its `score_type`.
    """
    guess = Guess()
    filled = {c: _filled(sample[c]) for c in sample.columns}
    free = [c for c in sample.columns if not filled[c].empty]

    def left() -> list[str]:
        return [c for c in free if c not in guess.mapping]

    texts = {c: _text_score(filled[c]) for c in free}
    # Mean length past MIN_TEXT_SCORE: free text, not a short label.
    texts = {
        c: s + (20 if _hint(c, "text") else 0)
        for c, s in texts.items()
        if s >= MIN_TEXT_SCORE
    }
    if texts:
        column = max(texts, key=texts.get)
        guess.take(column, "text", min(1.0, texts[column] / 60))
        guess.skip_empty_text = len(filled[column]) < 0.95 * len(sample)

    dates = []
    for column in left():
        fmt, share = _best_date(filled[column])
        if share >= 0.8:
            dates.append(
                (share + (0.1 if _hint(column, "created") else 0), column, fmt)
            )
    if dates:
        share, column, fmt = max(dates, key=lambda d: d[0])
        guess.take(column, "created", min(1.0, share))
        guess.date_format = fmt
    else:
        guess.constants["created"] = IMPORT_DATE
        guess.confidence["created"] = 0.0

    scores = []
    for column in left():
        numbers = _numbers(filled[column]) if _hint(column, "score") else None
        kind = _score_type(column, numbers) if numbers is not None else None
        if kind:
            overall = 1 if _words(column) & {"overall", "score", "rating"} else 0
            scores.append((overall, filled[column].nunique(), column, kind))
    if scores:
        overall, _, column, kind = max(scores)
        guess.take(column, "score", 0.9 if overall else 0.7)
        guess.constants["score_type"] = kind

    n = len(sample)
    for column in left():
        values = filled[column]
        unique = values.nunique() == len(values) == n
        if "customer_id" not in guess.confidence and _hint(column, "customer_id"):
            guess.take(column, "customer_id", 0.9)
        elif "external_id" not in guess.confidence and unique:
            if _hint(column, "external_id"):
                guess.take(column, "external_id", 0.9)
            elif _numbers(values) is not None and re.match(r"column_\d+$", column):
                guess.take(column, "external_id", 0.5)  # an unnamed row index

    for column in left():
        values = filled[column]
        few = values.nunique() <= max(12, len(values) // 20)
        if "channel" not in guess.confidence and _hint(column, "channel"):
            share = _channel_share(values)
            if share >= 0.5:
                guess.take(column, "channel", share)
        elif "segment" not in guess.confidence and _hint(column, "segment") and few:
            guess.take(column, "segment", 0.7)
        elif "annual_revenue" not in guess.confidence and _hint(
            column, "annual_revenue"
        ):
            numbers = _numbers(values)
            if numbers is not None and (numbers >= 0).all():
                guess.take(column, "annual_revenue", 0.6)
        elif (
            "customer_name" not in guess.confidence
            and _hint(column, "customer_name")
            and _numbers(values) is None
        ):
            guess.take(column, "customer_name", 0.6)
    # A column named after a field feeds it (columns.column_plan): no constant.
    named = {normalise_name(c) for c in sample.columns}
    guess.constants = {k: v for k, v in guess.constants.items() if k not in named}
    return guess
