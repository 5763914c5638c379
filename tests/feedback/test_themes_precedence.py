"""Manual labels beat keyword rules, which beat the learned model."""

import pytest

from feedback.models import ThemeAssignment
from feedback.services.themes import assignments_apply_rules
from feedback.tasks import train_themes
from tests.factories import FeedbackItemFactory, ThemeFactory
from tests.feedback.factories_themes import (
    _fresh_cache,  # noqa: F401
    labelled_corpus,
)

pytestmark = pytest.mark.django_db


def assignments(item):
    return {
        (a.theme.name, a.method)
        for a in ThemeAssignment.objects.filter(item=item).select_related("theme")
    }


def test_a_rule_outranks_the_model_on_the_same_theme():
    themes, _, unlabelled = labelled_corpus()
    item = FeedbackItemFactory(text="refund refund invoice charged fee billing")
    train_themes.delay().get()
    assert assignments(item) == {("Billing", "model")}
    themes["Billing"].keywords = ["refund"]
    themes["Billing"].save()
    assignments_apply_rules(item_ids=[item.pk])
    assert assignments(item) == {("Billing", "rule")}
    # Retraining does not turn the rule back into a model guess.
    train_themes.delay().get()
    assert assignments(item) == {("Billing", "rule")}


def test_a_manual_label_replaces_rule_and_model_themes(as_user, cx_lead):
    billing = ThemeFactory(name="Billing", keywords=["refund"])
    login = ThemeFactory(name="Login")
    delivery = ThemeFactory(name="Delivery")
    item = FeedbackItemFactory(text="Where is my refund?")
    assignments_apply_rules(item_ids=[item.pk])
    ThemeAssignment.objects.create(
        item=item, theme=delivery, method="model", confidence=0.6
    )
    response = as_user(cx_lead).put(
        f"/api/v1/feedback/{item.pk}/themes/", {"themes": [login.pk]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert assignments(item) == {("Login", "manual")}
    # Rules run again (e.g. a keyword edit) leave the manual label alone.
    assignments_apply_rules()
    assert assignments(item) == {("Login", "manual")}
    assert billing.assignments.count() == 0


def test_clearing_manual_labels_hands_the_item_back_to_the_rules(as_user, cx_lead):
    ThemeFactory(name="Billing", keywords=["refund"])
    login = ThemeFactory(name="Login")
    item = FeedbackItemFactory(text="Where is my refund?")
    ThemeAssignment.objects.create(item=item, theme=login, method="manual")
    response = as_user(cx_lead).put(
        f"/api/v1/feedback/{item.pk}/themes/", {"themes": []}, format="json"
    )
    assert response.status_code == 200
    assert assignments(item) == {("Billing", "rule")}


def test_the_model_never_overrides_manual_labels():
    themes, labelled, _ = labelled_corpus()
    train_themes.delay().get()
    for item in labelled:
        assert {m for _, m in assignments(item)} == {"manual"}


def test_bulk_label_adds_a_theme_to_many_items(as_user, cx_lead):
    billing = ThemeFactory(name="Billing")
    login = ThemeFactory(name="Login")
    first, second = FeedbackItemFactory(), FeedbackItemFactory()
    ThemeAssignment.objects.create(item=first, theme=billing, method="manual")
    response = as_user(cx_lead).post(
        "/api/v1/feedback/labels/",
        {"items": [first.pk, second.pk], "themes": [login.pk]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert assignments(first) == {("Billing", "manual"), ("Login", "manual")}
    assert assignments(second) == {("Login", "manual")}


def test_labels_with_unknown_ids_answer_400(as_user, cx_lead):
    item = FeedbackItemFactory()
    client = as_user(cx_lead)
    bad_theme = client.put(
        f"/api/v1/feedback/{item.pk}/themes/", {"themes": [999]}, format="json"
    )
    assert bad_theme.status_code == 400
    assert bad_theme.json()["errors"][0]["field"] == "themes"
    bad_shape = client.put(
        f"/api/v1/feedback/{item.pk}/themes/", {"themes": "x"}, format="json"
    )
    assert bad_shape.status_code == 400
    bulk = client.post(
        "/api/v1/feedback/labels/", {"items": [999], "themes": []}, format="json"
    )
    assert bulk.status_code == 400
    missing = client.put("/api/v1/feedback/999/themes/", {"themes": []}, format="json")
    assert missing.status_code == 404


def test_only_cx_leads_label(as_user, advisor, executive):
    theme = ThemeFactory(name="Login")
    item = FeedbackItemFactory()
    for user in (advisor, executive, None):
        client = as_user(user)
        put = client.put(
            f"/api/v1/feedback/{item.pk}/themes/", {"themes": [theme.pk]}, format="json"
        )
        bulk = client.post(
            "/api/v1/feedback/labels/",
            {"items": [item.pk], "themes": [theme.pk]},
            format="json",
        )
        assert put.status_code in (401, 403)
        assert bulk.status_code in (401, 403)
    assert not ThemeAssignment.objects.exists()
    assert (
        as_user(advisor).get(f"/api/v1/feedback/{item.pk}/themes/").status_code == 200
    )
