"""Helpers for the theme tests: a small corpus with three separable themes."""

import random

import pytest
from django.core.cache import cache

from feedback.models import ThemeAssignment
from tests.factories import FeedbackItemFactory, ThemeFactory

VOCAB = {
    "Billing": ["invoice", "charged", "refund", "billing", "overcharged", "fee"],
    "Login": ["password", "login", "locked", "reset", "username", "verification"],
    "Delivery": ["parcel", "courier", "shipping", "delayed", "tracking", "package"],
}
FILLER = ["the", "my", "and", "was", "please", "today", "again", "still", "very"]


def text_about(rng: random.Random, name: str, n_words: int = 7) -> str:
    words = [rng.choice(VOCAB[name]) for _ in range(n_words)]
    words += rng.sample(FILLER, 4)
    rng.shuffle(words)
    return " ".join(words)


def make_themes(keywords: bool = False) -> dict[str, object]:
    return {
        name: ThemeFactory(name=name, keywords=[words[0]] if keywords else [])
        for name, words in VOCAB.items()
    }


def label(item, theme, user=None):
    """A manual label written directly (no training is triggered)."""
    return ThemeAssignment.objects.create(
        item=item, theme=theme, method="manual", confidence=1.0, assigned_by=user
    )


def labelled_corpus(*, per_theme: int = 8, unlabelled_per_theme: int = 6, seed=0):
    """Themes, manually labelled items and unlabelled items, all stored."""
    rng = random.Random(seed)
    themes = make_themes()
    labelled, unlabelled = [], []
    for name, theme in themes.items():
        for _ in range(per_theme):
            item = FeedbackItemFactory(text=text_about(rng, name))
            label(item, theme)
            labelled.append(item)
        for _ in range(unlabelled_per_theme):
            unlabelled.append((name, FeedbackItemFactory(text=text_about(rng, name))))
    return themes, labelled, unlabelled


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Model versions restart with each test database; cached queues must not."""
    cache.clear()
    yield
    cache.clear()
