"""Theme discovery: suggest candidate themes from unlabelled feedback.

Texts become TF-IDF vectors of words and two-word phrases (English stop words
and redaction masks removed), unit length, so that k-means on them groups texts
by shared vocabulary (cosine similarity). Each cluster is described by the terms
with the highest mean weight in it, and illustrated by the three texts closest to
its centre. Pure: no Django, no ORM.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from feedback.themes.text import MASK, TOKEN_PATTERN

# Clustering a sample is as good as clustering everything for a handful of
# themes, and keeps discovery on 100,000 items to seconds.
MAX_FIT_TEXTS = 20_000
EXAMPLES = 3


@dataclass
class Candidate:
    """One suggested theme.

    `terms` describe it (strongest first), `size` counts the texts assigned to it,
    `example_indices` are positions in the input of its most typical texts (up to
    3), `suggested_name` is a readable default, `keywords` are terms suitable as
    keyword rules.
    """

    terms: list[str]
    size: int
    example_indices: list[int]
    suggested_name: str
    keywords: list[str]


def _analyzer():
    base = TfidfVectorizer(
        token_pattern=TOKEN_PATTERN, stop_words=sorted(ENGLISH_STOP_WORDS)
    ).build_analyzer()

    def analyse(text: str) -> list[str]:
        words = [w for w in base(text) if not MASK.match(w) and not w.isdigit()]
        return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]

    return analyse


def _name(terms: list[str]) -> str:
    # Prefer a two-word phrase, which reads like a theme ("late fee").
    phrase = next((t for t in terms if " " in t), None)
    head = phrase or terms[0]
    rest = [t for t in terms if t != head and t not in head.split()][:1]
    return " / ".join(x.capitalize() for x in [head, *rest])


def discover(
    texts: Sequence[str], *, k: int = 5, seed: int = 0, top_terms: int = 8
) -> list[Candidate]:
    """Group texts into at most k candidate themes, largest first.

    Takes the texts (empty ones are ignored but indices still refer to the input),
    the number of clusters wanted, a seed and how many terms to describe each
    with. Returns a list of Candidates; fewer than k when there are fewer usable
    texts (or distinct ones) than k, and [] when no text has a usable word.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    usable = [i for i, t in enumerate(texts) if t and t.strip()]
    if not usable:
        return []
    rng = np.random.default_rng(seed)
    fit_rows = usable
    if len(usable) > MAX_FIT_TEXTS:
        fit_rows = sorted(rng.choice(usable, MAX_FIT_TEXTS, replace=False).tolist())
    min_df = 2 if len(fit_rows) >= 50 else 1
    vectorizer = TfidfVectorizer(analyzer=_analyzer(), min_df=min_df, sublinear_tf=True)
    try:
        vectorizer.fit([texts[i] for i in fit_rows])
    except ValueError:  # nothing but stop words
        return []
    x = vectorizer.transform([texts[i] for i in usable])
    has_terms = np.diff(x.indptr) > 0
    rows = np.flatnonzero(has_terms)
    if len(rows) == 0:
        return []
    x = x[rows]
    distinct = len({texts[usable[r]].strip().casefold() for r in rows})
    n_clusters = min(k, distinct)
    fit_mask = np.isin(np.asarray(usable)[rows], fit_rows)
    kmeans = KMeans(n_clusters=n_clusters, n_init=4, random_state=seed)
    with warnings.catch_warnings():
        # Duplicate texts can make fewer distinct clusters than asked for.
        warnings.simplefilter("ignore")
        kmeans.fit(x[fit_mask])
    assigned = kmeans.predict(x)
    terms_all = vectorizer.get_feature_names_out()
    similarity = np.asarray(x @ kmeans.cluster_centers_.T)
    candidates = []
    for c in range(n_clusters):
        members = np.flatnonzero(assigned == c)
        if len(members) == 0:
            continue
        weights = np.asarray(x[members].mean(axis=0)).ravel()
        order = [j for j in np.argsort(-weights, kind="stable") if weights[j] > 0]
        terms = [str(terms_all[j]) for j in order[:top_terms]]
        typical = members[np.argsort(-similarity[members, c], kind="stable")]
        examples = [int(usable[rows[m]]) for m in typical[:EXAMPLES]]
        candidates.append(
            Candidate(
                terms=terms,
                size=int(len(members)),
                example_indices=examples,
                suggested_name=_name(terms) if terms else f"Cluster {c + 1}",
                keywords=terms[:4],
            )
        )
    candidates.sort(key=lambda cand: (-cand.size, cand.suggested_name))
    return candidates
