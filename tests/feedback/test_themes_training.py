"""Training the theme model from manual labels: task, command, API, predictions."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from feedback.models import ThemeAssignment, ThemeModelVersion
from feedback.services.ranking_state import ranking_state_get
from feedback.tasks import train_themes
from tests.factories import FeedbackItemFactory, ThemeFactory
from tests.feedback.factories_themes import (
    _fresh_cache,  # noqa: F401
    label,
    labelled_corpus,
)

pytestmark = pytest.mark.django_db


def test_it_stores_a_version_with_f1_and_label_counts():
    themes, labelled, _ = labelled_corpus()
    result = train_themes.delay().get()
    assert result["status"] == "ready"
    version = ThemeModelVersion.objects.get()
    assert version.status == "ready"
    assert version.version == result["version"] == 1
    assert version.trained_at is not None
    assert version.cv_macro_f1 is not None and version.cv_macro_f1 > 0.8
    assert version.label_counts == {str(t.pk): 8 for t in themes.values()}
    assert sorted(version.labels) == sorted(t.pk for t in themes.values())
    assert version.blob


def test_it_predicts_unlabelled_items_as_model_assignments():
    themes, labelled, unlabelled = labelled_corpus()
    train_themes.delay().get()
    right = 0
    for name, item in unlabelled:
        got = list(ThemeAssignment.objects.filter(item=item))
        assert all(a.method == "model" for a in got)
        assert all(0 <= a.confidence <= 1 for a in got)
        right += [a.theme_id for a in got][:1] == [themes[name].pk]
    assert right >= len(unlabelled) - 1
    # Labelled items keep exactly their manual labels.
    for item in labelled:
        methods = set(ThemeAssignment.objects.filter(item=item).values_list("method"))
        assert methods == {("manual",)}


def test_a_second_run_replaces_the_model_assignments_and_bumps_the_version():
    labelled_corpus()
    train_themes.delay().get()
    before = ThemeAssignment.objects.filter(method="model").count()
    result = train_themes.delay().get()
    assert result["version"] == 2
    assert ThemeAssignment.objects.filter(method="model").count() == before


def test_training_marks_the_ranking_dirty():
    labelled_corpus()
    before = ranking_state_get().inputs_version
    train_themes.delay().get()
    assert ranking_state_get().inputs_version > before


def test_it_fails_with_a_reason_when_only_one_theme_has_labels():
    theme = ThemeFactory(name="Only")
    label(FeedbackItemFactory(), theme)
    result = train_themes.delay().get()
    assert result["status"] == "failed"
    version = ThemeModelVersion.objects.get()
    assert version.status == "failed"
    assert "at least two themes" in version.error


def test_the_command_trains_and_reports():
    labelled_corpus()
    call_command("train_themes")
    assert ThemeModelVersion.objects.filter(status="ready").count() == 1


def test_the_command_fails_loudly_without_labels():
    with pytest.raises(CommandError, match="training failed"):
        call_command("train_themes")


def test_a_manual_label_through_the_api_triggers_training(
    as_user, cx_lead, django_capture_on_commit_callbacks
):
    themes, labelled, unlabelled = labelled_corpus()
    item = unlabelled[0][1]
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(cx_lead).put(
            f"/api/v1/feedback/{item.pk}/themes/",
            {"themes": [themes["Login"].pk]},
            format="json",
        )
    assert response.status_code == 200, response.content
    assert [t["method"] for t in response.json()["themes"]] == ["manual"]
    # Celery runs eagerly in tests: the debounced task has already run.
    version = ThemeModelVersion.objects.get()
    assert version.label_counts[str(themes["Login"].pk)] == 9


def test_train_endpoint_answers_202_for_cx_leads_only(
    as_user, cx_lead, advisor, django_capture_on_commit_callbacks
):
    labelled_corpus()
    assert as_user(advisor).post("/api/v1/themes/train/").status_code == 403
    assert as_user(None).post("/api/v1/themes/train/").status_code in (401, 403)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(cx_lead).post("/api/v1/themes/train/")
    assert response.status_code == 202
    assert ThemeModelVersion.objects.filter(status="ready").exists()


def test_model_endpoint_says_how_good_the_model_is(as_user, advisor):
    themes, _, _ = labelled_corpus()
    untrained = as_user(advisor).get("/api/v1/themes/model/").json()
    assert untrained["applied"] is None and untrained["candidate"] is None
    assert untrained["labelled_items"] == 24
    train_themes.delay().get()
    body = as_user(advisor).get("/api/v1/themes/model/").json()
    # 8 labels for each of the three themes: accepted automatically.
    applied = body["applied"]
    assert body["candidate"] is None
    assert applied["status"] == "ready" and applied["state"] == "applied"
    assert applied["version"] == 1
    assert applied["macro_f1"] > 0.8
    low, high = applied["macro_f1_ci"]
    assert 0 <= low <= applied["macro_f1"] <= high <= 1
    assert {row["name"]: row["labels"] for row in applied["label_counts"]} == {
        "Billing": 8,
        "Delivery": 8,
        "Login": 8,
    }
    assert {q["name"]: q["labels"] for q in applied["per_theme"]} == {
        "Billing": 8,
        "Delivery": 8,
        "Login": 8,
    }
    assert all(0 <= q["f1"] <= 1 for q in applied["per_theme"])
    assert applied["trained_at"]


def test_model_endpoint_refuses_outsiders(as_user, outsider):
    assert as_user(outsider).get("/api/v1/themes/model/").status_code == 403
    assert as_user(None).get("/api/v1/themes/model/").status_code in (401, 403)


def test_label_changes_in_a_burst_send_one_debounced_training_task(
    cx_lead, django_capture_on_commit_callbacks, monkeypatch
):
    from feedback.services import labels
    from feedback.services.theme_model import DEBOUNCE_SECONDS

    sent = []
    monkeypatch.setattr(
        "cxplan.core.queue.send",
        lambda task, *a, **kw: sent.append((task.name, kw)) or True,
    )
    theme = ThemeFactory(name="Login")
    items = [FeedbackItemFactory() for _ in range(3)]
    for item in items:
        with django_capture_on_commit_callbacks(execute=True):
            labels.labels_set(item_ids=[item.pk], theme_ids=[theme.pk], user=cx_lead)
    trainings = [kw for name, kw in sent if name == "feedback.tasks.train_themes"]
    assert trainings == [{"countdown": DEBOUNCE_SECONDS}]


def test_a_run_while_another_trains_stores_nothing_and_asks_again(monkeypatch):
    from contextlib import contextmanager

    from feedback.services import theme_model

    @contextmanager
    def busy():
        yield False

    asked = []
    monkeypatch.setattr(theme_model, "_training_lock", busy)
    monkeypatch.setattr(
        theme_model, "theme_training_schedule", lambda: asked.append(True)
    )
    labelled_corpus()
    assert theme_model.theme_model_train() == {"status": "busy"}
    assert not ThemeModelVersion.objects.exists()
    assert asked == [True]


def test_repeating_the_same_label_schedules_no_training(cx_lead, monkeypatch):
    from feedback.services import labels

    asked = []
    monkeypatch.setattr(labels, "theme_training_schedule", lambda: asked.append(1))
    theme = ThemeFactory(name="Login")
    item = FeedbackItemFactory()
    labels.labels_set(item_ids=[item.pk], theme_ids=[theme.pk], user=cx_lead)
    labels.labels_set(item_ids=[item.pk], theme_ids=[theme.pk], user=cx_lead)
    assert asked == [1]
