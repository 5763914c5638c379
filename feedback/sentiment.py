"""Sentiment of feedback: VADER on the text, overridden by the customer's own score.

Pure: no ORM. `score_texts` gives VADER's compound score in [-1, 1];
`polarities` turns compounds plus (score, score_type) into negative / neutral /
positive with the DESIGN.md thresholds: an item is negative when either signal
says so (compound <= -0.05, NPS <= 6, CSAT or stars <= 2), so a complaint inside
a polite 9 still counts. Otherwise a score, when present, decides between
neutral and positive; without one the text does.
"""

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from feedback.parallel import can_spread, map_in_processes

NEGATIVE_AT = -0.05
POSITIVE_AT = 0.05
# Per score type: at or below the first bound a score is negative, at or above
# the second positive, neutral between.
SCORE_BANDS = {"nps": (6, 9), "csat": (2, 4), "stars": (2, 4), "rating": (4, 8)}
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


# A file with this many new distinct texts is scored by worker processes first
# (VADER is pure Python: ~5,000 review-length texts/s on one core).
PARALLEL_MIN = 20_000
WORKERS = 2


def _score_list(texts: list[str]) -> list[float]:
    return [score_text(text) for text in texts]


def prime(texts: Iterable[str]) -> int:
    """Score the distinct texts not seen yet, in parallel when there are many.

    Imports call this once per file before writing it chunk by chunk, so a file
    of new texts uses every core; the chunks then find their scores in the
    cache. Returns how many texts were scored here (0 when too few to be worth
    a process pool, when the cache could not hold them, or when no pool can be
    used here: see `feedback.parallel`).
    """
    todo = [t for t in dict.fromkeys(texts) if isinstance(t, str) and t not in _SEEN]
    if len(todo) < PARALLEL_MIN or len(todo) > SEEN_MAX or not can_spread(WORKERS):
        return 0
    if len(_SEEN) + len(todo) > SEEN_MAX:
        _SEEN.clear()
    bounds = np.linspace(0, len(todo), WORKERS * 4 + 1).astype(int)
    parts = [todo[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    scored = map_in_processes(_score_list, parts, workers=WORKERS)
    for part, values in zip(parts, scored, strict=True):
        _SEEN.update(zip(part, values, strict=True))
    return len(todo)


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


def polarities(
    compounds: Sequence[float],
    scores: Sequence[float] | None = None,
    score_types: Sequence[str] | None = None,
) -> np.ndarray:
    """Polarity per item: negative if either signal is; else score, else text."""
    # Vectorised over the rows (1M rows in ~0.1 s).
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
    low, high = np.full(n, np.nan), np.full(n, np.nan)
    for kind, (negative_at, positive_at) in SCORE_BANDS.items():
        low[kinds == kind], high[kinds == kind] = negative_at, positive_at
    has_score = ~np.isnan(low) & ~np.isnan(scores)
    with np.errstate(invalid="ignore"):
        score_neg = has_score & (scores <= low)
        score_pos = has_score & (scores >= high)
    text_neg = compounds <= NEGATIVE_AT
    text_pos = compounds >= POSITIVE_AT
    out = np.where(text_pos, "positive", "neutral").astype(object)
    out[has_score] = np.where(score_pos, "positive", "neutral")[has_score]
    out[score_neg | text_neg] = "negative"
    return out
