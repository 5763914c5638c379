"""Likely duplicates of a new idea among the open ones: pure, no Django.

Two measures, each on the title and body together:
- spelling: rapidfuzz's token_set_ratio (0-100) of the lower-cased texts, so
  the same words in another order, or one text inside a longer one, score high;
- meaning: the cosine of TF-IDF vectors of the Snowball stems of the content
  words (scikit-learn), fitted on the open ideas and the new text, so
  "refunds are slow" meets "slow refund" and rare shared words weigh most.
An idea is a likely duplicate when either passes its threshold; the score
answered is the larger of the two, on 0-1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from feedback.themes.meaning import content_words, stem, tokens

FUZZY_MIN = 80.0  # token_set_ratio, 0-100
MEANING_MIN = 0.35  # TF-IDF cosine, 0-1
LIMIT = 5
# Texts with fewer distinct content stems than this carry too little to
# compare: a one-word title is "inside" too many others for token_set_ratio.
MIN_WORDS = 2


@dataclass(frozen=True)
class Candidate:
    id: int
    text: str


@dataclass(frozen=True)
class Duplicate:
    id: int
    score: float  # the larger of fuzzy / 100 and meaning
    fuzzy: float  # 0-100
    meaning: float  # 0-1


def _stems(text: str) -> list[str]:
    return [stem(w) for w in content_words(tokens(text))]


def _says_enough(text: str) -> bool:
    return len(set(_stems(text))) >= MIN_WORDS


def _clean(text: str) -> str:
    return " ".join(tokens(text))


def duplicates_find(
    text: str, candidates: Sequence[Candidate], *, limit: int = LIMIT
) -> list[Duplicate]:
    """The `limit` candidates most like `text` that pass either threshold,
    best first (ties by id); [] when `text` says too little."""
    if not _says_enough(text) or not candidates:
        return []
    query = _clean(text)
    fuzzy = [float(fuzz.token_set_ratio(query, _clean(c.text))) for c in candidates]
    vectorizer = TfidfVectorizer(
        analyzer=_stems, sublinear_tf=True, norm="l2", min_df=1
    )
    try:
        matrix = vectorizer.fit_transform([text, *(c.text for c in candidates)])
    except ValueError:  # no content word anywhere
        return []
    meaning = cosine_similarity(matrix[0], matrix[1:]).ravel()
    found = [
        Duplicate(c.id, round(max(f / 100, float(m)), 4), f, round(float(m), 4))
        for c, f, m in zip(candidates, fuzzy, meaning, strict=True)
        if (f >= FUZZY_MIN and _says_enough(c.text)) or m >= MEANING_MIN
    ]
    found.sort(key=lambda d: (-d.score, d.id))
    return found[:limit]
