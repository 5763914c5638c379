"""The beat sweep re-sends work whose message was lost (the row is the truth)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cxplan.core.outbox import outbox_sweep
from feedback.models import RankingSnapshot, ThemeAssignment, ThemeModelVersion
from feedback.services.ranking_state import ranking_mark_dirty, ranking_state_get
from tests.factories import FeedbackItemFactory, ThemeFactory

LATER = timedelta(minutes=5)


@pytest.mark.django_db
def test_a_dirty_ranking_is_recomputed_by_the_sweep():
    theme = ThemeFactory(name="Log-in")
    item = FeedbackItemFactory()
    ThemeAssignment.objects.create(item=item, theme=theme, method="rule")
    ranking_mark_dirty(enqueue=False)  # as if the broker had been down
    assert ranking_state_get().dirty
    sent = outbox_sweep(now=timezone.now() + LATER)
    assert sent["ranking"] == 1
    assert not ranking_state_get().dirty
    assert RankingSnapshot.objects.count() == 1
    assert outbox_sweep(now=timezone.now() + LATER)["ranking"] == 0


@pytest.mark.django_db
def test_labels_newer_than_the_model_retrain_it(cx_lead):
    themes = [ThemeFactory(name=f"T{i}", keywords=[]) for i in range(2)]
    for i in range(12):
        item = FeedbackItemFactory(text=f"words about topic {i % 2} number {i}")
        ThemeAssignment.objects.create(
            item=item, theme=themes[i % 2], method="manual", assigned_by=cx_lead
        )
    # Fresh labels are left to their own debounced task.
    assert outbox_sweep()["themes"] == 0
    sent = outbox_sweep(now=timezone.now() + LATER)
    assert sent["themes"] == 1
    assert ThemeModelVersion.objects.count() == 1
    assert outbox_sweep(now=timezone.now() + LATER)["themes"] == 0
