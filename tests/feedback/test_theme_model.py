"""The learned theme model on a small synthetic, separable problem."""

import pickle

import numpy as np
import pytest

from feedback.themes.fitting import TrainSettings, stratified_folds
from feedback.themes.model import (
    MIN_THRESHOLD,
    ThemeModel,
    predict,
    predict_proba,
    train,
    uncertainty,
)

BILLING, LOGIN, DELIVERY = 10, 20, 30
VOCAB = {
    BILLING: ["invoice", "charged", "refund", "billing", "overcharged", "fee"],
    LOGIN: ["password", "login", "locked", "reset", "username", "verification"],
    DELIVERY: ["parcel", "courier", "shipping", "delayed", "tracking", "package"],
}
FILLER = ["the", "my", "and", "was", "please", "today", "again", "still", "very"]
FILLER += ["customer", "service"]


def make_text(rng, themes, n_words=7):
    words = [rng.choice(VOCAB[t]) for t in themes for _ in range(n_words)]
    words += list(rng.choice(FILLER, 5))
    rng.shuffle(words)
    return " ".join(words)


def make_corpus(seed, per_theme=20):
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for theme in VOCAB:
        for _ in range(per_theme):
            texts.append(make_text(rng, [theme]))
            labels.append([theme])
    pool = [make_text(rng, [t]) for t in VOCAB for _ in range(20)]
    return texts, labels, pool


@pytest.fixture(scope="module")
def trained():
    texts, labels, pool = make_corpus(0)
    return train(texts, labels, unlabelled=pool, seed=0)


def test_it_learns_separable_themes_with_high_cross_validated_f1(trained):
    assert trained.cv_macro_f1 > 0.8
    assert trained.label_counts == {BILLING: 20, LOGIN: 20, DELIVERY: 20}


def test_it_predicts_the_right_theme_first(trained):
    rng = np.random.default_rng(99)
    for theme in VOCAB:
        result = predict(trained.model, [make_text(rng, [theme])])[0]
        assert result and result[0][0] == theme


def test_confidences_are_sorted_and_above_thresholds(trained):
    rng = np.random.default_rng(5)
    texts = [make_text(rng, [BILLING, LOGIN], 4) for _ in range(10)]
    thresholds = dict(zip(trained.model.labels, trained.model.thresholds, strict=True))
    for row in predict(trained.model, texts):
        confidences = [c for _, c in row]
        assert confidences == sorted(confidences, reverse=True)
        assert all(c >= thresholds[t] for t, c in row)


def test_gibberish_gets_no_theme(trained):
    texts = ["qzxv wplk trmn bvcx", "zzzz kkkk", "", "   "]
    assert predict(trained.model, texts) == [[], [], [], []]


def test_thresholds_never_fall_below_the_floor(trained):
    assert np.all(trained.model.thresholds >= MIN_THRESHOLD)


def test_predict_proba_has_one_column_per_theme(trained):
    proba = predict_proba(trained.model, ["refund my invoice", "where is my parcel"])
    assert proba.shape == (2, 3)
    assert trained.model.labels == [BILLING, LOGIN, DELIVERY]
    assert proba[0].argmax() == 0
    assert proba[1].argmax() == 2


def test_an_item_can_carry_several_themes():
    texts, labels, pool = make_corpus(1)
    rng = np.random.default_rng(1)
    for _ in range(15):
        texts.append(make_text(rng, [BILLING, LOGIN], 4))
        labels.append([BILLING, LOGIN])
    model = train(texts, labels, unlabelled=pool, seed=1).model
    mixed = "refund invoice charged billing password login locked reset"
    assert {t for t, _ in predict(model, [mixed])[0]} == {BILLING, LOGIN}


def test_uncertainty_ranks_mixed_texts_above_clear_ones(trained):
    clear = "invoice charged refund billing overcharged fee"
    mixed = "invoice refund parcel courier"
    scores = uncertainty(trained.model, [clear, mixed])
    assert scores.shape == (2,)
    assert np.all((scores >= 0) & (scores <= 1))
    assert scores[1] > scores[0]


def test_serialisation_round_trip_keeps_predictions(trained):
    texts = ["refund my invoice", "password reset", "parcel delayed", ""]
    restored = ThemeModel.from_bytes(trained.model.to_bytes())
    assert restored.labels == trained.model.labels
    np.testing.assert_allclose(
        predict_proba(restored, texts), predict_proba(trained.model, texts)
    )
    unpickled = pickle.loads(pickle.dumps(trained.model))
    assert predict(unpickled, texts) == predict(trained.model, texts)


def test_training_needs_two_labelled_themes():
    with pytest.raises(ValueError, match="at least two themes"):
        train(["a refund", "another refund", "nothing"], [[BILLING], [BILLING], []])


def test_training_rejects_texts_and_labels_of_different_lengths():
    with pytest.raises(ValueError, match="label lists"):
        train(["one", "two"], [[BILLING]])


def test_a_theme_with_one_or_two_labels_does_not_break_training():
    texts, labels, pool = make_corpus(2, per_theme=12)
    texts = texts[:24] + [texts[24]]
    labels = labels[:24] + [labels[24]]
    result = train(texts, labels, unlabelled=pool, seed=2)
    assert result.label_counts[DELIVERY] == 1
    assert result.cv_macro_f1 is not None
    assert any("only 1 label" in note for note in result.notes)


def test_items_labelled_with_no_theme_and_empty_texts_are_accepted():
    texts, labels, pool = make_corpus(3, per_theme=10)
    texts += ["", "nothing relevant whatsoever", "   "]
    labels += [[], [], [BILLING]]
    result = train(texts, labels, unlabelled=pool + [""], seed=3)
    assert predict(result.model, ["", "refund the invoice fee"])[0] == []


def test_training_without_cross_validation_uses_default_thresholds():
    texts, labels, _ = make_corpus(4, per_theme=6)
    result = train(texts, labels, settings=TrainSettings(folds=0))
    assert result.cv_macro_f1 is None
    assert np.all(result.model.thresholds == 0.5)


def test_folds_are_stratified_even_for_tiny_themes():
    y = np.zeros((12, 3), dtype=np.int8)
    y[:10, 0] = 1
    y[10, 1] = 1
    y[11, 2] = 1
    folds = stratified_folds(y, 5, seed=0)
    assert sorted(np.bincount(folds)) == [2, 2, 2, 3, 3]
    assert len(set(folds[:10])) == 5


def test_training_is_repeatable_with_a_seed():
    texts, labels, pool = make_corpus(5, per_theme=10)
    first = train(texts, labels, unlabelled=pool, seed=7)
    again = train(texts, labels, unlabelled=pool, seed=7)
    assert first.cv_macro_f1 == again.cv_macro_f1
    np.testing.assert_array_equal(first.model.coef, again.model.coef)


def test_text_of_words_shared_by_every_theme_gets_no_theme(trained):
    # Known words, but none that tells a theme apart: probabilities stay low.
    text = "the customer service was very still again today"
    assert predict_proba(trained.model, [text]).max() < MIN_THRESHOLD + 0.1
    assert predict(trained.model, [text]) == [[]]


def test_training_on_texts_without_words_gives_a_model_that_assigns_nothing():
    result = train(["", " ", "", "?!"], [[BILLING], [LOGIN], [BILLING], [LOGIN]])
    assert predict(result.model, ["refund please", ""]) == [[], []]


def test_a_large_batch_scored_in_worker_processes_equals_one_process(
    trained, monkeypatch
):
    from feedback.themes import model as theme_model

    rng = np.random.default_rng(7)
    texts = [make_text(rng, [t]) for t in VOCAB for _ in range(40)] + ["", "zzz qq"]
    here = predict_proba(trained.model, texts)
    from feedback import parallel

    pools = []

    def recording_parallel(*args, **kwargs):
        pools.append(kwargs["n_jobs"])
        return real_parallel(*args, **kwargs)

    real_parallel = parallel.Parallel
    monkeypatch.setattr(parallel, "Parallel", recording_parallel)
    monkeypatch.setattr(theme_model, "PARALLEL_MIN", 20)
    monkeypatch.setattr(theme_model, "PREDICT_WORKERS", 2)
    spread = predict_proba(trained.model, texts)
    assert pools == [2]
    # float32 sums over differently cut blocks may differ in the 7th digit
    np.testing.assert_allclose(spread, here, atol=1e-6)
    by_pool = predict(trained.model, texts)
    monkeypatch.setattr(theme_model, "PARALLEL_MIN", 10**9)
    by_one = predict(trained.model, texts)
    assert [[t for t, _ in row] for row in by_pool] == [
        [t for t, _ in row] for row in by_one
    ]
