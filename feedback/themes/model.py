"""The learned theme model: multi-label, trained on a few labels per theme.

Design, chosen by measurement on real complaints (see `bench/theme_quality.py`):
- Features: TF-IDF of words plus TF-IDF of the character 3-5-grams inside words
  (robust to inflections and typos), with vocabularies and IDF learned from the
  labelled and the unlabelled texts together (no labels are used for that).
- One logistic regression per theme (one-vs-rest), so an item may carry several
  themes, or none: a labelled item with an empty label list is a negative example
  for every theme.
- Self-training: the unlabelled pool is predicted, the more confident half of
  the items predicted for each theme are added as half-weight examples, and the
  model is refitted once (a second round measured no better, and costs time).
- Prior shift: labelled sets are usually balanced while real feedback is not. The
  share of the pool predicted for each theme, relative to its share among the
  labels (ratio bounded to [1/4, 4]), moves each theme's intercept by half the
  log ratio.
- Thresholds: per theme, the one maximising F1 on cross-validated probabilities
  among those whose cross-validated precision reaches `precision_target`, never
  below `MIN_THRESHOLD`; a theme that reaches the target at no threshold
  abstains (it is assigned to no item) rather than guess. Texts without a single
  known word get no theme.
The pure API (no Django): `train`, `predict`, `predict_proba`, `uncertainty`.
"""

from __future__ import annotations

import io
import json
import os
import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import sklearn
from scipy import sparse
from threadpoolctl import threadpool_limits

from feedback.parallel import can_spread, map_in_processes
from feedback.themes import fitting, quality
from feedback.themes.fitting import TrainSettings
from feedback.themes.rules import compile_rules, match_many
from feedback.themes.text import Featurizer, fit_featurizer

VERSION = "ovr-logreg-selftrain-1"
# A theme offered with less than this confidence would be noise for a reader.
MIN_THRESHOLD = 0.2
DEFAULT_THRESHOLD = fitting.DEFAULT_THRESHOLD
# Batches at least this large are scored by PREDICT_WORKERS processes at once
# (joblib's loky pool, kept warm between calls); smaller ones in this process.
PARALLEL_MIN = 20_000
PREDICT_WORKERS = max(1, min(4, os.cpu_count() or 1))
# The multi-threaded BLAS/OpenMP pools only spin on these sparse, small-matrix
# workloads (measured: same wall time, twice the CPU), so they get one thread.
single_threaded_blas = threadpool_limits.wrap(limits=1)


@dataclass
class ThemeModel:
    """A trained model: theme ids in column order, weights and thresholds."""

    labels: list[int]
    thresholds: np.ndarray
    featurizer: Featurizer
    coef: np.ndarray
    intercept: np.ndarray
    keywords: dict[int, list[str]] = field(default_factory=dict)
    keyword_weight: float = 0.0
    version: str = VERSION

    def to_bytes(self) -> bytes:
        """Serialise to a compressed NumPy archive (no pickle involved)."""
        meta = {
            "labels": self.labels,
            "keywords": {str(k): v for k, v in self.keywords.items()},
            "keyword_weight": self.keyword_weight,
            "version": self.version,
        }
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
            words=np.frombuffer("\n".join(self.featurizer.words).encode(), np.uint8),
            grams=np.frombuffer("\n".join(self.featurizer.grams).encode(), np.uint8),
            word_idf=self.featurizer.word_idf,
            gram_idf=self.featurizer.gram_idf,
            thresholds=self.thresholds,
            coef=self.coef,
            intercept=self.intercept,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> ThemeModel:
        """Rebuild a model written by `to_bytes`."""
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            meta = json.loads(arrays["meta"].tobytes().decode())

            def text_list(name: str) -> list[str]:
                raw = arrays[name].tobytes().decode()
                return raw.split("\n") if raw else []

            featurizer = Featurizer(
                words=text_list("words"),
                word_idf=arrays["word_idf"],
                grams=text_list("grams"),
                gram_idf=arrays["gram_idf"],
            )
            return cls(
                labels=[int(x) for x in meta["labels"]],
                thresholds=arrays["thresholds"],
                featurizer=featurizer,
                coef=arrays["coef"],
                intercept=arrays["intercept"],
                keywords={int(k): v for k, v in meta["keywords"].items()},
                keyword_weight=float(meta["keyword_weight"]),
                version=meta["version"],
            )


@dataclass
class TrainResult:
    """What `train` returns: the model and how good it honestly is.

    `cv_macro_f1` is the mean over themes of the F1 of cross-validated decisions
    (probabilities from models that never saw the item, thresholds chosen on the
    other folds); None when there are too few labelled items to cross-validate.
    """

    model: ThemeModel
    quality: quality.Quality | None
    cv_macro_f1: float | None
    cv_f1: dict[int, float]
    label_counts: dict[int, int]
    n_labelled: int
    n_unlabelled: int
    version: dict[str, str]
    notes: list[str] = field(default_factory=list)


def _features(model_or_featurizer, texts, keyword_block=None):
    """Feature matrix: text features, then the optional keyword block."""
    x, known = model_or_featurizer.transform(texts)
    if keyword_block is not None:
        x = sparse.hstack([x, keyword_block]).tocsr()
    return x, known


def _keyword_block(keywords, labels, weight, texts):
    if not keywords or weight <= 0:
        return None
    rules = compile_rules(keywords)
    column = {label: j for j, label in enumerate(labels)}
    rows, cols = [], []
    for i, hits in enumerate(match_many(rules, texts)):
        for theme_id in hits:
            if theme_id in column:
                rows.append(i)
                cols.append(column[theme_id])
    data = np.full(len(rows), weight, dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(texts), len(labels)))


def _check(texts, labels) -> None:
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} label lists")


@single_threaded_blas
def train(
    texts: Sequence[str],
    labels: Sequence[Sequence[int]],
    *,
    keywords: Mapping[int, Sequence[str]] | None = None,
    unlabelled: Sequence[str] = (),
    seed: int = 0,
    settings: TrainSettings | None = None,
) -> TrainResult:
    """Train a theme model on labelled texts, helped by unlabelled ones.

    Takes the labelled texts with one list of theme ids each (an empty list is a
    labelled "none of these themes"), optional keyword phrases per theme (used as
    features only when `settings.keyword_weight` > 0), the unlabelled pool (the
    items to be predicted; a seeded sample of at most `settings.max_pool` is used)
    and a seed. Returns a TrainResult. Raises ValueError when fewer than two
    themes have a labelled item or texts and labels differ in length.
    """
    settings = settings or TrainSettings()
    _check(texts, labels)
    texts = [t or "" for t in texts]
    counts: dict[int, int] = {}
    for item in labels:
        for theme_id in set(item):
            counts[int(theme_id)] = counts.get(int(theme_id), 0) + 1
    if len(counts) < 2:
        raise ValueError(
            "training needs labelled items for at least two themes; "
            f"got {len(counts)} ({sorted(counts)})"
        )
    theme_ids = sorted(counts)
    column = {t: j for j, t in enumerate(theme_ids)}
    y = np.zeros((len(texts), len(theme_ids)), dtype=np.int8)
    for i, item in enumerate(labels):
        for theme_id in item:
            y[i, column[int(theme_id)]] = 1

    rng = np.random.default_rng(seed)
    pool = [t for t in unlabelled if t and t.strip()]
    if len(pool) > settings.max_pool:
        pool = [pool[i] for i in rng.choice(len(pool), settings.max_pool, False)]
    featurizer = fit_featurizer(texts + pool, subwords=settings.subwords)
    kw = {int(k): list(v) for k, v in (keywords or {}).items()}
    weight = settings.keyword_weight if kw else 0.0
    x_lab, _ = _features(
        featurizer, texts, _keyword_block(kw, theme_ids, weight, texts)
    )
    x_pool, known_pool = _features(
        featurizer, pool, _keyword_block(kw, theme_ids, weight, pool)
    )
    x_pool = x_pool[known_pool]

    oof, folds, notes = fitting.out_of_fold(x_lab, y, x_pool, settings, seed)
    target = settings.precision_target
    measured = None
    if oof is None:
        thresholds = np.full(len(theme_ids), DEFAULT_THRESHOLD)
        cv_macro, cv_f1 = None, {}
    else:
        thresholds = fitting.choose_thresholds(
            oof, y, floor=MIN_THRESHOLD, precision=target
        )
        decided = fitting.cross_fitted_decisions(
            oof, y, folds, floor=MIN_THRESHOLD, precision=target
        )
        measured = quality.measure(decided, y, theme_ids, seed=seed)
        cv_f1 = {q.theme: q.f1 for q in measured.per_theme}
        cv_macro = measured.macro_f1
        for j, t in enumerate(theme_ids):
            if thresholds[j] >= fitting.ABSTAIN:
                notes.append(
                    f"theme {t} reaches a precision of {target:.0%} at no "
                    "threshold: the model assigns it to no item"
                )
    coef, intercept = fitting.fit(x_lab, y, x_pool, settings)
    for t in theme_ids:
        if counts[t] < fitting.MIN_POSITIVES_FOR_THRESHOLD:
            notes.append(
                f"theme {t} has only {counts[t]} label(s): its threshold is the "
                f"default {DEFAULT_THRESHOLD}"
            )
    model = ThemeModel(
        labels=theme_ids,
        thresholds=thresholds.astype(np.float32),
        featurizer=featurizer,
        coef=coef,
        intercept=intercept,
        keywords=kw if weight > 0 else {},
        keyword_weight=weight,
    )
    return TrainResult(
        model=model,
        quality=measured,
        cv_macro_f1=cv_macro,
        cv_f1=cv_f1,
        label_counts={t: counts[t] for t in theme_ids},
        n_labelled=len(texts),
        n_unlabelled=len(pool),
        version={
            "model": VERSION,
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
        notes=notes,
    )


def _scores(model: ThemeModel, texts: Sequence[str]):
    """Probabilities (n, K) and known-word flags.

    A large batch is cut into PREDICT_WORKERS contiguous parts scored in
    parallel processes (tokenising is pure Python, so threads would not help).
    """
    texts = [t or "" for t in texts]
    workers = min(PREDICT_WORKERS, len(texts) // (PARALLEL_MIN // 2) or 1)
    if len(texts) < PARALLEL_MIN or not can_spread(workers):
        return _scores_here(model, texts)
    bounds = np.linspace(0, len(texts), workers + 1).astype(int)
    chunks = [texts[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    parts = map_in_processes(partial(_scores_here, model), chunks, workers=workers)
    return np.vstack([p for p, _ in parts]), np.concatenate([k for _, k in parts])


@single_threaded_blas
def _scores_here(model: ThemeModel, texts: list[str]):
    """`_scores` in this process, block by block."""
    n_text = model.featurizer.n_features
    text_coef = model.coef[:, :n_text]
    logits, known = [], []
    for block in model.featurizer.blocks(texts):
        logits.append(block.scores(text_coef))
        known.append(block.known)
    k = len(model.labels)
    logits = np.vstack(logits) if logits else np.zeros((0, k))
    known = np.concatenate(known) if known else np.zeros(0, dtype=bool)
    extra = _keyword_block(model.keywords, model.labels, model.keyword_weight, texts)
    if extra is not None:
        logits += np.asarray(extra @ model.coef[:, n_text:].T)
    return fitting.sigmoid(logits + model.intercept), known


def predict_proba(model: ThemeModel, texts: Sequence[str]) -> np.ndarray:
    """Confidence per theme: array (len(texts), len(model.labels)) in [0, 1].

    Columns follow `model.labels`. Themes are scored independently, so a row
    need not sum to 1.
    """
    return _scores(model, texts)[0]


def predict(model: ThemeModel, texts: Sequence[str]) -> list[list[tuple[int, float]]]:
    """Themes per text: [(theme id, confidence)] above each theme's threshold.

    Most confident first; an empty list when no theme passes its threshold or the
    text holds no word the model knows (gibberish, another language, empty).
    """
    proba, known = _scores(model, texts)
    result = []
    for row, ok in zip(proba, known, strict=True):
        if not ok:
            result.append([])
            continue
        picked = np.flatnonzero(row >= model.thresholds)
        picked = picked[np.argsort(-row[picked], kind="stable")]
        result.append([(model.labels[j], float(row[j])) for j in picked])
    return result


def uncertainty(model: ThemeModel, texts: Sequence[str]) -> np.ndarray:
    """How unsure the model is about each text, in [0, 1]; higher = less sure.

    For each theme the distance of its confidence from its threshold is scaled to
    [0, 1] (1 = as far as it can be); the text's score is 1 minus the smallest
    such distance, i.e. the decision the model is closest to flipping. Sort a
    labelling queue by this, descending.
    """
    proba = predict_proba(model, texts)
    thr = model.thresholds[None, :].astype(np.float64)
    span = np.where(proba >= thr, 1.0 - thr, thr)
    margin = np.abs(proba - thr) / np.maximum(span, 1e-9)
    return 1.0 - np.clip(margin.min(axis=1), 0.0, 1.0)
