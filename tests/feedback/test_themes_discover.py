"""Discovery: candidate themes from uncovered negative feedback; accept, dismiss."""

import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from feedback.models import Theme, ThemeAssignment, ThemeSuggestion
from tests.factories import FeedbackItemFactory, ThemeFactory
from tests.feedback.factories_themes import (
    _fresh_cache,  # noqa: F401
    text_about,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/themes/discover/"


TRUTH: dict[int, str] = {}


def uncovered_negatives(per_theme=12):
    rng = random.Random(3)
    TRUTH.clear()
    for name in ("Billing", "Delivery"):
        for _ in range(per_theme):
            item = FeedbackItemFactory(text=text_about(rng, name), polarity="negative")
            TRUTH[item.pk] = name
    # Positive items and covered items are not discovery's business.
    FeedbackItemFactory(text="password reset locked login", polarity="positive")
    covered = FeedbackItemFactory(text="password login username", polarity="negative")
    ThemeAssignment.objects.create(
        item=covered, theme=ThemeFactory(name="Login"), method="manual"
    )
    return covered


def test_post_proposes_k_candidates_with_terms_size_and_three_quotes(as_user, cx_lead):
    covered = uncovered_negatives()
    response = as_user(cx_lead).post(URL, {"k": 2}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body) == 2
    assert sum(s["size"] for s in body) == 24
    for suggestion in body:
        assert suggestion["terms"] and suggestion["name"]
        assert len(suggestion["quotes"]) == 3
        assert covered.pk not in [q["id"] for q in suggestion["quotes"]]
    # Each candidate groups one true topic.
    topics = [{TRUTH[q["id"]] for q in s["quotes"]} for s in body]
    assert sorted(map(sorted, topics)) == [["Billing"], ["Delivery"]]
    listed = as_user(cx_lead).get(URL).json()
    assert [s["id"] for s in listed] == [s["id"] for s in body]


def test_a_new_run_replaces_the_open_suggestions(as_user, cx_lead):
    uncovered_negatives()
    client = as_user(cx_lead)
    client.post(URL, {"k": 2}, format="json")
    client.post(URL, {"k": 3}, format="json")
    assert ThemeSuggestion.objects.filter(status="open").count() == 3


def test_accept_creates_a_theme_with_keywords_and_labels_the_examples(as_user, cx_lead):
    uncovered_negatives()
    client = as_user(cx_lead)
    suggestion = client.post(URL, {"k": 2}, format="json").json()[0]
    response = client.post(
        f"/api/v1/themes/suggestions/{suggestion['id']}/accept/",
        {"name": "Found theme"},
        format="json",
    )
    assert response.status_code == 201, response.content
    theme = Theme.objects.get(name="Found theme")
    assert theme.keywords == suggestion["terms"][:4]
    manual = set(
        ThemeAssignment.objects.filter(theme=theme, method="manual").values_list(
            "item_id", flat=True
        )
    )
    assert manual == {q["id"] for q in suggestion["quotes"]}
    assert ThemeSuggestion.objects.get(pk=suggestion["id"]).status == "accepted"
    again = client.post(f"/api/v1/themes/suggestions/{suggestion['id']}/accept/")
    assert again.status_code == 400


def test_dismiss_hides_a_suggestion(as_user, cx_lead):
    uncovered_negatives()
    client = as_user(cx_lead)
    first = client.post(URL, {"k": 2}, format="json").json()[0]
    response = client.post(f"/api/v1/themes/suggestions/{first['id']}/dismiss/")
    assert response.status_code == 204
    assert first["id"] not in [s["id"] for s in client.get(URL).json()]


def test_bad_k_answers_400(as_user, cx_lead):
    assert as_user(cx_lead).post(URL, {"k": 0}, format="json").status_code == 400
    assert as_user(cx_lead).post(URL, {"k": "x"}, format="json").status_code == 400


def test_members_see_suggestions_but_only_cx_leads_run_and_decide(
    as_user, advisor, executive, cx_lead
):
    uncovered_negatives()
    suggestion = as_user(cx_lead).post(URL, {"k": 2}, format="json").json()[0]
    for user in (advisor, executive):
        client = as_user(user)
        assert client.get(URL).status_code == 200
        assert client.post(URL, {"k": 2}, format="json").status_code == 403
        accept = f"/api/v1/themes/suggestions/{suggestion['id']}/accept/"
        assert client.post(accept).status_code == 403
    assert as_user(None).get(URL).status_code in (401, 403)


def test_the_command_prints_candidates(capsys):
    uncovered_negatives()
    call_command("discover_themes", "--k", "2")
    out = capsys.readouterr().out
    assert out.count("items):") == 2
    assert ThemeSuggestion.objects.filter(status="open").count() == 2


def test_the_command_refuses_a_bad_k():
    with pytest.raises(CommandError):
        call_command("discover_themes", "--k", "0")
