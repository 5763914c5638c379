"""Matching a phrase by meaning: words, stems and related words (pure).

The evidence check asks "do customers say this?". A phrase matches an item when
the item says the phrase's informative words, in any inflection (Snowball
stems: "forums" is "forum") or through a word the corpus uses in the same
places ("community" for "forum", learned in `feedback.themes.related_words`).

How sure a match is, 0..1, from the IDF-weighted mean over the phrase's words
of how each is said (its own stem 1.0, a related word 0.8 x its similarity,
absent 0):
- "exact", the phrase word for word: 1.0;
- "stem", every word the item says is the phrase's own (in any form or order):
  0.5 + 0.45 x the mean, so 0.5 to 0.95;
- "related", at least one only through a related word: 0.5 x the mean, below
  0.5: no related match is surer than a stem match.
An item matches when the words it says (in any of the three ways) carry at
least half the phrase's IDF weight: rare words carry the meaning, so "slow
refunds problem" does not match every "problem".
Words that no item says, in any form, are left out of the weighting (and
named), so "customer forum" over a corpus without "customer" asks for "forum".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

WORD = re.compile(r"[^\W_]+")
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS)
SAME_STEM = 1.0
RELATED = 0.8  # times the similarity of the related word
STEM_FLOOR, STEM_SPAN = 0.5, 0.45  # a stem match scores 0.5..0.95
RELATED_SPAN = 0.5  # a related match scores below 0.5
MIN_SHARE = 0.5  # of the phrase's IDF weight an item must say
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a lower-case word."""
    return _STEMMER.stemWord(word)


def tokens(text: str) -> list[str]:
    """Lower-case words: runs of letters and digits ("log-in" is log, in)."""
    return WORD.findall(text.lower())


def content_words(words: Iterable[str]) -> list[str]:
    """The words that carry meaning: two characters or more, not stop words."""
    return [w for w in words if len(w) > 1 and w not in STOP_WORDS]


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(tokens(text))}


def prefilter_pattern(word_stem: str) -> str:
    """A substring every word with this stem contains (for a SQL prefilter):
    the stem itself, less the final "i" Snowball makes of a "y" (community ->
    communiti)."""
    return (
        word_stem[:-1] if word_stem.endswith("i") and len(word_stem) > 3 else word_stem
    )


@dataclass(frozen=True)
class Related:
    stem: str
    term: str  # how the corpus usually spells it
    similarity: float


@dataclass(frozen=True)
class QueryWord:
    word: str  # as typed
    stem: str
    related: tuple[Related, ...] = ()


@dataclass(frozen=True)
class Query:
    phrase: str  # the typed phrase, its words joined by single spaces
    words: tuple[QueryWord, ...]

    @property
    def stems(self) -> set[str]:
        return {w.stem for w in self.words} | {
            r.stem for w in self.words for r in w.related
        }


def query_words(phrase: str) -> tuple[str, list[tuple[str, str]]]:
    """The phrase normalised, and its (word, stem) pairs, one per distinct stem.
    A phrase of stop words only ("how about it") keeps them all."""
    said = tokens(phrase)
    chosen = content_words(said) or [w for w in said if w]
    pairs, seen = [], set()
    for word in chosen:
        word_stem = stem(word)
        if word_stem not in seen:
            seen.add(word_stem)
            pairs.append((word, word_stem))
    return " ".join(said), pairs


@dataclass
class ItemMatch:
    index: int  # position in the texts given
    kind: str  # "exact" | "stem" | "related"
    score: float
    said: dict[str, str] = field(default_factory=dict)  # query word -> word matched


def idf(n_docs: int, df: int) -> float:
    """Smoothed inverse document frequency (as scikit-learn's)."""
    return math.log((n_docs + 1) / (df + 1)) + 1.0


def _strength(word: QueryWord, said: set[str], stems: set[str]):
    """(strength, how, the word that said it) of one query word in one item."""
    if word.stem in stems:
        return SAME_STEM, "stem", word.word if word.word in said else word.stem
    best = None
    for rel in word.related:
        if rel.stem in stems and (best is None or rel.similarity > best.similarity):
            best = rel
    if best is not None:
        return RELATED * best.similarity, "related", best.term
    return 0.0, "", ""


def phrase_pattern(query: Query) -> re.Pattern:
    """The phrase word for word, whatever lies between its words ("log-in
    problem" is "log in problem"), as `tokens` splits texts."""
    words = [re.escape(w) for w in query.phrase.split()]
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(words) + r"(?![^\W_])", re.I)


def explain(query: Query, text: str) -> dict[str, str]:
    """Which word of `text` said each word of the phrase (for the examples)."""
    said = tokens(text)
    stems = {stem(w) for w in said}
    out = {}
    for word in query.words:
        strength, _kind, term = _strength(word, set(said), stems)
        if strength:
            out[word.word] = term
    return out


def match_texts(
    query: Query, texts: Sequence[str], *, n_docs: int
) -> tuple[list[ItemMatch], list[str]]:
    """The texts that match `query`, best first, and the query words no text says.

    `texts` should hold every item that could match (a prefilter's superset);
    their stems give each word's document frequency, `n_docs` the corpus size.
    """
    phrase = f" {query.phrase} "
    parsed = []
    df = dict.fromkeys((w.stem for w in query.words), 0)
    near = dict(df)  # items that say a related word instead
    for text in texts:
        said = tokens(text)
        stems = {stem(w) for w in said}
        parsed.append((f" {' '.join(said)} ", set(said), stems))
        for word in query.words:
            if word.stem in stems:
                df[word.stem] += 1
            elif any(r.stem in stems for r in word.related):
                near[word.stem] += 1
    # A word's weight is the IDF of its own stem; one no item says weighs as
    # rare as the related words said instead (a model learned before it came).
    weights = {
        w.stem: idf(n_docs, df[w.stem] or near[w.stem])
        for w in query.words
        if df[w.stem] or near[w.stem]
    }
    unsaid = [w.word for w in query.words if w.stem not in weights]
    total = sum(weights.values())
    found: list[ItemMatch] = []
    if not total:
        return found, unsaid
    for index, (joined, said, stems) in enumerate(parsed):
        if phrase in joined:
            found.append(
                ItemMatch(index, "exact", 1.0, {w.word: w.word for w in query.words})
            )
            continue
        got = share = 0.0
        kinds, how = set(), {}
        for word in query.words:
            weight = weights.get(word.stem)
            if weight is None:
                continue
            strength, kind, term = _strength(word, said, stems)
            if strength:
                got += weight * strength
                share += weight
                kinds.add(kind)
                how[word.word] = term
        if share / total >= MIN_SHARE:
            mean = got / total
            if "related" in kinds:
                found.append(
                    ItemMatch(index, "related", round(RELATED_SPAN * mean, 3), how)
                )
            else:
                score = STEM_FLOOR + STEM_SPAN * mean
                found.append(ItemMatch(index, "stem", round(score, 3), how))
    found.sort(key=lambda m: (-m.score, m.index))
    return found, unsaid
