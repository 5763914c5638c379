"""Sentiment of feedback: VADER on the text, overridden by the customer's own score.

Pure: no ORM. `score_texts` gives VADER's compound score in [-1, 1];
`polarities` turns compounds plus (score, score_type) into negative / neutral /
positive with the DESIGN.md thresholds: an item is negative when either signal
says so (compound <= -0.05, NPS <= 6, CSAT or stars <= 2), so a complaint inside
a polite 9 still counts. Otherwise a score, when present, decides between
neutral and positive; without one the text does.
"""

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

NEGATIVE_AT = -0.05
POSITIVE_AT = 0.05
# VADER's cost grows with length; the opening says what the customer means.
MAX_CHARS = 2000


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def score_text(text: str) -> float:
    """VADER compound score of one text (0.0 for empty text)."""
    text = (text or "").strip()[:MAX_CHARS]
    if not text:
        return 0.0
    return float(_analyzer().polarity_scores(text)["compound"])


def score_texts(texts: Sequence[str]) -> np.ndarray:
    """Compound scores for many texts, identical texts scored once."""
    cache: dict[str, float] = {}
    out = np.empty(len(texts), dtype="float64")
    for i, text in enumerate(texts):
        key = text if isinstance(text, str) else ""
        if key not in cache:
            cache[key] = score_text(key)
        out[i] = cache[key]
    return out


def score_polarity(score: float, score_type: str) -> str | None:
    """Polarity a score implies, or None when there is no usable score."""
    if score is None or score_type not in ("nps", "csat", "stars"):
        return None
    if isinstance(score, float) and np.isnan(score):
        return None
    if score_type == "nps":
        if score <= 6:
            return "negative"
        return "positive" if score >= 9 else "neutral"
    if score <= 2:
        return "negative"
    return "positive" if score >= 4 else "neutral"


def text_polarity(compound: float) -> str:
    if compound <= NEGATIVE_AT:
        return "negative"
    return "positive" if compound >= POSITIVE_AT else "neutral"


def polarities(
    compounds: Sequence[float],
    scores: Sequence[float] | None = None,
    score_types: Sequence[str] | None = None,
) -> np.ndarray:
    """Polarity per item: negative if either signal is; else score, else text."""
    n = len(compounds)
    scores = np.full(n, np.nan) if scores is None else scores
    score_types = [""] * n if score_types is None else score_types
    out = np.empty(n, dtype=object)
    for i in range(n):
        by_score = score_polarity(scores[i], score_types[i] or "")
        by_text = text_polarity(float(compounds[i]))
        if "negative" in (by_score, by_text):
            out[i] = "negative"
        else:
            out[i] = by_score or by_text
    return out
