"""Candidate theme models: a retrain never rewrites the evidence by itself.

Training stores a candidate with its measured quality and its diff; it is
applied automatically only with 5 labels for every active theme and a quality at
least the applied model's, otherwise it waits for a CX lead who accepts or
discards it (API and page).
"""

import random

import pytest
from django.test import override_settings

from feedback.models import ThemeAssignment, ThemeModelVersion
from feedback.services.ranking import ranking_recompute
from feedback.tasks import train_themes
from tests.factories import FeedbackItemFactory, ThemeFactory
from tests.feedback.factories_themes import (
    _fresh_cache,  # noqa: F401
    label,
    labelled_corpus,
    text_about,
)

pytestmark = pytest.mark.django_db


def _model_pairs() -> set[tuple[int, int]]:
    return set(
        ThemeAssignment.objects.filter(method="model").values_list("item_id", "theme")
    )


def _all_pairs() -> set[tuple[int, int, str]]:
    return set(ThemeAssignment.objects.values_list("item_id", "theme", "method"))


def _top_three(client) -> list[int]:
    ranking_recompute(force=True)
    return client.get("/api/v1/ranking/").json()["top_three"]


def _rule_corpus():
    """Three keyword-ruled themes over 60 items, no model yet."""
    rng = random.Random(3)
    themes = {
        "Billing": ThemeFactory(name="Billing", keywords=["invoice"]),
        "Login": ThemeFactory(name="Login", keywords=["password"]),
        "Delivery": ThemeFactory(name="Delivery", keywords=["parcel"]),
    }
    items = [
        FeedbackItemFactory(text=text_about(rng, name))
        for name in themes
        for _ in range(20)
    ]
    return themes, items


def test_two_labels_and_a_retrain_change_nothing_applied(as_user, cx_lead):
    themes, items = _rule_corpus()
    client = as_user(cx_lead)
    label(items[0], themes["Billing"])
    label(items[25], themes["Login"])
    top_before = _top_three(client)
    before = _all_pairs()

    result = train_themes.delay().get()

    assert result["state"] == "candidate" and result["predicted"] == 0
    assert _all_pairs() == before
    assert _top_three(client) == top_before
    body = client.get("/api/v1/themes/model/").json()
    assert body["applied"] is None
    candidate = body["candidate"]
    assert candidate["version"] == result["version"]
    assert candidate["can_accept"] is False
    assert "too few labels to measure" in candidate["reason"]
    # What it would do is shown, not done: items would gain themes.
    assert candidate["diff"]["items_changed"] > 0
    assert sum(t["gain"] for t in candidate["diff"]["themes"]) > 0
    assert candidate["top_three_before"] == top_before
    refused = client.post(
        "/api/v1/themes/model/accept/", {"version": candidate["version"]}, format="json"
    )
    assert refused.status_code == 400
    assert "too few labels" in str(refused.json())
    assert _all_pairs() == before


def test_a_candidate_short_of_labels_waits_then_a_cx_lead_accepts_it(as_user, cx_lead):
    themes, _, unlabelled = labelled_corpus()
    train_themes.delay().get()  # 8 labels a theme: applied automatically
    applied = ThemeModelVersion.objects.get(state="applied")
    # A fourth theme with only 2 labels: the next candidate must wait.
    rng = random.Random(9)
    extra = ThemeFactory(name="Staff")
    for _ in range(2):
        label(FeedbackItemFactory(text=text_about(rng, "Billing")), extra)
    before = _model_pairs()
    client = as_user(cx_lead)

    result = train_themes.delay().get()

    assert result["state"] == "candidate"
    assert _model_pairs() == before
    candidate = client.get("/api/v1/themes/model/").json()["candidate"]
    assert candidate["can_accept"] is True
    assert "Staff has 2" in candidate["reason"]
    assert "needs 5 labels" in candidate["reason"]
    assert {q["name"] for q in candidate["per_theme"]} == {
        "Billing",
        "Delivery",
        "Login",
        "Staff",
    }
    changed = {(t["theme"], t["gain"], t["lose"]) for t in candidate["diff"]["themes"]}

    accepted = client.post(
        "/api/v1/themes/model/accept/", {"version": result["version"]}, format="json"
    )

    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert body["applied"]["version"] == result["version"]
    assert body["candidate"] is None
    applied.refresh_from_db()
    assert applied.state == "retired"
    after = _model_pairs()
    # The diff said exactly what accepting did.
    for theme, gain, lose in changed:
        assert len({p for p in after - before if p[1] == theme}) == gain
        assert len({p for p in before - after if p[1] == theme}) == lose
    assert len(unlabelled) > 0


def test_a_worse_candidate_waits_and_says_so(as_user, cx_lead):
    labelled_corpus()
    train_themes.delay().get()
    ThemeModelVersion.objects.filter(state="applied").update(cv_macro_f1=1.01)
    result = train_themes.delay().get()
    assert result["state"] == "candidate"
    assert "measures worse than the applied model v1" in result["reason"]


@override_settings(CXPLAN_THEME_AUTO_ACCEPT=False)
def test_with_automatic_acceptance_off_every_candidate_waits(as_user, cx_lead):
    labelled_corpus()
    result = train_themes.delay().get()
    assert result["state"] == "candidate"
    assert "automatic acceptance is off" in result["reason"]
    assert not _model_pairs()


def test_discarding_a_candidate_leaves_the_applied_model(as_user, cx_lead):
    labelled_corpus()
    train_themes.delay().get()
    ThemeModelVersion.objects.filter(state="applied").update(cv_macro_f1=1.01)
    before = _model_pairs()
    version = train_themes.delay().get()["version"]
    client = as_user(cx_lead)
    answer = client.post(
        "/api/v1/themes/model/discard/", {"version": version}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["candidate"] is None
    assert answer.json()["applied"]["version"] == 1
    assert ThemeModelVersion.objects.get(version=version).state == "discarded"
    again = client.post(
        "/api/v1/themes/model/accept/", {"version": version}, format="json"
    )
    assert again.status_code == 400
    assert "discarded" in str(again.json())
    assert _model_pairs() == before


@pytest.mark.parametrize("role", ["advisor", "executive", "outsider"])
def test_only_cx_leads_accept_or_discard(as_user, role, request):
    labelled_corpus()
    user = request.getfixturevalue(role)
    for action in ("accept", "discard"):
        answer = as_user(user).post(
            f"/api/v1/themes/model/{action}/", {"version": 1}, format="json"
        )
        assert answer.status_code == 403
    assert not ThemeModelVersion.objects.exists()


@pytest.mark.parametrize(
    "bad", [{"version": "²"}, {"version": -1}, {}, {"version": 99}]
)
def test_a_bad_version_is_a_400(as_user, cx_lead, bad):
    answer = as_user(cx_lead).post("/api/v1/themes/model/accept/", bad, format="json")
    assert answer.status_code == 400
