"""An inverted index of the feedback's stems, for the evidence check (pure).

Built with the related words in the background (one pass over the items), it
answers "which items say this stem" with an array lookup, so a search at 100k
items costs milliseconds of numpy instead of a scan of every text. The scores
are those of `feedback.themes.meaning` (see there), worked out on arrays; only
the items that say every word of the phrase are read again, to tell the exact
phrase from its words in another order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from feedback.themes.meaning import (
    MIN_SHARE,
    RELATED,
    RELATED_SPAN,
    STEM_FLOOR,
    STEM_SPAN,
    Query,
    idf,
)


@dataclass
class ItemIndex:
    ids: np.ndarray  # item ids, ascending (int64)
    created: np.ndarray  # epoch seconds (float64)
    customer: np.ndarray  # customer id, -1 when anonymous (int64)
    negative: np.ndarray  # bool
    postings: dict[str, np.ndarray]  # stem -> positions saying it (int32, ascending)

    @property
    def max_id(self) -> int:
        return int(self.ids[-1]) if len(self.ids) else 0


def build_index(rows: Sequence[tuple], docs: Sequence[set[str]]) -> ItemIndex:
    """`rows` of (id, created epoch seconds, customer id or None, negative),
    ascending by id, and each row's content stems."""
    lists: dict[str, list[int]] = defaultdict(list)
    for position, stems in enumerate(docs):
        for word_stem in stems:
            lists[word_stem].append(position)
    return ItemIndex(
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        created=np.array([r[1] for r in rows], dtype=np.float64),
        customer=np.array([-1 if r[2] is None else r[2] for r in rows], dtype=np.int64),
        negative=np.array([bool(r[3]) for r in rows], dtype=bool),
        postings={s: np.array(p, dtype=np.int32) for s, p in lists.items()},
    )


def extended(index: ItemIndex, rows: Sequence[tuple], docs) -> ItemIndex:
    """The index with newer items (ids above its highest) appended."""
    if not rows:
        return index
    more = build_index(rows, docs)
    shift = len(index.ids)
    postings = dict(index.postings)
    for word_stem, positions in more.postings.items():
        old = postings.get(word_stem)
        new = positions + shift
        postings[word_stem] = new if old is None else np.concatenate([old, new])
    return ItemIndex(
        ids=np.concatenate([index.ids, more.ids]),
        created=np.concatenate([index.created, more.created]),
        customer=np.concatenate([index.customer, more.customer]),
        negative=np.concatenate([index.negative, more.negative]),
        postings=postings,
    )


@dataclass
class Scored:
    positions: np.ndarray  # the matching items' positions in the index
    scores: np.ndarray
    related: np.ndarray  # bool: some word is said only through a related word
    whole: np.ndarray  # bool: says every word's own stem (may be the exact phrase)
    unsaid: list[str]


EMPTY = np.zeros(0, dtype=np.int64)


def score_index(index: ItemIndex, query: Query) -> Scored:
    """The items that match `query`, with the scores of `meaning.match_texts`
    (before the exact phrase is told apart: the caller checks `whole`)."""
    own = [index.postings.get(w.stem, EMPTY) for w in query.words]
    near = [
        [(index.postings.get(r.stem, EMPTY), r.similarity) for r in w.related]
        for w in query.words
    ]
    every = list(own) + [p for word in near for p, _sim in word]
    cands = np.unique(np.concatenate(every)) if every else EMPTY
    n_docs = len(index.ids)
    weights, says, strength, unsaid = [], [], [], []
    for word, mine, others in zip(query.words, own, near, strict=True):
        has = np.isin(cands, mine, assume_unique=True)
        best = np.zeros(len(cands))
        for positions, sim in others:
            hit = np.isin(cands, positions, assume_unique=True)
            best = np.maximum(best, np.where(hit, RELATED * sim, 0.0))
        best[has] = 0.0
        df = len(mine) or int((best > 0).sum())
        if not df:
            unsaid.append(word.word)
            continue
        weights.append(idf(n_docs, df))
        says.append(has)
        strength.append(np.where(has, 1.0, best))
    if not weights:
        return Scored(EMPTY, np.zeros(0), np.zeros(0, bool), np.zeros(0, bool), unsaid)
    w = np.array(weights)[:, None]
    total = w.sum()
    strength_m = np.vstack(strength)
    said_m = strength_m > 0
    share = (w * said_m).sum(axis=0) / total
    mean = (w * strength_m).sum(axis=0) / total
    related = (said_m & ~np.vstack(says)).any(axis=0)
    keep = share >= MIN_SHARE
    scores = np.where(related, RELATED_SPAN * mean, STEM_FLOOR + STEM_SPAN * mean)
    whole = np.vstack(says).all(axis=0) & (len(weights) == len(query.words))
    return Scored(
        positions=cands[keep],
        scores=np.round(scores[keep], 3),
        related=related[keep],
        whole=whole[keep],
        unsaid=unsaid,
    )
