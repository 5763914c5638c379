"""Text helpers shared by keyword rules, the theme model and discovery.

Pure functions only (no Django, no ORM): tokenising, a small suffix stemmer, and
a fast featuriser that turns texts into L2-normalised TF-IDF vectors over words
and the character n-grams inside words.

Why character n-grams are built from words: counting the characters of 100,000
long texts directly is several times slower than counting their words. A word's
character n-grams depend on the word only, so we count words once and map each
distinct word of the batch to its n-grams with one sparse product.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

# Tokens of two or more word characters, as scikit-learn does by default.
TOKEN_PATTERN = r"(?u)\b\w\w+\b"
# Rules also need one-letter words ("a", "i") so phrases stay contiguous.
RULE_TOKEN = re.compile(r"[^\W_]+")
# Redaction masks such as "XXXX" or "xx/xx/xxxx" in exported complaints.
MASK = re.compile(r"^x{2,}$")
VOWELS = frozenset("aeiouy")
CHAR_NGRAMS = (3, 5)
# Rows per block when building character features; bounds peak memory.
BLOCK_ROWS = 8192


def _strippable(rest: str) -> bool:
    # What is left after removing "ed"/"ing" must still look like a word: three
    # letters with a vowel, or vowel + consonant ("us" from "used"), so that
    # "need", "bring" and "shed" keep their endings.
    if len(rest) >= 3:
        return any(ch in VOWELS for ch in rest)
    return len(rest) == 2 and rest[0] in VOWELS and rest[1] not in VOWELS


def _undouble(word: str) -> str:
    # "logg" (from "logging") -> "log"; keep ll/ss/zz so "billed" stays "bill".
    if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "lsz" + "aeiou":
        return word[:-1]
    return word


def _restore(rest: str) -> str:
    # "us" (from "used") becomes "use" again so that it differs from "us".
    return rest + "e" if len(rest) == 2 else _undouble(rest)


def stem(word: str) -> str:
    """Reduce a lower-case word to a crude stem so inflections compare equal.

    Takes one lower-case token and returns its stem. Plural "s"/"ies", past "ed",
    gerund "ing" and a final "e" are removed, and a doubled final consonant is
    undone: refund, refunds, refunded, refunding -> "refund"; charge, charged,
    charging -> "charg"; logging -> "log"; companies -> "company". It is
    deliberately small (not Porter): the same function is applied to keywords and
    texts, so only consistency matters, not linguistic correctness.
    """
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("eed"):
        w = w[:-1]  # agreed -> agree, but "need" and "feed" stay whole
    elif len(w) > 4 and w.endswith("ied"):
        w = w[:-3] + "y"
    elif w.endswith("ed") and _strippable(w[:-2]):
        w = _restore(w[:-2])
    elif w.endswith("ing") and _strippable(w[:-3]):
        w = _restore(w[:-3])
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def rule_tokens(text: str) -> list[str]:
    """Split a text into case-folded word tokens for keyword rules (any length)."""
    return RULE_TOKEN.findall(text.casefold())


def word_ngrams(word: str, low: int = CHAR_NGRAMS[0], high: int = CHAR_NGRAMS[1]):
    """Character n-grams of one word padded with spaces (" refund " -> " re", ...)."""
    padded = f" {word} "
    return [
        padded[i : i + n]
        for n in range(low, high + 1)
        for i in range(len(padded) - n + 1)
    ]


def count_words(texts: Sequence[str]) -> tuple[sparse.csr_matrix, list[str]]:
    """Count the word tokens of each text.

    Takes texts, returns a (len(texts), n_words) CSR count matrix and the list of
    the batch's distinct words (column order). Redaction masks are dropped.
    An empty batch or one with no tokens gives a matrix with zero columns.
    """
    # Imported here: keyword rules use this module on every import, and loading
    # scikit-learn costs them ~1.3 s per new worker process for nothing.
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(token_pattern=TOKEN_PATTERN, lowercase=True, dtype=np.float32)
    try:
        counts = vec.fit_transform(texts)
    except ValueError:  # scikit-learn refuses an empty vocabulary
        return sparse.csr_matrix((len(texts), 0), dtype=np.float32), []
    words = vec.get_feature_names_out().tolist()
    keep = [i for i, w in enumerate(words) if not MASK.match(w)]
    if len(keep) < len(words):
        counts = counts[:, keep]
        words = [words[i] for i in keep]
    return counts.tocsr(), words


def _mapping(words: Sequence[str], index: dict[str, int], ngrams: bool):
    """Sparse (len(words), len(index)) matrix: how often each feature is in a word."""
    rows, cols = [], []
    for r, word in enumerate(words):
        if ngrams:
            for gram in word_ngrams(word):
                col = index.get(gram)
                if col is not None:
                    rows.append(r)
                    cols.append(col)
        else:
            col = index.get(word)
            if col is not None:
                rows.append(r)
                cols.append(col)
    data = np.ones(len(rows), dtype=np.float32)
    shape = (len(words), len(index))
    return sparse.csr_matrix((data, (rows, cols)), shape=shape)


def _tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear TF (1 + log count) times IDF, each row scaled to unit length.

    Works on the CSR arrays directly: scipy's generic element-wise products are
    several times slower on the ~100 million entries of a large batch.
    """
    x = counts.tocsr()
    data = np.log(x.data, dtype=np.float32)
    data += 1.0
    data *= idf[x.indices]
    rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=x.shape[0]))
    norms[norms == 0] = 1.0
    data /= norms[rows].astype(np.float32)
    return sparse.csr_matrix((data, x.indices, x.indptr), shape=x.shape)


@dataclass
class Featurizer:
    """Fitted vocabularies and IDF weights for words and in-word character n-grams."""

    words: list[str]
    word_idf: np.ndarray
    grams: list[str]
    gram_idf: np.ndarray

    @property
    def n_features(self) -> int:
        return len(self.words) + len(self.grams)

    def blocks(self, texts: Sequence[str]) -> Iterator[Block]:
        """Vectorise texts block by block (at most BLOCK_ROWS rows each).

        Yields Blocks whose word and n-gram parts are each unit length, and a
        boolean array telling which texts contain at least one known word (False:
        nothing to go on). Scoring block by block keeps memory flat for 100,000
        long texts.
        """
        counts, batch_words = count_words(texts)
        word_index = {w: i for i, w in enumerate(self.words)}
        gram_index = {g: i for i, g in enumerate(self.grams)}
        to_words = _mapping(batch_words, word_index, ngrams=False)
        to_grams = _mapping(batch_words, gram_index, ngrams=True)
        for start in range(0, len(texts), BLOCK_ROWS):
            part = counts[start : start + BLOCK_ROWS]
            w = part @ to_words
            g = part @ to_grams
            yield Block(
                words=_tfidf(w, self.word_idf),
                grams=_tfidf(g, self.gram_idf),
                known=np.diff(w.indptr) > 0,
            )

    def transform(self, texts: Sequence[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Vectorise texts into one matrix (len(texts), n_features).

        The word block and the n-gram block weigh the same (each scaled to length
        1/sqrt(2)). Also returns the `known` flags described in `blocks`.
        """
        parts, known = [], []
        for block in self.blocks(texts):
            parts.append(block.matrix())
            known.append(block.known)
        if not parts:
            empty = sparse.csr_matrix((0, self.n_features), dtype=np.float32)
            return empty, np.zeros(0, dtype=bool)
        return sparse.vstack(parts).tocsr(), np.concatenate(known)


@dataclass
class Block:
    """Features of up to BLOCK_ROWS consecutive texts."""

    words: sparse.csr_matrix
    grams: sparse.csr_matrix
    known: np.ndarray

    def matrix(self) -> sparse.csr_matrix:
        """Both parts side by side, scaled so that each row has unit length."""
        half = np.float32(np.sqrt(0.5))
        return sparse.hstack([self.words * half, self.grams * half]).tocsr()

    def scores(self, coef: np.ndarray) -> np.ndarray:
        """Linear scores against coef (K, n_features) without building `matrix`."""
        n_words = self.words.shape[1]
        half = np.sqrt(0.5)
        out = self.words @ coef[:, :n_words].T
        out += self.grams @ coef[:, n_words:].T
        return np.asarray(out, dtype=np.float64) * half


def _idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    # Smoothed IDF, as scikit-learn's TfidfTransformer computes it.
    return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)


def fit_featurizer(
    texts: Iterable[str], *, min_df: int | None = None, subwords: bool = True
) -> Featurizer:
    """Learn vocabularies and IDF from a corpus (labelled and unlabelled texts).

    Takes texts; keeps words and n-grams seen in at least `min_df` texts (default
    2, or 1 for corpora under 20 texts) and in at most 90% of them (when the
    corpus has 20 texts or more). With `subwords` False the n-gram vocabulary is
    empty (words only). Returns a Featurizer.
    """
    texts = list(texts)
    n_docs = len(texts)
    if min_df is None:
        min_df = 2 if n_docs >= 20 else 1
    max_df = int(0.9 * n_docs) if n_docs >= 20 else n_docs
    counts, batch_words = count_words(texts)
    present = (counts > 0).astype(np.float32).tocsc()
    word_df = np.asarray(present.sum(axis=0)).ravel()
    keep = np.flatnonzero((word_df >= min_df) & (word_df <= max_df))
    words = [batch_words[i] for i in keep]
    # n-gram document frequency: a text holds a gram if one of its words does.
    all_grams: dict[str, int] = {}
    for word in batch_words if subwords else ():
        for gram in word_ngrams(word):
            all_grams.setdefault(gram, len(all_grams))
    word_to_gram = _mapping(batch_words, all_grams, ngrams=True)
    word_to_gram.data[:] = 1.0
    gram_df = np.asarray(((present.tocsr() @ word_to_gram) > 0).sum(axis=0)).ravel()
    gram_list = list(all_grams)
    gkeep = np.flatnonzero((gram_df >= min_df) & (gram_df <= max_df))
    return Featurizer(
        words=words,
        word_idf=_idf(word_df[keep], n_docs),
        grams=[gram_list[i] for i in gkeep],
        gram_idf=_idf(gram_df[gkeep], n_docs),
    )
