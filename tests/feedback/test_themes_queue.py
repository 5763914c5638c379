"""The labelling queue: least sure first, keyboard-ready, for CX leads only."""

import numpy as np
import pytest
from django.test import Client

from feedback.models import ThemeAssignment, ThemeModelVersion
from feedback.selectors.themes import labelling_queue
from feedback.tasks import train_themes
from feedback.themes import model as theme_model
from tests.factories import PASSWORD, FeedbackItemFactory
from tests.feedback.factories_themes import (
    _fresh_cache,  # noqa: F401
    labelled_corpus,
)

pytestmark = pytest.mark.django_db
QUEUE = "/themes/queue/"


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def mixed_items():
    texts = [
        "invoice charged refund billing fee overcharged",
        "password parcel login courier",
        "the my and was",
        "refund tracking password",
        "courier shipping delayed parcel package",
    ]
    return [FeedbackItemFactory(text=t) for t in texts]


def expected_order(items):
    version = ThemeModelVersion.objects.get(status="ready")
    model = theme_model.ThemeModel.from_bytes(bytes(version.blob))
    unsure = theme_model.uncertainty(model, [i.text for i in items])
    return [items[j].pk for j in np.argsort(-unsure, kind="stable")]


def test_the_queue_puts_the_least_sure_items_first():
    labelled_corpus(unlabelled_per_theme=0)
    items = mixed_items()
    train_themes.delay().get()
    queue = labelling_queue(limit=5)
    assert [i.pk for i in queue] == expected_order(items)
    assert queue[0].uncertainty >= queue[-1].uncertainty


def test_the_queue_order_is_the_same_when_recomputed_without_the_cache():
    from django.core.cache import cache

    labelled_corpus(unlabelled_per_theme=0)
    items = mixed_items()
    train_themes.delay().get()
    cache.clear()
    assert [i.pk for i in labelling_queue(limit=5)] == expected_order(items)


def test_labelled_and_skipped_items_leave_the_queue(cx_lead):
    themes, _, _ = labelled_corpus(unlabelled_per_theme=0)
    items = mixed_items()
    train_themes.delay().get()
    first, second = expected_order(items)[:2]
    client = login(cx_lead)
    page = client.get(QUEUE)
    assert page.status_code == 200
    assert f'data-item="{first}"' in page.content.decode()
    response = client.post(
        f"/themes/queue/{first}/label", {"themes": [themes["Login"].pk]}
    )
    assert response.status_code == 302
    assert ThemeAssignment.objects.get(item_id=first).method == "manual"
    client.post(f"/themes/queue/{second}/skip")
    current = client.get(QUEUE).context["item"]
    assert current.pk not in (first, second)
    client.post("/themes/queue/reset")
    assert client.get(QUEUE).context["item"].pk == second


def test_without_a_model_the_queue_offers_items_no_theme_covers(cx_lead):
    themes, labelled, _ = labelled_corpus(unlabelled_per_theme=0)
    fresh = FeedbackItemFactory(text="brand new words")
    page = login(cx_lead).get(QUEUE)
    assert page.context["item"].pk == fresh.pk
    assert page.context["item"].uncertainty is None


def test_the_page_has_numbered_themes_and_the_shortcut_script(cx_lead):
    labelled_corpus(unlabelled_per_theme=1)
    html = login(cx_lead).get(QUEUE).content.decode()
    assert 'data-key="1"' in html and 'data-key="3"' in html
    assert "js/labelling.js" in html
    assert "<script>" not in html


def test_saving_without_a_theme_labels_nothing(cx_lead):
    labelled_corpus(unlabelled_per_theme=0)
    item = FeedbackItemFactory(text="x y z")
    login(cx_lead).post(f"/themes/queue/{item.pk}/label", {})
    assert not ThemeAssignment.objects.filter(item=item).exists()


def test_only_cx_leads_use_the_queue(advisor, executive):
    item = FeedbackItemFactory()
    assert Client().get(QUEUE).status_code == 302
    for user in (advisor, executive):
        client = login(user)
        assert client.get(QUEUE).status_code == 403
        assert client.post(f"/themes/queue/{item.pk}/label", {}).status_code == 403
        assert client.post(f"/themes/queue/{item.pk}/skip").status_code == 403


def test_the_queue_page_costs_constant_queries(cx_lead, django_assert_max_num_queries):
    labelled_corpus(unlabelled_per_theme=2)
    train_themes.delay().get()
    client = login(cx_lead)
    client.get(QUEUE)
    with django_assert_max_num_queries(20) as few:
        client.get(QUEUE)
    labelled_corpus(per_theme=4, unlabelled_per_theme=10, seed=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(QUEUE)


def test_without_a_model_items_only_rules_cover_still_come_after_uncovered_ones():
    from tests.factories import ThemeFactory

    theme = ThemeFactory(name="Billing")
    by_rule = FeedbackItemFactory(text="refund")
    ThemeAssignment.objects.create(item=by_rule, theme=theme, method="rule")
    uncovered = FeedbackItemFactory(text="something else")
    manual = FeedbackItemFactory(text="done")
    ThemeAssignment.objects.create(item=manual, theme=theme, method="manual")
    assert [i.pk for i in labelling_queue(limit=5)] == [uncovered.pk, by_rule.pk]
