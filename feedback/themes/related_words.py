"""Related words learned from the feedback itself (pure).

Two stems are related when customers use them in the same company: "forum"
and "community" both come with "swap", "tips", "other users". We count, for
every pair of content stems, the items that say both; weight the counts by
positive pointwise mutual information (PPMI, with the context distribution
smoothed by 0.75, so that words said everywhere, "problem", relate to nothing);
reduce the PPMI rows to at most 100 dimensions with a truncated SVD (latent
semantic analysis), which also relates words that share company without ever
meeting; and keep each stem's nearest stems by cosine similarity above a cut,
among the stems said with it in at least two items and mostly with it (in
three in five of the items that say them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD

from feedback.themes.meaning import content_words, stem, tokens

DIMENSIONS = 100
MIN_DF = 2  # a stem said once has no company to learn from
MAX_DF_SHARE = 0.3  # stems in more items than this are too common to relate
MAX_VOCABULARY = 20_000
NEIGHBOURS = 8
MIN_SIMILARITY = 0.35
MIN_TOGETHER = 2  # items that say both, for two stems to be related
MIN_SPECIFICITY = 0.6  # of the items saying the related stem that say both


@dataclass
class WordModel:
    version: str  # the feedback version it was learned from
    n_docs: int
    df: dict[str, int] = field(default_factory=dict)
    term: dict[str, str] = field(default_factory=dict)  # stem -> usual spelling
    neighbours: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    index: Any = None  # the ItemIndex learned with it (feedback.themes.evidence_index)

    def related(self, word_stem: str, *, top: int, cut: float):
        return [
            (other, sim)
            for other, sim in self.neighbours.get(word_stem, ())[:top]
            if sim >= cut
        ]


def documents(texts: Iterable[str]):
    """Each text's set of content stems, and how often each (stem, word) is said."""
    docs, spelled = [], Counter()
    for text in texts:
        words = content_words(tokens(text))
        stems = set()
        for word in words:
            word_stem = stem(word)
            stems.add(word_stem)
            spelled[(word_stem, word)] += 1
        docs.append(stems)
    return docs, spelled


def _vocabulary(docs: list[set[str]]) -> list[str]:
    df = Counter(s for doc in docs for s in doc)
    most = max(MIN_DF, int(MAX_DF_SHARE * len(docs)))
    kept = [s for s, n in df.items() if MIN_DF <= n <= most]
    kept.sort(key=lambda s: (-df[s], s))
    return kept[:MAX_VOCABULARY]


def _ppmi(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    counts = counts.tocoo()
    total = counts.sum()
    rows = np.asarray(counts.sum(axis=1)).ravel()
    smoothed = np.asarray(counts.sum(axis=0)).ravel() ** 0.75
    contexts = smoothed / smoothed.sum()
    pmi = np.log(counts.data * 1.0 / total) - np.log(rows[counts.row] / total)
    pmi -= np.log(contexts[counts.col])
    keep = pmi > 0
    return sparse.csr_matrix(
        (pmi[keep], (counts.row[keep], counts.col[keep])), shape=counts.shape
    )


def _vectors(ppmi: sparse.csr_matrix, seed: int) -> np.ndarray:
    size = ppmi.shape[0]
    dims = min(DIMENSIONS, size - 1)
    if dims >= 2:
        svd = TruncatedSVD(n_components=dims, algorithm="randomized", random_state=seed)
        vectors = svd.fit_transform(ppmi)
    else:
        vectors = ppmi.toarray()
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def _nearest(vectors: np.ndarray, together: sparse.csr_matrix, df, vocabulary):
    """Each stem's nearest stems by cosine, among those said with it in at
    least MIN_TOGETHER items and in MIN_SPECIFICITY of the items that say
    them (on few items, or for words said everywhere, similarity alone
    relates noise: "outage" to "log")."""
    neighbours = {}
    for me, word_stem in enumerate(vocabulary):
        start, end = together.indptr[me], together.indptr[me + 1]
        others, both = together.indices[start:end], together.data[start:end]
        keep = (both >= MIN_TOGETHER) & (both >= MIN_SPECIFICITY * df[others])
        cands = others[keep]
        if not len(cands):
            continue
        sims = vectors[cands] @ vectors[me]
        order = np.argsort(-sims)[:NEIGHBOURS]
        kept = tuple(
            (vocabulary[cands[j]], round(float(sims[j]), 3))
            for j in order
            if sims[j] >= MIN_SIMILARITY
        )
        if kept:
            neighbours[word_stem] = kept
    return neighbours


def learn_related_words(
    texts: Iterable[str], *, version: str, seed: int = 0
) -> WordModel:
    """A WordModel of the texts: each kept stem's usual spelling and neighbours."""
    docs, spelled = documents(texts)
    return learn_from_documents(docs, spelled, version=version, seed=seed)


def learn_from_documents(
    docs: list[set[str]], spelled: Counter, *, version: str, seed: int = 0
) -> WordModel:
    """learn_related_words on texts already split into stems (`documents`)."""
    vocabulary = _vocabulary(docs)
    df = Counter(s for doc in docs for s in doc)
    kept = set(vocabulary)
    term: dict[str, str] = {}
    for (word_stem, word), _n in spelled.most_common():
        if word_stem in kept:
            term.setdefault(word_stem, word)
    model = WordModel(version=version, n_docs=len(docs), term=term)
    model.df = {s: df[s] for s in vocabulary}
    if len(vocabulary) < 2:
        return model
    column = {s: j for j, s in enumerate(vocabulary)}
    indptr, indices = [0], []
    for doc in docs:
        indices.extend(column[s] for s in doc if s in column)
        indptr.append(len(indices))
    occurs = sparse.csr_matrix(
        (np.ones(len(indices), dtype=np.float64), indices, indptr),
        shape=(len(docs), len(vocabulary)),
    )
    counts = (occurs.T @ occurs).tocsr()
    counts.setdiag(0)
    counts.eliminate_zeros()
    if counts.nnz == 0:
        return model
    sizes = np.array([df[s] for s in vocabulary], dtype=np.float64)
    model.neighbours = _nearest(
        _vectors(_ppmi(counts), seed), counts, sizes, vocabulary
    )
    return model
