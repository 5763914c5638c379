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


# Scores of recently seen texts, kept across calls: an import writes its file in
# chunks and feedback repeats itself, so each distinct text is scored once per
# process (VADER is deterministic). Emptied when full; 200k short texts ~ 60 MB.
_SEEN: dict[str, float] = {}
SEEN_MAX = 200_000


def score_texts(texts: Sequence[str]) -> np.ndarray:
    """Compound scores for many texts; each distinct text is scored once."""
    seen = _SEEN
    out = np.empty(len(texts), dtype="float64")
    for i, text in enumerate(texts):
        key = text if isinstance(text, str) else ""
        value = seen.get(key)
        if value is None:
            if len(seen) >= SEEN_MAX:
                seen.clear()
            value = seen[key] = score_text(key)
        out[i] = value
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
    # Vectorised form of `score_polarity` + `text_polarity` (1M rows in ~0.1 s).
    compounds = np.asarray(compounds, dtype="float64")
    n = len(compounds)
    if scores is None:
        scores = np.full(n, np.nan)
    else:
        scores = np.array(
            [np.nan if s is None else s for s in scores], dtype="float64"
        ).reshape(n)
    if score_types is None:
        kinds = np.full(n, "", dtype=object)
    else:
        kinds = np.array([t or "" for t in score_types], dtype=object).reshape(n)
    nps = kinds == "nps"
    scaled = (kinds == "csat") | (kinds == "stars")
    has_score = (nps | scaled) & ~np.isnan(scores)
    low = np.where(nps, 6, 2)
    high = np.where(nps, 9, 4)
    with np.errstate(invalid="ignore"):
        score_neg = has_score & (scores <= low)
        score_pos = has_score & (scores >= high)
    text_neg = compounds <= NEGATIVE_AT
    text_pos = compounds >= POSITIVE_AT
    out = np.where(text_pos, "positive", "neutral").astype(object)
    out[has_score] = np.where(score_pos, "positive", "neutral")[has_score]
    out[score_neg | text_neg] = "negative"
    return out
